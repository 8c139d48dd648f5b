/* sla.h — a ticket's SLA clocks, derived from its history alone, so a
 * changed calendar, priority or pack recomputes any ticket exactly.
 *
 * Two clocks run per ticket (SLA-2): first response (stops at the first
 * public reply of an agent) and resolution (stops when resolved; resumes
 * if reopened). Both stop in the pack's pause states (SLA-3) and resume
 * when the ticket leaves them. A priority change recomputes the target
 * from the ticket's creation: elapsed business time is kept, the due
 * instant moves. Targets count on the clock their unit names: business
 * hours, all hours of business days (weekday_hours), or natural time. */
#ifndef SP_SLA_H
#define SP_SLA_H

#include "bizcal.h"
#include "lifecycle.h"
#include "policy.h"

#include <stdbool.h>
#include <stdint.h>

/* What the history says happened, in order. */
enum sla_fact_kind {
	SLA_CREATED,     /* state and priority at creation */
	SLA_STATE,       /* the ticket entered `state` */
	SLA_PRIORITY,    /* the priority became `priority` */
	SLA_AGENT_REPLY, /* an agent's public reply */
};

struct sla_fact {
	int64_t at;
	enum sla_fact_kind kind;
	enum ticket_state state;
	int priority; /* index into the policy's priorities */
};

/* The calendars a provider's clocks count on. */
struct sla_calendars {
	const struct bizcal *business;  /* opening hours */
	const struct bizcal *weekdays;  /* every hour of business days */
	const struct bizcal *natural;   /* every hour of every day */
};

enum sla_clock_state {
	SLA_NONE,     /* the pack sets no such target (elapsed and
			 stopped_at are still measured, in business time) */
	SLA_RUNNING,
	SLA_PAUSED,   /* waiting (SLA-3); no due instant while paused */
	SLA_MET,      /* stopped in time */
	SLA_BREACHED, /* the target passed before it stopped (or still runs) */
};

struct sla_clock {
	enum sla_clock_state state;
	struct duration target;
	int64_t target_seconds;  /* on its own clock */
	int64_t elapsed;         /* seconds counted so far (to stop or now) */
	int64_t due;             /* 0 when paused, none, or stopped */
	int64_t stopped_at;      /* met or stopped: the instant; else 0 */
	int64_t breached_at;     /* the instant the target passed; else 0 */
	int64_t warn_at[8];      /* instants of the pack's warnings, if
				    running (0 when not computable) */
	int nwarn;
};

struct sla_status {
	struct sla_clock first_response, resolution;
	int priority;
};

/* Computes both clocks at `now` from the facts (ordered by time). `plan`
 * is the ticket's plan index for plan-specific targets, -1 for none. */
int sla_compute(struct sla_status *out, const struct policy *p,
		const struct sla_calendars *cals, const struct sla_fact *facts,
		size_t nfacts, int plan, int64_t now, struct sp_err *err);

/* The calendar a duration counts on, and the duration in seconds on it;
 * business_days and terms (months, events) have none: NULL. */
const struct bizcal *sla_calendar_for(const struct sla_calendars *cals,
				      const struct duration *d,
				      int64_t *seconds);
/* When a window of `d` that starts at `from` ends (CLO-1..3, SCH-2,
 * BILL-11...), with no pauses. SP_EINVAL for units that are not time. */
int sla_window_end(int64_t *out, const struct sla_calendars *cals,
		   const struct duration *d, int64_t from, struct sp_err *err);

const char *sla_clock_state_name(enum sla_clock_state s);

#endif
