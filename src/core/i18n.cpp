#include "core/i18n.hpp"

#include "core/error.hpp"

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <cstdlib>
#include <filesystem>
#include <locale>
#include <system_error>

namespace tfm {

namespace {

namespace fs = std::filesystem;
using Catalogue = boost::locale::message_format<char>;

Language g_language = Language::en;
// The catalogue is a std::locale facet: the locale owns it, g_catalogue points into it.
std::locale g_catalogue_locale;
const Catalogue* g_catalogue = nullptr;

const char* const kCatalogueFile = "zh/LC_MESSAGES/tfm.mo";

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The first folder, from the program's own one upwards, that holds locale/zh/… (the
// build folder: build/lessons/03_attention → build/locale).
std::string build_locale_folder() {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (error) return "";
    for (fs::path dir = self.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / "locale" / kCatalogueFile, error)) return (dir / "locale").string();
        if (dir == dir.root_path()) break;
    }
    return "";
}

}  // namespace

Language parse_language(const std::string& name) {
    if (name == "en") return Language::en;
    if (name == "zh") return Language::zh;
    throw InputError("--lang: '" + name + "' is not a language of the course (en or zh)");
}

Language language_from_environment() {
    if (const char* list = std::getenv("LANGUAGE"); list != nullptr) {
        const std::string s = list;
        std::size_t start = 0;
        while (start <= s.size()) {
            const std::size_t end = std::min(s.find(':', start), s.size());
            const std::string entry = s.substr(start, end - start);
            if (starts_with(entry, "zh")) return Language::zh;
            if (starts_with(entry, "en")) return Language::en;
            start = end + 1;
        }
    }
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value == nullptr || *value == '\0') continue;
        return starts_with(value, "zh") ? Language::zh : Language::en;
    }
    return Language::en;
}

std::string catalogue_folder() {
    if (const char* dir = std::getenv("TFM_LOCALEDIR"); dir != nullptr && *dir != '\0') return dir;
    return build_locale_folder();
}

void set_language(Language language) {
    if (language == Language::zh && g_catalogue == nullptr) {
        const std::string dir = catalogue_folder();
        std::error_code error;
        if (dir.empty() || !fs::exists(fs::path(dir) / kCatalogueFile, error))
            throw InputError(
                "--lang zh: the Chinese catalogue " +
                (dir.empty() ? std::string("locale/") + kCatalogueFile
                             : (fs::path(dir) / kCatalogueFile).string()) +
                " is not there (make builds it from po/zh/; TFM_LOCALEDIR names another folder)");
        boost::locale::gnu_gettext::messages_info info;
        info.language = "zh";
        info.encoding = "UTF-8";
        info.domains.push_back(boost::locale::gnu_gettext::messages_info::domain("tfm"));
        info.paths.push_back(dir);
        Catalogue* facet = boost::locale::gnu_gettext::create_messages_facet<char>(info);
        if (facet == nullptr)
            throw InputError("--lang zh: the Chinese catalogue in " + dir + " cannot be read");
        g_catalogue_locale = std::locale(std::locale::classic(), facet);
        g_catalogue = &std::use_facet<Catalogue>(g_catalogue_locale);
    }
    g_language = language;
}

Language current_language() { return g_language; }

std::string tr(const char* msgid) {
    if (g_language == Language::en || g_catalogue == nullptr || *msgid == '\0') return msgid;
    const char* translated = g_catalogue->get(0, nullptr, msgid);
    return translated != nullptr && *translated != '\0' ? translated : msgid;
}

std::string tr(const std::string& msgid) { return tr(msgid.c_str()); }

namespace i18n_detail {

std::string substitute(const std::string& text, const std::string* args, int count) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9' &&
            text[i + 2] == '}') {
            const int k = text[i + 1] - '1';
            if (k >= count)
                throw std::logic_error("tr(): the message '" + text + "' wants {" +
                                       std::to_string(k + 1) + "}, but it was given " +
                                       std::to_string(count) + " argument(s)");
            out += args[k];
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace i18n_detail

}  // namespace tfm
