/* test_bizcal.c — business time, proven on cases from the packs and
 * cross-checked against a minute-stepping reference on random cases. */
#include "../src/core/bizcal.h"
#include "../src/core/holidays.h"
#include "../src/util/civil.h"
#include "../src/zone/zone.h"
#include "test.h"

#include <stdlib.h>

static int64_t
at(const char *iso)
{
	int64_t t = 0;

	if (civil_parse_instant(&t, iso))
		abort();
	return t;
}

/* Weeks written as in packs. */
static struct week
week_of(int start1, int end1, int start2, int end2, int days)
{
	struct week w = { 0 };

	for (int d = 0; d < days; d++) {
		w.iv[d][0] = (struct interval){ start1, end1 };
		w.n[d] = 1;
		if (start2 >= 0) {
			w.iv[d][1] = (struct interval){ start2, end2 };
			w.n[d] = 2;
		}
	}
	return w;
}

#define H(h, m) ((h) * 60 + (m))

static struct week intecnia_week;

static struct bizcal *
intecnia(bool whole_days)
{
	struct bizcal_spec s = { 0 };
	struct bizcal *c = NULL;

	intecnia_week = week_of(H(9, 0), H(14, 0), H(16, 0), H(19, 0), 5);
	s.tz = "America/Mexico_City";
	s.week = &intecnia_week;
	s.mexican_holidays = true;
	s.whole_days = whole_days;
	if (bizcal_build(&c, &s, 2024, 2028, NULL))
		return NULL;
	return c;
}

static void
check_due(struct bizcal *c, const char *start, int64_t minutes,
	  const char *want, const char *file, int line)
{
	int64_t due = 0;

	if (bizcal_add_minutes(c, &due, at(start), minutes, NULL, 0, NULL) ||
	    due != at(want)) {
		struct zone *z;
		char got[32] = "error";

		if (zone_open(&z, "America/Mexico_City", NULL) == 0) {
			zone_format(z, due, got);
			zone_free(z);
		}
		t_fail(file, line, "%s + %lld min = %s, want %s", start,
		       (long long)minutes, got, want);
	}
}

#define DUE(c, s, m, w)                                                 \
	do {                                                            \
		int f_ = t_current_failed;                              \
		check_due(c, s, m, w, __FILE__, __LINE__);              \
		if (!f_ && t_current_failed)                            \
			return;                                         \
	} while (0)

/* SLA-1: the statutory rest days of LFT art. 74. */
static void
test_sla1_lft74_holidays(void)
{
	struct holiday h[8];
	int n = holidays_mx(h, 2026);

	CHECK_INT(n, 7);
	CHECK_INT(h[0].day, civil_days(2026, 1, 1));
	CHECK_INT(h[1].day, civil_days(2026, 2, 2));   /* first Monday */
	CHECK_INT(h[2].day, civil_days(2026, 3, 16));  /* third Monday */
	CHECK_INT(h[3].day, civil_days(2026, 5, 1));
	CHECK_INT(h[4].day, civil_days(2026, 9, 16));
	CHECK_INT(h[5].day, civil_days(2026, 11, 16)); /* third Monday */
	CHECK_INT(h[6].day, civil_days(2026, 12, 25));
	n = holidays_mx(h, 2030);                      /* inauguration */
	CHECK_INT(n, 8);
	CHECK_INT(h[5].day, civil_days(2030, 10, 1));
	n = holidays_mx(h, 2024);
	CHECK_INT(n, 8);
	CHECK_INT(h[5].day, civil_days(2024, 10, 1));
	n = holidays_mx(h, 2018);                      /* before the reform */
	CHECK_INT(n, 8);
	CHECK_INT(h[6].day, civil_days(2018, 12, 1));
	n = holidays_mx(h, 2005);                      /* fixed dates */
	CHECK_INT(h[1].day, civil_days(2005, 2, 5));
	CHECK_INT(h[2].day, civil_days(2005, 3, 21));
	CHECK_INT(holidays_mx(h, 2027), 7);
}

/* SLA-1, SLA-2: the worked example — 480 business minutes from
 * Friday 18:30 before the long weekend of March 16th. */
static void
test_sla2_intecnia_friday_before_long_weekend(void)
{
	struct bizcal *c = intecnia(false);

	CHECK(c != NULL);
	DUE(c, "2026-03-13T18:30:00-06:00", 480, "2026-03-17T18:30:00-06:00");
	/* Severity 2, 10 business hours: 30 min Fri, Tue 480, Wed 90. */
	DUE(c, "2026-03-13T18:30:00-06:00", 600, "2026-03-18T10:30:00-06:00");
	bizcal_free(c);
}

/* Boundaries: opening, closing, the lunch gap, holidays. */
static void
test_sla1_boundaries(void)
{
	struct bizcal *c = intecnia(false);

	CHECK(c != NULL);
	/* Exactly at opening: counts at once. */
	DUE(c, "2026-03-10T09:00:00-06:00", 60, "2026-03-10T10:00:00-06:00");
	/* Ends exactly at the 14:00 close: due 14:00, not 16:00. */
	DUE(c, "2026-03-10T13:00:00-06:00", 60, "2026-03-10T14:00:00-06:00");
	/* One more minute crosses the lunch gap. */
	DUE(c, "2026-03-10T13:00:00-06:00", 61, "2026-03-10T16:01:00-06:00");
	/* Started in the lunch gap: counts from 16:00. */
	DUE(c, "2026-03-10T14:30:00-06:00", 30, "2026-03-10T16:30:00-06:00");
	/* Started exactly at closing: counts from the next opening. */
	DUE(c, "2026-03-10T19:00:00-06:00", 1, "2026-03-11T09:01:00-06:00");
	/* Ends exactly at the day's close. */
	DUE(c, "2026-03-10T18:00:00-06:00", 60, "2026-03-10T19:00:00-06:00");
	/* Zero minutes: due at the start, open or not. */
	DUE(c, "2026-03-14T12:00:00-06:00", 0, "2026-03-14T12:00:00-06:00");
	/* Seconds count: 30 s before close plus 1 min ends 30 s in. */
	DUE(c, "2026-03-10T18:59:30-06:00", 1, "2026-03-11T09:00:30-06:00");
	/* Christmas and New Year. */
	DUE(c, "2026-12-24T18:00:00-06:00", 120, "2026-12-28T10:00:00-06:00");
	DUE(c, "2026-12-31T18:30:00-06:00", 60, "2027-01-04T09:30:00-06:00");
	CHECK(!bizcal_is_open(c, at("2026-03-10T14:00:00-06:00")));
	CHECK(bizcal_is_open(c, at("2026-03-10T13:59:59-06:00")));
	CHECK(!bizcal_is_open(c, at("2026-03-16T10:00:00-06:00")));
	{
		int64_t t = 0;

		CHECK_INT(bizcal_next_open(c, &t, at("2026-03-13T19:00:00-06:00")), 0);
		CHECK_INT(t, at("2026-03-17T09:00:00-06:00"));
	}
	CHECK_INT(bizcal_between(c, at("2026-03-13T18:30:00-06:00"),
				 at("2026-03-17T18:30:00-06:00"), NULL, 0),
		  480 * 60);
	bizcal_free(c);
}

/* SLA-3: the clock stops while waiting on the customer. */
static void
test_sla3_pauses(void)
{
	struct bizcal *c = intecnia(false);
	struct bizcal_pause p[2] = {
		/* Waiting Tuesday 10:00 to Wednesday 11:00: 8 business
		 * hours of Tuesday-Wednesday do not count. */
		{ at("2026-03-10T10:00:00-06:00"), at("2026-03-11T11:00:00-06:00") },
		/* An overlapping, later-listed pause merges with it. */
		{ at("2026-03-11T10:00:00-06:00"), at("2026-03-11T10:30:00-06:00") },
	};
	int64_t due;

	CHECK(c != NULL);
	/* 8 business hours from Tuesday 09:00: 1 h before the pause, then
	 * 7 h from Wednesday 11:00: 11-14 (3) and 16-19 (3), 1 h Thursday. */
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-03-10T09:00:00-06:00"),
				     480, p, 2, NULL), 0);
	CHECK_INT(due, at("2026-03-12T10:00:00-06:00"));
	CHECK_INT(bizcal_between(c, at("2026-03-10T09:00:00-06:00"), due, p, 2),
		  480 * 60);
	/* A start inside a pause waits for its end. */
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-03-10T12:00:00-06:00"),
				     60, p, 1, NULL), 0);
	CHECK_INT(due, at("2026-03-11T12:00:00-06:00"));
	/* A due instant exactly at a pause's start stays there. */
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-03-10T09:00:00-06:00"),
				     60, p, 1, NULL), 0);
	CHECK_INT(due, at("2026-03-10T10:00:00-06:00"));
	bizcal_free(c);
}

/* Impera's reading: every hour of business days (weekday_hours). */
static void
test_sla2_impera_weekday_hours_over_holiday(void)
{
	struct bizcal *c = intecnia(true);

	CHECK(c != NULL);
	/* High priority, 24 h, opened Friday 17:00 before the Monday
	 * holiday: 7 h of Friday, then Tuesday 00:00 + 17 h. */
	DUE(c, "2026-03-13T17:00:00-06:00", 24 * 60, "2026-03-17T17:00:00-06:00");
	/* Opened on Saturday: counts from Monday 00:00. */
	DUE(c, "2026-03-07T10:00:00-06:00", 24 * 60, "2026-03-10T00:00:00-06:00");
	bizcal_free(c);
}

/* CLO-3: business days for reopen windows. */
static void
test_clo3_business_days(void)
{
	struct bizcal *c = intecnia(false);
	int64_t t;

	CHECK(c != NULL);
	/* Resolved Thursday 12:00; 3 business days skip the weekend and
	 * the Monday holiday: Wednesday 12:00. */
	CHECK_INT(bizcal_add_days(c, &t, at("2026-03-12T12:00:00-06:00"), 3,
				  NULL), 0);
	CHECK_INT(t, at("2026-03-18T12:00:00-06:00"));
	/* Resolved after hours: clamped to the day's close. */
	CHECK_INT(bizcal_add_days(c, &t, at("2026-03-12T20:30:00-06:00"), 1,
				  NULL), 0);
	CHECK_INT(t, at("2026-03-13T19:00:00-06:00"));
	/* Resolved on Saturday: Monday is day one... here a holiday. */
	CHECK_INT(bizcal_add_days(c, &t, at("2026-03-14T11:00:00-06:00"), 1,
				  NULL), 0);
	CHECK_INT(t, at("2026-03-17T11:00:00-06:00"));
	bizcal_free(c);
}

/* DST: a Madrid shop, 09:00-18:00, on the spring-forward and fall-back
 * days (the wall clock keeps its hours; instants shift). */
static void
test_dst_madrid_and_tijuana(void)
{
	struct week w = week_of(H(9, 0), H(18, 0), -1, 0, 5);
	struct bizcal_spec s = { "Europe/Madrid", &w, false, NULL, 0, NULL, 0,
				 false };
	struct bizcal *c = NULL;
	int64_t due;

	CHECK_INT(bizcal_build(&c, &s, 2026, 2026, NULL), 0);
	/* Friday 27 March 17:00 CET + 2 h: 1 h Friday, 1 h Monday 30 March
	 * in CEST. */
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-03-27T17:00:00+01:00"),
				     120, NULL, 0, NULL), 0);
	CHECK_INT(due, at("2026-03-30T10:00:00+02:00"));
	bizcal_free(c);

	/* Tijuana, all hours of weekdays: Sunday 8 March is the jump; a
	 * whole-day Monday still has 24 h. Counting from Friday 23:00 PST,
	 * 2 h: 1 h Friday, 1 h Monday 00:00-01:00 PDT. */
	s.tz = "America/Tijuana";
	s.whole_days = true;
	CHECK_INT(bizcal_build(&c, &s, 2026, 2026, NULL), 0);
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-03-06T23:00:00-08:00"),
				     120, NULL, 0, NULL), 0);
	CHECK_INT(due, at("2026-03-09T01:00:00-07:00"));
	bizcal_free(c);

	/* A weekend shop open Sunday 01:00-04:00 in Tijuana loses the
	 * skipped hour 02:00-03:00 on the jump day (2 h of business). */
	{
		struct week sun = { 0 };

		sun.iv[6][0] = (struct interval){ H(1, 0), H(4, 0) };
		sun.n[6] = 1;
		s.week = &sun;
		s.whole_days = false;
		CHECK_INT(bizcal_build(&c, &s, 2026, 2026, NULL), 0);
		CHECK_INT(bizcal_between(c, at("2026-03-08T00:00:00-08:00"),
					 at("2026-03-08T12:00:00-07:00"), NULL,
					 0), 2 * 3600);
		CHECK_INT(bizcal_between(c, at("2026-11-01T00:00:00-07:00"),
					 at("2026-11-01T12:00:00-08:00"), NULL,
					 0), 4 * 3600);
		bizcal_free(c);
	}
}

/* Dated exceptions: a special Saturday and a closed afternoon. */
static void
test_exceptions_override_week(void)
{
	struct week w = week_of(H(9, 0), H(14, 0), H(16, 0), H(19, 0), 5);
	struct dated_day ex[2] = { { 0 }, { 0 } };
	struct bizcal_spec s = { "America/Mexico_City", &w, true, NULL, 0, ex,
				 2, false };
	struct bizcal *c = NULL;

	ex[0].day = civil_days(2026, 3, 14); /* a special Saturday */
	ex[0].n = 1;
	ex[0].iv[0] = (struct interval){ H(10, 0), H(13, 0) };
	ex[1].day = civil_days(2026, 3, 13); /* Friday: afternoon closed */
	ex[1].n = 1;
	ex[1].iv[0] = (struct interval){ H(9, 0), H(14, 0) };
	CHECK_INT(bizcal_build(&c, &s, 2026, 2026, NULL), 0);
	DUE(c, "2026-03-13T13:00:00-06:00", 120, "2026-03-14T11:00:00-06:00");
	CHECK(bizcal_is_business_day(c, civil_days(2026, 3, 14)));
	CHECK(bizcal_is_holiday(c, civil_days(2026, 3, 16)));
	bizcal_free(c);
}

static void
test_out_of_range_is_an_error(void)
{
	struct bizcal *c = intecnia(false);
	struct sp_err err = { 0 };
	int64_t due;

	CHECK(c != NULL);
	CHECK_INT(bizcal_add_minutes(c, &due, at("2028-12-31T18:00:00-06:00"),
				     600, NULL, 0, &err), SP_EINVAL);
	CHECK_HAS(err.msg, "outside");
	sp_err_clear(&err);
	CHECK_INT(bizcal_add_minutes(c, &due, at("2026-01-05T10:00:00-06:00"),
				     -1, NULL, 0, &err), SP_EINVAL);
	bizcal_free(c);
}

/* ---- the minute-stepping reference ---------------------------------- */

struct ref {
	struct zone *zone;
	const struct week *week;
	bool mx, whole;
	const struct dated_day *ex;
	size_t nex;
	int64_t hol_days[64];
	int nhol;
	int64_t cached_hour;
	int cached_offset;
};

static bool
ref_holiday(struct ref *r, int64_t day)
{
	for (int i = 0; i < r->nhol; i++)
		if (r->hol_days[i] == day)
			return true;
	return false;
}

/* Open at the start of the minute at t: wall clock, weekday, holidays,
 * exceptions — computed directly, without the calendar's index. */
static bool
ref_open(struct ref *r, int64_t t)
{
	int64_t hour = t / 3600, local, day, minute;
	const struct interval *iv;
	int n, wd;

	if (hour != r->cached_hour) {
		r->cached_hour = hour;
		r->cached_offset = zone_offset(r->zone, hour * 3600);
	}
	local = t + r->cached_offset;
	day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	minute = (local - day * 86400) / 60;
	wd = civil_weekday(day);
	iv = r->week->iv[wd];
	n = r->week->n[wd];
	for (size_t i = 0; i < r->nex; i++)
		if (r->ex[i].day == day) {
			iv = r->ex[i].iv;
			n = r->ex[i].n;
			goto have;
		}
	if (ref_holiday(r, day))
		return false;
have:
	if (r->whole)
		return n > 0;
	for (int i = 0; i < n; i++)
		if (minute >= iv[i].start && minute < iv[i].end)
			return true;
	return false;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static long
cases_wanted(void)
{
	const char *e = getenv("SOPORTE_CROSSCHECK_CASES");
	long n = e ? strtol(e, NULL, 10) : 0;

	return n > 0 ? n : 3000;
}

/* Random starts (whole minutes) in 2026-2027, random targets up to
 * `max_minutes`, random pauses; add, between and the reference agree. */
static int
crosscheck(const struct bizcal_spec *s, int max_minutes, long cases)
{
	struct bizcal *c = NULL;
	struct ref r = { 0 };
	int64_t base = at("2026-01-01T00:00:00Z");
	int mismatches = 0;

	if (bizcal_build(&c, s, 2025, 2029, NULL) ||
	    zone_open(&r.zone, s->tz, NULL))
		return -1;
	r.week = s->week;
	r.mx = s->mexican_holidays;
	r.whole = s->whole_days;
	r.ex = s->exceptions;
	r.nex = s->nexceptions;
	r.cached_hour = INT64_MIN;
	for (int y = 2025; y <= 2029 && r.mx; y++) {
		struct holiday h[8];
		int n = holidays_mx(h, y);

		for (int i = 0; i < n; i++)
			r.hol_days[r.nhol++] = h[i].day;
	}
	for (size_t i = 0; i < s->nholidays && r.nhol < 64; i++)
		r.hol_days[r.nhol++] = s->holidays[i];
	for (long k = 0; k < cases; k++) {
		int64_t start = base + (int64_t)(rng() % (2 * 365 * 1440)) * 60;
		int64_t minutes = (int64_t)(rng() % (uint64_t)(max_minutes + 1));
		struct bizcal_pause p = { 0, 0 };
		size_t np = 0;
		int64_t due = 0, t = start, count = 0, ref_due;

		if (rng() % 3 == 0) {
			p.from = start + (int64_t)(rng() % 4000) * 60;
			p.to = p.from + (int64_t)(rng() % 3000) * 60;
			np = 1;
		}
		while (count < minutes) {
			bool paused = np && t >= p.from && t < p.to;

			if (!paused && ref_open(&r, t))
				count++;
			t += 60;
		}
		ref_due = t;
		if (bizcal_add_minutes(c, &due, start, minutes, &p, np, NULL) ||
		    due != ref_due ||
		    bizcal_between(c, start, ref_due, &p, np) != minutes * 60) {
			if (mismatches++ < 5)
				fprintf(stderr, "    mismatch: start %lld + %lld "
					"min: got %lld, reference %lld\n",
					(long long)start, (long long)minutes,
					(long long)due, (long long)ref_due);
		}
	}
	zone_free(r.zone);
	bizcal_free(c);
	return mismatches;
}

static void
test_crosscheck_split_shift_mexico(void)
{
	struct week w = week_of(H(9, 0), H(14, 0), H(16, 0), H(19, 0), 5);
	int64_t own[2] = { civil_days(2026, 12, 12), civil_days(2027, 11, 2) };
	struct bizcal_spec s = { "America/Mexico_City", &w, true, own, 2, NULL,
				 0, false };

	CHECK_INT(crosscheck(&s, 72 * 60, cases_wanted()), 0);
}

static void
test_crosscheck_madrid_dst_with_exceptions(void)
{
	struct week w = week_of(H(8, 30), H(13, 45), H(15, 10), H(18, 0), 5);
	struct dated_day ex[2] = { { 0 }, { 0 } };
	struct bizcal_spec s = { "Europe/Madrid", &w, false, NULL, 0, ex, 2,
				 false };

	ex[0].day = civil_days(2026, 3, 28); /* special Saturday at DST */
	ex[0].n = 1;
	ex[0].iv[0] = (struct interval){ H(1, 0), H(4, 0) };
	ex[1].day = civil_days(2026, 10, 23); /* afternoon closed */
	ex[1].n = 1;
	ex[1].iv[0] = (struct interval){ H(8, 30), H(13, 45) };
	w.iv[6][0] = (struct interval){ H(1, 30), H(3, 30) }; /* Sunday */
	w.n[6] = 1;
	CHECK_INT(crosscheck(&s, 40 * 60, cases_wanted()), 0);
}

static void
test_crosscheck_tijuana_weekday_hours(void)
{
	struct week w = week_of(H(8, 0), H(17, 0), -1, 0, 5);
	struct bizcal_spec s = { "America/Tijuana", &w, true, NULL, 0, NULL, 0,
				 true };

	CHECK_INT(crosscheck(&s, 72 * 60, cases_wanted()), 0);
}

static void
test_crosscheck_night_shift_minute_precision(void)
{
	struct week w = { 0 };
	struct bizcal_spec s = { "America/Mexico_City", &w, true, NULL, 0,
				 NULL, 0, false };

	for (int d = 0; d < 7; d++) {
		w.iv[d][0] = (struct interval){ H(0, 0), H(6, 7) };
		w.iv[d][1] = (struct interval){ H(12, 13), H(12, 14) };
		w.iv[d][2] = (struct interval){ H(22, 59), H(24, 0) };
		w.n[d] = d == 2 ? 0 : 3;
	}
	CHECK_INT(crosscheck(&s, 30 * 60, cases_wanted()), 0);
}

const struct test bizcal_tests[] = {
	{ "sla1_lft74_holidays", test_sla1_lft74_holidays },
	{ "sla2_intecnia_friday_before_long_weekend", test_sla2_intecnia_friday_before_long_weekend },
	{ "sla1_boundaries", test_sla1_boundaries },
	{ "sla3_pauses", test_sla3_pauses },
	{ "sla2_impera_weekday_hours_over_holiday", test_sla2_impera_weekday_hours_over_holiday },
	{ "clo3_business_days", test_clo3_business_days },
	{ "dst_madrid_and_tijuana", test_dst_madrid_and_tijuana },
	{ "exceptions_override_week", test_exceptions_override_week },
	{ "out_of_range_is_an_error", test_out_of_range_is_an_error },
	{ "crosscheck_split_shift_mexico", test_crosscheck_split_shift_mexico },
	{ "crosscheck_madrid_dst_with_exceptions", test_crosscheck_madrid_dst_with_exceptions },
	{ "crosscheck_tijuana_weekday_hours", test_crosscheck_tijuana_weekday_hours },
	{ "crosscheck_night_shift_minute_precision", test_crosscheck_night_shift_minute_precision },
	{ 0 },
};
