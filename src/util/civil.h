/* civil.h — proleptic Gregorian date arithmetic and ISO 8601 parsing.
 * Pure arithmetic on dates and fixed UTC offsets; anything that needs a
 * time zone's rules goes through zone.h. */
#ifndef SP_CIVIL_H
#define SP_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

struct civil_date {
	int y, m, d; /* m 1..12, d 1..31 */
};

/* Days since 1970-01-01 (negative before). */
int64_t civil_days(int y, int m, int d);
struct civil_date civil_from_days(int64_t days);
/* 0 = Monday … 6 = Sunday (ISO). */
int civil_weekday(int64_t days);
int civil_month_days(int y, int m);
bool civil_date_valid(int y, int m, int d);
/* The n-th (1-based) ISO weekday `wd` of a month, as a day number. */
int64_t civil_nth_weekday(int y, int m, int wd, int n);

/* "YYYY-MM-DD" exactly. 0 or SP_EINVAL. */
int civil_parse_date(struct civil_date *out, const char *s);
/* "HH:MM", 00:00..23:59, or 24:00 when allow_24. Minutes of the day. */
int civil_parse_hhmm(int *out, const char *s, bool allow_24);

/* ISO 8601 date-time with an explicit offset or Z:
 * "2026-03-13T18:30:00-06:00", "2026-03-13T18:30-06:00", "...Z".
 * A space may stand for T. Seconds since the epoch, UTC. */
int civil_parse_instant(int64_t *out, const char *s);
/* As above but the offset may be missing: then *has_offset is false and
 * *out holds the wall-clock reading as if it were UTC (the caller converts
 * it in a zone). */
int civil_parse_local(int64_t *out, bool *has_offset, const char *s);
/* "2026-03-13T18:30:00-06:00" into out (at least 32 bytes). */
void civil_format(char *out, int64_t instant, int offset_sec);

#endif
