#include "sla.h"

#include <stdlib.h>
#include <string.h>

const char *
sla_clock_state_name(enum sla_clock_state s)
{
	static const char *const names[] = { "none", "running", "paused",
					     "met", "breached" };

	return (unsigned)s <= SLA_BREACHED ? names[s] : "?";
}

const struct bizcal *
sla_calendar_for(const struct sla_calendars *cals, const struct duration *d,
		 int64_t *seconds)
{
	switch (d->unit) {
	case DUR_MINUTES:
		*seconds = d->n * 60;
		return cals->natural;
	case DUR_HOURS:
		*seconds = d->n * 3600;
		return cals->natural;
	case DUR_DAYS:
		*seconds = d->n * 86400;
		return cals->natural;
	case DUR_BUSINESS_MINUTES:
		*seconds = d->n * 60;
		return cals->business;
	case DUR_BUSINESS_HOURS:
		*seconds = d->n * 3600;
		return cals->business;
	case DUR_WEEKDAY_HOURS:
		*seconds = d->n * 3600;
		return cals->weekdays;
	default:
		*seconds = 0;
		return NULL;
	}
}

int
sla_window_end(int64_t *out, const struct sla_calendars *cals,
	       const struct duration *d, int64_t from, struct sp_err *err)
{
	const struct bizcal *c;
	int64_t secs;

	if (d->unit == DUR_BUSINESS_DAYS)
		return bizcal_add_days(cals->business, out, from, (int)d->n, err);
	c = sla_calendar_for(cals, d, &secs);
	if (c == NULL)
		return sp_err_set(err, SP_EINVAL, "window", "a window in %s is "
				  "not a span of time",
				  policy_dur_unit_name(d->unit));
	return bizcal_add_seconds(c, out, from, secs, NULL, 0, err);
}

/* The target of a clock for a priority, a plan's own first. */
static struct duration
target_for(const struct policy *p, int plan, int priority, bool response)
{
	const struct priority_def *pr = &p->priorities[priority];
	struct duration d = response ? pr->first_response : pr->resolution;

	if (plan >= 0 && (size_t)plan < p->nplans) {
		const struct plan_def *pl = &p->plans[plan];

		for (size_t i = 0; i < pl->ntargets; i++)
			if (pl->targets[i].priority == priority) {
				const struct duration *o = response ?
					&pl->targets[i].first_response :
					&pl->targets[i].resolution;

				if (o->unit != DUR_NONE)
					d = *o;
			}
	}
	return d;
}

static void
run_clock(struct sla_clock *k, const struct policy *p,
	  const struct sla_calendars *cals, struct duration target,
	  int64_t created, const struct bizcal_pause *pauses, size_t npauses,
	  bool paused_now, int64_t stop, int64_t now)
{
	const struct bizcal *cal;
	int64_t end = stop ? stop : now, due = 0;

	memset(k, 0, sizeof *k);
	k->target = target;
	if (target.unit == DUR_NONE) {
		/* No target, but the time is still measured in business
		 * time for the records (SLA-6). */
		k->elapsed = bizcal_between(cals->business, created, end,
					    pauses, npauses);
		k->stopped_at = stop;
		return;
	}
	cal = sla_calendar_for(cals, &target, &k->target_seconds);
	if (cal == NULL) {
		/* business_days as an SLA target: whole days, unpaused. */
		if (target.unit == DUR_BUSINESS_DAYS &&
		    bizcal_add_days(cals->business, &due, created,
				    (int)target.n, NULL) == 0) {
			k->elapsed = end - created;
			k->target_seconds = due - created;
		} else {
			return;
		}
	} else {
		k->elapsed = bizcal_between(cal, created, end, pauses, npauses);
		/* The instant the target is met, counting only past pauses
		 * (a pause still open has no end yet). */
		if (bizcal_add_seconds(cal, &due, created, k->target_seconds,
				       pauses, npauses, NULL))
			due = 0;
	}
	if (stop) {
		k->stopped_at = stop;
		k->state = k->elapsed <= k->target_seconds ? SLA_MET
							   : SLA_BREACHED;
		if (k->state == SLA_BREACHED)
			k->breached_at = due;
		return;
	}
	if (k->elapsed >= k->target_seconds) {
		k->state = SLA_BREACHED;
		k->breached_at = due;
		return;
	}
	k->state = paused_now ? SLA_PAUSED : SLA_RUNNING;
	if (paused_now)
		return;
	k->due = due;
	for (int i = 0; i < p->sla.nwarn && i < 8; i++) {
		int64_t w = 0;

		if (cal && bizcal_add_seconds(cal, &w, created,
					      k->target_seconds *
						      p->sla.warn_at[i] / 100,
					      pauses, npauses, NULL) == 0)
			k->warn_at[k->nwarn++] = w;
	}
}

int
sla_compute(struct sla_status *out, const struct policy *p,
	    const struct sla_calendars *cals, const struct sla_fact *facts,
	    size_t n, int plan, int64_t now, struct sp_err *err)
{
	struct bizcal_pause *wait = NULL, *res = NULL;
	size_t nwait = 0, nres = 0;
	int64_t created = 0, first_reply = 0, resolved = 0;
	int64_t wait_from = -1, res_from = -1;
	enum ticket_state st = TS_NEW;
	int priority = -1;
	bool response_done = false;

	memset(out, 0, sizeof *out);
	if (n == 0 || facts[0].kind != SLA_CREATED)
		return sp_err_set(err, SP_EINVAL, "history", "a ticket's "
				  "history must start with its creation");
	wait = calloc(n + 1, sizeof *wait);
	res = calloc(n + 1, sizeof *res);
	if (wait == NULL || res == NULL) {
		free(wait);
		free(res);
		return sp_err_set(err, SP_ENOMEM, "sla", "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const struct sla_fact *f = &facts[i];
		enum ticket_state next = st;

		switch (f->kind) {
		case SLA_CREATED:
			created = f->at;
			priority = f->priority;
			next = f->state;
			st = TS_COUNT; /* force the state logic below */
			break;
		case SLA_PRIORITY:
			priority = f->priority;
			continue;
		case SLA_AGENT_REPLY:
			if (!response_done) {
				first_reply = f->at;
				response_done = true;
			}
			continue;
		case SLA_STATE:
			next = f->state;
			break;
		}
		if (next == st)
			continue;
		/* SLA-3: both clocks stop in the pack's pause states. */
		{
			bool was = st < TS_COUNT && (p->sla.pause_mask & (1u << st));
			bool is = p->sla.pause_mask & (1u << next);

			if (!was && is)
				wait_from = f->at;
			if (was && !is && wait_from >= 0) {
				wait[nwait++] = (struct bizcal_pause){ wait_from, f->at };
				wait_from = -1;
			}
		}
		/* The resolution clock also stops while resolved; a reopen
		 * resumes it. Closed or merged ends it. */
		if (next == TS_RESOLVED || next == TS_CLOSED || next == TS_MERGED) {
			if (res_from < 0)
				res_from = f->at;
			resolved = res_from;
		} else if (res_from >= 0) {
			res[nres++] = (struct bizcal_pause){ res_from, f->at };
			res_from = -1;
			resolved = 0;
		}
		st = next;
	}
	if (priority < 0 || (size_t)priority >= p->npriorities) {
		free(wait);
		free(res);
		return sp_err_set(err, SP_EINVAL, "priority", "the history "
				  "names no priority of this pack");
	}
	out->priority = priority;
	/* A wait still going on counts as a pause up to now. */
	if (wait_from >= 0 && wait_from < now)
		wait[nwait++] = (struct bizcal_pause){ wait_from, now };
	/* First response: paused in pause states; stops at the first reply,
	 * or with resolution when no agent ever answered. */
	{
		int64_t stop = first_reply ? first_reply :
			       (resolved && res_from >= 0 ? resolved : 0);

		run_clock(&out->first_response, p, cals,
			  target_for(p, plan, priority, true), created, wait,
			  nwait, wait_from >= 0, stop, now);
	}
	/* Resolution: waits and resolved spells both stop it. */
	{
		struct bizcal_pause *all = calloc(nwait + nres + 1, sizeof *all);

		if (all == NULL) {
			free(wait);
			free(res);
			return sp_err_set(err, SP_ENOMEM, "sla", "out of memory");
		}
		memcpy(all, wait, nwait * sizeof *all);
		memcpy(all + nwait, res, nres * sizeof *all);
		run_clock(&out->resolution, p, cals,
			  target_for(p, plan, priority, false), created, all,
			  nwait + nres, wait_from >= 0,
			  res_from >= 0 ? res_from : 0, now);
		free(all);
	}
	free(wait);
	free(res);
	return 0;
}
