// The language the course speaks: English (the source text) or Chinese (the catalogue
// po/zh/*.po, compiled into BUILD/locale/zh/LC_MESSAGES/tfm.mo). See docs/architecture.md
// ("Two languages") and docs/contributing.md ("Adding a message").
//
// Every sentence a program prints goes through tr():
//
//   out.say(tr("scores = Q·Kᵀ, {1} · {2} → {3}.", shape_of(q), shape_of(k.t()), shape_of(s)));
//
// The first argument is a string literal (xgettext finds it there: tools/po.py); {1}, {2}, …
// are replaced by the arguments, in whatever order the translation puts them, so a
// sentence built from numbers is one message, never glued fragments. A literal kept in a
// table for later is marked with N_("…") and translated where it is printed: tr(text).
// Tensor names, option names and numbers are never translated.
//
// The catalogue is read by Boost.Locale's gettext backend, which needs no system locale:
// a fresh machine with only the C locale speaks Chinese too.
#pragma once
#include <string>
#include <type_traits>

namespace tfm {

enum class Language { en, zh };

// "en" or "zh"; InputError naming --lang for anything else.
Language parse_language(const std::string& name);

// The language the environment asks for, read as GNU programs read it: the entries of
// LANGUAGE (a colon-separated list; the first that is zh… or en… decides), then the first
// of LC_ALL, LC_MESSAGES, LANG that is set and not empty. zh… is Chinese; anything else,
// or nothing, is English. Never fails.
Language language_from_environment();

// Every tr() from now on translates into `language`. Chinese loads the catalogue (once):
// TFM_LOCALEDIR when set, else the locale/ folder of the build the program was built in
// (found from the program's own path); InputError when it is not there.
void set_language(Language language);
Language current_language();

// The folder holding zh/LC_MESSAGES/tfm.mo that set_language(Language::zh) reads.
std::string catalogue_folder();

// msgid in the current language: its translation, or msgid itself (English, or a message
// the catalogue lacks — the catalogue test keeps that from happening).
std::string tr(const char* msgid);
std::string tr(const std::string& msgid);

namespace i18n_detail {
std::string substitute(const std::string& text, const std::string* args, int count);
inline std::string as_text(const std::string& s) { return s; }
inline std::string as_text(const char* s) { return s; }
template <class T>
std::string as_text(const T& value) {
    static_assert(std::is_integral_v<T>,
                  "tr(): pass whole numbers or strings; format a double first (its precision "
                  "is part of the sentence)");
    return std::to_string(value);
}
}  // namespace i18n_detail

// msgid translated, with {1} … {9} replaced by the arguments (strings or whole numbers).
// A brace not followed by a digit and } is printed as it is.
template <class A, class... Rest>
std::string tr(const char* msgid, const A& first, const Rest&... rest) {
    const std::string args[] = {i18n_detail::as_text(first), i18n_detail::as_text(rest)...};
    return i18n_detail::substitute(tr(msgid), args, 1 + static_cast<int>(sizeof...(Rest)));
}

// Marks a literal for the catalogue without translating it (yet): tables of labels.
constexpr const char* N_(const char* msgid) { return msgid; }

}  // namespace tfm
