/* i18n.h — the interface in the person's language. Messages are written
 * in Spanish (es-MX, the seed packs' language) inside T("..."), and
 * translated by gettext catalogues: po/en.po, compiled by msgfmt into a
 * .mo that is built into the binary (so one server speaks to each
 * person in theirs, without switching the process's locale). */
#ifndef SP_I18N_H
#define SP_I18N_H

#include <stdint.h>

/* "es" or "en" from a language tag or Accept-Language value ("en-US",
 * "en;q=0.8, es"...): the first of the two that appears; "es" when
 * neither does. */
const char *i18n_lang(const char *tag);

/* msgid in `lang`: the catalogue's translation, or msgid itself when
 * there is none (Spanish, or a message not yet translated). */
const char *i18n_text(const char *lang, const char *msgid);

/* Marks a message for xgettext (keyword T:2) and translates it. */
#define T(lang, msgid) i18n_text((lang), (msgid))
/* Marks a message for xgettext (keyword N_) without translating it, for
 * static tables; the code that shows it passes it through i18n_text. */
#define N_(msgid) (msgid)

/* A local date and time (seconds since the epoch of the provider's wall
 * clock, already shifted) as people write it in lang: 23/11/2026 10:30
 * in Spanish, Nov 23, 2026, 10:30 AM in English. */
const char *i18n_datetime(const char *lang, int64_t local, char out[40]);
/* The date alone: 23/11/2026 in Spanish, Nov 23, 2026 in English. */
const char *i18n_date(const char *lang, int64_t local, char out[40]);

#endif
