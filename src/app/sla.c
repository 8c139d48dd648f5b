/* sla.c — SLA clocks from the event log, the timers that act on them,
 * escalation (SLA-5) and the queue (SLA-4). */
#include "app_internal.h"

#include "../util/jflat.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string member of an event's body, "" when it has none (or not a
 * string); false when the body is not JSON. jflat reads the bodies our
 * writers write without a parse (a ticket's log is read at every
 * change to it); anything else jansson parses, as it always did. */
static bool
body_str(const char *body, const char *key, char *out, size_t size)
{
	json_t *j;
	const char *s;
	int rc = jflat_str(body, key, out, size);

	if (rc >= 0) {
		if (rc == 0)
			out[0] = '\0';
		return true;
	}
	if ((j = json_loads(body, 0, NULL)) == NULL)
		return false;
	s = json_string_value(json_object_get(j, key));
	str_copy(out, s ? s : "", size);
	json_decref(j);
	return true;
}

/* The fact an event makes, if any, in *f: 1 when it makes one. */
static int
fact_of(struct app *app, const struct event_row *e, struct sla_fact *f)
{
	char v[256];

	if (e->after == NULL)
		return 0;
	f->at = e->at;
	if (strcmp(e->action, "ticket.created") == 0) {
		if (!body_str(e->after, "state", v, sizeof v))
			return 0;
		f->kind = SLA_CREATED;
		f->state = (enum ticket_state)lifecycle_state_parse(v);
		body_str(e->after, "priority", v, sizeof v);
		f->priority = policy_priority_index(app->policy, v);
		return 1;
	}
	if (strcmp(e->action, "ticket.state") == 0) {
		int st = body_str(e->after, "state", v, sizeof v) ?
			 lifecycle_state_parse(v) : -1;

		f->kind = SLA_STATE;
		f->state = (enum ticket_state)st;
		return st >= 0;
	}
	if (strcmp(e->action, "ticket.priority") == 0) {
		if (!body_str(e->after, "priority", v, sizeof v))
			return 0;
		f->kind = SLA_PRIORITY;
		f->priority = policy_priority_index(app->policy, v);
		return f->priority >= 0;
	}
	if (strcmp(e->action, "message.added") == 0 &&
	    strcmp(e->actor_kind, "agent") == 0 &&
	    body_str(e->after, "kind", v, sizeof v) &&
	    strcmp(v, "public") == 0) {
		f->kind = SLA_AGENT_REPLY;
		return 1;
	}
	return 0;
}

/* Reads the facts the SLA engine needs out of a ticket's events. */
static int
facts_of(struct app *app, struct arena *a, int64_t ticket_id,
	 struct sla_fact **out, size_t *n, struct event_row **evs,
	 size_t *nev, struct sp_err *err)
{
	struct sla_fact *f;
	size_t k = 0;
	int rc;

	if ((rc = store_event_list(app->store, a, evs, nev, app->provider_id,
				   ticket_id, err)))
		return rc;
	f = arena_calloc(a, *nev + 1, sizeof *f);
	if (f == NULL)
		return sp_err_set(err, SP_ENOMEM, "sla", "out of memory");
	for (size_t i = 0; i < *nev; i++)
		k += (size_t)fact_of(app, &(*evs)[i], &f[k]);
	*out = f;
	*n = k;
	return 0;
}

/* The plan of the ticket's contract, for plan-specific targets and the
 * queue's plan rank (SLA-2, SLA-4); -1 without one. */
static int
plan_of(struct app *app, const struct ticket_row *t)
{
	struct contract_row c;
	struct arena a;
	int plan = -1;

	if (t->contract_id == 0)
		return -1;
	arena_init(&a, 0);
	if (store_contract_get(app->store, &a, &c, app->provider_id,
			       t->contract_id, NULL) == 0)
		plan = policy_plan_index(app->policy, c.plan);
	arena_free(&a);
	return plan;
}

int
app_ticket_sla(struct app *app, struct sla_status *out,
	       const struct ticket_row *t, int64_t now, struct sp_err *err)
{
	struct sla_fact *f;
	struct event_row *ev;
	struct arena a;
	size_t n, nev;
	int rc;

	arena_init(&a, 0);
	rc = facts_of(app, &a, t->id, &f, &n, &ev, &nev, err);
	if (rc == 0)
		rc = sla_compute(out, app->policy, &app->cals, f, n, plan_of(app, t),
				 now, err);
	arena_free(&a);
	return rc;
}

/* SLA-5: the ladder's level is how many escalations were recorded. */
static int
escalations(const struct event_row *ev, size_t n)
{
	int level = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].action, "ticket.escalated") == 0)
			level++;
	return level;
}

int
app_escalation_level(struct app *app, int64_t ticket_id)
{
	struct event_row *ev;
	struct arena a;
	size_t n;
	int level = 0;

	arena_init(&a, 0);
	if (store_event_list(app->store, &a, &ev, &n, app->provider_id,
			     ticket_id, NULL) == 0)
		level = escalations(ev, n);
	arena_free(&a);
	return level;
}

/* When the ticket entered its current state (for windows that start
 * then): the last state fact, or creation. */
static int64_t
state_since(const struct sla_fact *f, size_t n)
{
	int64_t since = 0;

	for (size_t i = 0; i < n; i++)
		if (f[i].kind == SLA_CREATED || f[i].kind == SLA_STATE)
			since = f[i].at;
	return since;
}

static int
add_timer(struct app *app, const struct ticket_row *t, const char *kind,
	  int64_t due, json_t *payload, struct sp_err *err)
{
	struct timer_row r = { 0 };
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	int rc;

	json_decref(payload);
	if (due <= 0 || due == INT64_MAX) {
		free(text);
		return 0;
	}
	r.provider_id = app->provider_id;
	r.ticket_id = t->id;
	r.kind = kind;
	r.due_at = due;
	r.payload = text;
	rc = store_timer_add(app->store, NULL, &r, err);
	free(text);
	return rc;
}

/* Whether an event of this action whose "after" holds every needle was
 * recorded already. */
static bool
recorded(const struct event_row *ev, size_t n, const char *action,
	 const char *needle, const char *needle2)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].action, action) == 0 && ev[i].after &&
		    (needle == NULL || strstr(ev[i].after, needle)) &&
		    (needle2 == NULL || strstr(ev[i].after, needle2)))
			return true;
	return false;
}

static const char *const clock_names[2] = { "first_response", "resolution" };

/* What the SLA clocks still have to do to a ticket: each warning of a
 * running clock (SLA-3), its breach, and past the first response's
 * breach the steps of the escalation ladder (SLA-5). One timer per
 * ticket waits for the earliest of them; when it runs, every action due
 * is done, once (the events say which were), and it waits again for
 * the next. Five timer rows a ticket, rewritten at each change, cost
 * an eighth of a ticket's creation. */
static int escalate_to(struct app *app, int64_t now, const struct actor *who,
		       const struct ticket_row *t, int level,
		       const char *reason, struct sp_err *err);

enum sla_act { SLA_ACT_WARN, SLA_ACT_BREACH, SLA_ACT_ESCALATE };

struct sla_action {
	enum sla_act act;
	int which;      /* 0 first response, 1 resolution */
	int value;      /* the warning's percent, the ladder's level */
	int64_t due;
};

#define SLA_ACTIONS_MAX 32

static bool
warned(const struct event_row *ev, size_t nev, int which, int percent)
{
	char p[32], c[48];

	snprintf(p, sizeof p, "\"percent\":%d", percent);
	snprintf(c, sizeof c, "\"clock\":\"%s\"", clock_names[which]);
	return recorded(ev, nev, "sla.warning", p, c);
}

static bool
breach_recorded(const struct event_row *ev, size_t nev, int which)
{
	char c[48];

	snprintf(c, sizeof c, "\"clock\":\"%s\"", clock_names[which]);
	return recorded(ev, nev, "sla.breached", c, NULL);
}

static void
push_action(struct sla_action *out, size_t *n, enum sla_act act, int which,
	    int value, int64_t due)
{
	if (due > 0 && due != INT64_MAX && *n < SLA_ACTIONS_MAX)
		out[(*n)++] = (struct sla_action){ act, which, value, due };
}

/* SLA-5's ladder: level L comes L target spans after creation, counted
 * on the target's calendar without the time the ticket was paused. */
static void
ladder_actions(struct app *app, const struct sla_clock *k,
	       const struct sla_fact *f, size_t nf, int level,
	       struct sla_action *out, size_t *n)
{
	const struct policy *p = app->policy;
	const struct bizcal *cal;
	struct bizcal_pause pz[64];
	size_t np = 0;
	int64_t secs, from = -1;

	cal = sla_calendar_for(&app->cals, &k->target, &secs);
	if (cal == NULL || nf == 0)
		return;
	for (size_t i = 0; i < nf && np < 64; i++) {
		bool paused;

		if (f[i].kind != SLA_CREATED && f[i].kind != SLA_STATE)
			continue;
		paused = p->sla.pause_mask & (1u << f[i].state);
		if (paused && from < 0)
			from = f[i].at;
		else if (!paused && from >= 0) {
			pz[np++] = (struct bizcal_pause){ from, f[i].at };
			from = -1;
		}
	}
	for (int l = level + 1 > 2 ? level + 1 : 2; l < p->sla.nladder; l++) {
		int64_t due;

		if (bizcal_add_seconds(cal, &due, f[0].at, secs * l, pz, np,
				       NULL))
			break;
		push_action(out, n, SLA_ACT_ESCALATE, 0, l, due);
	}
}

/* The ticket's SLA actions not yet done, each with when it comes due. */
static size_t
sla_actions(struct app *app, const struct sla_status *st,
	    const struct sla_fact *f, size_t nf, const struct event_row *ev,
	    size_t nev, struct sla_action *out)
{
	const struct policy *p = app->policy;
	const struct sla_clock *clocks[2] = { &st->first_response,
					      &st->resolution };
	size_t n = 0;

	for (int w = 0; w < 2; w++) {
		const struct sla_clock *k = clocks[w];
		bool running = k->state == SLA_RUNNING;
		bool overdue = k->state == SLA_BREACHED && k->stopped_at == 0;

		for (int i = 0; running && i < k->nwarn; i++)
			if (!warned(ev, nev, w, p->sla.warn_at[i]))
				push_action(out, &n, SLA_ACT_WARN, w,
					    p->sla.warn_at[i], k->warn_at[i]);
		if ((running || overdue) && !breach_recorded(ev, nev, w))
			push_action(out, &n, SLA_ACT_BREACH, w, 0,
				    running ? k->due : k->breached_at);
		if ((running || overdue) && w == 0 && p->sla.on_breach)
			ladder_actions(app, k, f, nf, escalations(ev, nev),
				       out, &n);
	}
	return n;
}

/* The ticket's one SLA timer, at its earliest action; from a run of
 * that timer (ran), only actions still to come: one due now that is
 * left was not for doing. A moment already past is taken as now, and
 * the second after when a timer that ran holds that one. */
static int
schedule_sla_timer(struct app *app, const struct ticket_row *t,
		   const struct sla_status *st, const struct sla_fact *f,
		   size_t nf, const struct event_row *ev, size_t nev,
		   int64_t now, bool ran, struct sp_err *err)
{
	struct sla_action acts[SLA_ACTIONS_MAX];
	size_t n = sla_actions(app, st, f, nf, ev, nev, acts);
	int64_t next = INT64_MAX;
	struct timer_row r = { 0 };
	bool written = false;
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((!ran || acts[i].due > now) && acts[i].due < next)
			next = acts[i].due;
	if (next == INT64_MAX)
		return 0;
	r.provider_id = app->provider_id;
	r.ticket_id = t->id;
	r.kind = "sla";
	r.due_at = next > now ? next : now;
	if ((rc = store_timer_add(app->store, &written, &r, err)) || written)
		return rc;
	r.due_at++;
	return store_timer_add(app->store, NULL, &r, err);
}

/* Does what is due of the ticket's SLA actions (a run of its timer). */
static int
sla_run(struct app *app, const struct ticket_row *t,
	const struct sla_status *st, const struct sla_fact *f, size_t nf,
	const struct event_row *ev, size_t nev, int64_t now,
	struct sp_err *err)
{
	const struct policy *p = app->policy;
	const struct sla_clock *fr = &st->first_response;
	struct sla_action acts[SLA_ACTIONS_MAX];
	size_t n = sla_actions(app, st, f, nf, ev, nev, acts);
	int level = escalations(ev, nev), rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct sla_action *x = &acts[i];
		const struct sla_clock *k = x->which ? &st->resolution : fr;
		const char *clock = clock_names[x->which];

		if (x->due > now)
			continue;
		if (x->act == SLA_ACT_WARN && k->state == SLA_RUNNING) {
			rc = app__event(app, now, &app_system, "ticket", t->id,
					t->id, "sla.warning", NULL,
					json_pack("{s:s, s:i, s:I}", "clock",
						  clock, "percent", x->value,
						  "due", (json_int_t)k->due),
					err);
		} else if (x->act == SLA_ACT_BREACH &&
			   k->state == SLA_BREACHED) {
			rc = app__event(app, now, &app_system, "ticket", t->id,
					t->id, "sla.breached", NULL,
					json_pack("{s:s, s:I}", "clock", clock,
						  "due", (json_int_t)k->breached_at),
					err);
			/* SLA-5: a missed target climbs the ladder. */
			if (rc == 0 && p->sla.on_breach && p->sla.nladder > 1 &&
			    level < 1) {
				rc = escalate_to(app, now, &app_system, t, 1,
						 "breach", err);
				level = 1;
			}
		} else if (x->act == SLA_ACT_ESCALATE &&
			   fr->state == SLA_BREACHED && fr->stopped_at == 0 &&
			   level < x->value) {
			rc = escalate_to(app, now, &app_system, t, x->value,
					 "breach", err);
			level = x->value;
		}
	}
	return rc;
}

int
app__schedule(struct app *app, const struct ticket_row *t, int64_t now,
	      struct sp_err *err)
{
	return app__schedule_sla(app, t, now, NULL, NULL, err);
}

/* Cancels the ticket's timers and sets those that now apply; ran: from
 * a run of its SLA timer (schedule_sla_timer). */
static int
schedule(struct app *app, const struct ticket_row *t, int64_t now, bool ran,
	 struct sla_status *out, bool *computed, struct sp_err *err)
{
	const struct windows_def *w = &app->policy->windows;
	struct sla_status st;
	struct sla_fact *f;
	struct event_row *ev;
	struct arena a;
	size_t n, nev;
	int64_t since;
	enum ticket_state state = (enum ticket_state)lifecycle_state_parse(t->state);
	int rc;

	if ((rc = store_timer_cancel(app->store, t->id, NULL, err)))
		return rc;
	if (!lifecycle_is_active(state))
		return 0;
	arena_init(&a, 0);
	if ((rc = facts_of(app, &a, t->id, &f, &n, &ev, &nev, err)) ||
	    (rc = sla_compute(&st, app->policy, &app->cals, f, n, plan_of(app, t),
			      now, err)))
		goto out;
	if (out) {
		*out = st;
		*computed = true;
	}
	since = state_since(f, n);
	if ((rc = schedule_sla_timer(app, t, &st, f, n, ev, nev, now, ran,
				     err)))
		goto out;
	if (state == TS_RESOLVED) {
		/* CLO-1: silence accepts (IdeaSys) or closes (Impera); the
		 * reopen window's end closes it too (EASI, CLO-3). */
		if (w->auto_accept.unit != DUR_NONE &&
		    (rc = add_timer(app, t, "auto_accept",
				    app__window_end(app, since, &w->auto_accept),
				    json_pack("{s:I}", "since", (json_int_t)since),
				    err)))
			goto out;
		const struct duration *closing = app__delivery_window(app, t,
				&w->auto_close_resolved);

		if (closing->unit != DUR_NONE &&
		    (rc = add_timer(app, t, "auto_close_resolved",
				    app__window_end(app, since, closing),
				    json_pack("{s:I}", "since", (json_int_t)since),
				    err)))
			goto out;
	}
	if (state == TS_WAITING_CUSTOMER) {
		/* CLO-2: contact attempts on business days, then close; or
		 * close after the waiting window. */
		if (w->contact_attempts > 0 && w->contact_every.unit != DUR_NONE) {
			int64_t at = since;

			for (int k = 1; k <= w->contact_attempts + 1; k++) {
				char kind[48];

				at = app__window_end(app, at, &w->contact_every);
				if (at == INT64_MAX)
					break;
				if (k <= w->contact_attempts)
					snprintf(kind, sizeof kind,
						 "contact_attempt:%d", k);
				else
					snprintf(kind, sizeof kind,
						 "auto_close_waiting");
				if ((rc = add_timer(app, t, kind, at,
						    json_pack("{s:I, s:i}", "since",
							      (json_int_t)since,
							      "attempt", k),
						    err)))
					goto out;
			}
		} else if (w->auto_close_waiting.unit != DUR_NONE &&
			   (rc = add_timer(app, t, "auto_close_waiting",
					   app__window_end(app, since,
							   &w->auto_close_waiting),
					   json_pack("{s:I}", "since",
						     (json_int_t)since),
					   err))) {
			goto out;
		}
	}
out:
	arena_free(&a);
	return rc;
}

int
app__schedule_sla(struct app *app, const struct ticket_row *t, int64_t now,
		  struct sla_status *out, bool *computed, struct sp_err *err)
{
	return schedule(app, t, now, false, out, computed, err);
}

int
app__reschedule_all(struct app *app, int64_t now, struct sp_err *err)
{
	struct ticket_filter f = { .active_only = true, .limit = 1000000 };
	struct ticket_row *rows;
	struct arena a;
	size_t n;
	int rc;

	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_ticket_list(app->store, &a, &rows, &n,
				    app->provider_id, &f, err)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((rc = app__schedule(app, &rows[i], now, err)))
			goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

/* ---- escalation (SLA-5) ------------------------------------------- */

static int
escalate_to(struct app *app, int64_t now, const struct actor *who,
	    const struct ticket_row *t, int level, const char *reason,
	    struct sp_err *err)
{
	const struct sla_def *s = &app->policy->sla;
	const char *role = level < s->nladder ?
		policy_role_name(s->ladder[level]) : "operations_manager";
	char msg[300];
	int rc;

	snprintf(msg, sizeof msg, "Escalado al nivel %d (%s) / Escalated to "
		 "level %d (%s)%s%s", level, role, level, role,
		 reason ? ": " : "", reason ? reason : "");
	if ((rc = app__message(app, NULL, now, t, "internal", "system", 0, NULL,
			       msg, err)))
		return rc;
	/* SLA-5: the people at that step hear of it by email. */
	{
		struct agent_row *ag;
		struct arena a;
		size_t n;
		char subject[400];

		snprintf(subject, sizeof subject, "[%s] Escalado a %s: %.250s",
			 t->folio, role, t->subject);
		arena_init(&a, 0);
		if (store_agent_list(app->store, &a, &ag, &n, app->provider_id,
				     NULL) == 0)
			for (size_t i = 0; i < n && rc == 0; i++)
				if (ag[i].active && strcmp(ag[i].role, role) == 0)
					rc = app__notify_address(app, now, t->id,
								 "escalation",
								 ag[i].email,
								 ag[i].name,
								 subject, msg,
								 NULL, err);
		arena_free(&a);
		if (rc)
			return rc;
	}
	return app__event(app, now, who, "ticket", t->id, t->id,
			  "ticket.escalated", NULL,
			  json_pack("{s:i, s:s, s:s?}", "level", level, "role",
				    role, "reason", reason), err);
}

int
app_ticket_escalate(struct app *app, int64_t now, const struct actor *who,
		    const char *key, const char *reason, struct sp_err *err)
{
	const struct sla_def *s = &app->policy->sla;
	struct ticket_row t;
	struct arena a;
	int rc, level;

	if ((rc = app__text("reason", reason, false, true, 2000, err)))
		return rc;
	if (s->nladder < 2)
		return sp_err_set(err, SP_ECONFLICT, "escalation", "%s has no "
				  "escalation ladder",
				  app->policy->provider.short_name);
	if (strcmp(who->kind, "contact") == 0 && !s->customer_may_request)
		return sp_err_set(err, SP_EINVAL, "escalation", "%s does not "
				  "take escalation requests from customers",
				  app->policy->provider.short_name);
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_ticket_find(app->store, &a, &t, app->provider_id, key,
				    err)))
		goto fail;
	if (strcmp(who->kind, "contact") == 0) {
		struct contact_row c;

		if (store_contact_get(app->store, &a, &c, app->provider_id,
				      who->id, NULL) ||
		    (c.organization_id ? c.organization_id != t.organization_id
				       : c.id != t.contact_id)) {
			rc = sp_err_set(err, SP_ENOTFOUND, "ticket",
					"no ticket '%s'", key);
			goto fail;
		}
	}
	if (!lifecycle_is_active(lifecycle_state_parse(t.state))) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "ticket %s is %s",
				t.folio, t.state);
		goto fail;
	}
	level = app_escalation_level(app, t.id) + 1;
	if (level >= s->nladder) {
		rc = sp_err_set(err, SP_ECONFLICT, "escalation", "ticket %s is "
				"already at the top of the ladder (%s)", t.folio,
				policy_role_name(s->ladder[s->nladder - 1]));
		goto fail;
	}
	if ((rc = escalate_to(app, now, who, &t, level,
			      reason ? reason : "requested", err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

/* ---- timers ------------------------------------------------------- */

static int
run_timer(struct app *app, struct arena *a, const struct timer_row *tm,
	  int64_t now, struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct ticket_row t;
	struct sla_status st;
	struct sla_fact *f;
	struct event_row *ev;
	size_t n, nev;
	json_t *pl = tm->payload ? json_loads(tm->payload, 0, NULL) : NULL;
	int64_t since = pl ? json_integer_value(json_object_get(pl, "since")) : 0;
	enum ticket_state state;
	int rc;

	if (strcmp(tm->kind, "quote_expiry") == 0 ||
	    strncmp(tm->kind, "invoice_", 8) == 0) {
		rc = app__document_timer(app, a, tm->kind,
			json_integer_value(json_object_get(pl,
				tm->kind[0] == 'q' ? "quote_id" : "invoice_id")),
			now, err);
		goto out;
	}
	if (strcmp(tm->kind, "contract_expiry") == 0) {
		rc = app__contract_expire(app, a, now,
			json_integer_value(json_object_get(pl, "contract_id")),
			err);
		goto out;
	}
	if ((rc = store_ticket_get(app->store, a, &t, app->provider_id,
				   tm->ticket_id, err)) ||
	    (rc = facts_of(app, a, t.id, &f, &n, &ev, &nev, err)) ||
	    (rc = sla_compute(&st, p, &app->cals, f, n, plan_of(app, &t), now, err)))
		goto out;
	state = (enum ticket_state)lifecycle_state_parse(t.state);
	/* A timer whose moment has passed (the ticket changed) does
	 * nothing: the change rescheduled what still applies. */
	if (!lifecycle_is_active(state))
		goto out;
	/* "sla"; sla_warn:*, sla_breach:* and escalate:* are the timers of
	 * databases from before there was one SLA timer per ticket. */
	if (strncmp(tm->kind, "sla", 3) == 0 ||
	    strncmp(tm->kind, "escalate:", 9) == 0) {
		if ((rc = sla_run(app, &t, &st, f, n, ev, nev, now, err)) == 0)
			rc = schedule(app, &t, now, true, NULL, NULL, err);
	} else if (since != state_since(f, n)) {
		/* auto_accept, auto_close_*, contact_attempt: only if the
		 * ticket still is where the window began. */
	} else if (strcmp(tm->kind, "auto_accept") == 0 && state == TS_RESOLVED) {
		/* CLO-1: no written answer in time means accepted. */
		rc = app__act(app, a, now, &app_system, &t, TA_CONFIRM,
			      &(struct transition_args){ .reason =
				      "Aceptado sin respuesta del cliente / "
				      "Accepted: no answer from the customer" },
			      err);
	} else if (strcmp(tm->kind, "auto_close_resolved") == 0 &&
		   state == TS_RESOLVED) {
		rc = app__act(app, a, now, &app_system, &t, TA_CLOSE,
			      &(struct transition_args){ .reason =
				      "Cerrado automáticamente al vencer el "
				      "plazo / Closed automatically when the "
				      "window ended" }, err);
	} else if (strncmp(tm->kind, "contact_attempt:", 16) == 0 &&
		   state == TS_WAITING_CUSTOMER) {
		/* CLO-2: an attempt to reach the customer, saying how long
		 * the ticket will wait before it is closed. */
		char msg[400], when[32];
		int k = (int)json_integer_value(json_object_get(pl, "attempt"));
		int64_t close_at = since;

		for (int i = 0; i <= p->windows.contact_attempts; i++)
			close_at = app__window_end(app, close_at,
						   &p->windows.contact_every);
		zone_format(app->zone, close_at, when);
		snprintf(msg, sizeof msg, "Intento de contacto %d de %d: "
			 "seguimos esperando su información. Si no la "
			 "recibimos, el ticket se cerrará el %s. / Contact "
			 "attempt %d of %d: we are still waiting for your "
			 "information; without it the ticket closes on %s.",
			 k, p->windows.contact_attempts, when, k,
			 p->windows.contact_attempts, when);
		rc = app__message(app, NULL, now, &t, "public", "system", 0,
				  NULL, msg, err);
	} else if (strcmp(tm->kind, "auto_close_waiting") == 0 &&
		   state == TS_WAITING_CUSTOMER) {
		rc = app__act(app, a, now, &app_system, &t, TA_CLOSE,
			      &(struct transition_args){ .reason =
				      "Cerrado por falta de respuesta del "
				      "cliente / Closed: no answer from the "
				      "customer" }, err);
	}
out:
	json_decref(pl);
	return rc;
}

int
app_tick(struct app *app, struct tick_report *out, int64_t now,
	 struct sp_err *err)
{
	memset(out, 0, sizeof *out);
	for (;;) {
		struct timer_row *due;
		struct arena a;
		size_t n;
		int rc;

		arena_init(&a, 0);
		if ((rc = store_timer_due(app->store, &a, &due, &n,
					  app->provider_id, now, 100, err))) {
			arena_free(&a);
			return rc;
		}
		if (n == 0) {
			arena_free(&a);
			return 0;
		}
		for (size_t i = 0; i < n; i++) {
			struct sp_err e = { 0 };
			bool claimed = false;

			if ((rc = app__begin(app, err))) {
				arena_free(&a);
				return rc;
			}
			/* Claim first: a second tick finds it taken. */
			if (store_timer_finish(app->store, &claimed, due[i].id,
					       "done", now, &e) || !claimed) {
				app__rollback(app);
				out->skipped++;
				continue;
			}
			if (run_timer(app, &a, &due[i], now, &e) ||
			    store_commit(app->store, &e)) {
				app__rollback(app);
				/* A timer that fails is marked so it does not
				 * spin; the failure is counted and logged. */
				if (store_begin(app->store, NULL) == 0) {
					store_timer_finish(app->store, &claimed,
							   due[i].id, "cancelled",
							   now, NULL);
					app__event(app, now, &app_system, "timer",
						   due[i].id, due[i].ticket_id,
						   "timer.failed", NULL,
						   json_pack("{s:s, s:s}", "kind",
							     due[i].kind, "error",
							     e.msg), NULL);
					store_commit(app->store, NULL);
				}
				out->failed++;
				continue;
			}
			out->run++;
		}
		arena_free(&a);
	}
}

/* ---- the queue (SLA-4) -------------------------------------------- */

static int64_t
nearest_due(const struct sla_status *s)
{
	int64_t a = s->first_response.state == SLA_RUNNING ?
		    s->first_response.due : 0;
	int64_t b = s->resolution.state == SLA_RUNNING ? s->resolution.due : 0;

	if (a && b)
		return a < b ? a : b;
	return a ? a : b;
}

static int
cmp_queue(const void *x, const void *y)
{
	const struct queue_item *a = x, *b = y;
	const struct sla_def *s = a->order;

	for (int i = 0; i < s->nqueue; i++) {
		switch (s->queue[i]) {
		case QKEY_PLAN_RANK:
			if (a->plan_rank != b->plan_rank)
				return b->plan_rank - a->plan_rank;
			break;
		case QKEY_PRIORITY:
			if (a->sla.priority != b->sla.priority)
				return a->sla.priority - b->sla.priority;
			break;
		case QKEY_DUE:
			/* Breached first, then by due; a waiting ticket (no
			 * due while paused) after those that run. */
			if ((a->warn == 2) != (b->warn == 2))
				return a->warn == 2 ? -1 : 1;
			if (!a->due != !b->due)
				return a->due ? -1 : 1;
			if (a->due != b->due)
				return a->due < b->due ? -1 : 1;
			break;
		case QKEY_CREATED:
			if (a->t.created_at != b->t.created_at)
				return a->t.created_at < b->t.created_at ? -1 : 1;
			break;
		}
	}
	return a->t.id < b->t.id ? -1 : a->t.id > b->t.id;
}

int
app_queue(struct app *app, struct arena *a, struct queue_item **out,
	  size_t *n, int64_t now, struct sp_err *err)
{
	struct ticket_filter f = { .active_only = true, .limit = 100000 };
	struct ticket_row *rows;
	struct queue_item *items;
	size_t cnt;
	int rc;

	if ((rc = store_ticket_list(app->store, a, &rows, &cnt,
				    app->provider_id, &f, err)))
		return rc;
	items = arena_calloc(a, cnt + 1, sizeof *items);
	if (items == NULL)
		return sp_err_set(err, SP_ENOMEM, "queue", "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		struct queue_item *q = &items[i];

		q->t = rows[i];
		if ((rc = app_ticket_sla(app, &q->sla, &rows[i], now, err)))
			return rc;
		q->due = nearest_due(&q->sla);
		/* Time left on the clock of that due instant, in its own
		 * business time (not the wall clock's). */
		if (q->due) {
			const struct sla_clock *k =
				q->sla.first_response.due == q->due ?
				&q->sla.first_response : &q->sla.resolution;

			q->remaining = k->target_seconds - k->elapsed;
		}
		if (q->sla.first_response.state == SLA_BREACHED ||
		    q->sla.resolution.state == SLA_BREACHED)
			q->warn = 2;
		else {
			for (int w = 0; w < q->sla.first_response.nwarn; w++)
				if (q->sla.first_response.warn_at[w] <= now)
					q->warn = 1;
			for (int w = 0; w < q->sla.resolution.nwarn; w++)
				if (q->sla.resolution.warn_at[w] <= now)
					q->warn = 1;
		}
		q->escalation = app_escalation_level(app, rows[i].id);
		{
			int plan = plan_of(app, &rows[i]);

			q->plan_rank = plan >= 0 ? app->policy->plans[plan].rank : 0;
		}
		q->order = &app->policy->sla;
	}
	qsort(items, cnt, sizeof *items, cmp_queue);
	*out = items;
	*n = cnt;
	return 0;
}
