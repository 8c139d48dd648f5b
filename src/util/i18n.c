/* i18n.c — see i18n.h. The catalogue is a GNU .mo file (msgfmt's
 * output, built in by the Makefile); its original strings are sorted,
 * so a lookup is a binary search over them. */
#include "i18n.h"

#include "civil.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* build/gen/catalog.c: po/en.po compiled. */
extern const unsigned char i18n_en_mo[];
extern const size_t i18n_en_mo_len;

static uint32_t
word(const unsigned char *mo, size_t at, int swap)
{
	uint32_t v;

	memcpy(&v, mo + at, 4);
	if (swap)
		v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
		    (v << 24);
	return v;
}

static const char *
mo_find(const unsigned char *mo, size_t len, const char *msgid)
{
	int swap;
	uint32_t n, orig, trans, lo, hi;

	if (len < 28)
		return NULL;
	if (word(mo, 0, 0) == 0x950412deu)
		swap = 0;
	else if (word(mo, 0, 1) == 0x950412deu)
		swap = 1;
	else
		return NULL;
	n = word(mo, 8, swap);
	orig = word(mo, 12, swap);
	trans = word(mo, 16, swap);
	if ((size_t)orig + (size_t)n * 8 > len || (size_t)trans + (size_t)n * 8 > len)
		return NULL;
	lo = 0;
	hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t ol = word(mo, orig + mid * 8, swap);
		uint32_t oo = word(mo, orig + mid * 8 + 4, swap);
		int c;

		if ((size_t)oo + ol >= len)
			return NULL;
		c = strcmp(msgid, (const char *)mo + oo);
		if (c == 0) {
			uint32_t tl = word(mo, trans + mid * 8, swap);
			uint32_t to = word(mo, trans + mid * 8 + 4, swap);

			if ((size_t)to + tl >= len || tl == 0)
				return NULL;
			return (const char *)mo + to;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
i18n_lang(const char *tag)
{
	const char *p = tag;

	while (p && *p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (strncasecmp(p, "en", 2) == 0 && !((p[2] | 32) >= 'a' &&
						     (p[2] | 32) <= 'z'))
			return "en";
		if (strncasecmp(p, "es", 2) == 0 && !((p[2] | 32) >= 'a' &&
						     (p[2] | 32) <= 'z'))
			return "es";
		p = strchr(p, ',');
	}
	return "es";
}

const char *
i18n_text(const char *lang, const char *msgid)
{
	const char *t;

	if (lang == NULL || strcmp(lang, "en") != 0 || msgid == NULL ||
	    *msgid == '\0')
		return msgid;
	t = mo_find(i18n_en_mo, i18n_en_mo_len, msgid);
	return t ? t : msgid;
}

static const char *const en_months[] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int64_t
local_days(int64_t local)
{
	return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

const char *
i18n_date(const char *lang, int64_t local, char out[40])
{
	struct civil_date d = civil_from_days(local_days(local));

	if (lang && strcmp(lang, "en") == 0)
		snprintf(out, 40, "%s %d, %d", en_months[d.m - 1], d.d, d.y);
	else
		snprintf(out, 40, "%02d/%02d/%d", d.d, d.m, d.y);
	return out;
}

const char *
i18n_datetime(const char *lang, int64_t local, char out[40])
{
	int64_t days = local_days(local);
	int64_t secs = local - days * 86400;
	struct civil_date d = civil_from_days(days);
	int h = (int)(secs / 3600), m = (int)(secs % 3600 / 60);

	if (lang && strcmp(lang, "en") == 0)
		snprintf(out, 40, "%s %d, %d, %d:%02d %s", en_months[d.m - 1], d.d,
			 d.y, h % 12 ? h % 12 : 12, m, h < 12 ? "AM" : "PM");
	else
		snprintf(out, 40, "%02d/%02d/%d %02d:%02d", d.d, d.m, d.y, h, m);
	return out;
}
