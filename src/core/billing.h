/* billing.h — what an attendance debits from a contract (BILL-2..6).
 * Pure: the caller gives the plan, the attendance and the calendars.
 *
 * The order is fixed (BILL-3) and every step is returned so the
 * consumption report (BILL-9) can show it:
 *   1. warranty work is free (BILL-6); a free quick question (BILL-5)
 *      is free; otherwise:
 *   2. minimum: the modality's minimum (on site: 2 h local, 4 h out of
 *      town) and the plan's minimum per attendance; the billed block
 *      starts when the attendance starts (a 2-hour on-site minimum
 *      blocks the consultant's time from arrival);
 *   3. after hours: the block is split at the after-hours window's
 *      boundaries and the part inside counts `factor` times (BILL-4);
 *   4. modality factor: an on-site hour counts 1 h 20 min (4/3);
 *   5. report overhead: a percentage added for the consumption report;
 *   6. rounding: always up, to the plan's granularity (BILL-2).
 * Amounts are kept as exact fractions of a second until step 6, so no
 * step rounds in the provider's favour or against it. */
#ifndef SP_BILLING_H
#define SP_BILLING_H

#include "../util/err.h"
#include "bizcal.h"
#include "policy.h"

#include <stdbool.h>
#include <stdint.h>

struct attendance_in {
	int64_t start;      /* instant */
	int64_t minutes;    /* worked, >= 1 */
	enum modality modality;
	bool warranty;
	/* BILL-5: the customer's free quick questions already used this
	 * ISO week (the caller counts them). */
	int quick_questions_used;
};

#define BILLING_MAX_STEPS 8

struct bill_step {
	const char *rule;   /* "warranty", "minimum", "after_hours", ... */
	const char *policy; /* "BILL-3" ... */
	/* Seconds before and after the step, as exact fractions. */
	int64_t before_num, before_den, after_num, after_den;
	/* The rule's figures: minimum minutes; factor num/den (with the
	 * after-hours minutes in x for after_hours); percent; rounding
	 * minutes; quick questions used and allowed. */
	int64_t x, num, den;
	char detail[96]; /* English, for logs and bill eval */
};

struct bill_result {
	int64_t debit_minutes;
	bool free;           /* warranty or quick question */
	bool quick_question; /* counted as one of the week's free ones */
	int64_t after_hours_seconds; /* of the billed block */
	struct bill_step steps[BILLING_MAX_STEPS];
	int nsteps;
};

/* `after_hours` is the calendar of the plan's after-hours window (NULL
 * when the plan has none). */
int billing_debit(struct bill_result *out, const struct plan_def *plan,
		  const struct attendance_in *in,
		  const struct bizcal *after_hours, struct sp_err *err);

/* A step in words, for the consumption report (BILL-9): lang "es"
 * (default) or "en". */
void billing_step_text(char *out, size_t size, const struct bill_step *s,
		       const char *lang);
/* A step's amount in minutes, for display (to 1/100). */
double billing_minutes(int64_t num, int64_t den);
int billing_modality_parse(const char *s); /* -1 unknown */

#endif
