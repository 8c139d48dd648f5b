#include "bizcal.h"

#include "../util/civil.h"
#include "../util/sorted.h"
#include "../zone/zone.h"
#include "holidays.h"

#include <stdlib.h>
#include <string.h>

enum { DAY_CLOSED = 0, DAY_BUSINESS = 1, DAY_HOLIDAY = 2 };

struct bizcal {
	struct zone *zone;
	int64_t first_day, ndays;   /* local days covered */
	int64_t lo, hi;             /* UTC instants covered */
	size_t n;                   /* opening intervals */
	int64_t *start, *end;       /* UTC, ascending, disjoint */
	int64_t *cum;               /* n + 1: business seconds before i */
	uint8_t *daytype;           /* per day */
	int32_t *bdays;             /* ndays + 1: business days before d */
	int16_t *close;             /* per day: local minute of last close */
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static bool
sorted_has(const int64_t *v, size_t n, int64_t key)
{
	return n && bsearch(&key, v, n, sizeof *v, cmp_i64) != NULL;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void
bizcal_free(struct bizcal *c)
{
	if (c == NULL)
		return;
	zone_free(c->zone);
	free(c->start);
	free(c->end);
	free(c->cum);
	free(c->daytype);
	free(c->bdays);
	free(c->close);
	free(c);
}

int
bizcal_build(struct bizcal **out, const struct bizcal_spec *spec,
	     int from_year, int to_year, struct sp_err *err)
{
	struct bizcal *c;
	int64_t *hol = NULL, cap;
	size_t nhol = 0, k = 0;
	int rc;

	if (from_year < 1971 || to_year > 9998 || from_year > to_year)
		return sp_err_set(err, SP_EINVAL, "years", "calendar years "
				  "%d..%d are out of range", from_year, to_year);
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return sp_err_set(err, SP_ENOMEM, "calendar", "out of memory");
	if ((rc = zone_open(&c->zone, spec->tz, err))) {
		free(c);
		return rc;
	}
	c->first_day = civil_days(from_year, 1, 1);
	c->ndays = civil_days(to_year + 1, 1, 1) - c->first_day;
	/* Every day's own holidays, the law's ones, sorted for lookup. */
	hol = malloc(sizeof *hol *
		     (spec->nholidays + 8 * (size_t)(to_year - from_year + 1) + 1));
	if (hol == NULL)
		goto oom;
	for (size_t i = 0; i < spec->nholidays; i++)
		hol[nhol++] = spec->holidays[i];
	if (spec->mexican_holidays)
		for (int y = from_year; y <= to_year; y++) {
			struct holiday h[8];
			int m = holidays_mx(h, y);

			for (int i = 0; i < m; i++)
				hol[nhol++] = h[i].day;
		}
	qsort(hol, nhol, sizeof *hol, cmp_i64);
	cap = c->ndays * (spec->whole_days ? 1 : POLICY_MAX_INTERVALS) + 1;
	c->start = malloc(sizeof *c->start * (size_t)cap);
	c->end = malloc(sizeof *c->end * (size_t)cap);
	c->daytype = calloc((size_t)c->ndays, 1);
	c->bdays = calloc((size_t)c->ndays + 1, sizeof *c->bdays);
	c->close = calloc((size_t)c->ndays, sizeof *c->close);
	if (!c->start || !c->end || !c->daytype || !c->bdays || !c->close)
		goto oom;
	for (int64_t d = 0; d < c->ndays; d++) {
		int64_t day = c->first_day + d;
		const struct interval *iv = NULL;
		struct interval whole = { 0, 1440 };
		int niv = 0;
		bool exception = false;

		for (size_t e = 0; e < spec->nexceptions; e++)
			if (spec->exceptions[e].day == day) {
				iv = spec->exceptions[e].iv;
				niv = spec->exceptions[e].n;
				exception = true;
			}
		if (!exception) {
			int wd = civil_weekday(day);

			if (sorted_has(hol, nhol, day)) {
				c->daytype[d] = DAY_HOLIDAY;
				niv = 0;
			} else {
				iv = spec->week->iv[wd];
				niv = spec->week->n[wd];
			}
		} else if (niv == 0) {
			c->daytype[d] = DAY_HOLIDAY;
		}
		if (niv > 0) {
			c->daytype[d] = DAY_BUSINESS;
			c->close[d] = (int16_t)iv[niv - 1].end;
			if (spec->whole_days) {
				iv = &whole;
				niv = 1;
			}
		}
		c->bdays[d + 1] = c->bdays[d] + (c->daytype[d] == DAY_BUSINESS);
		for (int i = 0; i < niv; i++) {
			int64_t s = zone_from_local(c->zone,
						    day * 86400 + iv[i].start * 60);
			int64_t e = zone_from_local(c->zone,
						    day * 86400 + iv[i].end * 60);

			/* A DST jump may swallow an interval or make it
			 * touch the previous one: keep them disjoint. */
			if (k > 0 && s < c->end[k - 1])
				s = c->end[k - 1];
			if (e <= s)
				continue;
			if (k > 0 && s == c->end[k - 1]) {
				c->end[k - 1] = e;
				continue;
			}
			c->start[k] = s;
			c->end[k] = e;
			k++;
		}
	}
	c->n = k;
	c->cum = malloc(sizeof *c->cum * (k + 1));
	if (c->cum == NULL)
		goto oom;
	c->cum[0] = 0;
	for (size_t i = 0; i < k; i++)
		c->cum[i + 1] = c->cum[i] + (c->end[i] - c->start[i]);
	c->lo = zone_from_local(c->zone, c->first_day * 86400);
	c->hi = zone_from_local(c->zone, (c->first_day + c->ndays) * 86400);
	free(hol);
	*out = c;
	return 0;
oom:
	free(hol);
	bizcal_free(c);
	return sp_err_set(err, SP_ENOMEM, "calendar", "out of memory");
}

int
bizcal_from_policy(struct bizcal **out, const struct calendar_def *cd,
		   bool whole_days, struct sp_err *err)
{
	struct bizcal_spec spec = { 0 };
	int64_t *hol = malloc(sizeof *hol * (cd->nholidays + 1));
	int rc;

	if (hol == NULL)
		return sp_err_set(err, SP_ENOMEM, "calendar", "out of memory");
	for (size_t i = 0; i < cd->nholidays; i++)
		hol[i] = cd->holidays[i].day;
	spec.tz = cd->tz;
	spec.week = &cd->week;
	spec.mexican_holidays = cd->mexican_holidays;
	spec.holidays = hol;
	spec.nholidays = cd->nholidays;
	spec.exceptions = cd->exceptions;
	spec.nexceptions = cd->nexceptions;
	spec.whole_days = whole_days;
	rc = bizcal_build(out, &spec, BIZCAL_FIRST_YEAR, BIZCAL_LAST_YEAR, err);
	free(hol);
	return rc;
}

size_t
bizcal_size(const struct bizcal *c)
{
	return sizeof *c + c->n * 3 * sizeof(int64_t) +
	       (size_t)c->ndays * (1 + 4 + 2);
}

/* Index of the last interval starting at or before t; -1 if none. */
static ptrdiff_t
last_start(const struct bizcal *c, int64_t t)
{
	return (ptrdiff_t)sorted_count_upto(c->start, c->n, t) - 1;
}

/* Business seconds from the calendar's first instant up to t. */
static int64_t
before(const struct bizcal *c, int64_t t)
{
	ptrdiff_t i = last_start(c, t);

	if (i < 0)
		return 0;
	if (t < c->end[i])
		return c->cum[i] + (t - c->start[i]);
	return c->cum[i + 1];
}

/* The earliest instant at which `target` business seconds have elapsed
 * since the calendar's first instant; -1 past the range. */
static int64_t
instant_at(const struct bizcal *c, int64_t target)
{
	size_t lo = 0, hi = c->n;

	if (target <= 0)
		return c->n ? c->start[0] : c->lo;
	/* Smallest j with cum[j + 1] >= target. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->cum[mid + 1] >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo >= c->n)
		return -1;
	return c->start[lo] + (target - c->cum[lo]);
}

static int
out_of_range(const struct bizcal *c, struct sp_err *err)
{
	struct civil_date a = civil_from_days(c->first_day);
	struct civil_date b = civil_from_days(c->first_day + c->ndays - 1);

	return sp_err_set(err, SP_EINVAL, "calendar", "the answer falls "
			  "outside the calendar's years %d..%d", a.y, b.y);
}

static int
cmp_pause(const void *a, const void *b)
{
	const struct bizcal_pause *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* Sorted, merged copy of the pauses; NULL with *n = 0 when none. */
static struct bizcal_pause *
merge_pauses(const struct bizcal_pause *p, size_t *n)
{
	struct bizcal_pause *m;
	size_t k = 0;

	if (*n == 0)
		return NULL;
	m = malloc(sizeof *m * *n);
	if (m == NULL)
		return NULL;
	memcpy(m, p, sizeof *m * *n);
	qsort(m, *n, sizeof *m, cmp_pause);
	for (size_t i = 0; i < *n; i++) {
		if (m[i].to <= m[i].from)
			continue;
		if (k > 0 && m[i].from <= m[k - 1].to) {
			if (m[i].to > m[k - 1].to)
				m[k - 1].to = m[i].to;
			continue;
		}
		m[k++] = m[i];
	}
	*n = k;
	return m;
}

int
bizcal_add_seconds(const struct bizcal *c, int64_t *out, int64_t start,
		   int64_t seconds, const struct bizcal_pause *pauses,
		   size_t npauses, struct sp_err *err)
{
	struct bizcal_pause *p = NULL;
	int64_t cur = start, left = seconds, due;

	if (seconds < 0)
		return sp_err_set(err, SP_EINVAL, "minutes", "a target cannot "
				  "be negative");
	if (start < c->lo || start >= c->hi)
		return out_of_range(c, err);
	if (seconds == 0) {
		*out = start;
		return 0;
	}
	if (npauses) {
		p = merge_pauses(pauses, &npauses);
		if (p == NULL && npauses)
			return sp_err_set(err, SP_ENOMEM, "pauses",
					  "out of memory");
	}
	/* Walk the pauses in order: run the clock up to each, stop there,
	 * and go on from its end with what is left. */
	for (size_t i = 0; i < npauses; i++) {
		int64_t run;

		if (p[i].to <= cur)
			continue;
		if (p[i].from > cur) {
			due = instant_at(c, before(c, cur) + left);
			if (due >= 0 && due <= p[i].from) {
				free(p);
				*out = due;
				return 0;
			}
			run = before(c, p[i].from) - before(c, cur);
			left -= run;
		}
		cur = p[i].to;
		if (cur >= c->hi) {
			free(p);
			return out_of_range(c, err);
		}
	}
	free(p);
	due = instant_at(c, before(c, cur) + left);
	if (due < 0)
		return out_of_range(c, err);
	*out = due;
	return 0;
}

int
bizcal_add_minutes(const struct bizcal *c, int64_t *out, int64_t start,
		   int64_t minutes, const struct bizcal_pause *pauses,
		   size_t npauses, struct sp_err *err)
{
	if (minutes > INT64_MAX / 60)
		return sp_err_set(err, SP_EINVAL, "minutes", "target too large");
	return bizcal_add_seconds(c, out, start, minutes * 60, pauses, npauses,
				  err);
}

int64_t
bizcal_between(const struct bizcal *c, int64_t a, int64_t b,
	       const struct bizcal_pause *pauses, size_t npauses)
{
	int64_t total;
	struct bizcal_pause *p;

	if (b <= a)
		return 0;
	total = before(c, b) - before(c, a);
	if (npauses == 0)
		return total;
	p = merge_pauses(pauses, &npauses);
	for (size_t i = 0; p && i < npauses; i++) {
		int64_t x = p[i].from > a ? p[i].from : a;
		int64_t y = p[i].to < b ? p[i].to : b;

		if (y > x)
			total -= before(c, y) - before(c, x);
	}
	free(p);
	return total;
}

bool
bizcal_is_open(const struct bizcal *c, int64_t t)
{
	ptrdiff_t i = last_start(c, t);

	return i >= 0 && t < c->end[i];
}

int
bizcal_next_open(const struct bizcal *c, int64_t *out, int64_t t)
{
	ptrdiff_t i = last_start(c, t);

	if (i >= 0 && t < c->end[i]) {
		*out = t;
		return 0;
	}
	if ((size_t)(i + 1) >= c->n)
		return SP_EINVAL;
	*out = c->start[i + 1];
	return 0;
}

static int64_t
day_index(const struct bizcal *c, int64_t day)
{
	return day - c->first_day;
}

bool
bizcal_is_business_day(const struct bizcal *c, int64_t day)
{
	int64_t d = day_index(c, day);

	return d >= 0 && d < c->ndays && c->daytype[d] == DAY_BUSINESS;
}

bool
bizcal_is_holiday(const struct bizcal *c, int64_t day)
{
	int64_t d = day_index(c, day);

	return d >= 0 && d < c->ndays && c->daytype[d] == DAY_HOLIDAY;
}

int
bizcal_add_days(const struct bizcal *c, int64_t *out, int64_t start, int n,
		struct sp_err *err)
{
	int64_t local, day, clock, d, want, lo, hi;

	if (n < 0)
		return sp_err_set(err, SP_EINVAL, "days", "a number of days "
				  "cannot be negative");
	if (start < c->lo || start >= c->hi)
		return out_of_range(c, err);
	if (n == 0) {
		*out = start;
		return 0;
	}
	local = zone_to_local(c->zone, start);
	day = floor_div(local, 86400);
	clock = local - day * 86400;
	d = day_index(c, day);
	/* The n-th business day after t's day: the first index whose count
	 * of business days before it reaches bdays[d + 1] + n. */
	want = c->bdays[d + 1] + n;
	lo = d + 1;
	hi = c->ndays;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;

		if (c->bdays[mid + 1] >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo >= c->ndays)
		return out_of_range(c, err);
	if (clock > c->close[lo] * 60)
		clock = c->close[lo] * 60;
	*out = zone_from_local(c->zone, (c->first_day + lo) * 86400 + clock);
	return 0;
}

size_t
bizcal_closed_days(const struct bizcal *c, int64_t *out, size_t max,
		   int64_t from_day, int64_t to_day)
{
	size_t k = 0;

	for (int64_t day = from_day; day < to_day && k < max; day++)
		if (bizcal_is_holiday(c, day))
			out[k++] = day;
	return k;
}
