// The two languages (src/core/i18n): --lang's values, the environment read as GNU programs
// read it, placeholders a translator may reorder, and the catalogue found from the build.
#include "core/error.hpp"
#include "core/i18n.hpp"

#include "support/catch.hpp"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace {

using tfm::Language;

// Sets the locale variables for one test and puts the old values back afterwards.
class Environment {
public:
    Environment(std::initializer_list<std::pair<const char*, const char*>> values) {
        for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TFM_LOCALEDIR"}) {
            const char* old = std::getenv(name);
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
            unsetenv(name);
        }
        for (const auto& [name, value] : values) setenv(name, value, 1);
    }
    ~Environment() {
        for (const auto& [name, value] : saved_) {
            if (value)
                setenv(name.c_str(), value->c_str(), 1);
            else
                unsetenv(name.c_str());
        }
    }

private:
    std::map<std::string, std::optional<std::string>> saved_;
};

// Speaks `language` for one test, English again afterwards (the tests share one process).
struct Speaking {
    explicit Speaking(Language language) { tfm::set_language(language); }
    ~Speaking() { tfm::set_language(Language::en); }
};

}  // namespace

TEST_CASE("--lang takes en or zh and names itself for anything else", "[i18n]") {
    CHECK(tfm::parse_language("en") == Language::en);
    CHECK(tfm::parse_language("zh") == Language::zh);
    CHECK_THROWS_AS(tfm::parse_language("fr"), tfm::InputError);
    CHECK_THROWS_WITH(tfm::parse_language("zh_CN"),
                      "--lang: 'zh_CN' is not a language of the course (en or zh)");
    CHECK_THROWS_AS(tfm::parse_language(""), tfm::InputError);
}

TEST_CASE("without --lang, the environment decides as for GNU programs", "[i18n]") {
    {
        const Environment e{};
        CHECK(tfm::language_from_environment() == Language::en);
    }
    {
        const Environment e{{"LANG", "zh_CN.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::zh);
    }
    {  // LC_ALL before LC_MESSAGES before LANG; an empty one is skipped
        const Environment e{{"LC_ALL", ""}, {"LC_MESSAGES", "en_US.UTF-8"}, {"LANG", "zh_TW"}};
        CHECK(tfm::language_from_environment() == Language::en);
    }
    {
        const Environment e{{"LC_ALL", "zh_CN.UTF-8"}, {"LANG", "en_GB.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::zh);
    }
    {  // LANGUAGE's list comes first: its first entry that is en… or zh… decides
        const Environment e{{"LANGUAGE", "fr:zh_CN:en"}, {"LC_ALL", "en_US.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::zh);
    }
    {
        const Environment e{{"LANGUAGE", "en"}, {"LANG", "zh_CN.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::en);
    }
    {  // a LANGUAGE without either falls through to the locale variables
        const Environment e{{"LANGUAGE", "de:fr"}, {"LANG", "zh_CN.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::zh);
    }
    {  // the C locale, or anything not zh…, is English
        const Environment e{{"LANG", "C.UTF-8"}};
        CHECK(tfm::language_from_environment() == Language::en);
    }
}

TEST_CASE("placeholders are replaced in the order the message gives them", "[i18n]") {
    const std::string args[] = {"Q", "K", "3"};
    CHECK(tfm::i18n_detail::substitute("{1}·{2}ᵀ over {3} tokens", args, 3) ==
          "Q·Kᵀ over 3 tokens");
    // A translation may put them in another order, or use one twice.
    CHECK(tfm::i18n_detail::substitute("{3} 个词元上的 {2}，{1}，{1}", args, 3) ==
          "3 个词元上的 K，Q，Q");
    // A brace that is not {digit} is text.
    CHECK(tfm::i18n_detail::substitute("{x} {0} {} {1", args, 3) == "{x} {0} {} {1");
    // Asking for an argument that was not given is the programmer's mistake.
    CHECK_THROWS_AS(tfm::i18n_detail::substitute("{4}", args, 3), std::logic_error);
    CHECK(tfm::tr("{2} then {1}", "a", 7) == "7 then a");
}

TEST_CASE("English is the source text; Chinese comes from the build's catalogue", "[i18n]") {
    const char* message = "print the version and the git commit of this build, and exit";
    CHECK(tfm::current_language() == Language::en);
    CHECK(tfm::tr(message) == message);
    {
        const Environment e{};  // no TFM_LOCALEDIR: the build's locale/ folder
        REQUIRE_FALSE(tfm::catalogue_folder().empty());
        const Speaking zh(Language::zh);
        CHECK(tfm::current_language() == Language::zh);
        CHECK(tfm::tr(message) == "打印版本号和本次构建所用的 git 提交，然后退出");
        // A message the catalogue lacks is printed as it is (the catalogue test stops that).
        CHECK(tfm::tr("a message that is in no catalogue") == "a message that is in no catalogue");
        CHECK(tfm::tr("") == "");
    }
    CHECK(tfm::tr(message) == message);
}

TEST_CASE("TFM_LOCALEDIR names the catalogue's folder", "[i18n]") {
    const Environment e{{"TFM_LOCALEDIR", "/nonexistent/locale"}};
    CHECK(tfm::catalogue_folder() == "/nonexistent/locale");
}
