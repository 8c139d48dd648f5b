#include "civil.h"

#include "err.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil: exact for the whole int range. */
int64_t
civil_days(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct civil_date
civil_from_days(int64_t z)
{
	struct civil_date c;
	int64_t era, doe, yoe, doy, mp, y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	c.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	c.y = (int)(y + (c.m <= 2));
	return c;
}

int
civil_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static bool
civil_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
civil_month_days(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return len[m - 1] + (m == 2 && civil_leap(y));
}

bool
civil_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= civil_month_days(y, m);
}

int64_t
civil_nth_weekday(int y, int m, int wd, int n)
{
	int64_t first = civil_days(y, m, 1);
	int delta = (wd - civil_weekday(first) + 7) % 7;

	return first + delta + 7 * (n - 1);
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SP_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
civil_parse_date(struct civil_date *out, const char *s)
{
	struct civil_date c;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &c.y) || digits(s + 5, 2, &c.m) ||
	    digits(s + 8, 2, &c.d) || !civil_date_valid(c.y, c.m, c.d))
		return SP_EINVAL;
	*out = c;
	return 0;
}

int
civil_parse_hhmm(int *out, const char *s, bool allow_24)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || digits(s, 2, &h) ||
	    digits(s + 3, 2, &m) || m > 59)
		return SP_EINVAL;
	if (h > 23 && !(allow_24 && h == 24 && m == 0))
		return SP_EINVAL;
	*out = h * 60 + m;
	return 0;
}

int
civil_parse_local(int64_t *out, bool *has_offset, const char *s)
{
	struct civil_date c;
	char date[11];
	int h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	const char *p;

	if (strlen(s) < 16)
		return SP_EINVAL;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (civil_parse_date(&c, date) || (s[10] != 'T' && s[10] != ' '))
		return SP_EINVAL;
	p = s + 11;
	if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi) ||
	    h > 23 || mi > 59)
		return SP_EINVAL;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec) || sec > 59)
			return SP_EINVAL;
		p += 3;
	}
	*has_offset = true;
	if (*p == 'Z' && p[1] == '\0') {
		/* UTC */
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   p[3] == ':') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) ||
		    oh > 14 || om > 59)
			return SP_EINVAL;
	} else if (*p == '\0') {
		*has_offset = false;
	} else {
		return SP_EINVAL;
	}
	*out = civil_days(c.y, c.m, c.d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

int
civil_parse_instant(int64_t *out, const char *s)
{
	bool has;
	int64_t t;

	if (civil_parse_local(&t, &has, s) || !has)
		return SP_EINVAL;
	*out = t;
	return 0;
}

void
civil_format(char *out, int64_t instant, int offset_sec)
{
	int64_t local = instant + offset_sec;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t sod = local - days * 86400;
	struct civil_date c = civil_from_days(days);
	int off = offset_sec < 0 ? -offset_sec : offset_sec;

	if (offset_sec == 0) {
		snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.y, c.m,
			 c.d, (int)(sod / 3600), (int)(sod / 60 % 60),
			 (int)(sod % 60));
		return;
	}
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.y, c.m,
		 c.d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
		 offset_sec < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}
