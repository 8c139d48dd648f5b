/* tzrule.c — POSIX TZ strings as RFC 8536 extends them (hours -167..167
 * in a change's time), and the changes they give year by year. */
#include "tzrule.h"

#include "../util/civil.h"
#include "../util/err.h"

#include <stddef.h>

/* ---- parsing ------------------------------------------------------------ */

/* Moves past `c` if it comes next. */
static bool
accept(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static int
refuse(const char **why, const char *what)
{
	*why = what;
	return SP_EINVAL;
}

static bool
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A zone abbreviation: three letters or more, or "<...>" holding three
 * or more of [A-Za-z0-9+-] ("<-04>"). */
static bool
parse_name(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '<') {
		for (s++; is_alpha(*s) || is_digit(*s) || *s == '+' ||
			  *s == '-'; s++)
			n++;
		if (*s != '>' || n < 3)
			return false;
		*p = s + 1;
		return true;
	}
	for (; is_alpha(*s); s++)
		n++;
	if (n < 3)
		return false;
	*p = s;
	return true;
}

/* Up to three digits, at most `max`. */
static bool
parse_number(const char **p, int max, int *out)
{
	const char *s = *p;
	int v = 0;

	if (!is_digit(*s))
		return false;
	for (int k = 0; k < 3 && is_digit(*s); k++, s++)
		v = v * 10 + (*s - '0');
	if (is_digit(*s) || v > max)
		return false;
	*p = s;
	*out = v;
	return true;
}

/* [+-]hh[:mm[:ss]] in seconds, hours at most `hmax`. */
static bool
parse_hms(const char **p, int hmax, int *out)
{
	int sign = 1, h, m = 0, sec = 0;

	if (**p == '+' || **p == '-')
		sign = *(*p)++ == '-' ? -1 : 1;
	if (!parse_number(p, hmax, &h))
		return false;
	if (accept(p, ':') &&
	    (!parse_number(p, 59, &m) ||
	     (accept(p, ':') && !parse_number(p, 59, &sec))))
		return false;
	*out = sign * (h * 3600 + m * 60 + sec);
	return true;
}

static bool
parse_date(const char **p, struct tzrule_date *d)
{
	d->time = 2 * 3600; /* POSIX's default: 02:00 */
	d->month = d->week = 0;
	if (accept(p, 'J')) {
		d->kind = 'J';
		if (!parse_number(p, 365, &d->day) || d->day < 1)
			return false;
	} else if (accept(p, 'M')) {
		d->kind = 'M';
		if (!parse_number(p, 12, &d->month) || d->month < 1 ||
		    !accept(p, '.') || !parse_number(p, 5, &d->week) ||
		    d->week < 1 || !accept(p, '.') ||
		    !parse_number(p, 6, &d->day))
			return false;
	} else {
		d->kind = 'n';
		if (!parse_number(p, 365, &d->day))
			return false;
	}
	return !accept(p, '/') || parse_hms(p, 167, &d->time);
}

/* Standard and daylight names and offsets; offsets in TZ strings count
 * west of Greenwich, soporte's east. */
static int
parse_zones(const char **p, struct tzrule *r, const char **why)
{
	int west;

	if (!parse_name(p))
		return refuse(why, "the standard time's name is not 3 "
			      "letters or more, or <...>");
	if (!parse_hms(p, 24, &west))
		return refuse(why, "the standard time's offset is missing "
			      "or beyond 24 hours");
	r->std = -west;
	r->has_dst = **p != '\0';
	if (!r->has_dst)
		return 0;
	if (!parse_name(p))
		return refuse(why, "the daylight time's name is not 3 "
			      "letters or more, or <...>");
	r->dst = r->std + 3600;
	if (**p == '+' || **p == '-' || is_digit(**p)) {
		if (!parse_hms(p, 24, &west))
			return refuse(why, "the daylight time's offset is "
				      "beyond 24 hours");
		r->dst = -west;
	}
	return 0;
}

int
tzrule_parse(struct tzrule *out, const char *s, const char **why)
{
	struct tzrule r = { 0 };
	const char *p = s, *ignored;

	if (why == NULL)
		why = &ignored;
	if (parse_zones(&p, &r, why))
		return SP_EINVAL;
	/* Daylight time without dates: the United States' rules, as glibc
	 * and the reference tzcode assume. */
	if (r.has_dst && *p == '\0')
		p = ",M3.2.0,M11.1.0";
	if (r.has_dst && (!accept(&p, ',') || !parse_date(&p, &r.start) ||
			  !accept(&p, ',') || !parse_date(&p, &r.end)))
		return refuse(why, "the daylight time's dates are not "
			      ",start[/time],end[/time] with Jn, n or Mm.w.d "
			      "and hours within -167..167");
	if (*p != '\0')
		return refuse(why, "there is text after the rule");
	*out = r;
	return 0;
}

/* ---- changes ------------------------------------------------------------ */

/* A change of offset: at `at`, from `before` to `after`. */
struct change {
	int64_t at;
	int before, after;
};

/* The years before and after an instant whose changes are looked at:
 * a change's time moves it at most a week from its own year. */
#define YEARS_BEFORE 2
#define YEARS_AFTER 2
#define YEARS (YEARS_BEFORE + 1 + YEARS_AFTER)

static bool
leap(int y)
{
	return civil_month_days(y, 2) == 29;
}

/* The local day a date falls on in year y, as days since 1970-01-01. */
static int64_t
date_day(const struct tzrule_date *d, int y)
{
	int64_t jan1 = civil_days(y, 1, 1), first, day;

	switch (d->kind) {
	case 'J':
		return jan1 + d->day - 1 + (d->day >= 60 && leap(y));
	case 'n':
		return jan1 + d->day;
	default:
		first = civil_days(y, d->month, 1);
		/* civil_weekday counts from Monday; POSIX from Sunday. */
		day = first + 7 * (d->week - 1) +
		      (d->day - (civil_weekday(first) + 1) % 7 + 7) % 7;
		if (day >= first + civil_month_days(y, d->month))
			day -= 7; /* week 5: the last in the month */
		return day;
	}
}

/* The year of an instant (UTC), kept within 1..9999 so that the
 * arithmetic stays in range for any instant. */
static int
year_of(int64_t instant)
{
	int64_t day = instant / 86400 - (instant % 86400 < 0);
	int64_t lo = civil_days(1 + YEARS_BEFORE, 1, 1);
	int64_t hi = civil_days(9999 - YEARS_AFTER, 12, 31);

	if (day < lo)
		day = lo;
	if (day > hi)
		day = hi;
	return civil_from_days(day).y;
}

/* The changes of the years around an instant, in the order they happen.
 * Changes at the same instant keep the order of their years, so that
 * the last one wins (an end of one year and the start of the next at
 * the same instant leave daylight time on). */
static void
changes_around(const struct tzrule *r, int64_t instant,
	       struct change out[2 * YEARS])
{
	int y0 = year_of(instant) - YEARS_BEFORE;

	for (int k = 0; k < YEARS; k++) {
		struct change *s = &out[2 * k], *e = &out[2 * k + 1];

		s->at = date_day(&r->start, y0 + k) * 86400 + r->start.time -
			r->std;
		s->before = r->std;
		s->after = r->dst;
		e->at = date_day(&r->end, y0 + k) * 86400 + r->end.time -
			r->dst;
		e->before = r->dst;
		e->after = r->std;
	}
	/* Insertion sort, stable: ten items. */
	for (size_t i = 1; i < 2 * YEARS; i++) {
		struct change c = out[i];
		size_t j = i;

		for (; j > 0 && out[j - 1].at > c.at; j--)
			out[j] = out[j - 1];
		out[j] = c;
	}
}

int
tzrule_offset(const struct tzrule *r, int64_t instant)
{
	struct change c[2 * YEARS];
	int off;

	if (!r->has_dst)
		return r->std;
	changes_around(r, instant, c);
	off = c[0].before;
	for (size_t i = 0; i < 2 * YEARS && c[i].at <= instant; i++)
		off = c[i].after;
	return off;
}

bool
tzrule_next(const struct tzrule *r, int64_t instant, int64_t *at, int *off)
{
	struct change c[2 * YEARS];

	if (!r->has_dst)
		return false;
	changes_around(r, instant, c);
	for (size_t i = 0; i < 2 * YEARS; i++)
		if (c[i].at > instant) {
			*at = c[i].at;
			*off = c[i].after;
			return true;
		}
	return false;
}
