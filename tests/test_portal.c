/* test_portal.c — contracts, quotes and invoices through the API, the
 * agent's attendance preview and the customer portal's pages, against a
 * running soporte serve on 127.0.0.1 (PRIV-2, PLAN-5, BILL-1..9). */
#include "../src/app/app.h"
#include "../src/store/store.h"
#include "../src/util/civil.h"
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the attendance preview in app/ ---------------------------------- */

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

struct world {
	struct app *app;
	struct actor agent, manager, customer; /* manager: money acts */
	struct ticket_opened o;
};

static bool
world(struct world *w, const char *pack, const char *plan, int hours,
      int64_t now)
{
	struct sp_err err = { 0 };
	struct contact_input c = { "Ferretería López", "Luis", "López", NULL,
				   NULL, "luis@ferre.mx", NULL };
	struct contract_input ci = { "Ferretería López", plan, hours, 0, 0,
				     100000, NULL };
	struct ticket_input in = { 0 };
	static const char *const names[] = { "steps", "module", "system",
		"system_version", "os_version" };
	char number[64];
	int64_t id;

	memset(w, 0, sizeof *w);
	if ((w->app = fx_app(pack, now)) == NULL)
		return false;
	if (app_org_add(w->app, NULL, now, &app_system, "Ferretería López",
			NULL, &err) ||
	    app_contact_add(w->app, &id, now, &app_system, &c, &err))
		goto fail;
	w->customer = (struct actor){ "contact", id };
	if (app_agent_add(w->app, &id, now, &app_system, "Ana", "ana@p.mx",
			  "agent", &err))
		goto fail;
	w->agent = (struct actor){ "agent", id };
	if (app_agent_add(w->app, &id, now, &app_system, "Diego", "diego@p.mx",
			  "operations_manager", &err))
		goto fail;
	w->manager = (struct actor){ "agent", id };
	if (app_contract_add(w->app, number, now, &w->manager, &ci, &err) ||
	    app_contract_pay(w->app, now, &w->manager, number, "SPEI 1", &err))
		goto fail;
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
	if (app_ticket_open(w->app, &w->o, now, &w->customer, &in, &err))
		goto fail;
	return true;
fail:
	t_fail(__FILE__, __LINE__, "world: %s", err.msg);
	return false;
}

static size_t
attendances(struct world *w)
{
	struct attendance_row *at;
	struct ticket_row t;
	struct arena a;
	size_t n = 0;

	arena_init(&a, 0);
	if (store_ticket_find(w->app->store, &a, &t, w->app->provider_id,
			      w->o.folio, NULL) ||
	    store_attendance_list(w->app->store, &a, &at, &n, t.id, NULL))
		n = (size_t)-1;
	arena_free(&a);
	return n;
}

/* BILL-1..9: previewing an attendance gives what logging the same one
 * then debits, step by step, or the same refusal; the preview itself
 * writes nothing. `want` is the debit expected (-1: a refusal). */
static bool
same_as_log(struct world *w, const char *start, int64_t minutes,
	    const char *modality, bool warranty, int64_t want, int line)
{
	struct attendance_input in = { w->o.folio, fx_at(start), minutes,
				       modality, warranty };
	int64_t now = fx_at(start) + minutes * 60;
	struct attendance_preview p;
	struct attendance_logged lo;
	struct sp_err pe = { 0 }, le = { 0 };
	size_t before = attendances(w);
	int prc, lrc;

	prc = app_attendance_preview(w->app, &p, now, &w->agent, &in, &pe);
	if (attendances(w) != before) {
		t_fail(__FILE__, line, "the preview logged an attendance");
		return false;
	}
	lrc = app_attendance_log(w->app, &lo, now, &w->agent, &in, &le);
	if (prc != lrc || strcmp(pe.msg, le.msg) || strcmp(pe.field, le.field)) {
		t_fail(__FILE__, line, "preview %d '%s', log %d '%s'", prc,
		       pe.msg, lrc, le.msg);
		return false;
	}
	if (lrc) {
		if (want >= 0)
			t_fail(__FILE__, line, "refused: %s", le.msg);
		return want < 0;
	}
	if (!p.computed || p.bill.debit_minutes != lo.bill.debit_minutes ||
	    p.bill.free != lo.bill.free || p.bill.nsteps != lo.bill.nsteps ||
	    p.balance_after != lo.balance_after ||
	    strcmp(p.contracts, lo.contracts) != 0) {
		t_fail(__FILE__, line, "preview %lld min (%d steps, left %lld, "
		       "%s), log %lld min (%d steps, left %lld, %s)",
		       (long long)p.bill.debit_minutes, p.bill.nsteps,
		       (long long)p.balance_after, p.contracts,
		       (long long)lo.bill.debit_minutes, lo.bill.nsteps,
		       (long long)lo.balance_after, lo.contracts);
		return false;
	}
	for (int i = 0; i < p.bill.nsteps; i++) {
		const struct bill_step *a = &p.bill.steps[i], *b = &lo.bill.steps[i];

		if (strcmp(a->rule, b->rule) || a->after_num != b->after_num ||
		    a->after_den != b->after_den || a->before_num != b->before_num) {
			t_fail(__FILE__, line, "step %d: %s vs %s", i, a->rule,
			       b->rule);
			return false;
		}
	}
	if (want >= 0 && lo.bill.debit_minutes != want) {
		t_fail(__FILE__, line, "debited %lld, want %lld",
		       (long long)lo.bill.debit_minutes, (long long)want);
		return false;
	}
	return true;
}

#define SAME(w, start, min, mod, war, want) \
	CHECK(same_as_log(w, start, min, mod, war, want, __LINE__))

/* BILL-2..6 on EASI, CLO-3 on IdeaSys, BILL-8 on Impera, BILL-7 when the
 * hours run short: the preview and the log agree on every one. */
static void
test_bill1_preview_is_what_the_log_debits_on_every_rule(void)
{
	struct world w;
	struct sp_err err = { 0 };
	struct quote_input qi = { NULL, NULL, "estimate", 600, 0, "Diagnóstico" };
	char q[64];

	CHECK(world(&w, "easi", "poliza", 10, fx_at("2026-03-02T09:00:00-06:00")));
	/* BILL-3: minimum, after hours, on site, +10 %, rounding: 250. */
	SAME(&w, "2026-03-02T17:30:00-06:00", 100, "onsite_local", false, 250);
	/* BILL-2, BILL-3: 45 + 10 % rounded up to 10 minutes. */
	SAME(&w, "2026-03-03T10:00:00-06:00", 45, "remote", false, 50);
	/* BILL-5: a free quick question by chat. */
	SAME(&w, "2026-03-03T11:00:00-06:00", 15, "chat", false, 0);
	/* BILL-6: warranty work is free. */
	SAME(&w, "2026-03-03T12:00:00-06:00", 30, "remote", true, 0);
	/* BILL-7: more than the bank holds is refused by both alike. */
	SAME(&w, "2026-03-03T13:00:00-06:00", 1000, "onsite_foreign", false, -1);
	app_close(w.app);

	/* CLO-3 (IdeaSys): a reopened fault's first hour is free. */
	CHECK(world(&w, "ideasys", "por_evento", 10,
		    fx_at("2026-03-10T09:00:00-06:00")));
	qi.ticket = w.o.folio;
	CHECK_INT(app_quote_create(w.app, q, fx_at("2026-03-10T09:00:00-06:00"),
				   &w.agent, &qi, &err), 0);
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-03-10T09:00:00-06:00"),
				   &w.customer, q, true, "web", &err), 0);
	SAME(&w, "2026-03-10T10:00:00-06:00", 30, "remote", false, 60);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-10T11:00:00-06:00"),
				 &w.agent, w.o.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-11T10:00:00-06:00"),
				 &w.customer, w.o.folio, TA_REOPEN, NULL, &err), 0);
	SAME(&w, "2026-03-11T11:00:00-06:00", 40, "remote", false, 0);
	SAME(&w, "2026-03-11T12:00:00-06:00", 50, "remote", false, 60);
	app_close(w.app);

	/* BILL-8 (Impera): without an authorised estimate both refuse; the
	 * preview still says what it would debit. */
	CHECK(world(&w, "impera", "basica", 10, fx_at("2026-03-10T09:00:00-06:00")));
	{
		struct attendance_input in = { w.o.folio,
			fx_at("2026-03-10T10:00:00-06:00"), 30, "remote", false };
		struct attendance_preview p;

		CHECK_INT(app_attendance_preview(w.app, &p,
						 fx_at("2026-03-10T11:00:00-06:00"),
						 &w.agent, &in, &err), SP_ECONFLICT);
		CHECK_STR(err.field, "estimate");
		CHECK(p.computed);
		CHECK_INT(p.bill.debit_minutes, 60);
		/* Customers do not log attendances, nor preview them. */
		sp_err_clear(&err);
		CHECK_INT(app_attendance_preview(w.app, &p,
						 fx_at("2026-03-10T11:00:00-06:00"),
						 &w.customer, &in, &err), SP_EINVAL);
		CHECK(!p.computed);
	}
	SAME(&w, "2026-03-10T10:00:00-06:00", 30, "remote", false, -1);
	qi.ticket = w.o.folio;
	CHECK_INT(app_quote_create(w.app, q, fx_at("2026-03-10T09:00:00-06:00"),
				   &w.agent, &qi, &err), 0);
	CHECK_INT(app_quote_decide(w.app, fx_at("2026-03-10T09:00:00-06:00"),
				   &w.customer, q, true, "web", &err), 0);
	SAME(&w, "2026-03-10T10:00:00-06:00", 30, "remote", false, 60);
	app_close(w.app);
}

/* ---- a server with two customers ------------------------------------- */

struct site {
	struct fx_server s;
	char agent[80], manager[80], luis[80], sofia[80];
	char contract[64], other_contract[64];
	char invoice[64], other_invoice[64];
	char day[16];   /* a past business day, YYYY-MM-DD */
	char ticket[16]; /* Luis's ticket: its id */
};

/* A Tuesday to Thursday 3 to 9 days ago in Mexico City (UTC-6, no DST
 * since 2022), on no fixed-date holiday (SLA-1): a business day whose
 * evening is after hours (BILL-4), whatever day the tests run. */
static void
past_business_day(char out[16])
{
	int64_t day = ((int64_t)time(NULL) - 6 * 3600) / 86400 - 3;

	for (;; day--) {
		struct civil_date d = civil_from_days(day);
		int wd = civil_weekday(day);

		if (wd < 1 || wd > 3 || (d.m == 1 && d.d == 1) ||
		    (d.m == 5 && d.d == 1) || (d.m == 9 && d.d == 16) ||
		    (d.m == 10 && d.d == 1) || (d.m == 12 && d.d == 25))
			continue;
		snprintf(out, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
		return;
	}
}

static bool
cli_word(char *out, size_t size, const char *fmt, struct fx_run *r)
{
	char word[64];
	bool ok = r->status == 0 && sscanf(r->out.ptr, fmt, word) == 1;

	if (ok)
		snprintf(out, size, "%s", word);
	else
		fprintf(stderr, "%s%s", r->out.ptr, r->err.ptr);
	fx_run_free(r);
	return ok;
}

static bool
token(char out[80], const char *db, const char *kind, const char *who)
{
	struct fx_run r;
	bool ok = fx_cli(&r, NULL, "--db", db, "token", "create", kind, who,
			 "--name", "test", NULL) == 0 && r.out.len >= 67;

	if (ok) {
		memcpy(out, r.out.ptr, 67);
		out[67] = '\0';
	}
	fx_run_free(&r);
	return ok;
}

static bool
password(const char *db, const char *kind, const char *who, const char *pw)
{
	struct fx_run r;
	char in[64];
	bool ok;

	snprintf(in, sizeof in, "%s\n", pw);
	ok = fx_cli(&r, in, "--db", db, kind, "password", who, NULL) == 0;
	fx_run_free(&r);
	return ok;
}

/* EASI's demo on a past business day: Ferretería López (Luis) with a
 * 10-hour póliza covering one product, Clínica Santa Fe (Sofía) with a
 * 5-hour one, an invoice each; tokens and passwords; the server. */
static bool
site(struct site *w, const char *db)
{
	char now[32], start[32];
	struct fx_run r;

	memset(w, 0, sizeof *w);
	past_business_day(w->day);
	snprintf(now, sizeof now, "%sT12:00:00", w->day);
	snprintf(start, sizeof start, "%sT08:00:00", w->day);
	snprintf(w->ticket, sizeof w->ticket, "1");
	if (fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(), "--now",
		   now, "demo", "--pack", "easi", NULL) != 0) {
		fprintf(stderr, "%s", r.err.ptr);
		fx_run_free(&r);
		return false;
	}
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "--now", start, "contract", "add", "--org",
	       "Ferretería López", "--plan", "poliza", "--hours", "10",
	       "--products", "[\"contpaqi_licencia_anual\"]", NULL);
	if (!cli_word(w->contract, sizeof w->contract, "contract %63s", &r))
		return false;
	fx_cli(&r, NULL, "--db", db, "--now", start, "contract", "add", "--org",
	       "Clínica Santa Fe", "--plan", "poliza", "--hours", "5", NULL);
	if (!cli_word(w->other_contract, sizeof w->other_contract,
		      "contract %63s", &r))
		return false;
	for (int i = 0; i < 2; i++) {
		fx_cli(&r, NULL, "--db", db, "contract", "pay",
		       i ? w->other_contract : w->contract, "--ref", "SPEI",
		       NULL);
		fx_run_free(&r);
		fx_cli(&r, NULL, "--db", db, "invoice", "issue", "--org",
		       i ? "Clínica Santa Fe" : "Ferretería López", "--concept",
		       "Póliza", "--amount", "100000", NULL);
		if (!cli_word(i ? w->other_invoice : w->invoice, 64, "%63s", &r))
			return false;
	}
	if (!token(w->agent, db, "--agent", "ana.torres@easi.example") ||
	    !token(w->manager, db, "--agent", "diego.salas@easi.example") ||
	    !token(w->luis, db, "--contact", "luis@ferreterialopez.mx") ||
	    !token(w->sofia, db, "--contact", "sofia.navarro@clinicasantafe.mx") ||
	    !password(db, "agent", "ana.torres@easi.example", "contraseña-larga-1") ||
	    !password(db, "contact", "luis@ferreterialopez.mx", "clave-del-cliente-1") ||
	    !password(db, "contact", "sofia.navarro@clinicasantafe.mx",
		      "clave-del-cliente-2"))
		return false;
	return fx_serve(&w->s, db);
}

/* One API call; its status, and its body as JSON in *out (if out). */
static long
call(json_t **out, struct site *w, const char *method, const char *path,
     const char *token_, const char *body)
{
	struct fx_reply r;
	long st = fx_http(&r, &w->s, method, path, token_, body, NULL);

	if (out)
		*out = fx_json(&r);
	buf_free(&r.body);
	return st;
}

static const char *
jstr(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

static long long
jint(json_t *j, const char *k)
{
	return json_integer_value(json_object_get(j, k));
}

/* The body has no sign of another organization's rows. */
static bool
foreign_free(const char *body, const struct site *w)
{
	return strstr(body, "Ferretería") == NULL &&
	       strstr(body, w->contract) == NULL &&
	       strstr(body, w->invoice) == NULL;
}

#define RUN(w, db, scenario)                                            \
	do {                                                            \
		if (!site(w, fx_path(db))) {                            \
			fx_serve_stop(&(w)->s);                         \
			t_fail(__FILE__, __LINE__, "the site did not start"); \
			return;                                         \
		}                                                       \
		scenario(w);                                            \
		CHECK_INT(fx_serve_stop(&(w)->s), 0);                   \
	} while (0)

/* ---- the API ------------------------------------------------------------ */

static void
api_scenario(struct site *w)
{
	json_t *j;
	char path[200], body[400], q[64];

	/* The served description names every new path. */
	{
		static const char *const paths[] = { "/api/v1/organizations",
			"/api/v1/organizations/{id}", "/api/v1/contacts",
			"/api/v1/agents", "/api/v1/contracts",
			"/api/v1/contracts/{number}",
			"/api/v1/tickets/{folio}/attendances/preview",
			"/api/v1/quotes", "/api/v1/quotes/{number}",
			"/api/v1/quotes/{number}/approve",
			"/api/v1/quotes/{number}/reject", "/api/v1/invoices",
			"/api/v1/invoices/{number}" };

		CHECK_INT(call(&j, w, "GET", "/api/v1/openapi.json", NULL, NULL),
			  200);
		CHECK(j != NULL);
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
			CHECK(json_object_get(json_object_get(j, "paths"),
					      paths[i]) != NULL);
		json_decref(j);
	}
	/* The directory: agents see every organization; a customer its
	 * own, with its contacts and contracts. */
	CHECK_INT(call(&j, w, "GET", "/api/v1/organizations", w->agent, NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 3);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/organizations", w->luis, NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/organizations/1", w->luis, NULL), 200);
	CHECK_STR(jstr(j, "name"), "Ferretería López");
	CHECK_INT(json_array_size(json_object_get(j, "contacts")), 2);
	CHECK_STR(jstr(json_array_get(json_object_get(j, "contracts"), 0),
		       "number"), w->contract);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/contacts?organization=2", w->agent,
		       NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/agents", w->agent, NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 4);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/agents", w->luis, NULL), 403);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/organizations/99", w->agent, NULL),
		  404);
	json_decref(j);

	/* Contracts: the list by organization, one with its balance. */
	CHECK_INT(call(&j, w, "GET", "/api/v1/contracts?organization=2", w->agent,
		       NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 1);
	CHECK_STR(jstr(json_array_get(json_object_get(j, "items"), 0), "number"),
		  w->other_contract);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/contracts/%s", w->contract);
	CHECK_INT(call(&j, w, "GET", path, w->luis, NULL), 200);
	CHECK_STR(jstr(j, "state"), "active");
	CHECK_INT(jint(j, "balance_minutes"), 600);
	CHECK_STR(jstr(json_array_get(json_object_get(j, "ledger"), 0), "kind"),
		  "purchase");
	CHECK_STR(json_string_value(json_array_get(json_object_get(j, "products"),
						   0)), "contpaqi_licencia_anual");
	json_decref(j);

	/* A new contract (PLAN-1, PLAN-2): by an operations manager, not a
	 * plain agent (docs/admin.md, Roles), pending payment (BILL-7); a
	 * wrong plan or hours name the field. */
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->agent,
		       "{\"organization\": 3, \"plan\": \"poliza\", \"hours\": 20}"),
		  403);
	CHECK_STR(jstr(json_object_get(j, "error"), "code"), "forbidden");
	CHECK_HAS(jstr(json_object_get(j, "error"), "message"),
		  "needs the role operations_manager");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->manager,
		       "{\"organization\": 3, \"plan\": \"poliza\", \"hours\": 20,"
		       " \"products\": [\"servidor_virtual_contpaqi\"]}"), 201);
	CHECK_STR(jstr(j, "state"), "pending_payment");
	CHECK_INT(jint(j, "bank_minutes"), 1200);
	CHECK_STR(jstr(j, "organization"), "Despacho Contable Ruiz");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->manager,
		       "{\"organization\": 3, \"plan\": \"platino\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "plan");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->manager,
		       "{\"organization\": 3, \"plan\": \"poliza\", \"hours\": "
		       "\"diez\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "hours");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->manager,
		       "{\"plan\": \"poliza\", \"hours\": 5}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "organization");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->agent, "[1]"), 400);
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/contracts", w->luis,
		       "{\"organization\": 1, \"plan\": \"poliza\", \"hours\": 5}"),
		  403);
	json_decref(j);
	CHECK_INT(call(&j, w, "DELETE", "/api/v1/contracts", w->agent, NULL), 405);
	json_decref(j);

	/* Quotes (BILL-7): sent by an agent on Luis's ticket; the fields
	 * at fault are named; Luis approves it, and then it cannot be
	 * rejected. */
	snprintf(body, sizeof body, "{\"ticket\": \"%s\", \"kind\": \"quote\", "
		 "\"minutes\": 120, \"subtotal_centavos\": 150000, "
		 "\"description\": \"Reinstalar el punto de venta\"}", w->ticket);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent, body), 201);
	CHECK_STR(jstr(j, "state"), "sent");
	CHECK_INT(jint(j, "iva_centavos"), 24000);   /* BILL-10 */
	CHECK_INT(jint(j, "total_centavos"), 174000);
	CHECK(json_is_true(json_object_get(j, "answerable")));
	snprintf(q, sizeof q, "%s", jstr(j, "number"));
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent,
		       "{\"organization\": 1, \"kind\": \"quote\", \"minutes\": 0,"
		       " \"subtotal_centavos\": 100, \"description\": \"x\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "minutes");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent,
		       "{\"organization\": 1, \"kind\": \"regalo\", \"minutes\": 60,"
		       " \"subtotal_centavos\": 100, \"description\": \"x\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "kind");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent,
		       "{\"organization\": 1, \"kind\": \"quote\", \"minutes\": 60,"
		       " \"description\": \"x\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "subtotal_centavos");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->luis,
		       "{\"organization\": 1, \"kind\": \"quote\", \"minutes\": 60,"
		       " \"subtotal_centavos\": 100, \"description\": \"x\"}"), 403);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", "/api/v1/quotes?state=sent", w->luis, NULL),
		  200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/quotes/%s/approve", q);
	CHECK_INT(call(&j, w, "POST", path, w->luis,
		       "{\"channel\": \"telegrama\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "channel");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", path, w->luis, NULL), 200);
	CHECK_STR(jstr(j, "state"), "approved");
	CHECK_STR(jstr(j, "decided_channel"), "portal");
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/quotes/%s/reject", q);
	CHECK_INT(call(&j, w, "POST", path, w->luis, NULL), 409);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "state");
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/quotes/%s", q);
	CHECK_INT(call(&j, w, "GET", path, w->agent, NULL), 200);
	CHECK_STR(jstr(j, "state"), "approved");
	CHECK_HAS(jstr(j, "ticket"), "EASI-");
	json_decref(j);
}

static void
test_api_contracts_quotes_and_directory(void)
{
	struct site w;

	RUN(&w, "api.db", api_scenario);
}

/* PRIV-2 in the API: another organization's contract, quote and
 * invoice answer 404 exactly like missing ones, its answer to a quote
 * changes nothing, and no list holds another organization's rows. */
static void
priv2_api_scenario(struct site *w)
{
	json_t *j, *m;
	char path[200], missing[200], body[400], q[64];
	const char *lists[] = { "/api/v1/organizations", "/api/v1/contacts",
		"/api/v1/contracts", "/api/v1/quotes", "/api/v1/invoices" };
	struct fx_reply r;

	snprintf(body, sizeof body, "{\"ticket\": \"%s\", \"kind\": \"estimate\", "
		 "\"minutes\": 60, \"subtotal_centavos\": 50000, \"description\": "
		 "\"Revisar\"}", w->ticket);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent, body), 201);
	snprintf(q, sizeof q, "%s", jstr(j, "number"));
	json_decref(j);
	{
		const char *kinds[][3] = {
			{ "contracts", w->contract, "EASI-C-1999-0001" },
			{ "quotes", q, "EASI-Q-1999-0001" },
			{ "invoices", w->invoice, "EASI-F-1999-0001" },
			{ "organizations", "1", "99" },
		};

		for (int i = 0; i < 4; i++) {
			snprintf(path, sizeof path, "/api/v1/%s/%s", kinds[i][0],
				 kinds[i][1]);
			snprintf(missing, sizeof missing, "/api/v1/%s/%s",
				 kinds[i][0], kinds[i][2]);
			CHECK_INT(call(&j, w, "GET", path, w->sofia, NULL), 404);
			CHECK_INT(call(&m, w, "GET", missing, w->sofia, NULL), 404);
			CHECK_STR(jstr(json_object_get(j, "error"), "code"),
				  jstr(json_object_get(m, "error"), "code"));
			CHECK_STR(jstr(json_object_get(j, "error"), "field"),
				  jstr(json_object_get(m, "error"), "field"));
			CHECK(strstr(jstr(json_object_get(j, "error"), "message"),
				     "no ") != NULL);
			json_decref(j);
			json_decref(m);
			/* The owner sees it. */
			CHECK_INT(call(NULL, w, "GET", path, w->luis, NULL), 200);
		}
	}
	/* Answering another organization's quote: 404, and it stays sent. */
	snprintf(path, sizeof path, "/api/v1/quotes/%s/approve", q);
	CHECK_INT(call(&j, w, "POST", path, w->sofia, NULL), 404);
	CHECK_HAS(jstr(json_object_get(j, "error"), "message"), "no quote '");
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/quotes/%s", q);
	CHECK_INT(call(&j, w, "GET", path, w->agent, NULL), 200);
	CHECK_STR(jstr(j, "state"), "sent");
	json_decref(j);
	/* Filtering by another organization is 404 too. */
	CHECK_INT(call(NULL, w, "GET", "/api/v1/contracts?organization=1",
		       w->sofia, NULL), 404);
	CHECK_INT(call(NULL, w, "GET", "/api/v1/quotes?organization=1",
		       w->sofia, NULL), 404);
	CHECK_INT(call(NULL, w, "GET", "/api/v1/quotes?ticket=1", w->sofia,
		       NULL), 404);
	CHECK_INT(call(NULL, w, "GET", "/api/v1/invoices?organization=1",
		       w->sofia, NULL), 404);
	/* Lists: Sofía's own rows only; the agent sees both. */
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		CHECK_INT(fx_http(&r, &w->s, "GET", lists[i], w->sofia, NULL, NULL),
			  200);
		CHECK(foreign_free(r.body.ptr, w));
		CHECK(strstr(r.body.ptr, q) == NULL);
		buf_free(&r.body);
	}
	CHECK_INT(fx_http(&r, &w->s, "GET", "/api/v1/contracts", w->sofia, NULL,
			  NULL), 200);
	CHECK_HAS(r.body.ptr, w->other_contract);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, &w->s, "GET", "/api/v1/invoices", w->agent, NULL,
			  NULL), 200);
	CHECK_HAS(r.body.ptr, w->invoice);
	CHECK_HAS(r.body.ptr, w->other_invoice);
	buf_free(&r.body);
	snprintf(path, sizeof path, "/api/v1/invoices/%s", w->invoice);
	CHECK_INT(call(&j, w, "GET", path, w->luis, NULL), 200);
	CHECK_INT(jint(j, "total_centavos"), 116000);
	CHECK_STR(jstr(j, "state"), "issued");
	json_decref(j);
}

static void
test_priv2_api_another_org_is_404_and_lists_hold_own_rows(void)
{
	struct site w;

	RUN(&w, "priv2.db", priv2_api_scenario);
}

/* BILL-1..9 through the API: the preview of 100 minutes on site from
 * 17:30 on a business day is the documented 250 (minimum, after hours,
 * on site, +10 %, rounding) and writes nothing; logging the same
 * attendance then debits exactly that. */
static void
preview_scenario(struct site *w)
{
	json_t *j, *steps;
	char path[200], body[300], contract[200];
	static const char *const rules[] = { "minimum", "after_hours",
		"modality_factor", "report_overhead", "rounding" };

	snprintf(path, sizeof path, "/api/v1/tickets/%s/attendances/preview",
		 w->ticket);
	snprintf(body, sizeof body, "{\"minutes\": 100, \"modality\": "
		 "\"onsite_local\", \"start\": \"%sT17:30:00-06:00\"}", w->day);
	snprintf(contract, sizeof contract, "/api/v1/contracts/%s", w->contract);
	CHECK_INT(call(&j, w, "POST", path, w->agent, body), 200);
	CHECK_INT(jint(j, "debit_minutes"), 250);
	CHECK(json_is_true(json_object_get(j, "would_log")));
	CHECK(json_is_null(json_object_get(j, "refusal")));
	CHECK_INT(jint(j, "balance_minutes_before"), 600);
	CHECK_INT(jint(j, "balance_minutes_after"), 350);
	CHECK_STR(jstr(j, "contracts"), w->contract);
	CHECK_HAS(jstr(j, "summary"), "Se debitarán 4 h 10 min");
	steps = json_object_get(j, "steps");
	CHECK_INT(json_array_size(steps), 5);
	for (size_t i = 0; i < 5; i++)
		CHECK_STR(jstr(json_array_get(steps, i), "rule"), rules[i]);
	json_decref(j);
	/* Nothing was written. */
	CHECK_INT(call(&j, w, "GET", contract, w->agent, NULL), 200);
	CHECK_INT(jint(j, "balance_minutes"), 600);
	CHECK_INT(json_array_size(json_object_get(j, "ledger")), 1);
	json_decref(j);
	/* The log debits what the preview said. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/attendances", w->ticket);
	CHECK_INT(call(&j, w, "POST", path, w->agent, body), 201);
	CHECK_INT(jint(j, "debit_minutes"), 250);
	CHECK_INT(jint(j, "balance_minutes"), 350);
	json_decref(j);
	CHECK_INT(call(&j, w, "GET", contract, w->agent, NULL), 200);
	CHECK_INT(jint(j, "balance_minutes"), 350);
	{
		json_t *d = json_array_get(json_object_get(j, "ledger"), 1);

		CHECK_STR(jstr(d, "kind"), "debit");
		CHECK_INT(jint(d, "minutes"), -250);
		CHECK_INT(jint(json_object_get(d, "attendance"), "debit_minutes"),
			  250);
		CHECK_INT(json_array_size(json_object_get(
			json_object_get(d, "attendance"), "steps")), 5);
	}
	json_decref(j);

	/* BILL-7: more than the bank holds: the debit is shown, and that the
	 * log would refuse it. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/attendances/preview",
		 w->ticket);
	snprintf(body, sizeof body, "{\"minutes\": 600, \"modality\": "
		 "\"onsite_foreign\", \"start\": \"%sT08:00:00-06:00\"}", w->day);
	CHECK_INT(call(&j, w, "POST", path, w->agent, body), 200);
	CHECK(json_is_false(json_object_get(j, "would_log")));
	CHECK_STR(jstr(json_object_get(j, "refusal"), "field"), "contract");
	CHECK_HAS(jstr(json_object_get(j, "refusal"), "message"), "BILL-7");
	CHECK(jint(j, "debit_minutes") > 350);
	json_decref(j);
	/* Bad input names its field; customers may not; no such ticket. */
	CHECK_INT(call(&j, w, "POST", path, w->agent,
		       "{\"minutes\": 30, \"modality\": \"telepatía\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "modality");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", path, w->agent, "{\"minutes\": 0}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "minutes");
	json_decref(j);
	CHECK_INT(call(&j, w, "POST", path, w->agent,
		       "{\"minutes\": 30, \"start\": \"ayer\"}"), 422);
	CHECK_STR(jstr(json_object_get(j, "error"), "field"), "start");
	json_decref(j);
	CHECK_INT(call(NULL, w, "POST", path, w->luis, "{\"minutes\": 30}"), 403);
	CHECK_INT(call(NULL, w, "POST", "/api/v1/tickets/EASI-0000-9999/"
		       "attendances/preview", w->agent, "{\"minutes\": 30}"), 404);
	CHECK_INT(call(NULL, w, "GET", path, w->agent, NULL), 405);
}

static void
test_bill3_api_preview_equals_the_logged_debit(void)
{
	struct site w;

	RUN(&w, "preview.db", preview_scenario);
}

/* ---- the portal and the console ---------------------------------------- */

static bool
form_ok(struct site *w, long want, const char *path, const char *cookie,
	const char *body, const char *needle, int line)
{
	struct fx_reply r;
	long st = fx_form(&r, &w->s, path, cookie, body);
	bool ok = st == want && (needle == NULL || strstr(r.body.ptr, needle));

	if (!ok)
		t_fail(__FILE__, line, "%s: %ld (want %ld)%s%s\n%s", path, st,
		       want, needle ? ", looking for " : "",
		       needle ? needle : "", r.body.ptr);
	buf_free(&r.body);
	return ok;
}

#define FORM(w, want, path, cookie, body, needle) \
	CHECK(form_ok(w, want, path, cookie, body, needle, __LINE__))

/* BILL-7 in the portal: Luis approves a quote sent on his ticket; a
 * post without the form's CSRF token is refused and changes nothing. */
static void
bill7_portal_scenario(struct site *w)
{
	json_t *j;
	char cookie[80], csrf[64], body[400], path[200], page[64], q[64];

	snprintf(body, sizeof body, "{\"ticket\": \"%s\", \"kind\": \"quote\", "
		 "\"minutes\": 120, \"subtotal_centavos\": 150000, "
		 "\"description\": \"Reinstalar el punto de venta\"}", w->ticket);
	CHECK_INT(call(&j, w, "POST", "/api/v1/quotes", w->agent, body), 201);
	snprintf(q, sizeof q, "%s", jstr(j, "number"));
	json_decref(j);
	CHECK(fx_sign_in(&w->s, "email=luis%40ferreterialopez.mx&password=clave-"
			 "del-cliente-1", cookie, csrf, "/console/quotes"));
	/* The header links the new pages; the quote waits with its
	 * buttons, here and on the ticket. */
	FORM(w, 200, "/console/quotes", cookie, NULL, "href=\"/console/contracts\"");
	snprintf(path, sizeof path, "/console/quotes/%s/approve", q);
	FORM(w, 200, "/console/quotes", cookie, NULL, path);
	snprintf(page, sizeof page, "/console/t/%s", w->ticket);
	FORM(w, 200, page, cookie, NULL, path);
	FORM(w, 200, page, cookie, NULL, "por autorizar");
	/* No token, a wrong token: 403, and the quote is still sent. */
	FORM(w, 403, path, cookie, "back=ticket", NULL);
	FORM(w, 403, path, cookie, "csrf=00000000000000000000000000000000000000"
	     "0000000000&back=ticket", NULL);
	snprintf(body, sizeof body, "/api/v1/quotes/%s", q);
	CHECK_INT(call(&j, w, "GET", body, w->agent, NULL), 200);
	CHECK_STR(jstr(j, "state"), "sent");
	json_decref(j);
	/* With it: approved, through the portal, back on the ticket. */
	snprintf(body, sizeof body, "csrf=%s&back=ticket", csrf);
	FORM(w, 303, path, cookie, body, NULL);
	snprintf(body, sizeof body, "/api/v1/quotes/%s", q);
	CHECK_INT(call(&j, w, "GET", body, w->agent, NULL), 200);
	CHECK_STR(jstr(j, "state"), "approved");
	CHECK_STR(jstr(j, "decided_channel"), "portal");
	json_decref(j);
	FORM(w, 200, page, cookie, NULL, "aprobada");
	FORM(w, 200, "/console/quotes", cookie, NULL, "Nada pendiente");
	/* Answered once: a second answer is refused with the reason. */
	snprintf(path, sizeof path, "/console/quotes/%s/reject", q);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	FORM(w, 409, path, cookie, body, "no longer");
}

static void
test_bill7_portal_customer_approves_quote_with_csrf(void)
{
	struct site w;

	RUN(&w, "bill7.db", bill7_portal_scenario);
}

/* PLAN-5 and BILL-9 in the portal; PRIV-2 on the contract pages. */
static void
contract_pages_scenario(struct site *w)
{
	json_t *j;
	char cookie[80], csrf[64], ocookie[80], ocsrf[64], path[200], body[300];
	char from[64];
	struct civil_date d;
	static const char *const months[] = { "enero", "febrero", "marzo",
		"abril", "mayo", "junio", "julio", "agosto", "septiembre",
		"octubre", "noviembre", "diciembre" };

	/* An attendance to report: the documented 250 minutes. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/attendances", w->ticket);
	snprintf(body, sizeof body, "{\"minutes\": 100, \"modality\": "
		 "\"onsite_local\", \"start\": \"%sT17:30:00-06:00\"}", w->day);
	CHECK_INT(call(&j, w, "POST", path, w->agent, body), 201);
	json_decref(j);
	CHECK(fx_sign_in(&w->s, "email=luis%40ferreterialopez.mx&password=clave-"
			 "del-cliente-1", cookie, csrf, "/console/contracts"));
	/* The list: balance, hours used and left, term, state. */
	FORM(w, 200, "/console/contracts", cookie, NULL, w->contract);
	FORM(w, 200, "/console/contracts", cookie, NULL, "5 h 50 min");
	FORM(w, 200, "/console/contracts", cookie, NULL, "vigente");
	FORM(w, 200, "/console/contracts", cookie, NULL, "4 h 10 min");
	/* BILL-9: the ledger and the consumption report with the factors
	 * applied and the balance left. */
	snprintf(path, sizeof path, "/console/contracts/%s", w->contract);
	FORM(w, 200, path, cookie, NULL, "Reportes de consumo (BILL-9)");
	FORM(w, 200, path, cookie, NULL, "fuera de horario (BILL-4): 120.00 → "
	     "165.00 min");
	FORM(w, 200, path, cookie, NULL, "factor por atención en sitio (BILL-3)");
	FORM(w, 200, path, cookie, NULL, "redondeo hacia arriba (BILL-2): 242.00 "
	     "→ 250.00 min");
	FORM(w, 200, path, cookie, NULL, "Descontado de esta póliza: 4 h 10 min "
	     "· saldo después: 5 h 50 min");
	FORM(w, 200, path, cookie, NULL, "Disponibles: 5 h 50 min");
	/* PLAN-5: number, customer, kind, term, products. */
	civil_parse_date(&d, w->day);
	snprintf(from, sizeof from, "del %d de %s de %d", d.d, months[d.m - 1],
		 d.y);
	snprintf(path, sizeof path, "/console/contracts/%s/certificate",
		 w->contract);
	FORM(w, 200, path, cookie, NULL, "Certificado de póliza de soporte técnico");
	FORM(w, 200, path, cookie, NULL, w->contract);
	FORM(w, 200, path, cookie, NULL, "<td>Ferretería López</td>");
	FORM(w, 200, path, cookie, NULL, "<tr><th>Vigencia</th>");
	FORM(w, 200, path, cookie, NULL, from);
	FORM(w, 200, path, cookie, NULL, "CONTPAQi — licencia anual");
	FORM(w, 200, path, cookie, NULL, "Póliza (bolsa de horas)");
	FORM(w, 200, path, cookie, NULL, "Sello de la empresa");

	/* PRIV-2: Sofía gets 404 on Ferretería's pages, exactly like a
	 * contract that does not exist; her list has her own only. */
	CHECK(fx_sign_in(&w->s, "email=sofia.navarro%40clinicasantafe.mx&"
			 "password=clave-del-cliente-2", ocookie, ocsrf,
			 "/console/contracts"));
	snprintf(path, sizeof path, "/console/contracts/%s", w->contract);
	FORM(w, 404, path, ocookie, NULL, "No existe esa póliza");
	FORM(w, 404, "/console/contracts/EASI-C-1999-0001", ocookie, NULL,
	     "No existe esa póliza");
	snprintf(path, sizeof path, "/console/contracts/%s/certificate",
		 w->contract);
	FORM(w, 404, path, ocookie, NULL, "No existe esa póliza");
	FORM(w, 200, "/console/contracts", ocookie, NULL, w->other_contract);
	{
		struct fx_reply r;

		CHECK_INT(fx_form(&r, &w->s, "/console/contracts", ocookie, NULL),
			  200);
		CHECK(foreign_free(r.body.ptr, w));
		buf_free(&r.body);
	}
}

static void
test_plan5_bill9_portal_certificate_ledger_and_priv2(void)
{
	struct site w;

	RUN(&w, "contracts.db", contract_pages_scenario);
}

/* The agent's ticket page: the live preview beside the attendance form
 * (BILL-1..8, through web/attend.js), quotes sent from it (BILL-7,
 * BILL-8), and the customer's quote refused to another customer. */
static void
console_scenario(struct site *w)
{
	json_t *j;
	char cookie[80], csrf[64], ccookie[80], ccsrf[64], ocookie[80], ocsrf[64];
	char page[64], path[200], body[400], q[64];
	struct fx_reply r;

	snprintf(page, sizeof page, "/console/t/%s", w->ticket);
	CHECK(fx_sign_in(&w->s, "email=ana.torres%40easi.example&password=contra"
			 "se%C3%B1a-larga-1", cookie, csrf, page));
	FORM(w, 200, page, cookie, NULL, "id=\"attend-preview\"");
	FORM(w, 200, page, cookie, NULL, "<script src=\"/static/attend.js\"");
	FORM(w, 200, page, cookie, NULL, "/attend\">");
	FORM(w, 200, "/static/attend.js", NULL, NULL, "attend-preview");
	/* The preview, as the form logs it (ending now). */
	snprintf(path, sizeof path, "%s/preview?minutes=100&modality=onsite_local",
		 page);
	CHECK_INT(fx_form(&r, &w->s, path, cookie, NULL), 200);
	j = fx_json(&r);
	buf_free(&r.body);
	CHECK(j != NULL);
	CHECK(jint(j, "debit_minutes") >= 180);  /* at least 120 × 4/3 + 10 % */
	CHECK_HAS(jstr(j, "summary"), "Se debitarán");
	CHECK_HAS(jstr(j, "summary"), "en sitio cuenta x4/3");
	json_decref(j);
	snprintf(path, sizeof path, "%s/preview?minutes=0", page);
	FORM(w, 422, path, cookie, NULL, "\"field\":\"minutes\"");
	snprintf(path, sizeof path, "%s/preview?minutes=30&modality=x", page);
	FORM(w, 422, path, cookie, NULL, "\"field\":\"modality\"");
	snprintf(path, sizeof path, "%s/preview?minutes=30", page);
	FORM(w, 401, path, NULL, NULL, "unauthorized");

	/* BILL-8: an estimate sent from the ticket page; its amount is in
	 * pesos; a bad amount is refused and sends nothing. */
	snprintf(path, sizeof path, "%s/quote", page);
	snprintf(body, sizeof body, "csrf=%s&kind=estimate&minutes=90&amount=12x"
		 "&description=Revisar+el+servidor", csrf);
	FORM(w, 422, path, cookie, body, "pesos");
	snprintf(body, sizeof body, "kind=estimate&minutes=90&amount=1200.5"
		 "&description=Revisar+el+servidor");
	FORM(w, 403, path, cookie, body, NULL);
	CHECK_INT(call(&j, w, "GET", "/api/v1/quotes", w->agent, NULL), 200);
	CHECK_INT(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	snprintf(body, sizeof body, "csrf=%s&kind=estimate&minutes=90&amount=1200.5"
		 "&description=Revisar+el+servidor", csrf);
	FORM(w, 303, path, cookie, body, NULL);
	CHECK_INT(call(&j, w, "GET", "/api/v1/quotes", w->agent, NULL), 200);
	{
		json_t *e = json_array_get(json_object_get(j, "items"), 0);

		CHECK_STR(jstr(e, "kind"), "estimate");
		CHECK_INT(jint(e, "subtotal_centavos"), 120050);
		CHECK_INT(jint(e, "minutes"), 90);
		snprintf(q, sizeof q, "%s", jstr(e, "number"));
	}
	json_decref(j);
	FORM(w, 200, page, cookie, NULL, q);
	/* The customer sees no preview, and another customer cannot
	 * answer Luis's estimate. */
	CHECK(fx_sign_in(&w->s, "email=luis%40ferreterialopez.mx&password=clave-"
			 "del-cliente-1", ccookie, ccsrf, page));
	CHECK_INT(fx_form(&r, &w->s, page, ccookie, NULL), 200);
	CHECK(strstr(r.body.ptr, "attend-preview") == NULL);
	CHECK_HAS(r.body.ptr, q);
	buf_free(&r.body);
	snprintf(path, sizeof path, "%s/preview?minutes=30", page);
	FORM(w, 403, path, ccookie, NULL, "forbidden");
	CHECK(fx_sign_in(&w->s, "email=sofia.navarro%40clinicasantafe.mx&"
			 "password=clave-del-cliente-2", ocookie, ocsrf,
			 "/console/quotes"));
	FORM(w, 404, page, ocookie, NULL, NULL);
	snprintf(path, sizeof path, "/console/quotes/%s/approve", q);
	snprintf(body, sizeof body, "csrf=%s", ocsrf);
	FORM(w, 404, path, ocookie, body, "no quote");
	snprintf(path, sizeof path, "/api/v1/quotes/%s", q);
	CHECK_INT(call(&j, w, "GET", path, w->agent, NULL), 200);
	CHECK_STR(jstr(j, "state"), "sent");
	json_decref(j);
}

static void
test_bill8_console_preview_and_estimate_from_the_ticket(void)
{
	struct site w;

	RUN(&w, "console.db", console_scenario);
}

/* SLA-5 (Intecnia): the agent escalates a ticket from its page, one
 * step up the ladder; without the CSRF token nothing happens. */
static void
sla5_scenario(struct fx_server *s, const char *agent)
{
	struct fx_reply rp;
	json_t *j;
	char cookie[80], csrf[64], body[200], page[96], path[128];

	/* A fresh ticket: the demo's older ones may have escalated on
	 * their own by the time the tests run. */
	CHECK_INT(fx_http(&rp, s, "POST", "/api/v1/tickets", agent,
			  "{\"contact\": \"luis@ferreterialopez.mx\", \"channel\": "
			  "\"email\", \"subject\": \"Sin red\", \"description\": "
			  "\"No hay red en caja\"}", NULL), 201);
	j = fx_json(&rp);
	buf_free(&rp.body);
	CHECK(j != NULL);
	snprintf(page, sizeof page, "/console/t/%s", jstr(j, "folio"));
	json_decref(j);
	snprintf(path, sizeof path, "%s/escalate", page);
	CHECK(fx_sign_in(s, "email=ana.torres%40intecnia.example&password=contra"
			 "se%C3%B1a-larga-1", cookie, csrf, page));
	CHECK_INT(fx_form(&rp, s, page, cookie, NULL), 200);
	CHECK_HAS(rp.body.ptr, "Nivel actual: agente asignado");
	CHECK_HAS(rp.body.ptr, "siguiente nivel: responsable de calidad");
	buf_free(&rp.body);
	CHECK_INT(fx_form(&rp, s, path, cookie, "reason=sin+respuesta"), 403);
	buf_free(&rp.body);
	CHECK_INT(fx_form(&rp, s, page, cookie, NULL), 200);
	CHECK_HAS(rp.body.ptr, "Nivel actual: agente asignado");
	buf_free(&rp.body);
	snprintf(body, sizeof body, "csrf=%s&reason=sin+respuesta", csrf);
	CHECK_INT(fx_form(&rp, s, path, cookie, body), 303);
	buf_free(&rp.body);
	CHECK_INT(fx_form(&rp, s, page, cookie, NULL), 200);
	CHECK_HAS(rp.body.ptr, "Nivel actual: responsable de calidad");
	buf_free(&rp.body);
}

static void
test_sla5_console_escalates_one_step(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("escalate.db");
	struct fx_run r;

	CHECK(fx_demo_tokens(db, agent, customer, other));
	CHECK_INT(fx_cli(&r, "contraseña-larga-1\n", "--db", db, "agent",
			 "password", "ana.torres@intecnia.example", NULL), 0);
	fx_run_free(&r);
	if (!fx_serve(&s, db)) {
		fx_serve_stop(&s);
		t_fail(__FILE__, __LINE__, "the server did not answer /healthz");
		return;
	}
	sla5_scenario(&s, agent);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test portal_tests[] = {
	{ "bill1_preview_is_what_the_log_debits_on_every_rule",
	  test_bill1_preview_is_what_the_log_debits_on_every_rule },
	{ "api_contracts_quotes_and_directory",
	  test_api_contracts_quotes_and_directory },
	{ "priv2_api_another_org_is_404_and_lists_hold_own_rows",
	  test_priv2_api_another_org_is_404_and_lists_hold_own_rows },
	{ "bill3_api_preview_equals_the_logged_debit",
	  test_bill3_api_preview_equals_the_logged_debit },
	{ "bill7_portal_customer_approves_quote_with_csrf",
	  test_bill7_portal_customer_approves_quote_with_csrf },
	{ "plan5_bill9_portal_certificate_ledger_and_priv2",
	  test_plan5_bill9_portal_certificate_ledger_and_priv2 },
	{ "bill8_console_preview_and_estimate_from_the_ticket",
	  test_bill8_console_preview_and_estimate_from_the_ticket },
	{ "sla5_console_escalates_one_step", test_sla5_console_escalates_one_step },
	{ 0 },
};
