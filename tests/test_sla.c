/* test_sla.c — SLA- and CLO- rules with timings, per pack, on real
 * SQLite files: clocks from the event log, timers run by tick. */
#include "../src/app/app.h"
#include "../src/store/store.h"
#include "fixture.h"
#include "test.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

struct world {
	struct app *app;
	struct actor agent, customer;
};

/* A provider from `pack`, one customer and one agent. */
static bool
world(struct world *w, const char *pack, int64_t now)
{
	struct sp_err err = { 0 };
	struct contact_input c = { "Ferretería López", "Luis", "López",
				   "222 555 0101", NULL, "luis@ferre.mx", NULL };
	int64_t id;

	memset(w, 0, sizeof *w);
	w->app = fx_app(pack, now);
	if (w->app == NULL)
		return false;
	if (app_org_add(w->app, NULL, now, &app_system, "Ferretería López",
			NULL, &err) ||
	    app_contact_add(w->app, &id, now, &app_system, &c, &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->customer = (struct actor){ "contact", id };
	if (app_agent_add(w->app, &id, now, &app_system, "Ana Torres",
			  "ana@prov.mx", "agent", &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->agent = (struct actor){ "agent", id };
	return true;
}

/* Opens a complete request for the world's pack. */
static int
open_ticket_in(struct world *w, struct ticket_opened *o, int64_t at,
	       const char *priority, const char *channel, const char *category)
{
	struct ticket_input in = { 0 };
	static const char *const names[] = { "steps", "module", "system",
		"system_version", "os_version" };
	struct sp_err err = { 0 };
	const struct policy *p = w->app->policy;
	int rc;

	in.contact = "luis@ferre.mx";
	in.channel = channel;
	in.priority = priority;
	/* INT-3: Impera asks for a category. */
	in.category = category ? category : p->categories[0].id;
	in.subject = "El sistema no abre";
	in.description = "Desde hoy marca error al iniciar.";
	for (int i = 0; i < 5; i++)
		if (p->required & (1u << (RF_STEPS + (i ? i + 1 : 0)))) {
			in.field_names[in.nfields] = names[i];
			in.field_values[in.nfields++] = "x";
		}
	in.files[0] = (struct ticket_file){ "e.png", "image/png", png,
					    sizeof png };
	in.nfiles = 1;
	rc = app_ticket_open(w->app, o, at, &w->customer, &in, &err);
	if (rc)
		t_fail(__FILE__, __LINE__, "open: %s", err.msg);
	return rc;
}

static int
open_ticket(struct world *w, struct ticket_opened *o, int64_t at,
	    const char *priority, const char *channel)
{
	return open_ticket_in(w, o, at, priority, channel, NULL);
}

static struct sla_status
sla_at(struct world *w, const char *folio, int64_t now)
{
	struct sla_status st = { 0 };
	struct ticket_row t;
	struct arena a;

	arena_init(&a, 0);
	if (store_ticket_find(w->app->store, &a, &t, w->app->provider_id,
			      folio, NULL) == 0)
		app_ticket_sla(w->app, &st, &t, now, NULL);
	arena_free(&a);
	return st;
}

static void
state_of(struct world *w, const char *folio, char out[32])
{
	struct ticket_row t;
	struct arena a;

	arena_init(&a, 0);
	out[0] = '\0';
	if (store_ticket_find(w->app->store, &a, &t, w->app->provider_id,
			      folio, NULL) == 0)
		snprintf(out, 32, "%s", t.state);
	arena_free(&a);
}

static int
count_action(struct world *w, const char *folio, const char *action)
{
	struct ticket_view v;
	struct arena a;
	int n = 0;

	arena_init(&a, 0);
	if (app_ticket_view(w->app, &a, &v, folio, NULL) == 0)
		for (size_t i = 0; i < v.nevents; i++)
			if (strcmp(v.events[i].action, action) == 0)
				n++;
	arena_free(&a);
	return n;
}

static void
tick(struct world *w, int64_t now)
{
	struct tick_report r;

	if (app_tick(w->app, &r, now, NULL) || r.failed)
		t_fail(__FILE__, __LINE__, "tick failed");
}

/* SLA-2 (Intecnia): severity 2, 10 business hours, opened Friday 18:30
 * before the long weekend of Monday 16 March: 30 min Friday, 8 h
 * Tuesday, 90 min Wednesday. */
static void
test_sla2_intecnia_sev2_friday_before_long_weekend(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;

	CHECK(world(&w, "intecnia", fx_at("2026-03-13T18:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-13T18:30:00-06:00"),
			      "sev2", "email"), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-16T12:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_RUNNING);
	CHECK_INT(st.first_response.due, fx_at("2026-03-18T10:30:00-06:00"));
	CHECK_INT(st.first_response.elapsed, 30 * 60);
	CHECK_INT(st.resolution.state, SLA_NONE);
	app_close(w.app);
}

/* SLA-2 (EASI): high priority, first contact in 1 business hour, opened
 * at 17:45: 15 minutes Monday, 45 Tuesday morning. */
static void
test_sla2_easi_high_at_1745(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;
	struct sp_err err = { 0 };

	CHECK(world(&w, "easi", fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-05-04T17:45:00-06:00"),
			      "high", "web"), 0);
	CHECK_STR(o.state, "new");
	st = sla_at(&w, o.folio, fx_at("2026-05-04T20:00:00-06:00"));
	CHECK_INT(st.first_response.due, fx_at("2026-05-05T09:45:00-06:00"));
	/* Answered at 09:40 Tuesday: met, with 55 business minutes used. */
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-05-05T09:40:00-06:00"),
				   &w.agent, o.folio, "Lo revisamos", false,
				   &err), 0);
	st = sla_at(&w, o.folio, fx_at("2026-05-06T12:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_MET);
	CHECK_INT(st.first_response.elapsed, 55 * 60);
	app_close(w.app);
}

/* SLA-3 (Impera): high, 24 h of business days; waiting on the customer
 * from Thursday noon over the weekend and the Monday holiday until
 * Tuesday 09:00: the clock stops, then goes on. */
static void
test_sla3_impera_waiting_over_holiday(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;
	struct sp_err err = { 0 };

	CHECK(world(&w, "impera", fx_at("2026-03-12T09:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-12T10:00:00-06:00"),
			      "alta", "web"), 0);
	/* Set to wait with no public message (access was arranged by
	 * phone): a message to the customer would itself be the first
	 * response. */
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, o.folio, TA_WAIT_CUSTOMER, NULL,
				 &err), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-16T12:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_PAUSED);
	CHECK_INT(st.first_response.elapsed, 2 * 3600);
	CHECK_INT(st.first_response.due, 0);
	/* The customer's reply resumes the clock (SLA-3). */
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-17T09:00:00-06:00"),
				   &w.customer, o.folio, "Adjunto la captura",
				   false, &err), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-17T10:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_RUNNING);
	/* 22 h left from Tuesday 09:00: 15 h Tuesday, 7 h Wednesday. */
	CHECK_INT(st.first_response.due, fx_at("2026-03-18T07:00:00-06:00"));
	app_close(w.app);
}

/* SLA-2 (IdeaSys): 72 h resolution counted on business days. */
static void
test_sla2_ideasys_72h_on_business_days(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;

	CHECK(world(&w, "ideasys", fx_at("2026-03-13T09:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-13T10:00:00-06:00"),
			      NULL, "phone"), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-13T11:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_NONE);
	/* Friday 14 h, Tuesday 24, Wednesday 24, Thursday 10. */
	CHECK_INT(st.resolution.due, fx_at("2026-03-19T10:00:00-06:00"));
	app_close(w.app);
}

/* SLA-2, SLA-5: a raised priority moves the due instant; elapsed time
 * is kept. */
static void
test_sla2_priority_change_recomputes(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;
	struct sp_err err = { 0 };

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev4", "email"), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-10T09:30:00-06:00"));
	/* 24 business hours: three whole 8-hour days. */
	CHECK_INT(st.first_response.due, fx_at("2026-03-12T19:00:00-06:00"));
	CHECK_INT(app_ticket_set_priority(w.app, fx_at("2026-03-10T11:00:00-06:00"),
					  &w.customer, o.folio, "sev1",
					  "Paró la facturación", &err), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-10T11:30:00-06:00"));
	CHECK_INT(st.first_response.target_seconds, 8 * 3600);
	CHECK_INT(st.first_response.due, fx_at("2026-03-10T19:00:00-06:00"));
	app_close(w.app);
}

/* SLA-5 (Intecnia): agents are warned before a breach; a missed target
 * escalates to the quality lead, twice the target to operations; each
 * once, however often tick runs. */
static void
test_sla5_warnings_breach_and_escalation(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	/* 50 % of 8 business hours: 13:00. */
	tick(&w, fx_at("2026-03-10T13:00:00-06:00"));
	CHECK_INT(count_action(&w, o.folio, "sla.warning"), 1);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 0);
	tick(&w, fx_at("2026-03-10T18:59:59-06:00"));
	CHECK_INT(count_action(&w, o.folio, "sla.warning"), 3);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 0);
	tick(&w, fx_at("2026-03-10T19:00:00-06:00"));
	tick(&w, fx_at("2026-03-10T19:00:00-06:00"));
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 1);
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	/* The quality lead hears of it by email (SLA-5). */
	{
		struct outbox_row *ob;
		struct arena a;
		size_t n;
		int to_lead = 0;

		CHECK_INT(app_agent_add(w.app, NULL, fx_at("2026-03-10T08:00:00-06:00"),
					&app_system, "Carla", "carla@prov.mx",
					"quality_lead", &err), 0);
		arena_init(&a, 0);
		CHECK_INT(store_outbox_list(w.app->store, &a, &ob, &n,
					    w.app->provider_id, o.id, NULL), 0);
		for (size_t i = 0; i < n; i++)
			if (strcmp(ob[i].kind, "escalation") == 0)
				to_lead++;
		/* Carla was added after the breach: nobody held the role. */
		CHECK_INT(to_lead, 0);
		arena_free(&a);
	}
	/* Twice the target: Wednesday 19:00. */
	tick(&w, fx_at("2026-03-11T18:00:00-06:00"));
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	tick(&w, fx_at("2026-03-11T19:00:00-06:00"));
	CHECK_INT(app_escalation_level(w.app, o.id), 2);
	/* Level 2 is operations; add one and escalate a new ticket. */
	{
		struct ticket_opened o2;
		struct outbox_row *ob;
		struct arena a;
		size_t n;
		int to_lead = 0;

		CHECK_INT(open_ticket(&w, &o2, fx_at("2026-03-12T09:00:00-06:00"),
				      "sev3", "email"), 0);
		CHECK_INT(app_ticket_escalate(w.app, fx_at("2026-03-12T10:00:00-06:00"),
					      &w.customer, o2.folio, "Sin avance",
					      &err), 0);
		arena_init(&a, 0);
		CHECK_INT(store_outbox_list(w.app->store, &a, &ob, &n,
					    w.app->provider_id, o2.id, NULL), 0);
		for (size_t i = 0; i < n; i++)
			if (strcmp(ob[i].kind, "escalation") == 0) {
				to_lead++;
				CHECK_STR(ob[i].to_addr, "carla@prov.mx");
				CHECK_HAS(ob[i].subject, o2.folio);
			}
		CHECK_INT(to_lead, 1);
		arena_free(&a);
	}
	/* The top of the ladder: no further step, by request either. */
	CHECK_INT(app_ticket_escalate(w.app, fx_at("2026-03-11T19:05:00-06:00"),
				      &w.customer, o.folio, "Urgente", &err),
		  SP_ECONFLICT);
	app_close(w.app);
}

/* SLA-5: one SLA timer per ticket waits for its next action. A priority
 * raised in the very second that timer ran (so a timer that ran holds
 * that moment) puts the breach in the past: it still comes, at the
 * next tick, and climbs the ladder once. */
static void
test_sla5_breach_after_priority_raised_as_timer_ran(void)
{
	struct world w;
	struct ticket_opened o;
	struct sla_status st;
	struct sp_err err = { 0 };
	int64_t half;

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev4", "email"), 0);
	st = sla_at(&w, o.folio, fx_at("2026-03-10T09:00:00-06:00"));
	half = st.first_response.warn_at[0];
	CHECK(half > fx_at("2026-03-10T19:00:00-06:00"));
	tick(&w, half);
	CHECK_INT(count_action(&w, o.folio, "sla.warning"), 1);
	/* sev1's 8 business hours ended before 12 of sev4's did. */
	CHECK_INT(app_ticket_set_priority(w.app, half, &w.agent, o.folio,
					  "sev1", "Se detuvo la facturación",
					  &err), 0);
	CHECK_INT(sla_at(&w, o.folio, half).first_response.state,
		  SLA_BREACHED);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 0);
	tick(&w, half + 1);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 1);
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	tick(&w, half + 3600);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 1);
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	app_close(w.app);
}

/* SLA-5: the customer may ask for escalation where the pack allows it
 * (Intecnia), not where it does not (Impera). */
static void
test_sla5_customer_asks_for_escalation(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev3", "email"), 0);
	CHECK_INT(app_ticket_escalate(w.app, fx_at("2026-03-10T10:00:00-06:00"),
				      &w.customer, o.folio, "Sin avance", &err), 0);
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	app_close(w.app);
	CHECK(world(&w, "impera", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "media", "web"), 0);
	CHECK(app_ticket_escalate(w.app, fx_at("2026-03-10T10:00:00-06:00"),
				  &w.customer, o.folio, NULL, &err) != 0);
	app_close(w.app);
}

/* Two tick processes at once on one database act once. */
static void
test_tick_concurrent_runs_act_once(void)
{
	struct world w;
	struct ticket_opened o;
	pid_t kids[2];

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	app_close(w.app);
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct app *app;
			struct tick_report r;

			if (app_open(&app, fx_path("t.db"), "intecnia", NULL))
				_exit(2);
			if (app_tick(app, &r, fx_at("2026-03-12T12:00:00-06:00"),
				     NULL))
				_exit(3);
			app_close(app);
			_exit(0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int st;

		CHECK(waitpid(kids[k], &st, 0) == kids[k]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK_INT(app_open(&w.app, fx_path("t.db"), "intecnia", NULL), 0);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 1);
	/* Warnings whose moment passed unseen are not sent after the
	 * breach: they would only be noise. */
	CHECK_INT(count_action(&w, o.folio, "sla.warning"), 0);
	CHECK_INT(count_action(&w, o.folio, "ticket.escalated"), 2);
	app_close(w.app);
}

/* CLO-1 (IdeaSys): no written answer in 24 h means accepted. */
static void
test_clo1_ideasys_auto_accept_24h(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "ideasys", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      NULL, "email"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, o.folio, TA_RESOLVE, NULL, &err), 0);
	tick(&w, fx_at("2026-03-11T11:59:59-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "resolved");
	tick(&w, fx_at("2026-03-11T12:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "closed");
	/* The customer is told by email why it closed. */
	{
		struct arena a;
		struct outbox_row *r;
		size_t n = 0;
		bool told = false;

		arena_init(&a, 1 << 20);
		CHECK_INT(store_outbox_list(w.app->store, &a, &r, &n,
					    w.app->provider_id, o.id, &err), 0);
		for (size_t i = 0; i < n; i++)
			if (strstr(r[i].body, "Accepted: no answer"))
				told = true;
		arena_free(&a);
		CHECK(told);
	}
	app_close(w.app);
}

/* SCH-7 (Impera): a customer who sent a password for the remote session
 * is reminded to change it when the ticket is resolved, by email, with
 * the password itself masked; a ticket without one gets no reminder. */
static bool
has_reminder(struct world *w, const char *folio, int64_t ticket_id)
{
	struct ticket_view v;
	struct outbox_row *r;
	struct sp_err err = { 0 };
	struct arena a;
	size_t n = 0;
	bool on_ticket = false, mailed = false;

	arena_init(&a, 1 << 20);
	if (app_ticket_view(w->app, &a, &v, folio, &err) == 0)
		for (size_t i = 0; i < v.nmessages; i++)
			if (strstr(v.messages[i].body, "cambiar de inmediato las "
				   "contraseñas"))
				on_ticket = true;
	if (store_outbox_list(w->app->store, &a, &r, &n, w->app->provider_id,
			      ticket_id, &err) == 0)
		for (size_t i = 0; i < n; i++) {
			if (strstr(r[i].body, "cambiar de inmediato"))
				mailed = true;
			if (strstr(r[i].body, "Xy12!"))
				t_fail(__FILE__, __LINE__, "password in outbox");
		}
	arena_free(&a);
	return on_ticket && mailed;
}

static void
test_sch7_impera_credential_reminder_on_resolve(void)
{
	struct world w;
	struct ticket_opened a, b;
	struct sp_err err = { 0 };

	CHECK(world(&w, "impera", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &a, fx_at("2026-03-10T09:00:00-06:00"),
			      "media", "web"), 0);
	CHECK_INT(open_ticket(&w, &b, fx_at("2026-03-10T09:00:00-06:00"),
			      "media", "web"), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-10T09:30:00-06:00"),
				   &w.customer, a.folio, "TeamViewer 482 915 337, "
				   "contraseña: Xy12!", false, &err), 0);
	CHECK(!has_reminder(&w, a.folio, a.id));
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, a.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, b.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK(has_reminder(&w, a.folio, a.id));
	CHECK(!has_reminder(&w, b.folio, b.id));
	app_close(w.app);
}

/* CLO-1 (Impera): no answer in 48 h closes; any reply keeps it open. */
static void
test_clo1_impera_reply_keeps_open(void)
{
	struct world w;
	struct ticket_opened a, b;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "impera", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &a, fx_at("2026-03-10T09:00:00-06:00"),
			      "media", "web"), 0);
	CHECK_INT(open_ticket(&w, &b, fx_at("2026-03-10T09:00:00-06:00"),
			      "media", "web"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, a.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, b.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-11T10:00:00-06:00"),
				   &w.customer, b.folio, "Sigue fallando",
				   false, &err), 0);
	tick(&w, fx_at("2026-03-12T12:00:00-06:00"));
	state_of(&w, a.folio, st);
	CHECK_STR(st, "closed");
	state_of(&w, b.folio, st);
	CHECK_STR(st, "open");
	app_close(w.app);
}

/* CLO-2 (Intecnia): three contact attempts on business days, saying
 * when the ticket will close, then closed. */
static void
test_clo2_intecnia_three_attempts_then_close(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct ticket_view v;
	struct arena a;
	char st[32];
	int attempts = 0;

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev3", "email"), 0);
	/* Waiting from Thursday 12:00: attempts Friday, Tuesday (Monday
	 * is a holiday), Wednesday; closed Thursday 12:00. */
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, o.folio, TA_WAIT_CUSTOMER, NULL,
				 &err), 0);
	tick(&w, fx_at("2026-03-17T12:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "waiting_customer");
	tick(&w, fx_at("2026-03-18T12:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "waiting_customer");
	tick(&w, fx_at("2026-03-19T12:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "closed");
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(w.app, &a, &v, o.folio, &err), 0);
	for (size_t i = 0; i < v.nmessages; i++)
		if (strstr(v.messages[i].body, "Intento de contacto")) {
			attempts++;
			CHECK_HAS(v.messages[i].body, "2026-03-19T12:00:00-06:00");
		}
	CHECK_INT(attempts, 3);
	arena_free(&a);
	app_close(w.app);
}

/* CLO-2 (Impera): waiting 48 h without an answer closes the ticket. */
static void
test_clo2_impera_waiting_48h_closes(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "impera", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "baja", "web"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T10:00:00-06:00"),
				 &w.agent, o.folio, TA_WAIT_CUSTOMER, NULL,
				 &err), 0);
	tick(&w, fx_at("2026-03-12T09:59:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "waiting_customer");
	tick(&w, fx_at("2026-03-12T10:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "closed");
	app_close(w.app);
}

/* CLO-3 (EASI): 3 business days to reopen, then closed automatically. */
static void
test_clo3_easi_reopen_window_business_days(void)
{
	struct world w;
	struct ticket_opened a, b;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "easi", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &a, fx_at("2026-03-11T09:00:00-06:00"),
			      "medium", "email"), 0);
	CHECK_INT(open_ticket(&w, &b, fx_at("2026-03-11T09:00:00-06:00"),
			      "medium", "email"), 0);
	/* Resolved Thursday 12:00: the window runs to Wednesday 12:00
	 * (Friday, Tuesday, Wednesday; Monday 16 is a holiday). */
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, a.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, b.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-18T11:59:00-06:00"),
				 &w.customer, a.folio, TA_REOPEN, NULL, &err), 0);
	state_of(&w, a.folio, st);
	CHECK_STR(st, "open");
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-18T12:01:00-06:00"),
				 &w.customer, b.folio, TA_REOPEN, NULL, &err),
		  SP_ECONFLICT);
	CHECK_HAS(err.msg, "CLO-3");
	tick(&w, fx_at("2026-03-18T12:00:00-06:00"));
	state_of(&w, b.folio, st);
	CHECK_STR(st, "closed");
	app_close(w.app);
}

/* CLO-5 (EASI): a delivered programming project has 20 business days
 * for defects: a report on day 10 reopens it where a support ticket's 3
 * days would have passed; without a report it closes on day 20. */
static void
test_clo5_easi_project_defects_20_business_days(void)
{
	struct world w;
	struct ticket_opened s, p, q;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "easi", fx_at("2026-04-01T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &s, fx_at("2026-04-06T09:00:00-06:00"),
			      "medium", "email"), 0);
	CHECK_INT(open_ticket_in(&w, &p, fx_at("2026-04-06T09:00:00-06:00"),
				 "medium", "email", "programacion"), 0);
	CHECK_INT(open_ticket_in(&w, &q, fx_at("2026-04-06T09:00:00-06:00"),
				 "medium", "email", "programacion"), 0);
	/* Delivered Monday 6 April at noon. */
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-04-06T12:00:00-06:00"),
				 &w.agent, s.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-04-06T12:00:00-06:00"),
				 &w.agent, p.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-04-06T12:00:00-06:00"),
				 &w.agent, q.folio, TA_RESOLVE, NULL, &err), 0);
	/* Ten business days later: the support ticket closed long ago;
	 * the project reopens with the defects. */
	tick(&w, fx_at("2026-04-20T12:00:00-06:00"));
	state_of(&w, s.folio, st);
	CHECK_STR(st, "closed");
	state_of(&w, p.folio, st);
	CHECK_STR(st, "resolved");
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-04-20T12:00:00-06:00"),
				 &w.customer, p.folio, TA_REOPEN, NULL, &err), 0);
	state_of(&w, p.folio, st);
	CHECK_STR(st, "open");
	/* No report: closed when the 20 business days end (1 May is a
	 * holiday), not before. */
	tick(&w, fx_at("2026-05-04T11:59:00-06:00"));
	state_of(&w, q.folio, st);
	CHECK_STR(st, "resolved");
	tick(&w, fx_at("2026-05-05T12:00:00-06:00"));
	state_of(&w, q.folio, st);
	CHECK_STR(st, "closed");
	app_close(w.app);
}

/* CLO-3: after the window, the customer's message opens a new ticket
 * linked to the old one; inside it, it reopens. */
static void
test_clo3_after_window_new_linked_ticket(void)
{
	struct world w;
	struct ticket_opened a, f;
	struct sp_err err = { 0 };
	struct ticket_row t;
	struct arena ar;
	char st[32];

	CHECK(world(&w, "easi", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &a, fx_at("2026-03-11T09:00:00-06:00"),
			      "medium", "email"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, a.folio, TA_RESOLVE, NULL, &err), 0);
	tick(&w, fx_at("2026-03-18T12:00:00-06:00"));
	CHECK_INT(app_ticket_follow_up(w.app, &f, fx_at("2026-03-20T10:00:00-06:00"),
				       &w.customer, a.folio,
				       "Volvió a fallar igual", &err), 0);
	CHECK(f.folio[0] != '\0');
	CHECK(strcmp(f.folio, a.folio) != 0);
	state_of(&w, a.folio, st);
	CHECK_STR(st, "closed");
	arena_init(&ar, 0);
	CHECK_INT(store_ticket_find(w.app->store, &ar, &t, w.app->provider_id,
				    f.folio, NULL), 0);
	CHECK_INT(t.parent_id, a.id);
	CHECK_HAS(t.subject, a.folio);
	arena_free(&ar);
	app_close(w.app);
}

/* SLA-4 (Impera): by due time, then first come, first served. */
static void
test_sla4_impera_queue_order(void)
{
	struct world w;
	struct ticket_opened low, high, low2;
	struct queue_item *q;
	struct arena a;
	size_t n;

	CHECK(world(&w, "impera", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &low, fx_at("2026-03-10T09:00:00-06:00"),
			      "baja", "web"), 0);
	CHECK_INT(open_ticket(&w, &low2, fx_at("2026-03-10T09:00:00-06:00"),
			      "baja", "web"), 0);
	CHECK_INT(open_ticket(&w, &high, fx_at("2026-03-10T10:00:00-06:00"),
			      "alta", "web"), 0);
	arena_init(&a, 0);
	CHECK_INT(app_queue(w.app, &a, &q, &n,
			    fx_at("2026-03-10T11:00:00-06:00"), NULL), 0);
	CHECK_INT(n, 3);
	CHECK_STR(q[0].t.folio, high.folio);
	CHECK_STR(q[1].t.folio, low.folio);
	CHECK_STR(q[2].t.folio, low2.folio);
	CHECK_INT(q[0].remaining, 23 * 3600);
	arena_free(&a);
	app_close(w.app);
}

/* SLA-6: a changed pack recomputes a closed ticket exactly from its
 * history (the clocks are derived, never stored). */
static void
test_sla6_history_recomputes_closed_ticket(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct sla_status st;

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev2", "email"), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-10T15:00:00-06:00"),
				   &w.agent, o.folio, "Revisado", false, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-11T10:00:00-06:00"),
				 &w.agent, o.folio, TA_CLOSE, NULL, &err), 0);
	st = sla_at(&w, o.folio, fx_at("2026-04-01T10:00:00-06:00"));
	CHECK_INT(st.first_response.state, SLA_MET);
	/* 09:00-14:00 counts, the lunch gap does not. */
	CHECK_INT(st.first_response.elapsed, 5 * 3600);
	app_close(w.app);
}

/* SLA-6, REP-1: compliance per priority and agent, in business minutes. */
static void
test_sla6_report_per_priority_and_agent(void)
{
	struct world w;
	struct ticket_opened a, b, c;
	struct sp_err err = { 0 };
	struct sla_report_row *rows;
	struct arena ar;
	size_t n;
	const struct sla_report_row *all = NULL, *ana = NULL;

	CHECK(world(&w, "intecnia", fx_at("2026-03-09T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &a, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	CHECK_INT(open_ticket(&w, &b, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	CHECK_INT(open_ticket(&w, &c, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev3", "email"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T09:10:00-06:00"),
				 &w.agent, a.folio, TA_ASSIGN,
				 &(struct transition_args){ .agent = "ana@prov.mx" },
				 &err), 0);
	/* a: answered after 2 business hours (met); b: never (breached at
	 * 19:00); c: answered Wednesday 10:00 (8 business hours Tuesday and
	 * 1 Wednesday: 9 of its 12, met). */
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-10T11:00:00-06:00"),
				   &w.agent, a.folio, "Listo", false, &err), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-11T10:00:00-06:00"),
				   &w.agent, c.folio, "Listo", false, &err), 0);
	arena_init(&ar, 0);
	CHECK_INT(app_report_sla(w.app, &ar, &rows, &n,
				 fx_at("2026-03-01T00:00:00-06:00"),
				 fx_at("2026-04-01T00:00:00-06:00"),
				 fx_at("2026-03-12T12:00:00-06:00"), &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].priority, "sev1") == 0 &&
		    strcmp(rows[i].agent, "*") == 0)
			all = &rows[i];
		if (strcmp(rows[i].priority, "sev1") == 0 &&
		    strcmp(rows[i].agent, "Ana Torres") == 0)
			ana = &rows[i];
	}
	CHECK(all != NULL && ana != NULL);
	CHECK_STR(rows[0].priority, "sev1");
	CHECK_STR(rows[0].agent, "*");
	CHECK_INT(all->tickets, 2);
	CHECK_INT(all->first_response.met, 1);
	CHECK_INT(all->first_response.breached, 1);
	CHECK_INT(ana->tickets, 1);
	CHECK_INT(ana->first_response.met, 1);
	CHECK_INT(ana->first_response.total_minutes, 120);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].priority, "sev3") == 0 &&
		    strcmp(rows[i].agent, "*") == 0) {
			CHECK_INT(rows[i].first_response.met, 1);
			CHECK_INT(rows[i].first_response.total_minutes, 540);
		}
	arena_free(&ar);
	app_close(w.app);
}

/* SLA-5: a note on a breached ticket does not stop the ladder. */
static void
test_sla5_ladder_goes_on_after_a_note(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	tick(&w, fx_at("2026-03-10T19:00:00-06:00"));
	CHECK_INT(app_escalation_level(w.app, o.id), 1);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-11T09:30:00-06:00"),
				   &w.agent, o.folio, "Revisando con calidad",
				   true, &err), 0);
	tick(&w, fx_at("2026-03-11T19:00:00-06:00"));
	CHECK_INT(app_escalation_level(w.app, o.id), 2);
	app_close(w.app);
}

/* CLO-1, CLO-3 (IdeaSys): accepted by silence after 24 h, the customer
 * may still write inside the 3-business-day window: the same ticket
 * comes back. */
static void
test_clo3_closed_inside_window_reopens_same_ticket(void)
{
	struct world w;
	struct ticket_opened o, f;
	struct sp_err err = { 0 };
	char st[32];

	CHECK(world(&w, "ideasys", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      NULL, "email"), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T12:00:00-06:00"),
				 &w.agent, o.folio, TA_RESOLVE, NULL, &err), 0);
	tick(&w, fx_at("2026-03-11T12:00:00-06:00"));
	state_of(&w, o.folio, st);
	CHECK_STR(st, "closed");
	CHECK_INT(app_ticket_follow_up(w.app, &f, fx_at("2026-03-12T10:00:00-06:00"),
				       &w.customer, o.folio, "Volvió la falla",
				       &err), 0);
	CHECK_STR(f.folio, "");
	state_of(&w, o.folio, st);
	CHECK_STR(st, "open");
	app_close(w.app);
}

/* Two providers in one database: a tick for one runs only its timers. */
static void
test_tick_runs_only_its_providers_timers(void)
{
	struct world w;
	struct ticket_opened o;
	struct policy_report r;
	struct sp_err err = { 0 };
	struct app *other = NULL;
	struct tick_report tr;

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev1", "email"), 0);
	policy_report_init(&r);
	CHECK_INT(app_init(fx_path("t.db"), fx_policies(), "impera",
			   fx_at("2026-03-10T08:00:00-06:00"), &r, &err), 0);
	policy_report_free(&r);
	CHECK_INT(app_open(&other, fx_path("t.db"), "impera", &err), 0);
	CHECK_INT(app_tick(other, &tr, fx_at("2026-03-12T12:00:00-06:00"), &err), 0);
	CHECK_INT(tr.run + tr.failed + tr.skipped, 0);
	app_close(other);
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 0);
	tick(&w, fx_at("2026-03-12T12:00:00-06:00"));
	CHECK_INT(count_action(&w, o.folio, "sla.breached"), 1);
	app_close(w.app);
}

/* PRIV-2: another customer cannot see a ticket; the owner does not see
 * internal notes or the audit log. */
static void
test_priv2_view_as_customer(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct ticket_view v;
	struct arena a;
	struct contact_input c2 = { NULL, "Otro", NULL, NULL, NULL,
				    "otro@x.mx", NULL };
	int64_t other;

	CHECK(world(&w, "intecnia", fx_at("2026-03-10T08:00:00-06:00")));
	CHECK_INT(app_contact_add(w.app, &other, fx_at("2026-03-10T08:00:00-06:00"),
				  &app_system, &c2, &err), 0);
	CHECK_INT(open_ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00"),
			      "sev2", "email"), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-10T10:00:00-06:00"),
				   &w.agent, o.folio, "Cliente difícil", true,
				   &err), 0);
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-10T10:05:00-06:00"),
				   &w.agent, o.folio, "Lo revisamos", false,
				   &err), 0);
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view_as(w.app, &a, &v, o.folio,
				     &(struct actor){ "contact", other }, &err),
		  SP_ENOTFOUND);
	sp_err_clear(&err);
	CHECK_INT(app_ticket_view_as(w.app, &a, &v, o.folio, &w.customer, &err), 0);
	for (size_t i = 0; i < v.nmessages; i++)
		CHECK(strcmp(v.messages[i].kind, "internal") != 0);
	CHECK_INT(v.nmessages, 2);
	CHECK_INT(v.nevents, 0);
	CHECK_INT(app_ticket_view_as(w.app, &a, &v, o.folio, &w.agent, &err), 0);
	CHECK_INT(v.nmessages, 3);
	arena_free(&a);
	app_close(w.app);
}

const struct test sla_tests[] = {
	{ "sla5_ladder_goes_on_after_a_note", test_sla5_ladder_goes_on_after_a_note },
	{ "clo3_closed_inside_window_reopens_same_ticket", test_clo3_closed_inside_window_reopens_same_ticket },
	{ "tick_runs_only_its_providers_timers", test_tick_runs_only_its_providers_timers },
	{ "priv2_view_as_customer", test_priv2_view_as_customer },
	{ "sla6_report_per_priority_and_agent", test_sla6_report_per_priority_and_agent },
	{ "sla2_intecnia_sev2_friday_before_long_weekend", test_sla2_intecnia_sev2_friday_before_long_weekend },
	{ "sla2_easi_high_at_1745", test_sla2_easi_high_at_1745 },
	{ "sla3_impera_waiting_over_holiday", test_sla3_impera_waiting_over_holiday },
	{ "sla2_ideasys_72h_on_business_days", test_sla2_ideasys_72h_on_business_days },
	{ "sla2_priority_change_recomputes", test_sla2_priority_change_recomputes },
	{ "sla5_warnings_breach_and_escalation", test_sla5_warnings_breach_and_escalation },
	{ "sla5_breach_after_priority_raised_as_timer_ran", test_sla5_breach_after_priority_raised_as_timer_ran },
	{ "sla5_customer_asks_for_escalation", test_sla5_customer_asks_for_escalation },
	{ "tick_concurrent_runs_act_once", test_tick_concurrent_runs_act_once },
	{ "clo1_ideasys_auto_accept_24h", test_clo1_ideasys_auto_accept_24h },
	{ "clo1_impera_reply_keeps_open", test_clo1_impera_reply_keeps_open },
	{ "sch7_impera_credential_reminder_on_resolve",
	  test_sch7_impera_credential_reminder_on_resolve },
	{ "clo2_intecnia_three_attempts_then_close", test_clo2_intecnia_three_attempts_then_close },
	{ "clo2_impera_waiting_48h_closes", test_clo2_impera_waiting_48h_closes },
	{ "clo3_easi_reopen_window_business_days", test_clo3_easi_reopen_window_business_days },
	{ "clo5_easi_project_defects_20_business_days",
	  test_clo5_easi_project_defects_20_business_days },
	{ "clo3_after_window_new_linked_ticket", test_clo3_after_window_new_linked_ticket },
	{ "sla4_impera_queue_order", test_sla4_impera_queue_order },
	{ "sla6_history_recomputes_closed_ticket", test_sla6_history_recomputes_closed_ticket },
	{ 0 },
};
