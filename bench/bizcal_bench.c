/* bizcal_bench.c — due-date throughput of the business-time engine.
 *
 * bizcal_bench run DIR
 *     Builds an Intecnia-like calendar (America/Mexico_City, Mon-Fri
 *     09:00-14:00 and 16:00-19:00, Mexican statutory holidays, the years
 *     bizcal_from_policy builds) with bizcal_build, and beside it a bare
 *     index: the same sorted UTC intervals and cumulative sums, built here
 *     with the same algorithm from the same week and holidays. Generates
 *     identical cases (a fixed xorshift seed; starts: random whole minutes
 *     of 2026) for three targets: 72 business hours, random 1..4320
 *     minutes, and random up to ten years of business time (to show the
 *     cost does not grow with the span). Times bizcal_add_minutes and two
 *     bare binary searches over the bare index on the same cases (best of
 *     several runs, CLOCK_MONOTONIC) and writes the 72-hour and random
 *     cases to DIR for bench/business_hours.pl. Prints key=value lines.
 *
 * bizcal_bench compare ANSWERS
 *     Reads "start minutes due" lines answered by Business::Hours and
 *     compares each due instant with soporte's and with a minute-stepping
 *     brute force that uses neither index. Prints key=value lines.
 *
 * Exit status: 0 when everything ran (goals are bench/bizcal.sh's to
 * judge), 1 on any failure, including a bare index that does not answer
 * as bizcal does (then the comparison would mean nothing). */
#include "../src/core/bizcal.h"
#include "../src/core/holidays.h"
#include "../src/util/civil.h"
#include "../src/zone/zone.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TZID "America/Mexico_City"
#define NCASES ((size_t)1 << 16)
#define NRUNS 7
#define RUN_NS 100000000.0 /* aim: each timed run at least 0.1 s */
#define PERL_CASES 2000    /* cases written for the Perl side */

/* ---- the calendar ---------------------------------------------------- */

static void
intecnia_week(struct week *w)
{
	memset(w, 0, sizeof *w);
	for (int d = 0; d < 5; d++) {
		w->n[d] = 2;
		w->iv[d][0] = (struct interval){ 9 * 60, 14 * 60 };
		w->iv[d][1] = (struct interval){ 16 * 60, 19 * 60 };
	}
}

static int
build_bizcal(struct bizcal **out, const struct week *w)
{
	struct bizcal_spec spec = { 0 };
	struct sp_err err = { 0 };
	int rc;

	spec.tz = TZID;
	spec.week = w;
	spec.mexican_holidays = true;
	rc = bizcal_build(out, &spec, BIZCAL_FIRST_YEAR, BIZCAL_LAST_YEAR, &err);
	if (rc)
		fprintf(stderr, "bizcal_bench: bizcal_build: %s\n", err.msg);
	return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorted Mexican holidays of the years [y0, y1]. */
static int64_t *
holiday_days(int y0, int y1, size_t *n)
{
	int64_t *v = malloc(sizeof *v * 8 * (size_t)(y1 - y0 + 1));

	*n = 0;
	if (v == NULL)
		return NULL;
	for (int y = y0; y <= y1; y++) {
		struct holiday h[8];
		int m = holidays_mx(h, y);

		for (int i = 0; i < m; i++)
			v[(*n)++] = h[i].day;
	}
	qsort(v, *n, sizeof *v, cmp_i64);
	return v;
}

static bool
is_holiday(const int64_t *hol, size_t nhol, int64_t day)
{
	return bsearch(&day, hol, nhol, sizeof *hol, cmp_i64) != NULL;
}

/* ---- the bare index -------------------------------------------------- */

struct bare {
	size_t n;
	int64_t *start, *end, *cum; /* as in bizcal.c: cum has n + 1 */
};

static void
bare_free(struct bare *b)
{
	free(b->start);
	free(b->end);
	free(b->cum);
}

/* The same intervals bizcal_build makes of a week and holidays: each
 * business day's wall-clock intervals in UTC, kept disjoint across a DST
 * jump, touching ones merged; then the cumulative sums. */
static int
bare_build(struct bare *b, struct zone *z, const struct week *w, int y0,
	   int y1)
{
	int64_t first = civil_days(y0, 1, 1), last = civil_days(y1 + 1, 1, 1);
	size_t nhol, cap = (size_t)(last - first) * POLICY_MAX_INTERVALS, k = 0;
	int64_t *hol = holiday_days(y0, y1, &nhol);

	memset(b, 0, sizeof *b);
	b->start = malloc(sizeof *b->start * cap);
	b->end = malloc(sizeof *b->end * cap);
	if (hol == NULL || b->start == NULL || b->end == NULL)
		goto fail;
	for (int64_t day = first; day < last; day++) {
		int wd = civil_weekday(day);

		if (is_holiday(hol, nhol, day))
			continue;
		for (int i = 0; i < w->n[wd]; i++) {
			int64_t s = zone_from_local(z, day * 86400 +
						       w->iv[wd][i].start * 60);
			int64_t e = zone_from_local(z, day * 86400 +
						       w->iv[wd][i].end * 60);

			if (k > 0 && s < b->end[k - 1])
				s = b->end[k - 1];
			if (e <= s)
				continue;
			if (k > 0 && s == b->end[k - 1]) {
				b->end[k - 1] = e;
				continue;
			}
			b->start[k] = s;
			b->end[k] = e;
			k++;
		}
	}
	b->n = k;
	b->cum = malloc(sizeof *b->cum * (k + 1));
	if (b->cum == NULL)
		goto fail;
	b->cum[0] = 0;
	for (size_t i = 0; i < k; i++)
		b->cum[i + 1] = b->cum[i] + (b->end[i] - b->start[i]);
	free(hol);
	return 0;
fail:
	free(hol);
	bare_free(b);
	return -1;
}

/* Two plain binary searches and nothing else: no range checks, no
 * pauses, no error reporting. Kept out of line, as the library call is. */
__attribute__((noinline)) static int64_t
bare_add_minutes(const struct bare *b, int64_t t, int64_t minutes)
{
	size_t lo = 0, hi = b->n;
	int64_t done, target;

	/* Business seconds before t. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->start[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		done = 0;
	else if (t < b->end[lo - 1])
		done = b->cum[lo - 1] + (t - b->start[lo - 1]);
	else
		done = b->cum[lo];
	target = done + minutes * 60;
	/* The first interval whose cumulative end reaches the target. */
	lo = 0;
	hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->cum[mid + 1] >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	return b->start[lo] + (target - b->cum[lo]);
}

/* ---- the brute force ------------------------------------------------- */

/* Minute stepping on the wall clock: a minute is open when its local
 * reading falls in the weekday's intervals on a day that is no holiday.
 * Uses neither index; the zone's offset is read once per UTC hour. */
struct brute {
	struct zone *zone;
	const struct week *week;
	int64_t *hol;
	size_t nhol;
	int64_t hour;
	int offset;
};

static bool
brute_open(struct brute *r, int64_t t)
{
	int64_t hour = t / 3600, local, day, minute;
	int wd;

	if (hour != r->hour) {
		r->hour = hour;
		r->offset = zone_offset(r->zone, hour * 3600);
	}
	local = t + r->offset;
	day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	minute = (local - day * 86400) / 60;
	wd = civil_weekday(day);
	if (r->week->n[wd] == 0 || is_holiday(r->hol, r->nhol, day))
		return false;
	for (int i = 0; i < r->week->n[wd]; i++)
		if (minute >= r->week->iv[wd][i].start &&
		    minute < r->week->iv[wd][i].end)
			return true;
	return false;
}

/* The end of the minutes-th open minute from t (t on a whole minute). */
static int64_t
brute_due(struct brute *r, int64_t t, int64_t minutes)
{
	int64_t limit = t + 400 * 86400;

	while (minutes > 0 && t < limit) {
		if (brute_open(r, t))
			minutes--;
		t += 60;
	}
	return minutes > 0 ? -1 : t;
}

/* ---- cases and timing ------------------------------------------------ */

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct cases {
	const char *name;
	int64_t start[NCASES], minutes[NCASES];
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static volatile int64_t sink;
static long failures;

static double
time_bizcal(const struct bizcal *c, const struct cases *cs, long reps)
{
	int64_t acc = 0, due = 0;
	double t0 = now_ns();

	for (long r = 0; r < reps; r++)
		for (size_t i = 0; i < NCASES; i++) {
			if (bizcal_add_minutes(c, &due, cs->start[i],
					       cs->minutes[i], NULL, 0, NULL))
				failures++;
			acc += due;
		}
	sink = acc;
	return (now_ns() - t0) / ((double)reps * (double)NCASES);
}

static double
time_bare(const struct bare *b, const struct cases *cs, long reps)
{
	int64_t acc = 0;
	double t0 = now_ns();

	for (long r = 0; r < reps; r++)
		for (size_t i = 0; i < NCASES; i++)
			acc += bare_add_minutes(b, cs->start[i], cs->minutes[i]);
	sink = acc;
	return (now_ns() - t0) / ((double)reps * (double)NCASES);
}

/* Best of NRUNS runs each, the two engines alternating on the same
 * cases; prints NAME.bizcal_ns, NAME.bare_ns and how many answers of the
 * bare index agree with bizcal's. */
static int
bench_cases(const struct bizcal *c, const struct bare *b,
	    const struct cases *cs)
{
	double best_c = 1e300, best_b = 1e300, one;
	long reps, agree = 0;

	for (size_t i = 0; i < NCASES; i++) {
		int64_t due = 0;

		if (bizcal_add_minutes(c, &due, cs->start[i], cs->minutes[i],
				       NULL, 0, NULL) == 0 &&
		    due == bare_add_minutes(b, cs->start[i], cs->minutes[i]))
			agree++;
	}
	one = time_bizcal(c, cs, 1) * (double)NCASES;
	reps = (long)(RUN_NS / (one > 1 ? one : 1)) + 1;
	for (int r = 0; r < NRUNS; r++) {
		double x = time_bizcal(c, cs, reps), y = time_bare(b, cs, reps);

		if (x < best_c)
			best_c = x;
		if (y < best_b)
			best_b = y;
	}
	printf("%s.bizcal_ns=%.2f\n%s.bare_ns=%.2f\n", cs->name, best_c,
	       cs->name, best_b);
	printf("%s.ops_timed=%ld\n%s.bare_agree=%ld\n%s.cases=%zu\n",
	       cs->name, reps * (long)NCASES * NRUNS, cs->name, agree,
	       cs->name, NCASES);
	return agree == (long)NCASES ? 0 : -1;
}

static void
fmt_hhmm(char *out, size_t size, int m)
{
	snprintf(out, size, "%02d:%02d", m / 60 % 100, m % 60);
}

/* The calendar, as plain lines business_hours.pl turns into its own
 * business hours and holidays, then "case START MINUTES" lines. */
static int
write_cases(const char *path, const struct week *w, const struct cases *cs)
{
	FILE *f = fopen(path, "w");
	size_t nhol;
	int64_t *hol = holiday_days(2025, 2028, &nhol);

	if (f == NULL || hol == NULL) {
		fprintf(stderr, "bizcal_bench: %s: %s\n", path,
			f ? "out of memory" : strerror(errno));
		if (f)
			fclose(f);
		free(hol);
		return -1;
	}
	fprintf(f, "tz %s\n", TZID);
	for (int d = 0; d < 7; d++) {
		fprintf(f, "day %d", d + 1); /* ISO: 1 Monday .. 7 Sunday */
		for (int i = 0; i < w->n[d]; i++) {
			char a[16], b[16];

			fmt_hhmm(a, sizeof a, w->iv[d][i].start);
			fmt_hhmm(b, sizeof b, w->iv[d][i].end);
			fprintf(f, " %s-%s", a, b);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < nhol; i++) {
		struct civil_date cd = civil_from_days(hol[i]);

		fprintf(f, "holiday %04d-%02d-%02d\n", cd.y, cd.m, cd.d);
	}
	for (size_t i = 0; i < PERL_CASES; i++)
		fprintf(f, "case %" PRId64 " %" PRId64 "\n", cs->start[i],
			cs->minutes[i]);
	free(hol);
	if (fclose(f)) {
		fprintf(stderr, "bizcal_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
run(const char *dir)
{
	static struct cases v72 = { .name = "v72" }, vrnd = { .name = "vrnd" },
			    vlong = { .name = "vlong" };
	struct week w;
	struct bizcal *c = NULL;
	struct zone *z = NULL;
	struct bare b = { 0 };
	struct sp_err err = { 0 };
	int64_t base, span;
	double t0;
	char path[4096];
	int rc = 1;

	intecnia_week(&w);
	t0 = now_ns();
	if (build_bizcal(&c, &w))
		goto out;
	printf("build_ms=%.1f\n", (now_ns() - t0) / 1e6);
	printf("calendar_bytes=%zu\nyears=%d-%d\n", bizcal_size(c),
	       BIZCAL_FIRST_YEAR, BIZCAL_LAST_YEAR);
	if (zone_open(&z, TZID, &err)) {
		fprintf(stderr, "bizcal_bench: %s\n", err.msg);
		goto out;
	}
	if (bare_build(&b, z, &w, BIZCAL_FIRST_YEAR, BIZCAL_LAST_YEAR)) {
		fprintf(stderr, "bizcal_bench: out of memory\n");
		goto out;
	}
	printf("intervals=%zu\n", b.n);
	base = zone_from_local(z, civil_days(2026, 1, 1) * 86400);
	span = (zone_from_local(z, civil_days(2027, 1, 1) * 86400) - base) / 60;
	for (size_t i = 0; i < NCASES; i++) {
		int64_t s = base + (int64_t)(rng() % (uint64_t)span) * 60;

		v72.start[i] = vrnd.start[i] = vlong.start[i] = s;
		v72.minutes[i] = 72 * 60;
		vrnd.minutes[i] = 1 + (int64_t)(rng() % 4320);
		/* Up to ten years of 250 eight-hour business days. */
		vlong.minutes[i] = 1 + (int64_t)(rng() % (10 * 250 * 8 * 60));
	}
	snprintf(path, sizeof path, "%s/cases72.txt", dir);
	if (write_cases(path, &w, &v72))
		goto out;
	snprintf(path, sizeof path, "%s/casesrnd.txt", dir);
	if (write_cases(path, &w, &vrnd))
		goto out;
	fflush(stdout);
	if (bench_cases(c, &b, &v72) | bench_cases(c, &b, &vrnd) |
	    bench_cases(c, &b, &vlong)) {
		fprintf(stderr, "bizcal_bench: the bare index does not answer "
			"as bizcal does; the comparison means nothing\n");
		goto out;
	}
	if (failures) {
		fprintf(stderr, "bizcal_bench: bizcal_add_minutes failed %ld "
			"times\n", failures);
		goto out;
	}
	rc = 0;
out:
	bare_free(&b);
	bizcal_free(c);
	zone_free(z);
	return rc;
}

/* ---- comparison with Business::Hours -------------------------------- */

static int
compare(const char *path)
{
	struct week w;
	struct bizcal *c = NULL;
	struct brute r = { 0 };
	struct sp_err err = { 0 };
	FILE *f = fopen(path, "r");
	long n = 0, brute_ok = 0, agree = 0, closing = 0, gave_up = 0,
	     other = 0;
	int64_t start, minutes, theirs;
	int rc = 1;

	if (f == NULL) {
		fprintf(stderr, "bizcal_bench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	intecnia_week(&w);
	if (build_bizcal(&c, &w))
		goto out;
	if (zone_open(&r.zone, TZID, &err)) {
		fprintf(stderr, "bizcal_bench: %s\n", err.msg);
		goto out;
	}
	r.week = &w;
	r.hour = INT64_MIN;
	r.hol = holiday_days(2025, 2028, &r.nhol);
	if (r.hol == NULL)
		goto out;
	while (fscanf(f, "%" SCNd64 " %" SCNd64 " %" SCNd64, &start, &minutes,
		      &theirs) == 3) {
		int64_t ours = 0, brute, next = 0;

		n++;
		if (bizcal_add_minutes(c, &ours, start, minutes, NULL, 0,
				       &err)) {
			fprintf(stderr, "bizcal_bench: %s\n", err.msg);
			goto out;
		}
		brute = brute_due(&r, start, minutes);
		if (brute == ours)
			brute_ok++;
		if (theirs == ours) {
			agree++;
		} else if (theirs < 0) {
			gave_up++;
		} else if (!bizcal_is_open(c, ours) &&
			   bizcal_is_open(c, ours - 1) &&
			   bizcal_next_open(c, &next, ours) == 0 &&
			   theirs == next) {
			closing++;
		} else {
			char a[32], o[32], t[32];

			if (other++ < 5) {
				zone_format(r.zone, start, a);
				zone_format(r.zone, ours, o);
				zone_format(r.zone, theirs, t);
				printf("example=start %s + %" PRId64 " min: "
				       "soporte %s, Business::Hours %s\n",
				       a, minutes, o, t);
			}
		}
	}
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "bizcal_bench: %s: unreadable line %ld\n", path,
			n + 1);
		goto out;
	}
	printf("n=%ld\nbrute_agree=%ld\nagree=%ld\nclosing=%ld\ngave_up=%ld\n"
	       "other=%ld\n", n, brute_ok, agree, closing, gave_up, other);
	rc = 0;
out:
	fclose(f);
	free(r.hol);
	zone_free(r.zone);
	bizcal_free(c);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "run") == 0)
		return run(argv[2]);
	if (argc == 3 && strcmp(argv[1], "compare") == 0)
		return compare(argv[2]);
	fprintf(stderr, "usage: bizcal_bench run DIR | compare ANSWERS\n");
	return 2;
}
