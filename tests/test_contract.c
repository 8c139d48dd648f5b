/* test_contract.c — contracts, the ledger and attendances on real
 * SQLite files with the seed packs (PLAN-, BILL-). */
#include "../src/app/app.h"
#include "../src/store/store.h"
#include "fixture.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

struct world {
	struct app *app;
	struct actor agent, manager, customer; /* manager: money acts */
};

static bool
world(struct world *w, const char *pack, int64_t now)
{
	struct sp_err err = { 0 };
	struct contact_input c = { "Ferretería López", "Luis", "López", NULL,
				   NULL, "luis@ferre.mx", NULL };
	int64_t id;

	memset(w, 0, sizeof *w);
	if ((w->app = fx_app(pack, now)) == NULL)
		return false;
	if (app_org_add(w->app, NULL, now, &app_system, "Ferretería López",
			NULL, &err) ||
	    app_contact_add(w->app, &id, now, &app_system, &c, &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->customer = (struct actor){ "contact", id };
	if (app_agent_add(w->app, &id, now, &app_system, "Ana", "ana@p.mx",
			  "agent", &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->agent = (struct actor){ "agent", id };
	if (app_agent_add(w->app, &id, now, &app_system, "Diego", "diego@p.mx",
			  "operations_manager", &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->manager = (struct actor){ "agent", id };
	return true;
}

static bool
contract(struct world *w, char number[64], const char *plan, int hours,
	 int64_t now, bool pay)
{
	struct contract_input in = { "Ferretería López", plan, hours, 0, 0,
				     100000, NULL };
	struct sp_err err = { 0 };

	if (app_contract_add(w->app, number, now, &w->manager, &in, &err) ||
	    (pay && app_contract_pay(w->app, now, &w->manager, number, "SPEI 1",
				     &err))) {
		t_fail(__FILE__, __LINE__, "contract: %s", err.msg);
		return false;
	}
	return true;
}

static bool
ticket(struct world *w, struct ticket_opened *o, int64_t now)
{
	struct ticket_input in = { 0 };
	static const char *const names[] = { "steps", "module", "system",
		"system_version", "os_version" };
	struct sp_err err = { 0 };

	in.contact = "luis@ferre.mx";
	in.channel = w->app->policy->channels & (1u << CH_EMAIL) ? "email" : "web";
	in.category = w->app->policy->categories[0].id;
	in.priority = w->app->policy->priorities[0].id;
	in.subject = "Falla";
	in.description = "No abre";
	for (int i = 0; i < 5; i++) {
		in.field_names[i] = names[i];
		in.field_values[i] = "x";
	}
	in.nfields = 5;
	in.files[0] = (struct ticket_file){ "e.png", "image/png", png, 8 };
	in.nfiles = 1;
	if (app_ticket_open(w->app, o, now, &w->customer, &in, &err)) {
		t_fail(__FILE__, __LINE__, "ticket: %s", err.msg);
		return false;
	}
	return true;
}

/* BILL-8 (Impera): an estimate sent and authorised by the customer. */
static bool
estimate(struct world *w, const char *folio, int64_t minutes, int64_t now)
{
	struct quote_input in = { NULL, folio, "estimate", minutes, 0,
				  "Diagnóstico y corrección" };
	struct sp_err err = { 0 };
	char n[64];

	if (app_quote_create(w->app, n, now, &w->agent, &in, &err) ||
	    app_quote_decide(w->app, now, &w->customer, n, true, "web", &err)) {
		t_fail(__FILE__, __LINE__, "estimate: %s", err.msg);
		return false;
	}
	return true;
}

static int
attend(struct world *w, const char *folio, const char *start, int64_t minutes,
       const char *modality, bool warranty, struct attendance_logged *out,
       struct sp_err *err)
{
	struct attendance_input in = { folio, fx_at(start), minutes, modality,
				       warranty };

	return app_attendance_log(w->app, out, fx_at(start) + minutes * 60,
				  &w->agent, &in, err);
}

static int64_t
balance(struct world *w, const char *number, int64_t now)
{
	struct contract_status st;
	struct arena a;
	int64_t b = -999999;

	arena_init(&a, 0);
	if (app_contract_status(w->app, &a, &st, number, now, NULL) == 0)
		b = st.balance;
	arena_free(&a);
	return b;
}

/* Renewal offers queued to `to` that name contract `number`. */
static int
renewals_to(struct world *w, const char *to, const char *number)
{
	struct outbox_row *r;
	struct arena a;
	size_t n = 0;
	int found = 0;

	arena_init(&a, 0);
	if (store_outbox_list(w->app->store, &a, &r, &n, w->app->provider_id,
			      0, NULL) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(r[i].kind, "renewal") == 0 &&
			    strcmp(r[i].to_addr, to) == 0 &&
			    strstr(r[i].body, number))
				found++;
	arena_free(&a);
	return found;
}

static void
contract_state_of(struct world *w, const char *number, char out[32])
{
	struct contract_status st;
	struct arena a;

	arena_init(&a, 0);
	out[0] = '\0';
	if (app_contract_status(w->app, &a, &st, number, fx_at("2026-05-04T12:00:00Z"),
				NULL) == 0)
		snprintf(out, 32, "%s", st.c.state);
	arena_free(&a);
}

/* PLAN-2, BILL-7: a contract is pending until paid; its hours enter the
 * ledger with the payment; PLAN-5: numbered. */
static void
test_plan2_contract_from_catalogue_paid_then_active(void)
{
	struct world w;
	char n[64], st[32];
	struct sp_err err = { 0 };
	struct contract_input bad = { "Ferretería López", "oro", 0, 0, 0, -1, NULL };

	CHECK(world(&w, "intecnia", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, n, "empresarial", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       false));
	CHECK_STR(n, "INTECNIA-C-2026-0001");
	contract_state_of(&w, n, st);
	CHECK_STR(st, "pending_payment");
	CHECK_INT(balance(&w, n, fx_at("2026-05-02T09:00:00-06:00")), 0);
	CHECK_INT(app_contract_pay(w.app, fx_at("2026-05-01T10:00:00-06:00"),
				   &w.manager, n, "OC 771", &err), 0);
	CHECK_INT(balance(&w, n, fx_at("2026-05-02T09:00:00-06:00")), 20 * 60);
	CHECK_INT(app_contract_pay(w.app, fx_at("2026-05-01T10:00:00-06:00"),
				   &w.manager, n, "again", &err), SP_ECONFLICT);
	sp_err_clear(&err);
	CHECK_INT(app_contract_add(w.app, n, fx_at("2026-05-01T09:00:00-06:00"),
				   &w.manager, &bad, &err), SP_EINVAL);
	CHECK_STR(err.field, "plan");
	app_close(w.app);
}

/* PLAN-3, BILL-7: no valid contract, no service on credit; a quote is
 * offered. Enough hours are checked before debiting. */
static void
test_plan3_no_contract_no_service(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char n[64];

	CHECK(world(&w, "intecnia", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 30,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "quote");
	sp_err_clear(&err);
	/* Warranty work needs no contract and is free (BILL-6). */
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 30,
			 "remote", true, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 0);
	/* A pending contract does not count either. */
	CHECK(contract(&w, n, "basica", 0, fx_at("2026-05-04T09:00:00-06:00"),
		       false));
	CHECK_INT(attend(&w, o.folio, "2026-05-04T11:00:00-06:00", 30,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "BILL-7");
	app_close(w.app);
}

/* PLAN-3: hours or term, whichever ends first. */
static void
test_plan3_hours_or_term_first(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct tick_report r;
	char n[64], m[64], st[32];

	CHECK(world(&w, "impera", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, n, "basica", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK(estimate(&w, o.folio, 12 * 60, fx_at("2026-05-04T09:00:00-06:00")));
	/* 10 hours: 9 h 30 min worked round up to 10 h (BILL-2). */
	CHECK_INT(attend(&w, o.folio, "2026-05-04T09:00:00-06:00", 570,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 600);
	CHECK_INT(out.balance_after, 0);
	contract_state_of(&w, n, st);
	CHECK_STR(st, "exhausted");
	CHECK_INT(attend(&w, o.folio, "2026-05-05T09:00:00-06:00", 10,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "used up");
	sp_err_clear(&err);
	/* The term: a year; at its end the rest expires. */
	CHECK(contract(&w, m, "basica_plus", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK_INT(app_tick(w.app, &r, fx_at("2027-05-01T08:59:00-06:00"), &err), 0);
	CHECK_INT(balance(&w, m, fx_at("2027-04-30T09:00:00-06:00")), 15 * 60);
	CHECK_INT(app_tick(w.app, &r, fx_at("2027-05-01T09:00:00-06:00"), &err), 0);
	CHECK_INT(balance(&w, m, fx_at("2027-05-02T09:00:00-06:00")), 0);
	contract_state_of(&w, m, st);
	CHECK_STR(st, "expired");
	/* PLAN-3: each end offered the customer a renewal by email. */
	CHECK_INT(renewals_to(&w, "luis@ferre.mx", n), 1);
	CHECK_INT(renewals_to(&w, "luis@ferre.mx", m), 1);
	app_close(w.app);
}

/* Several banks: drawn oldest-expiring first, one debit split across
 * two when the first runs out. */
static void
test_banks_drawn_oldest_expiring_first(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char old[64], young[64];

	CHECK(world(&w, "easi", fx_at("2026-01-10T09:00:00-06:00")));
	CHECK(contract(&w, old, "poliza", 2, fx_at("2026-01-10T09:00:00-06:00"),
		       true));
	CHECK(contract(&w, young, "poliza", 5, fx_at("2026-04-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	/* 100 min remote in hours: +10 % = 110 -> 110. */
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 100,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 110);
	CHECK_INT(balance(&w, old, fx_at("2026-05-05T00:00:00-06:00")), 10);
	CHECK_INT(balance(&w, young, fx_at("2026-05-05T00:00:00-06:00")), 300);
	CHECK_INT(attend(&w, o.folio, "2026-05-05T10:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	/* 33 -> 40: 10 from the old bank, 30 from the young one. */
	CHECK_INT(balance(&w, old, fx_at("2026-05-06T00:00:00-06:00")), 0);
	CHECK_INT(balance(&w, young, fx_at("2026-05-06T00:00:00-06:00")), 270);
	CHECK_HAS(out.contracts, old);
	CHECK_HAS(out.contracts, young);
	app_close(w.app);
}

/* BILL-9: the consumption report, in the contact's language. */
static void
test_bill9_consumption_report_es_en(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct ticket_view v;
	struct arena a;
	char n[64];
	struct contact_input en = { "Ferretería López", "Mary", "Smith", NULL,
				    NULL, "mary@ferre.mx", "en" };

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, n, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(attend(&w, o.folio, "2026-05-04T17:30:00-06:00", 100,
			 "onsite_local", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 250);
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(w.app, &a, &v, o.folio, &err), 0);
	CHECK_HAS(v.messages[v.nmessages - 1].body, "Reporte de consumo");
	CHECK_HAS(v.messages[v.nmessages - 1].body, "fuera de horario");
	CHECK_HAS(v.messages[v.nmessages - 1].body, "Descontado: 250 min");
	CHECK_HAS(v.messages[v.nmessages - 1].body, "Saldo disponible: 5 h 50 min");
	CHECK_STR(v.messages[v.nmessages - 1].kind, "public");
	arena_free(&a);
	/* An English-speaking contact gets it in English. */
	CHECK_INT(app_contact_add(w.app, NULL, fx_at("2026-05-04T09:00:00-06:00"),
				  &app_system, &en, &err), 0);
	{
		struct ticket_input in = { 0 };
		struct ticket_opened o2;
		static const char *const names[] = { "steps", "module",
			"system", "system_version", "os_version" };

		in.contact = "mary@ferre.mx";
		in.channel = "email";
		in.subject = "Down";
		in.description = "Down";
		for (int i = 0; i < 5; i++) {
			in.field_names[i] = names[i];
			in.field_values[i] = "x";
		}
		in.nfields = 5;
		in.files[0] = (struct ticket_file){ "e.png", "image/png", png, 8 };
		in.nfiles = 1;
		CHECK_INT(app_ticket_open(w.app, &o2, fx_at("2026-05-05T09:00:00-06:00"),
					  &app_system, &in, &err), 0);
		CHECK_INT(attend(&w, o2.folio, "2026-05-05T10:00:00-06:00", 20,
				 "remote", false, &out, &err), 0);
		arena_init(&a, 0);
		CHECK_INT(app_ticket_view(w.app, &a, &v, o2.folio, &err), 0);
		CHECK_HAS(v.messages[v.nmessages - 1].body, "Consumption report");
		CHECK_HAS(v.messages[v.nmessages - 1].body, "Balance left: 5 h 20 min");
		arena_free(&a);
	}
	app_close(w.app);
}

/* BILL-5 (EASI): three free quick questions per ISO week per customer;
 * the fourth is charged; a new week starts again. */
static void
test_bill5_fourth_quick_question_charged(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char n[64];
	static const char *const days[] = { "2026-05-04T10:00:00-06:00",
		"2026-05-05T10:00:00-06:00", "2026-05-07T10:00:00-06:00",
		"2026-05-08T10:00:00-06:00", "2026-05-11T10:00:00-06:00" };
	static const int64_t want[] = { 0, 0, 0, 20, 0 };

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, n, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	for (int i = 0; i < 5; i++) {
		CHECK_INT(attend(&w, o.folio, days[i], 15, "phone", false, &out,
				 &err), 0);
		CHECK_INT(out.bill.debit_minutes, want[i]);
	}
	app_close(w.app);
}

/* BILL-12: cancelled within 24 h of payment, before consumption: a block
 * over 5 hours refunded less 5 %; afterwards the hours stay. */
static void
test_bill12_cancellation_and_refund(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char a[64], b[64], c[64], st[32];
	int64_t refund = -1;

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, a, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(contract(&w, b, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(contract(&w, c, "poliza", 5, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK_INT(app_contract_cancel(w.app, &refund,
				      fx_at("2026-05-02T08:59:00-06:00"), &w.manager,
				      a, "ya no lo necesitan", &err), 0);
	CHECK_INT(refund, 100000 - 5000);
	contract_state_of(&w, a, st);
	CHECK_STR(st, "cancelled");
	CHECK_INT(balance(&w, a, fx_at("2026-05-02T09:00:00-06:00")), 0);
	/* A block of 5 hours is not over 5: cancelled, nothing refunded. */
	CHECK_INT(app_contract_cancel(w.app, &refund,
				      fx_at("2026-05-01T12:00:00-06:00"), &w.manager,
				      c, NULL, &err), 0);
	CHECK_INT(refund, 0);
	/* After 24 h the hours stay available. */
	CHECK_INT(app_contract_cancel(w.app, &refund,
				      fx_at("2026-05-02T09:01:00-06:00"), &w.manager,
				      b, NULL, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "stay available");
	sp_err_clear(&err);
	app_close(w.app);
	/* Impera: no refund once consumption started. */
	CHECK(world(&w, "impera", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, a, "basica", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-01T10:00:00-06:00")));
	CHECK(estimate(&w, o.folio, 60, fx_at("2026-05-01T10:00:00-06:00")));
	CHECK_INT(attend(&w, o.folio, "2026-05-01T10:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	CHECK_INT(app_contract_cancel(w.app, &refund,
				      fx_at("2026-05-01T12:00:00-06:00"), &w.manager,
				      a, NULL, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "consumption started");
	app_close(w.app);
}

/* PLAN-1: every kind the seed packs sell becomes a contract of that kind:
 * per event (hours agreed in its quote), hour bank (póliza) and monthly
 * retainer (iguala) at EASI; the support-and-updates plan at ISYS. Each
 * is usable once paid; only hours bought carry a balance. */
static bool
kind_is(struct world *w, const char *plan, int hours, const char *kind,
	int64_t balance_minutes)
{
	struct contract_status st;
	struct sp_err err = { 0 };
	struct arena a;
	char n[64];
	bool ok;

	if (!contract(w, n, plan, hours, fx_at("2026-05-01T09:00:00-06:00"),
		      true))
		return false;
	arena_init(&a, 0);
	ok = app_contract_status(w->app, &a, &st, n,
				 fx_at("2026-05-02T09:00:00-06:00"), &err) == 0 &&
	     strcmp(st.c.plan, plan) == 0 && strcmp(st.c.kind, kind) == 0 &&
	     st.usable && st.balance == balance_minutes;
	if (!ok)
		t_fail(__FILE__, __LINE__, "%s: kind %s, balance %lld, usable "
		       "%d, %s", plan, st.c.kind ? st.c.kind : "?",
		       (long long)st.balance, st.usable, err.msg);
	arena_free(&a);
	return ok;
}

static void
test_plan1_every_kind_in_the_seed_packs(void)
{
	struct world w;

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(kind_is(&w, "por_evento", 2, "per_event", 120));
	CHECK(kind_is(&w, "poliza", 10, "bank", 600));
	CHECK(kind_is(&w, "iguala", 0, "retainer", 0));
	app_close(w.app);
	CHECK(world(&w, "isys", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(kind_is(&w, "plan_soporte", 0, "support_plan", 0));
	app_close(w.app);
}

/* BILL-6 (EASI): warranty work is free within the 3 business days after
 * the work was delivered (resolved); after that it is refused as
 * warranty, with the date it ended, and nothing is logged. */
static void
test_bill6_easi_warranty_window_three_business_days(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char n[64];
	int64_t before;

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, n, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 60,
			 "remote", false, &out, &err), 0);
	/* Delivered Tuesday at noon; the warranty runs to Friday noon. */
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-05-05T12:00:00-06:00"),
				 &w.agent, o.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-05-06T10:00:00-06:00"),
				 &w.customer, o.folio, TA_REOPEN, NULL, &err), 0);
	CHECK_INT(attend(&w, o.folio, "2026-05-07T10:00:00-06:00", 30,
			 "remote", true, &out, &err), 0);
	CHECK(out.bill.free);
	before = balance(&w, n, fx_at("2026-05-11T12:00:00-06:00"));
	CHECK_INT(attend(&w, o.folio, "2026-05-11T10:00:00-06:00", 30,
			 "remote", true, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "warranty on this work ended 2026-05-08T12:00");
	CHECK_HAS(err.msg, "BILL-6");
	sp_err_clear(&err);
	CHECK_INT(balance(&w, n, fx_at("2026-05-11T12:00:00-06:00")), before);
	/* As billable work it is logged and charged. */
	CHECK_INT(attend(&w, o.folio, "2026-05-11T10:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	CHECK(out.bill.debit_minutes > 0);
	app_close(w.app);
}

/* CLO-3 (IdeaSys): after a reopening, work on the same fault is free up
 * to one hour; what goes beyond it is charged as usual. */
static void
test_clo3_ideasys_reopened_fault_first_hour_free(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	char n[64];

	CHECK(world(&w, "ideasys", fx_at("2026-03-09T09:00:00-06:00")));
	CHECK(contract(&w, n, "por_evento", 10, fx_at("2026-03-09T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-03-10T09:00:00-06:00")));
	CHECK(estimate(&w, o.folio, 10 * 60, fx_at("2026-03-10T09:00:00-06:00")));
	/* Before any reopening: 30 minutes charged (whole hours). */
	CHECK_INT(attend(&w, o.folio, "2026-03-10T10:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 60);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T11:00:00-06:00"),
				 &w.agent, o.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-11T10:00:00-06:00"),
				 &w.customer, o.folio, TA_REOPEN, NULL, &err), 0);
	/* 40 minutes: inside the free hour. */
	CHECK_INT(attend(&w, o.folio, "2026-03-11T11:00:00-06:00", 40,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 0);
	CHECK(out.bill.free);
	CHECK_STR(out.bill.steps[0].rule, "reopen_free");
	CHECK_STR(out.bill.steps[0].policy, "CLO-3");
	/* 50 more: 20 still free, 30 charged, rounded to an hour. */
	CHECK_INT(attend(&w, o.folio, "2026-03-11T12:00:00-06:00", 50,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 60);
	CHECK(!out.bill.free);
	CHECK_STR(out.bill.steps[0].rule, "reopen_free");
	CHECK_INT(out.bill.steps[0].num, 20);
	/* The free hour is spent: the next is charged in full. */
	CHECK_INT(attend(&w, o.folio, "2026-03-11T13:00:00-06:00", 70,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 120);
	CHECK(strcmp(out.bill.steps[0].rule, "reopen_free") != 0);
	app_close(w.app);
}

/* The balance always equals the sum of its entries; adjustments need a
 * reason and an agent; the ledger refuses edits. */
static void
test_ledger_balance_is_sum_and_append_only(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct ledger_row *l;
	struct arena a;
	size_t n;
	int64_t sum = 0;
	char c[64];
	sqlite3 *db;

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, c, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	for (int i = 0; i < 7; i++) {
		char start[64];

		snprintf(start, sizeof start, "2026-05-%02dT1%d:00:00-06:00",
			 4 + i, i);
		CHECK_INT(attend(&w, o.folio, start, 25 + 7 * i, "remote", false,
				 &out, &err), 0);
	}
	CHECK_INT(app_contract_adjust(w.app, fx_at("2026-05-20T10:00:00-06:00"),
				      &w.manager, c, 30, NULL, &err), SP_EINVAL);
	sp_err_clear(&err);
	CHECK_INT(app_contract_adjust(w.app, fx_at("2026-05-20T10:00:00-06:00"),
				      &w.customer, c, 30, "regalo", &err),
		  SP_EINVAL);
	sp_err_clear(&err);
	CHECK_INT(app_contract_adjust(w.app, fx_at("2026-05-20T10:00:00-06:00"),
				      &w.manager, c, 30, "cortesía por la falla",
				      &err), 0);
	arena_init(&a, 0);
	CHECK_INT(app_contract_status(w.app, &a, &(struct contract_status){ 0 },
				      c, 0, NULL), 0);
	{
		struct contract_row cr;

		CHECK_INT(store_contract_find(w.app->store, &a, &cr,
					      w.app->provider_id, c, NULL), 0);
		CHECK_INT(store_ledger_list(w.app->store, &a, &l, &n, cr.id,
					    NULL), 0);
	}
	for (size_t i = 0; i < n; i++)
		sum += l[i].minutes;
	CHECK_INT(n, 9);
	CHECK_INT(balance(&w, c, fx_at("2026-05-21T00:00:00-06:00")), sum);
	arena_free(&a);
	app_close(w.app);
	CHECK_INT(sqlite3_open(fx_path("t.db"), &db), SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE ledger SET minutes = 0", NULL, NULL,
			   NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(db, "DELETE FROM ledger", NULL, NULL, NULL) !=
	      SQLITE_OK);
	sqlite3_close(db);
}

/* Two processes debiting the same small bank at once never overdraw. */
static void
test_concurrent_debits_never_overdraw(void)
{
	struct world w;
	struct ticket_opened o;
	char c[64];
	pid_t kids[4];
	int ok = 0;

	CHECK(world(&w, "impera", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, c, "basica", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK(estimate(&w, o.folio, 20 * 60, fx_at("2026-05-04T09:00:00-06:00")));
	app_close(w.app);
	/* 10 hours, 4 processes x 4 attendances of 1 hour: only 10 fit. */
	for (int k = 0; k < 4; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct app *app;
			int done = 0;

			if (app_open(&app, fx_path("t.db"), "impera", NULL))
				_exit(100);
			for (int i = 0; i < 4; i++) {
				struct attendance_input in = { o.folio,
					fx_at("2026-05-04T09:00:00-06:00") +
					(k * 4 + i) * 3600, 60, "remote", false };
				struct attendance_logged out;
				struct actor ag = { "agent", 1 };

				if (app_attendance_log(app, &out,
						       fx_at("2026-05-10T00:00:00-06:00"),
						       &ag, &in, NULL) == 0)
					done++;
			}
			app_close(app);
			_exit(done);
		}
	}
	for (int k = 0; k < 4; k++) {
		int st;

		CHECK(waitpid(kids[k], &st, 0) == kids[k]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) <= 4);
		ok += WEXITSTATUS(st);
	}
	CHECK_INT(ok, 10);
	CHECK_INT(app_open(&w.app, fx_path("t.db"), "impera", NULL), 0);
	CHECK_INT(balance(&w, c, fx_at("2026-05-10T00:00:00-06:00")), 0);
	app_close(w.app);
}

/* SLA-4 (EASI): iguala before póliza before per event, then by due. */
static void
test_sla4_easi_plan_rank_orders_queue(void)
{
	struct world w;
	struct sp_err err = { 0 };
	struct contact_input c2 = { "Clínica Norte", "Sofía", NULL, NULL, NULL,
				    "sofia@clinica.mx", NULL };
	struct ticket_opened a, b;
	struct queue_item *q;
	struct arena ar;
	size_t n;
	char k[64];

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK_INT(app_org_add(w.app, NULL, fx_at("2026-05-01T09:00:00-06:00"),
			      &app_system, "Clínica Norte", NULL, &err), 0);
	CHECK_INT(app_contact_add(w.app, NULL, fx_at("2026-05-01T09:00:00-06:00"),
				  &app_system, &c2, &err), 0);
	CHECK(contract(&w, k, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	{
		struct contract_input in = { "Clínica Norte", "iguala", 0, 0,
					     0, -1, NULL };

		CHECK_INT(app_contract_add(w.app, k, fx_at("2026-05-01T09:00:00-06:00"),
					   &w.manager, &in, &err), 0);
		CHECK_INT(app_contract_pay(w.app, fx_at("2026-05-01T09:00:00-06:00"),
					   &w.manager, k, "SPEI", &err), 0);
	}
	/* The póliza customer's ticket is older and more urgent... */
	CHECK(ticket(&w, &a, fx_at("2026-05-04T09:00:00-06:00")));
	{
		struct ticket_input in = { 0 };
		static const char *const names[] = { "steps", "module",
			"system", "system_version", "os_version" };

		in.contact = "sofia@clinica.mx";
		in.channel = "email";
		in.priority = "low";
		in.subject = "Duda";
		in.description = "Duda";
		for (int i = 0; i < 5; i++) {
			in.field_names[i] = names[i];
			in.field_values[i] = "x";
		}
		in.nfields = 5;
		in.files[0] = (struct ticket_file){ "e.png", "image/png", png, 8 };
		in.nfiles = 1;
		CHECK_INT(app_ticket_open(w.app, &b, fx_at("2026-05-04T10:00:00-06:00"),
					  &app_system, &in, &err), 0);
	}
	arena_init(&ar, 0);
	CHECK_INT(app_queue(w.app, &ar, &q, &n, fx_at("2026-05-04T11:00:00-06:00"),
			    &err), 0);
	CHECK_INT(n, 2);
	/* ...but the iguala customer is served first. */
	CHECK_STR(q[0].t.folio, b.folio);
	CHECK(q[0].plan_rank > q[1].plan_rank);
	arena_free(&ar);
	app_close(w.app);
}

/* BILL-8 (Impera): no debit without an authorised estimate; work beyond
 * it needs a new one. */
static void
test_bill8_estimate_authorised_before_debit(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct quote_input in = { NULL, NULL, "estimate", 120, 0, "Revisión" };
	char c[64], q[64];

	CHECK(world(&w, "impera", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, c, "basica", 0, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 30,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "BILL-8");
	sp_err_clear(&err);
	in.ticket = o.folio;
	CHECK_INT(app_quote_create(w.app, q, fx_at("2026-05-04T10:00:00-06:00"),
				   &w.agent, &in, &err), 0);
	/* Sent, not yet authorised: still refused. */
	CHECK_INT(attend(&w, o.folio, "2026-05-04T10:00:00-06:00", 30,
			 "remote", false, &out, &err), SP_ECONFLICT);
	sp_err_clear(&err);
	/* Another customer cannot authorise it. */
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-05-04T10:30:00-06:00"),
				   &(struct actor){ "contact", 999 }, q, true,
				   "web", &err), SP_ENOTFOUND);
	sp_err_clear(&err);
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-05-04T10:30:00-06:00"),
				   &w.customer, q, true, "web", &err), 0);
	CHECK_INT(attend(&w, o.folio, "2026-05-04T11:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 60);
	CHECK_INT(attend(&w, o.folio, "2026-05-04T12:00:00-06:00", 50,
			 "remote", false, &out, &err), 0);
	/* 120 authorised, 120 used: one more minute needs a new estimate. */
	CHECK_INT(attend(&w, o.folio, "2026-05-04T13:00:00-06:00", 5,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "new estimate");
	app_close(w.app);
}

/* BILL-7 (Intecnia per event): quote, approval with channel, purchase
 * order, then the hours exist and the work can be logged. */
static void
test_bill7_quote_approved_and_paid_per_event(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct quote_input in = { NULL, NULL, "quote", 120, 180000,
				  "Configuración de firewall, 2 eventos" };
	struct quote_row qr;
	struct arena a;
	char q[64], c[64];

	CHECK(world(&w, "intecnia", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	in.ticket = o.folio;
	CHECK_INT(app_quote_create(w.app, q, fx_at("2026-05-04T09:30:00-06:00"),
				   &w.agent, &in, &err), 0);
	/* BILL-10: IVA 16 % apart, exact. */
	arena_init(&a, 0);
	CHECK_INT(store_quote_find(w.app->store, &a, &qr, w.app->provider_id,
				   q, NULL), 0);
	CHECK_INT(qr.subtotal_centavos, 180000);
	CHECK_INT(qr.iva_centavos, 28800);
	arena_free(&a);
	/* Not paid before approval. */
	CHECK_INT(app_quote_pay(w.app, c, fx_at("2026-05-04T10:00:00-06:00"),
				&w.manager, q, "OC-55", &err), SP_ECONFLICT);
	sp_err_clear(&err);
	/* The agent records the customer's approval by phone. */
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-05-04T10:00:00-06:00"),
				   &w.agent, q, true, "phone", &err), 0);
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-05-04T10:01:00-06:00"),
				   &w.agent, q, false, "phone", &err),
		  SP_ECONFLICT);
	sp_err_clear(&err);
	CHECK_INT(app_quote_pay(w.app, c, fx_at("2026-05-04T11:00:00-06:00"),
				&w.manager, q, "OC-55", &err), 0);
	CHECK_INT(balance(&w, c, fx_at("2026-05-04T12:00:00-06:00")), 120);
	CHECK_INT(attend(&w, o.folio, "2026-05-04T12:00:00-06:00", 61,
			 "remote", false, &out, &err), 0);
	CHECK_INT(out.bill.debit_minutes, 120);
	app_close(w.app);
}

/* A quote not answered in time expires. */
static void
test_bill7_quote_expires(void)
{
	struct world w;
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct tick_report r;
	struct quote_input in = { NULL, NULL, "quote", 60, 90000, "Soporte" };
	char q[64];

	CHECK(world(&w, "intecnia", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	in.ticket = o.folio;
	CHECK_INT(app_quote_create(w.app, q, fx_at("2026-05-04T09:30:00-06:00"),
				   &w.agent, &in, &err), 0);
	CHECK_INT(app_tick(w.app, &r, fx_at("2026-06-04T09:30:00-06:00"), &err), 0);
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-06-04T09:31:00-06:00"),
				   &w.customer, q, true, "web", &err),
		  SP_ECONFLICT);
	CHECK_HAS(err.msg, "expired");
	app_close(w.app);
}

/* BILL-11, PLAN-4 (EASI): unpaid 8 days after issue makes the customer
 * delinquent and suspends service; paying restores it; unpaid at the
 * month's end the invoice is cancelled. */
static void
test_bill11_invoice_delinquency_and_month_end(void)
{
	struct world w;
	struct ticket_opened o;
	struct attendance_logged out;
	struct sp_err err = { 0 };
	struct tick_report r;
	char c[64], f1[64], f2[64], st[32];

	CHECK(world(&w, "easi", fx_at("2026-05-01T09:00:00-06:00")));
	CHECK(contract(&w, c, "poliza", 10, fx_at("2026-05-01T09:00:00-06:00"),
		       true));
	CHECK(ticket(&w, &o, fx_at("2026-05-04T09:00:00-06:00")));
	CHECK_INT(app_invoice_issue(w.app, f1, fx_at("2026-05-04T09:00:00-06:00"),
				    &w.manager, "Ferretería López", c,
				    "Póliza 10 h", 500000, NULL, &err), 0);
	CHECK_INT(app_tick(w.app, &r, fx_at("2026-05-12T08:59:00-06:00"), &err), 0);
	CHECK(!app_org_delinquent(w.app, 1));
	CHECK_INT(app_tick(w.app, &r, fx_at("2026-05-12T09:00:00-06:00"), &err), 0);
	CHECK(app_org_delinquent(w.app, 1));
	contract_state_of(&w, c, st);
	CHECK_STR(st, "suspended");
	CHECK_INT(attend(&w, o.folio, "2026-05-12T10:00:00-06:00", 30,
			 "remote", false, &out, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "PLAN-4");
	sp_err_clear(&err);
	CHECK_INT(app_invoice_pay(w.app, fx_at("2026-05-13T09:00:00-06:00"),
				  &w.manager, f1, "SPEI 991", &err), 0);
	contract_state_of(&w, c, st);
	CHECK_STR(st, "active");
	CHECK_INT(attend(&w, o.folio, "2026-05-13T10:00:00-06:00", 30,
			 "remote", false, &out, &err), 0);
	/* Issued on the 25th, unpaid: cancelled on June 1st. */
	CHECK_INT(app_invoice_issue(w.app, f2, fx_at("2026-05-25T09:00:00-06:00"),
				    &w.manager, "Ferretería López", NULL,
				    "Servicio extra", 20000, "CFDI-UUID-1", &err), 0);
	CHECK_INT(app_tick(w.app, &r, fx_at("2026-06-01T00:00:00-06:00"), &err), 0);
	{
		struct invoice_row ir;
		struct arena a;

		arena_init(&a, 0);
		CHECK_INT(store_invoice_find(w.app->store, &a, &ir,
					     w.app->provider_id, f2, NULL), 0);
		CHECK_STR(ir.state, "cancelled");
		CHECK_STR(ir.cfdi_uuid, "CFDI-UUID-1");
		CHECK_INT(ir.iva_centavos, 3200);
		arena_free(&a);
	}
	CHECK(!app_org_delinquent(w.app, 1));
	app_close(w.app);
}

/* Contracts, payments, invoices and refunds are the provider's acts,
 * and among its staff an operations manager's (docs/admin.md, Roles):
 * a customer and a plain agent are refused with SP_EPERM, nothing
 * written. */
static void
test_staff_only_money_acts(void)
{
	struct world w;
	struct sp_err err = { 0 };
	struct contract_input in = { "Ferretería López", "poliza", 10, 0, 0,
				     100000, NULL };
	const struct actor *refused[2];
	char n[64], f[64];
	int64_t refund, t = fx_at("2026-05-01T09:00:00-06:00");
	struct contract_status st;
	struct arena a;

	CHECK(world(&w, "easi", t));
	refused[0] = &w.customer;
	refused[1] = &w.agent;
	CHECK(contract(&w, n, "poliza", 10, t, false));
	for (int i = 0; i < 2; i++) {
		const struct actor *who = refused[i];
		char m[64];

		CHECK_INT(app_contract_add(w.app, m, t, who, &in, &err),
			  SP_EPERM);
		CHECK_STR(err.field, "actor");
		sp_err_clear(&err);
		CHECK_INT(app_contract_pay(w.app, t, who, n, "yo pagué", &err),
			  SP_EPERM);
		sp_err_clear(&err);
		CHECK_INT(app_invoice_issue(w.app, f, t, who, "Ferretería López",
					    NULL, "x", 100, NULL, &err),
			  SP_EPERM);
		sp_err_clear(&err);
		CHECK_INT(app_contract_cancel(w.app, &refund, t, who, n, NULL,
					      &err), SP_EPERM);
		sp_err_clear(&err);
	}
	CHECK_INT(app_contract_adjust(w.app, t, &w.agent, n, 60, "regalo",
				      &err), SP_EPERM);
	CHECK_HAS(err.msg, "operations_manager or above; ana@p.mx is agent");
	sp_err_clear(&err);
	CHECK_INT(app_contract_allow_overage(w.app, t, &w.agent, n, 60, "ok",
					     &err), SP_EPERM);
	sp_err_clear(&err);
	/* Nothing of the refused acts was written: the contract waits for
	 * its payment with its 10 hours, and it is the only one. */
	arena_init(&a, 0);
	CHECK_INT(app_contract_status(w.app, &a, &st, n, t, &err), 0);
	CHECK_STR(st.c.state, "pending_payment");
	CHECK_INT(st.balance, 0); /* credited on payment */
	arena_free(&a);
	/* The operations manager does them. */
	CHECK_INT(app_contract_pay(w.app, t, &w.manager, n, "SPEI 9", &err), 0);
	CHECK_INT(app_contract_adjust(w.app, t, &w.manager, n, 60, "cortesía",
				      &err), 0);
	arena_init(&a, 0);
	CHECK_INT(app_contract_status(w.app, &a, &st, n, t, &err), 0);
	CHECK_STR(st.c.state, "active");
	CHECK_INT(st.balance, 660);
	arena_free(&a);
	/* PLAN-3: a per-event plan sold by the hour needs its hours. */
	sp_err_clear(&err);
	in.plan = "por_evento";
	in.hours = 0;
	CHECK_INT(app_contract_add(w.app, n, fx_at("2026-05-01T09:00:00-06:00"),
				   &w.manager, &in, &err), SP_EINVAL);
	CHECK_STR(err.field, "hours");
	app_close(w.app);
}

/* PLAN-3, PLAN-4: a contract suspended when its term ends expires when
 * the debt is paid, instead of coming back. */
static void
test_plan3_suspended_past_term_expires_on_payment(void)
{
	struct world w;
	struct sp_err err = { 0 };
	struct tick_report r;
	char c[64], f[64], st[32];

	CHECK(world(&w, "easi", fx_at("2025-11-15T09:00:00-06:00")));
	CHECK(contract(&w, c, "poliza", 10, fx_at("2025-11-15T09:00:00-06:00"),
		       true));
	CHECK_INT(app_invoice_issue(w.app, f, fx_at("2026-05-04T09:00:00-06:00"),
				    &w.manager, "Ferretería López", c, "Póliza",
				    500000, NULL, &err), 0);
	CHECK_INT(app_tick(w.app, &r, fx_at("2026-05-16T09:00:00-06:00"), &err), 0);
	contract_state_of(&w, c, st);
	CHECK_STR(st, "expired");
	CHECK_INT(app_invoice_pay(w.app, fx_at("2026-05-20T09:00:00-06:00"),
				  &w.manager, f, "SPEI", &err), 0);
	contract_state_of(&w, c, st);
	CHECK_STR(st, "expired");
	CHECK_INT(balance(&w, c, fx_at("2026-05-21T09:00:00-06:00")), 0);
	app_close(w.app);
}

const struct test contract_tests[] = {
	{ "plan1_every_kind_in_the_seed_packs",
	  test_plan1_every_kind_in_the_seed_packs },
	{ "bill6_easi_warranty_window_three_business_days",
	  test_bill6_easi_warranty_window_three_business_days },
	{ "clo3_ideasys_reopened_fault_first_hour_free",
	  test_clo3_ideasys_reopened_fault_first_hour_free },
	{ "staff_only_money_acts", test_staff_only_money_acts },
	{ "plan3_suspended_past_term_expires_on_payment", test_plan3_suspended_past_term_expires_on_payment },
	{ "bill8_estimate_authorised_before_debit", test_bill8_estimate_authorised_before_debit },
	{ "bill7_quote_approved_and_paid_per_event", test_bill7_quote_approved_and_paid_per_event },
	{ "bill7_quote_expires", test_bill7_quote_expires },
	{ "bill11_invoice_delinquency_and_month_end", test_bill11_invoice_delinquency_and_month_end },
	{ "plan2_contract_from_catalogue_paid_then_active", test_plan2_contract_from_catalogue_paid_then_active },
	{ "plan3_no_contract_no_service", test_plan3_no_contract_no_service },
	{ "plan3_hours_or_term_first", test_plan3_hours_or_term_first },
	{ "banks_drawn_oldest_expiring_first", test_banks_drawn_oldest_expiring_first },
	{ "bill9_consumption_report_es_en", test_bill9_consumption_report_es_en },
	{ "bill5_fourth_quick_question_charged", test_bill5_fourth_quick_question_charged },
	{ "bill12_cancellation_and_refund", test_bill12_cancellation_and_refund },
	{ "ledger_balance_is_sum_and_append_only", test_ledger_balance_is_sum_and_append_only },
	{ "concurrent_debits_never_overdraw", test_concurrent_debits_never_overdraw },
	{ "sla4_easi_plan_rank_orders_queue", test_sla4_easi_plan_rank_orders_queue },
	{ 0 },
};
