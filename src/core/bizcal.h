/* bizcal.h — business time: add business minutes to an instant, count
 * business time between instants, find openings, count business days.
 *
 * Semantics (fixed, and tested against a minute-stepping reference):
 * - An instant is Unix seconds. Business time is counted to the second.
 * - The due instant of "N business minutes from t" is the EARLIEST instant
 *   at which N business minutes have elapsed since t: a target that ends
 *   exactly at a 14:00 close, with the shop reopening at 16:00, is due at
 *   14:00, not 16:00.
 * - A start outside opening hours counts from the next opening.
 * - Pauses (intervals in which the clock stops, SLA-3) are subtracted.
 * - Opening hours are wall-clock times in the calendar's zone; a day cut
 *   short or lengthened by a DST change has that much more or less time.
 *
 * A calendar is built once for a span of years into sorted UTC intervals
 * with cumulative sums, so every operation is a binary search: its cost
 * does not grow with the span of the target. */
#ifndef SP_BIZCAL_H
#define SP_BIZCAL_H

#include "../util/err.h"
#include "policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bizcal_spec {
	const char *tz;
	const struct week *week;
	bool mexican_holidays;
	const int64_t *holidays; /* day numbers, any order */
	size_t nholidays;
	const struct dated_day *exceptions;
	size_t nexceptions;
	/* Count every hour of each business day (a day the week opens that
	 * is not a holiday): the `weekday_hours` unit. */
	bool whole_days;
};

struct bizcal_pause {
	int64_t from, to; /* [from, to) */
};

struct bizcal;

#define BIZCAL_FIRST_YEAR 2000
#define BIZCAL_LAST_YEAR 2079

/* Builds the calendar for the years [from_year, to_year]. */
int bizcal_build(struct bizcal **out, const struct bizcal_spec *spec,
		 int from_year, int to_year, struct sp_err *err);
/* The calendar of a pack's calendar definition. */
int bizcal_from_policy(struct bizcal **out, const struct calendar_def *c,
		       bool whole_days, struct sp_err *err);
void bizcal_free(struct bizcal *c);

/* Due instant of `seconds` business seconds after `start`, with the
 * clock stopped during `pauses` (any order, may overlap). SP_EINVAL if
 * the answer falls outside the built years. */
int bizcal_add_seconds(const struct bizcal *c, int64_t *out, int64_t start,
		       int64_t seconds, const struct bizcal_pause *pauses,
		       size_t npauses, struct sp_err *err);
int bizcal_add_minutes(const struct bizcal *c, int64_t *out, int64_t start,
		       int64_t minutes, const struct bizcal_pause *pauses,
		       size_t npauses, struct sp_err *err);
/* Business seconds in [a, b) outside the pauses; 0 if b <= a. */
int64_t bizcal_between(const struct bizcal *c, int64_t a, int64_t b,
		       const struct bizcal_pause *pauses, size_t npauses);
bool bizcal_is_open(const struct bizcal *c, int64_t t);
/* t itself when open, else the next opening; SP_EINVAL past the range. */
int bizcal_next_open(const struct bizcal *c, int64_t *out, int64_t t);
/* The same wall-clock time `n` business days after t's day (clamped to
 * that day's close when later): "3 business days to reopen" (CLO-3). */
int bizcal_add_days(const struct bizcal *c, int64_t *out, int64_t start,
		    int n, struct sp_err *err);
/* Whether local day `day` (days since 1970-01-01) is a business day, and
 * whether it is a holiday of the calendar. */
bool bizcal_is_business_day(const struct bizcal *c, int64_t day);
bool bizcal_is_holiday(const struct bizcal *c, int64_t day);
/* Closed weekdays aside, the closed days in [from_day, to_day): holidays,
 * and exception days with no hours. Returns the count written (<= max). */
size_t bizcal_closed_days(const struct bizcal *c, int64_t *out, size_t max,
			  int64_t from_day, int64_t to_day);
/* Bytes held, for reporting. */
size_t bizcal_size(const struct bizcal *c);

#endif
