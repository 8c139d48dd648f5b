/* test_reports.c — the reports (REP-1, REP-2): the app's figures at a
 * fixed `now`, then the same figures through a running soporte serve on
 * 127.0.0.1 (fx_http.h): the JSON API and the console page, whose SVG
 * bars must match them; a customer sees only its own organization's
 * hours and no SLA report (PRIV-2). */
#include "../src/app/app.h"
#include "../src/zone/zone.h"
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
				     '\n' };

/* ---- the world: EASI, two customers, tickets in two months ---------- */

#define CLINIC "Clínica <Norte> & Hijos"

struct world {
	struct app *app;
	struct actor agent, manager, luis, sofia, loner;
	int64_t debit[3]; /* org 1: Sep, Oct; org 2: Oct */
	char agent_token[80], luis_token[80], sofia_token[80];
};

/* A wall-clock reading in the provider's zone (America/Mexico_City). */
static int64_t
local(struct world *w, const char *s)
{
	int64_t t = 0;

	if (zone_parse(w->app->zone, &t, s)) {
		fprintf(stderr, "bad local time %s\n", s);
		abort();
	}
	return t;
}

static bool
ok(int rc, const struct sp_err *err, const char *what, int line)
{
	if (rc == 0)
		return true;
	t_fail(__FILE__, line, "%s: %s", what, err->msg);
	return false;
}
#define OK(what, call) ok((call), &err, (what), __LINE__)

/* A ticket at `at`; complete (INT-3) unless `missing`, when EASI waits
 * on the customer with its SLA clock paused (SLA-3). */
static bool
open_at(struct world *w, char folio[64], const char *at, const char *contact,
	const char *priority, bool missing)
{
	static const char *const names[] = { "steps", "module", "system",
		"system_version", "os_version" };
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct sp_err err = { 0 };

	in.contact = contact;
	in.channel = "web";
	in.priority = priority;
	in.subject = "Falla al timbrar";
	in.description = "No timbra";
	if (!missing) {
		for (int i = 0; i < 5; i++) {
			in.field_names[i] = names[i];
			in.field_values[i] = "x";
		}
		in.nfields = 5;
		in.files[0] = (struct ticket_file){ "e.png", "image/png", png,
						    sizeof png };
		in.nfiles = 1;
	}
	if (!OK("open", app_ticket_open(w->app, &o, local(w, at), contact[0] ==
					'l' ? &w->luis : &w->sofia, &in, &err)))
		return false;
	snprintf(folio, 64, "%s", o.folio);
	return true;
}

/* The agent's first public reply: the first-response clock stops. */
static bool
reply_at(struct world *w, const char *folio, const char *at)
{
	struct sp_err err = { 0 };

	return OK("reply", app_ticket_reply(w->app, local(w, at), &w->agent,
					    folio, "Lo revisamos", false, &err));
}

static bool
attend_at(struct world *w, int64_t *debit, const char *folio, const char *at,
	  int64_t minutes)
{
	struct attendance_input in = { folio, local(w, at), minutes, "remote",
				       false };
	struct attendance_logged lo;
	struct sp_err err = { 0 };

	if (!OK("attend", app_attendance_log(w->app, &lo, in.start +
					     minutes * 60, &w->agent, &in,
					     &err)))
		return false;
	*debit = lo.bill.debit_minutes;
	return true;
}

/*
 * EASI's first-response targets (SLA-2): high 1, medium 6, low 12
 * business hours, Mon-Fri 09:00-18:00 America/Mexico_City.
 *
 * Times are wall-clock readings in Mexico City (UTC-6).
 *
 *   Sep  high    T1 09-08 10:00, reply 10:30           met
 *        high    T2 09-08 11:00, reply 14:00 (3 h)     breached
 *        medium  T3 09-09 10:00, reply 12:00           met
 *        low     T7 09-30 23:30 local (Oct 1 in UTC), reply 10-01 09:30  met
 *   Oct  high    T5 10-07 10:00, data missing: waiting, paused    running
 *        medium  T6 10-14 10:00 (Clínica), reply 10:20 met
 *        low     T4 10-06 10:00, reply 10-08 10:00 (18 h)         breached
 *   Aug  high    T8 08-31 23:00 local (Sep 1 in UTC): not September
 */
static bool
world(struct world *w)
{
	struct contact_input c1 = { "Ferretería López", "Luis", "López", NULL,
				    NULL, "luis@ferre.mx", NULL };
	struct contact_input c2 = { CLINIC, "Sofía", "Navarro", NULL, NULL,
				    "sofia@clinica.mx", NULL };
	struct contact_input c3 = { NULL, "Solo", "Nadie", NULL, NULL,
				    "solo@nadie.mx", NULL };
	struct contract_input k1 = { "Ferretería López", "poliza", 10, 0, 0,
				     100000, NULL };
	struct contract_input k2 = { CLINIC, "poliza", 5, 0, 0, 50000, NULL };
	int64_t t0 = fx_at("2026-08-03T09:00:00-06:00"), id;
	struct sp_err err = { 0 };
	char n1[64], n2[64], f[8][64];

	memset(w, 0, sizeof *w);
	if ((w->app = fx_app("easi", t0)) == NULL)
		return false;
	if (!OK("org", app_org_add(w->app, NULL, t0, &app_system,
				   "Ferretería López", NULL, &err)) ||
	    !OK("org", app_org_add(w->app, NULL, t0, &app_system, CLINIC, NULL,
				   &err)) ||
	    !OK("contact", app_contact_add(w->app, &id, t0, &app_system, &c1,
					   &err)))
		return false;
	w->luis = (struct actor){ "contact", id };
	if (!OK("contact", app_contact_add(w->app, &id, t0, &app_system, &c2,
					   &err)))
		return false;
	w->sofia = (struct actor){ "contact", id };
	if (!OK("contact", app_contact_add(w->app, &id, t0, &app_system, &c3,
					   &err)))
		return false;
	w->loner = (struct actor){ "contact", id };
	if (!OK("agent", app_agent_add(w->app, &id, t0, &app_system, "Ana",
				       "ana@easi.example", "agent", &err)))
		return false;
	w->agent = (struct actor){ "agent", id };
	if (!OK("manager", app_agent_add(w->app, &id, t0, &app_system, "Diego",
					 "diego@easi.example",
					 "operations_manager", &err)))
		return false;
	w->manager = (struct actor){ "agent", id };
	if (!OK("contract", app_contract_add(w->app, n1, t0, &w->manager, &k1,
					     &err)) ||
	    !OK("pay", app_contract_pay(w->app, t0, &w->manager, n1, "SPEI 1",
					&err)) ||
	    !OK("contract", app_contract_add(w->app, n2, t0, &w->manager, &k2,
					     &err)) ||
	    !OK("pay", app_contract_pay(w->app, t0, &w->manager, n2, "SPEI 2",
					&err)))
		return false;
	return open_at(w, f[0], "2026-09-08T10:00:00", "luis@ferre.mx", "high",
		       false) &&
	       reply_at(w, f[0], "2026-09-08T10:30:00") &&
	       open_at(w, f[1], "2026-09-08T11:00:00", "luis@ferre.mx", "high",
		       false) &&
	       reply_at(w, f[1], "2026-09-08T14:00:00") &&
	       open_at(w, f[2], "2026-09-09T10:00:00", "luis@ferre.mx",
		       "medium", false) &&
	       reply_at(w, f[2], "2026-09-09T12:00:00") &&
	       attend_at(w, &w->debit[0], f[0], "2026-09-08T11:00:00", 60) &&
	       open_at(w, f[3], "2026-10-06T10:00:00", "luis@ferre.mx", "low",
		       false) &&
	       reply_at(w, f[3], "2026-10-08T10:00:00") &&
	       attend_at(w, &w->debit[1], f[3], "2026-10-08T11:00:00", 30) &&
	       open_at(w, f[4], "2026-10-07T10:00:00", "luis@ferre.mx", "high",
		       true) &&
	       open_at(w, f[5], "2026-10-14T10:00:00", "sofia@clinica.mx",
		       "medium", false) &&
	       reply_at(w, f[5], "2026-10-14T10:20:00") &&
	       attend_at(w, &w->debit[2], f[5], "2026-10-14T11:00:00", 20) &&
	       open_at(w, f[6], "2026-09-30T23:30:00-06:00", "sofia@clinica.mx",
		       "low", false) &&
	       reply_at(w, f[6], "2026-10-01T09:30:00") &&
	       open_at(w, f[7], "2026-08-31T23:00:00-06:00", "sofia@clinica.mx",
		       "high", false);
}

static const struct sla_month_row *
month_row(const struct sla_month_report *rep, const char *month,
	  const char *priority)
{
	for (size_t i = 0; i < rep->nrows; i++)
		if (strcmp(rep->rows[i].month, month) == 0 &&
		    strcmp(rep->rows[i].priority, priority) == 0)
			return &rep->rows[i];
	return NULL;
}

/* The expected first-response figures: month, priority, tickets, met,
 * breached, running. */
static const struct {
	const char *month, *priority;
	int tickets, met, breached, running;
} want_fr[] = {
	{ "2026-09", "high", 2, 1, 1, 0 },
	{ "2026-09", "medium", 1, 1, 0, 0 },
	{ "2026-09", "low", 1, 1, 0, 0 },
	{ "2026-10", "high", 1, 0, 0, 1 },
	{ "2026-10", "medium", 1, 1, 0, 0 },
	{ "2026-10", "low", 1, 0, 1, 0 },
};

/* REP-1, SLA-6: by month of creation on the provider's wall clock (a
 * ticket of Sep 30, 23:30 in Mexico City is September's though it is
 * October in UTC, one of Aug 31, 23:00 is not September's) and by
 * priority, with every month and priority present. */
static void
test_rep1_sla_by_month_and_priority_in_the_provider_zone(void)
{
	struct world w;
	struct sla_month_report rep;
	struct sla_report_row *tot;
	struct sp_err err = { 0 };
	struct arena a;
	int64_t now = fx_at("2026-11-20T10:00:00-06:00");
	size_t ntot;

	CHECK(world(&w));
	arena_init(&a, 0);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2026-09", "2026-10",
					now, &err), 0);
	CHECK_STR(rep.from, "2026-09");
	CHECK_STR(rep.to, "2026-10");
	CHECK_INT(rep.nmonths, 2);
	CHECK_INT(rep.nrows, 6);
	/* Month by month, in the pack's priority order. */
	CHECK_STR(rep.rows[0].month, "2026-09");
	CHECK_STR(rep.rows[0].priority, "high");
	CHECK_STR(rep.rows[5].month, "2026-10");
	CHECK_STR(rep.rows[5].priority, "low");
	for (size_t i = 0; i < sizeof want_fr / sizeof want_fr[0]; i++) {
		const struct sla_month_row *r = month_row(&rep, want_fr[i].month,
							  want_fr[i].priority);

		CHECK(r != NULL);
		CHECK_INT(r->tickets, want_fr[i].tickets);
		CHECK_INT(r->first_response.tickets, want_fr[i].tickets);
		CHECK_INT(r->first_response.met, want_fr[i].met);
		CHECK_INT(r->first_response.breached, want_fr[i].breached);
		CHECK_INT(r->first_response.running, want_fr[i].running);
		/* EASI sets no resolution target: nothing met or missed. */
		CHECK_INT(r->resolution.tickets, 0);
	}
	/* The breached one took 3 business hours; the longest is kept. */
	CHECK_INT(month_row(&rep, "2026-09", "high")->
		  first_response.max_minutes, 180);
	/* The same walk as the report by agent: per priority, the months
	 * add up to its totals over the same period. */
	CHECK_INT(app_report_sla(w.app, &a, &tot, &ntot,
				 fx_at("2026-09-01T00:00:00-06:00"),
				 fx_at("2026-11-01T00:00:00-06:00"), now, &err),
		  0);
	for (size_t i = 0; i < ntot; i++) {
		const struct sla_month_row *s, *o;

		if (strcmp(tot[i].agent, "*") != 0)
			continue;
		s = month_row(&rep, "2026-09", tot[i].priority);
		o = month_row(&rep, "2026-10", tot[i].priority);
		CHECK_INT(s->tickets + o->tickets, tot[i].tickets);
		CHECK_INT(s->first_response.met + o->first_response.met,
			  tot[i].first_response.met);
		CHECK_INT(s->first_response.breached +
			  o->first_response.breached,
			  tot[i].first_response.breached);
	}
	/* Defaults: the six months up to now's, in the provider's zone. */
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, NULL, "", now, &err),
		  0);
	CHECK_STR(rep.from, "2026-06");
	CHECK_STR(rep.to, "2026-11");
	CHECK_INT(rep.nrows, 6 * 3);
	/* Months are checked: field named, nothing guessed. */
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2026-13", NULL, now,
					&err), SP_EINVAL);
	CHECK_STR(err.field, "from");
	sp_err_clear(&err);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2026-9", NULL, now,
					&err), SP_EINVAL);
	sp_err_clear(&err);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "+202-09", NULL, now,
					&err), SP_EINVAL);
	sp_err_clear(&err);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2026-10", "2026-09",
					now, &err), SP_EINVAL);
	CHECK_STR(err.field, "to");
	sp_err_clear(&err);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2024-01", "2026-01",
					now, &err), SP_EINVAL);
	CHECK_HAS(err.msg, "at most 24 months");
	sp_err_clear(&err);
	CHECK_INT(app_report_sla_months(w.app, &a, &rep, "2024-02", "2026-01",
					now, &err), 0);
	arena_free(&a);
	app_close(w.app);
}

static const struct hours_report_row *
contract_row(const struct hours_report_row *rows, size_t n, const char *num)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].s.c.number, num) == 0)
			return &rows[i];
	return NULL;
}

/* REP-2 (and BILL-9's figures): hours bought, consumed, adjusted and
 * left per contract, the debits by month, and the contracts ending
 * within the days asked. */
static void
test_rep2_hours_bought_consumed_left_by_month(void)
{
	struct world w;
	struct hours_report_row *rows;
	const struct hours_report_row *h;
	struct sp_err err = { 0 };
	struct arena a;
	int64_t now = fx_at("2026-11-20T10:00:00-06:00");
	size_t n;

	CHECK(world(&w));
	/* EASI's póliza: 10-minute fractions plus 10 % for the report
	 * (BILL-2, BILL-3): 60 minutes debit 66 -> 70, 30 -> 33 -> 40. */
	CHECK_INT(w.debit[0], 70);
	CHECK_INT(w.debit[1], 40);
	arena_init(&a, 0);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.agent, NULL, 30,
				   now, &err), 0);
	CHECK_INT(n, 2);
	h = contract_row(rows, n, "EASI-C-2026-0001");
	CHECK(h != NULL);
	CHECK_STR(h->organization, "Ferretería López");
	CHECK_INT(h->bought, 600);
	CHECK_INT(h->s.consumed, w.debit[0] + w.debit[1]);
	CHECK_INT(h->adjusted, 0);
	CHECK_INT(h->left, 600 - w.debit[0] - w.debit[1]);
	CHECK_INT(h->nmonths, 2);
	CHECK_STR(h->by_month[0].month, "2026-09");
	CHECK_INT(h->by_month[0].minutes, w.debit[0]);
	CHECK_STR(h->by_month[1].month, "2026-10");
	CHECK_INT(h->by_month[1].minutes, w.debit[1]);
	CHECK(!h->expiring); /* ends 2027-02-03 */
	h = contract_row(rows, n, "EASI-C-2026-0002");
	CHECK(h != NULL);
	CHECK_STR(h->organization, CLINIC);
	CHECK_INT(h->bought, 300);
	CHECK_INT(h->s.consumed, w.debit[2]);
	CHECK_INT(h->nmonths, 1);
	/* An adjustment shows apart, and the sum still holds. */
	{
		struct sp_err e2 = { 0 };

		CHECK_INT(app_contract_adjust(w.app, now, &w.manager,
					      "EASI-C-2026-0001", 30, "cortesía",
					      &e2), 0);
	}
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.agent,
				   "Ferretería López", 30, now, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(rows[0].adjusted, 30);
	CHECK_INT(rows[0].left, rows[0].bought - rows[0].s.consumed + 30);
	/* Within 30 days of the end of its term: expiring. */
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.agent, NULL, 30,
				   fx_at("2027-01-20T10:00:00-06:00"), &err), 0);
	CHECK(rows[0].expiring && rows[1].expiring);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.agent, NULL, 3651,
				   now, &err), SP_EINVAL);
	arena_free(&a);
	app_close(w.app);
}

/* PRIV-2: a customer's report holds its own organization's contracts;
 * another organization is not found, like one that does not exist. */
static void
test_priv2_customer_hours_are_its_own_organization(void)
{
	struct world w;
	struct hours_report_row *rows;
	struct sp_err err = { 0 };
	struct arena a;
	int64_t now = fx_at("2026-11-20T10:00:00-06:00");
	size_t n;

	CHECK(world(&w));
	arena_init(&a, 0);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.luis, NULL, 30, now,
				   &err), 0);
	CHECK_INT(n, 1);
	CHECK_STR(rows[0].s.c.number, "EASI-C-2026-0001");
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.luis,
				   "Ferretería López", 30, now, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.luis, CLINIC, 30,
				   now, &err), SP_ENOTFOUND);
	sp_err_clear(&err);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.luis, "2", 30, now,
				   &err), SP_ENOTFOUND);
	sp_err_clear(&err);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.luis, "Nadie SA",
				   30, now, &err), SP_ENOTFOUND);
	sp_err_clear(&err);
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.sofia, NULL, 30,
				   now, &err), 0);
	CHECK_INT(n, 1);
	CHECK_STR(rows[0].s.c.number, "EASI-C-2026-0002");
	/* A contact of no organization has no contracts. */
	CHECK_INT(app_report_hours(w.app, &a, &rows, &n, &w.loner, NULL, 30,
				   now, &err), 0);
	CHECK_INT(n, 0);
	arena_free(&a);
	app_close(w.app);
}

/* ---- through the server --------------------------------------------- */

/* Tokens for the agent and both customers, and passwords to sign in. */
static bool
credentials(struct world *w)
{
	int64_t t = fx_at("2026-11-01T09:00:00-06:00");
	struct sp_err err = { 0 };

	return OK("token", app_token_create(w->app, w->agent_token, t,
					    &app_system, "agent",
					    "ana@easi.example", "t", &err)) &&
	       OK("token", app_token_create(w->app, w->luis_token, t,
					    &app_system, "contact",
					    "luis@ferre.mx", "t", &err)) &&
	       OK("token", app_token_create(w->app, w->sofia_token, t,
					    &app_system, "contact",
					    "sofia@clinica.mx", "t", &err)) &&
	       OK("password", app_password_set(w->app, t, &app_system, "agent",
					       "ana@easi.example",
					       "contraseña-larga-1", &err)) &&
	       OK("password", app_password_set(w->app, t, &app_system,
					       "contact", "luis@ferre.mx",
					       "clave-del-cliente-1", &err));
}

static long long
jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static json_t *
find(json_t *list, const char *k1, const char *v1, const char *k2,
     const char *v2)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (strcmp(json_string_value(json_object_get(e, k1)), v1) == 0 &&
		    (k2 == NULL ||
		     strcmp(json_string_value(json_object_get(e, k2)), v2) == 0))
			return e;
	return NULL;
}

/* As svg.c writes numbers: two decimals at most, no trailing zeros. */
static const char *
svgnum(double v, char out[32])
{
	size_t n;

	snprintf(out, 32, "%.2f", v);
	n = strlen(out);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[n - 1] = '\0';
	return out;
}

/* The bar segment whose <title> is `title`: its data-value and height
 * (or width), from the <rect> that holds it. */
static bool
segment(const char *page, const char *title, double *value, double *size,
	const char *dim)
{
	char t[400], key[24];
	const char *p, *r, *q;

	snprintf(t, sizeof t, "<title>%s</title></rect>", title);
	if ((p = strstr(page, t)) == NULL)
		return false;
	for (r = p; r > page && strncmp(r, "<rect ", 6) != 0; r--)
		;
	if ((q = strstr(r, " data-value=\"")) == NULL || q > p)
		return false;
	*value = strtod(q + 13, NULL);
	snprintf(key, sizeof key, " %s=\"", dim);
	if ((q = strstr(r, key)) == NULL || q > p)
		return false;
	*size = strtod(q + strlen(key), NULL);
	return true;
}

/* REP-1 over the API: the figures by month and priority as JSON;
 * agents only (PRIV-2: a customer's token is refused). */
static void
api_sla(struct fx_server *s, const struct world *w, json_t **sla)
{
	struct fx_reply r;
	json_t *j, *rows;

	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/sla?from=2026-09&"
			  "to=2026-10", w->agent_token, NULL, NULL), 200);
	j = json_loadb(r.body.ptr, r.body.len, 0, NULL);
	buf_free(&r.body);
	CHECK(j != NULL);
	*sla = j;
	CHECK_STR(json_string_value(json_object_get(j, "provider")), "easi");
	CHECK_STR(json_string_value(json_object_get(j, "zone")),
		  "America/Mexico_City");
	CHECK_STR(json_string_value(json_object_get(j, "from")), "2026-09");
	CHECK_STR(json_string_value(json_object_get(j, "to")), "2026-10");
	CHECK_INT(json_array_size(json_object_get(j, "priorities")), 3);
	rows = json_object_get(j, "rows");
	CHECK_INT(json_array_size(rows), 6);
	for (size_t i = 0; i < sizeof want_fr / sizeof want_fr[0]; i++) {
		json_t *e = find(rows, "month", want_fr[i].month, "priority",
				 want_fr[i].priority);
		json_t *fr = json_object_get(e, "first_response");

		CHECK(e != NULL);
		CHECK_INT(jint(e, "tickets"), want_fr[i].tickets);
		CHECK_INT(jint(fr, "met"), want_fr[i].met);
		CHECK_INT(jint(fr, "breached"), want_fr[i].breached);
		CHECK_INT(jint(fr, "running"), want_fr[i].running);
	}
	/* Compliance: met / (met + breached), null with neither. */
	CHECK(fabs(json_real_value(json_object_get(json_object_get(
		find(rows, "month", "2026-09", "priority", "high"),
		"first_response"), "compliance")) - 0.5) < 1e-9);
	CHECK(json_is_null(json_object_get(json_object_get(
		find(rows, "month", "2026-10", "priority", "high"),
		"first_response"), "compliance")));
	/* PRIV-2: the provider's figures are not a customer's. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/sla", w->luis_token,
			  NULL, NULL), 403);
	CHECK_HAS(r.body.ptr, "\"code\":\"forbidden\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/sla", NULL, NULL,
			  NULL), 401);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/sla?from=2026-13",
			  w->agent_token, NULL, NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"from\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/reports/sla", w->agent_token,
			  "{}", NULL), 405);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/volume",
			  w->agent_token, NULL, NULL), 404);
	buf_free(&r.body);
}

/* REP-2 over the API; PRIV-2: a customer's token gets its own
 * organization's hours, and another organization is 404. */
static void
api_hours(struct fx_server *s, const struct world *w, json_t **hours)
{
	struct fx_reply r;
	json_t *j, *l, *e;

	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours", w->agent_token,
			  NULL, NULL), 200);
	j = json_loadb(r.body.ptr, r.body.len, 0, NULL);
	buf_free(&r.body);
	CHECK(j != NULL);
	*hours = j;
	l = json_object_get(j, "contracts");
	CHECK_INT(json_array_size(l), 2);
	e = find(l, "contract", "EASI-C-2026-0001", NULL, NULL);
	CHECK(e != NULL);
	CHECK_STR(json_string_value(json_object_get(e, "organization")),
		  "Ferretería López");
	CHECK_INT(jint(e, "bank_minutes"), 600);
	CHECK_INT(jint(e, "bought_minutes"), 600);
	CHECK_INT(jint(e, "consumed_minutes"), w->debit[0] + w->debit[1]);
	/* Left is what was bought, less what was used, plus adjustments
	 * (an expiry, once the term ends, is one). */
	CHECK_INT(jint(e, "left_minutes"), jint(e, "bought_minutes") -
		  jint(e, "consumed_minutes") + jint(e, "adjusted_minutes"));
	CHECK_INT(json_array_size(json_object_get(e, "by_month")), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(
		json_object_get(e, "by_month"), 1), "month")), "2026-10");
	CHECK_INT(jint(json_array_get(json_object_get(e, "by_month"), 1),
		       "consumed_minutes"), w->debit[1]);
	e = find(l, "contract", "EASI-C-2026-0002", NULL, NULL);
	CHECK(e != NULL);
	CHECK_INT(jint(e, "consumed_minutes"), w->debit[2]);
	/* The agent may narrow it to one organization. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours?organization=2",
			  w->agent_token, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "EASI-C-2026-0002");
	CHECK(strstr(r.body.ptr, "EASI-C-2026-0001") == NULL);
	buf_free(&r.body);
	/* PRIV-2: Luis sees Ferretería López's contract, never Clínica's. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours", w->luis_token,
			  NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "EASI-C-2026-0001");
	CHECK(strstr(r.body.ptr, "EASI-C-2026-0002") == NULL);
	CHECK(strstr(r.body.ptr, "Clínica") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours?organization=2",
			  w->luis_token, NULL, NULL), 404);
	CHECK(strstr(r.body.ptr, "EASI-C-2026-0002") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours?organization="
			  "Cl%C3%ADnica%20%3CNorte%3E%20%26%20Hijos",
			  w->luis_token, NULL, NULL), 404);
	buf_free(&r.body);
	/* The same answer for an organization that does not exist. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours?organization=99",
			  w->luis_token, NULL, NULL), 404);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours", w->sofia_token,
			  NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "EASI-C-2026-0002");
	CHECK(strstr(r.body.ptr, "EASI-C-2026-0001") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/reports/hours?expiring=x",
			  w->agent_token, NULL, NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"expiring\"");
	buf_free(&r.body);
}

/* The console page: every SLA figure of the API is a bar of that
 * height in the inline SVG, and every contract's hours a bar of that
 * width; labels are escaped. Agents only (PRIV-2). */
static void
console_page(struct fx_server *s, json_t *sla, json_t *hours)
{
	static const char *const stacks[] = { "Cumplidos", "Incumplidos",
					      "Abiertos" };
	static const char *const keys[] = { "met", "breached", "running" };
	static const char *const names[] = { "Alto", "Medio", "Bajo" };
	static const char *const ids[] = { "high", "medium", "low" };
	struct fx_reply r;
	char cookie[80], t[400], n[32];
	double k = 0, v, h;
	size_t i;
	json_t *e;
	const char *page, *fr;

	CHECK_INT(fx_form(&r, s, "/console/reports", NULL, NULL), 303);
	buf_free(&r.body);
	CHECK_INT(fx_login(&r, s,
			  "email=ana%40easi.example&password=contrase%C3%B1a-"
			  "larga-1"), 303);
	/* fx_form: after a sign-in, the body is the session cookie. */
	snprintf(cookie, sizeof cookie, "%s", r.body.ptr);
	buf_free(&r.body);
	CHECK(strlen(cookie) == 64);
	/* The header links the agents to the reports. */
	CHECK_INT(fx_form(&r, s, "/console", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "<a href=\"/console/reports\">Informes</a>");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/console/reports?from=2026-09&to=2026-10",
			  cookie, NULL), 200);
	page = r.body.ptr;
	CHECK_HAS(page, "<input type=\"month\" name=\"from\" "
		  "value=\"2026-09\">");
	fr = strstr(page, "<svg ");
	CHECK(fr != NULL);
	CHECK_HAS(fr, "aria-labelledby=\"sla-first-response-title "
		  "sla-first-response-desc\"");
	CHECK_HAS(page, "EASI Consultores no fija objetivo de Resolución");
	/* Which bar is which priority, in words on the chart. */
	CHECK_HAS(fr, "En cada mes, de izquierda a derecha: Alto, Medio, "
		  "Bajo</text>");
	/* REP-1: each figure is its bar, heights in one proportion. */
	json_array_foreach(json_object_get(sla, "rows"), i, e) {
		const char *pr = json_string_value(json_object_get(e,
							"priority"));
		const char *name = NULL;

		for (int p = 0; p < 3; p++)
			if (strcmp(pr, ids[p]) == 0)
				name = names[p];
		CHECK(name != NULL);
		for (int st = 0; st < 3; st++) {
			long long want = jint(json_object_get(e,
						"first_response"), keys[st]);

			snprintf(t, sizeof t, "%s · %s · %s: %lld tickets",
				 json_string_value(json_object_get(e, "month")),
				 name, stacks[st], want);
			if (!segment(fr, t, &v, &h, "height")) {
				t_fail(__FILE__, __LINE__, "no bar \"%s\"", t);
				buf_free(&r.body);
				return;
			}
			CHECK(v == (double)want);
			if (want == 0) {
				CHECK(h == 0);
				continue;
			}
			if (k == 0)
				k = h / v;
			CHECK(fabs(h - v * k) < 0.011);
		}
	}
	CHECK(k > 0);
	/* The table says the same, for screen readers and print. */
	CHECK_HAS(page, "<tr><th scope=\"row\">2026-09</th><td>Alto</td><td>2"
		  "</td><td>1</td><td>1</td><td>0</td><td>50 %</td>");
	/* REP-2: each contract's consumed and left hours are its bar. */
	k = 0;
	json_array_foreach(json_object_get(hours, "contracts"), i, e) {
		double used = (double)jint(e, "consumed_minutes") / 60;
		double left = (double)jint(e, "left_minutes") / 60;
		const char *org = json_string_value(json_object_get(e,
					"organization"));
		char esc[200];

		/* The page escapes the name: Clínica &lt;Norte&gt; ... */
		snprintf(esc, sizeof esc, "%s", strcmp(org, CLINIC) == 0 ?
			 "Clínica &lt;Norte&gt; &amp; Hijos" : org);
		snprintf(t, sizeof t, "%s · %s · Consumidas: %s h",
			 json_string_value(json_object_get(e, "contract")), esc,
			 svgnum(used, n));
		/* data-value has two decimals; widths follow the exact
		 * figure. */
		CHECK(segment(page, t, &v, &h, "width"));
		CHECK(fabs(v - used) < 0.006);
		if (k == 0)
			k = h / used;
		CHECK(fabs(h - used * k) < 0.02);
		snprintf(t, sizeof t, "%s · %s · Disponibles: %s h",
			 json_string_value(json_object_get(e, "contract")), esc,
			 svgnum(left, n));
		CHECK(segment(page, t, &v, &h, "width"));
		CHECK(fabs(h - left * k) < 0.02);
	}
	CHECK_HAS(page, "<th scope=\"row\">EASI-C-2026-0002</th><td>Clínica "
		  "&lt;Norte&gt; &amp; Hijos</td>");
	CHECK(strstr(page, "<Norte>") == NULL);
	CHECK(strstr(page, "<script") == NULL);
	buf_free(&r.body);
	/* A month that is not one: said, with the form to fix it. */
	CHECK_INT(fx_form(&r, s, "/console/reports?from=2026-13", cookie,
			  NULL), 422);
	CHECK_HAS(r.body.ptr, "from is a month");
	CHECK_HAS(r.body.ptr, "value=\"2026-13\"");
	buf_free(&r.body);
	/* PRIV-2: for a customer the page does not exist, nor the link. */
	CHECK_INT(fx_login(&r, s,
			  "email=luis%40ferre.mx&password=clave-del-cliente-1"),
		  303);
	snprintf(cookie, sizeof cookie, "%s", r.body.ptr);
	buf_free(&r.body);
	CHECK(strlen(cookie) == 64);
	CHECK_INT(fx_form(&r, s, "/console/reports", cookie, NULL), 404);
	CHECK(strstr(r.body.ptr, "<svg") == NULL);
	CHECK(strstr(r.body.ptr, "EASI-C-2026") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/console", cookie, NULL), 200);
	CHECK(strstr(r.body.ptr, "/console/reports") == NULL);
	buf_free(&r.body);
}

static void
test_rep1_rep2_priv2_api_and_console_reports(void)
{
	struct world w;
	struct fx_server s = { 0 };
	json_t *sla = NULL, *hours = NULL;

	CHECK(world(&w));
	if (!credentials(&w)) {
		app_close(w.app);
		return;
	}
	app_close(w.app);
	if (!fx_serve_or_fail(&s, fx_path("t.db")))
		return;
	api_sla(&s, &w, &sla);
	if (!t_current_failed)
		api_hours(&s, &w, &hours);
	if (!t_current_failed)
		console_page(&s, sla, hours);
	json_decref(sla);
	json_decref(hours);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test report_tests[] = {
	{ "rep1_sla_by_month_and_priority_in_the_provider_zone",
	  test_rep1_sla_by_month_and_priority_in_the_provider_zone },
	{ "rep2_hours_bought_consumed_left_by_month",
	  test_rep2_hours_bought_consumed_left_by_month },
	{ "priv2_customer_hours_are_its_own_organization",
	  test_priv2_customer_hours_are_its_own_organization },
	{ "rep1_rep2_priv2_api_and_console_reports",
	  test_rep1_rep2_priv2_api_and_console_reports },
	{ 0 },
};
