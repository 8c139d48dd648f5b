/* api_contracts.c — the API's directory (organizations, contacts,
 * agents), contracts with their balance and ledger, the attendance
 * preview, quotes and invoices (docs/api.md). Every write goes through
 * app/; every read goes through app/visible.c, so a customer sees only
 * its own organization's rows and another's answers 404, exactly like a
 * missing one (PRIV-2). */
#include "api_contracts.h"
#include "api_reply.h"

#include "../util/civil.h"
#include "../util/i18n.h"
#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers -------------------------------------------------- */

/* An instant as ISO 8601 in the provider's zone; null for 0. */
static json_t *
when(struct app *app, int64_t t)
{
	char s[32];

	return t ? json_string(app_time(app, t, s)) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A stored JSON text as JSON (the contract's products); null if none. */
static json_t *
parsed(const char *text)
{
	json_t *v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

/* The path after `prefix` when it is one segment (no '/'); NULL else. */
static const char *
segment(const char *path, const char *prefix, char *out, size_t size)
{
	size_t n = strlen(prefix), k;

	if (strncmp(path, prefix, n) != 0)
		return NULL;
	path += n;
	k = strcspn(path, "/");
	if (k == 0 || k >= size)
		return NULL;
	memcpy(out, path, k);
	out[k] = '\0';
	return path + k;
}

/* The request's method is `want`; else a 405 saying what the path
 * takes (`allowed`). */
static bool
method_is(struct http_req *r, struct http_res *out, const char *want,
	  const char *allowed)
{
	if (strcmp(r->method, want) == 0)
		return true;
	api_reply_error(out, 405, "method", allowed, NULL);
	return false;
}

/* An optional integer field: absent is fine (*out untouched); anything
 * but an integer in [min, max] is a 422 naming the field. */
static bool
int_field(json_t *b, const char *k, int64_t min, int64_t max, int64_t *out,
	  struct http_res *res)
{
	json_t *v = json_object_get(b, k);
	char msg[160];

	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_integer(v) && json_integer_value(v) >= min &&
	    json_integer_value(v) <= max) {
		*out = json_integer_value(v);
		return true;
	}
	snprintf(msg, sizeof msg, "%s is a whole number from %lld to %lld", k,
		 (long long)min, (long long)max);
	api_reply_error(res, 422, "invalid", msg, k);
	return false;
}

/* A string field that may also be given as a number (an id). */
static const char *
key_field(struct http_req *r, json_t *b, const char *k)
{
	json_t *v = json_object_get(b, k);

	if (json_is_integer(v)) {
		char *s = arena_alloc(&r->arena, 32);

		if (s)
			snprintf(s, 32, "%lld", (long long)json_integer_value(v));
		return s;
	}
	return json_string_value(v);
}

static void
hm(char out[32], int64_t minutes)
{
	snprintf(out, 32, "%s%lld h %02lld min", minutes < 0 ? "-" : "",
		 (long long)(llabs(minutes) / 60),
		 (long long)(llabs(minutes) % 60));
}

/* ---- organizations, contacts, agents -------------------------------- */

static json_t *
org_json(struct app *app, const struct org_row *o)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:b}", "id", (json_int_t)o->id,
			 "name", o->name, "tax_id", str_or_null(o->tax_id),
			 "created_at", when(app, o->created_at),
			 "delinquent", app_org_delinquent(app, o->id));
}

static json_t *
contact_json(const struct contact_row *c)
{
	return json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
			 "id", (json_int_t)c->id,
			 "organization_id", id_or_null(c->organization_id),
			 "name", c->name ? c->name : "",
			 "surname", str_or_null(c->surname),
			 "email", str_or_null(c->email),
			 "phone", str_or_null(c->phone),
			 "address", str_or_null(c->address),
			 "lang", str_or_null(c->lang));
}

static json_t *contract_json(struct app *app, struct http_req *r,
			     const struct contract_status *s);

static void
orgs_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct org_row *o;
	struct sp_err err = { 0 };
	size_t n;
	json_t *items;

	if (app_org_list_as(app, &r->arena, &o, &n, &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, org_json(app, &o[i]));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

/* An organization with its contacts and contracts. */
static void
org_get(struct app *app, struct http_req *r, const char *key,
	struct http_res *out)
{
	struct org_row o;
	struct contact_row *c;
	struct contract_status *cs;
	struct sp_err err = { 0 };
	size_t nc, ncs;
	json_t *j, *cl, *ctl;
	char id[32];

	if (app_org_get_as(app, &r->arena, &o, key, &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	snprintf(id, sizeof id, "%lld", (long long)o.id);
	if (app_contact_list_as(app, &r->arena, &c, &nc, id, &r->who, &err) ||
	    app_contract_list_as(app, &r->arena, &cs, &ncs, id,
				 (int64_t)time(NULL), &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	j = org_json(app, &o);
	cl = json_array();
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(cl, contact_json(&c[i]));
	ctl = json_array();
	for (size_t i = 0; i < ncs; i++)
		json_array_append_new(ctl, contract_json(app, r, &cs[i]));
	json_object_set_new(j, "contacts", cl);
	json_object_set_new(j, "contracts", ctl);
	api_reply_json(out, 200, j);
}

static void
contacts_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct contact_row *c;
	struct sp_err err = { 0 };
	size_t n;
	json_t *items;

	if (app_contact_list_as(app, &r->arena, &c, &n,
				http_query(r, "organization"), &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, contact_json(&c[i]));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

static void
agents_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct agent_row *ag;
	struct sp_err err = { 0 };
	size_t n;
	json_t *items;

	if (!api_agents_only(r, out))
		return;
	if (store_agent_list(app->store, &r->arena, &ag, &n, app->provider_id,
			     &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack(
			"{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)ag[i].id,
			"name", ag[i].name, "email", ag[i].email, "role",
			ag[i].role, "active", ag[i].active));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

/* ---- contracts ------------------------------------------------------ */

static json_t *
contract_json(struct app *app, struct http_req *r,
	      const struct contract_status *s)
{
	const struct policy *p = app->policy;
	int pl = policy_plan_index(p, s->c.plan);
	struct org_row o;
	const char *org = NULL;

	if (store_org_get(app->store, &r->arena, &o, app->provider_id,
			  s->c.organization_id, NULL) == 0)
		org = o.name;
	return json_pack("{s:s, s:s, s:o, s:s, s:I, s:o, s:s, s:o, s:o, s:I, "
			 "s:I, s:I, s:I, s:b, s:o, s:o, s:o, s:o, s:I, s:I}",
			 "number", s->c.number, "plan", s->c.plan,
			 "plan_name", pl >= 0 && p->plans[pl].name.es ?
				json_string(p->plans[pl].name.es) : json_null(),
			 "kind", s->c.kind,
			 "organization_id", (json_int_t)s->c.organization_id,
			 "organization", str_or_null(org),
			 "state", s->c.state,
			 "starts_at", when(app, s->c.starts_at),
			 "ends_at", when(app, s->c.ends_at),
			 "bank_minutes", (json_int_t)s->c.bank_minutes,
			 "balance_minutes", (json_int_t)s->balance,
			 "consumed_minutes", (json_int_t)s->consumed,
			 "overage_minutes", (json_int_t)s->c.overage_minutes,
			 "usable", s->usable,
			 "why", s->usable ? json_null() : json_string(s->why),
			 "price_centavos", s->c.price_centavos < 0 ? json_null()
				 : json_integer(s->c.price_centavos),
			 "paid_at", when(app, s->c.paid_at),
			 "products", parsed(s->c.products),
			 "office_minutes", (json_int_t)s->c.office_minutes,
			 "onsite_minutes", (json_int_t)s->c.onsite_minutes);
}

static void
contracts_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct contract_status *cs;
	struct sp_err err = { 0 };
	const char *state = http_query(r, "state");
	size_t n;
	json_t *items;

	if (app_contract_list_as(app, &r->arena, &cs, &n,
				 http_query(r, "organization"),
				 (int64_t)time(NULL), &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		if (state == NULL || strcmp(state, cs[i].c.state) == 0)
			json_array_append_new(items, contract_json(app, r, &cs[i]));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

/* A contract with its ledger; each debit with its attendance and the
 * steps that made it (BILL-9). */
static void
contract_get(struct app *app, struct http_req *r, const char *key,
	     struct http_res *out)
{
	struct contract_status st;
	struct ledger_entry *e;
	struct sp_err err = { 0 };
	size_t n;
	json_t *j, *l;

	if (app_contract_status_as(app, &r->arena, &st, key,
				   (int64_t)time(NULL), &r->who, &err) ||
	    app_contract_ledger(app, &r->arena, &e, &n, &st.c, &err)) {
		api_reply_err(out, &err);
		return;
	}
	j = contract_json(app, r, &st);
	l = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_pack("{s:s, s:I, s:I, s:o, s:o}",
					"kind", e[i].l.kind,
					"minutes", (json_int_t)e[i].l.minutes,
					"balance_minutes", (json_int_t)e[i].balance,
					"at", when(app, e[i].l.at),
					"reason", str_or_null(e[i].l.reason));

		if (e[i].has_attendance)
			json_object_set_new(row, "attendance", json_pack(
				"{s:I, s:o, s:o, s:I, s:s, s:b, s:I, s:o}",
				"id", (json_int_t)e[i].at.id,
				"ticket", str_or_null(e[i].folio),
				"start", when(app, e[i].at.start_at),
				"minutes", (json_int_t)e[i].at.minutes,
				"modality", e[i].at.modality,
				"warranty", e[i].at.warranty,
				"debit_minutes", (json_int_t)e[i].at.debit_minutes,
				"steps", parsed(e[i].at.steps)));
		json_array_append_new(l, row);
	}
	json_object_set_new(j, "ledger", l);
	api_reply_json(out, 200, j);
}

/* A contract from one of the pack's plans (PLAN-1, PLAN-2), pending
 * payment (BILL-7); by agents. */
static void
contract_create(struct app *app, struct http_req *r, struct http_res *out)
{
	struct contract_input in = { 0 };
	struct contract_status st;
	struct sp_err err = { 0 };
	char number[64];
	int64_t now = (int64_t)time(NULL), hours = 0, months = 0,
		price = -1;
	json_t *b, *pr;
	char *products = NULL;
	int rc;

	if (!api_agents_only(r, out) || (b = api_body_json(r, out)) == NULL)
		return;
	if (!int_field(b, "hours", 1, 100000, &hours, out) ||
	    !int_field(b, "months", 1, 1200, &months, out) ||
	    !int_field(b, "price_centavos", 0, INT64_C(1) << 45, &price, out)) {
		json_decref(b);
		return;
	}
	in.organization = key_field(r, b, "organization");
	in.plan = api_str(b, "plan");
	in.hours = (int)hours;
	in.term_months = (int)months;
	in.price_centavos = price;
	if (api_str(b, "starts") &&
	    civil_parse_instant(&in.starts_at, api_str(b, "starts"))) {
		json_decref(b);
		api_reply_error(out, 422, "invalid", "starts is ISO 8601 with an "
				"offset", "starts");
		return;
	}
	pr = json_object_get(b, "products");
	if (json_is_array(pr)) {
		for (size_t i = 0; i < json_array_size(pr); i++)
			if (!json_is_string(json_array_get(pr, i))) {
				json_decref(b);
				api_reply_error(out, 422, "invalid", "products is a "
						"list of product codes",
						"products");
				return;
			}
		products = json_dumps(pr, JSON_COMPACT);
		in.products = products;
	} else if (pr && !json_is_null(pr)) {
		json_decref(b);
		api_reply_error(out, 422, "invalid", "products is a list of "
				"product codes", "products");
		return;
	}
	if (in.organization == NULL) {
		json_decref(b);
		free(products);
		api_reply_error(out, 422, "invalid", "which organization? give "
				"its id or name", "organization");
		return;
	}
	rc = app_contract_add(app, number, now, &r->who, &in, &err);
	json_decref(b);
	free(products);
	if (rc || app_contract_status(app, &r->arena, &st, number, now, &err)) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 201, contract_json(app, r, &st));
}

/* ---- the attendance preview (BILL-1..8) ---------------------------- */

json_t *
api_contracts_preview_json(const struct attendance_preview *p, int rc,
			   const struct sp_err *err, const char *lang)
{
	struct buf s;
	json_t *steps = json_array(), *j;
	char a[32], b[32];

	buf_init(&s, 8192);
	for (int i = 0; i < p->bill.nsteps; i++) {
		const struct bill_step *st = &p->bill.steps[i];
		char text[160];

		billing_step_text(text, sizeof text, st, lang);
		json_array_append_new(steps, json_pack(
			"{s:s, s:s, s:f, s:f, s:s, s:s}", "rule", st->rule,
			"policy", st->policy,
			"before_minutes", billing_minutes(st->before_num,
							  st->before_den),
			"after_minutes", billing_minutes(st->after_num,
							 st->after_den),
			"detail", st->detail, "text", text));
	}
	/* One sentence for the agent beside the form. */
	hm(a, p->bill.debit_minutes);
	if (p->bill.free)
		buf_adds(&s, T(lang, "Sin cargo"));
	else
		buf_printf(&s, T(lang, "Se debitarán %s"), a);
	for (int i = 0; i < p->bill.nsteps; i++) {
		char text[160];

		billing_step_text(text, sizeof text, &p->bill.steps[i], lang);
		buf_printf(&s, "%s%s", i ? "; " : " (", text);
	}
	if (p->bill.nsteps)
		buf_adds(&s, ")");
	buf_adds(&s, ".");
	if (rc == 0 && p->balance_before >= 0) {
		hm(a, p->balance_before);
		hm(b, p->balance_after);
		buf_adds(&s, " ");
		buf_printf(&s, T(lang, "Saldo: %s → %s (%s)."), a, b,
			   p->contracts);
	}
	if (rc) {
		buf_adds(&s, " ");
		buf_printf(&s, T(lang, "No se puede registrar: %s"), err->msg);
	}
	j = json_pack("{s:s, s:s?, s:I, s:b, s:b, s:o, s:o, s:o, s:s?, s:b, "
		      "s:s}",
		      "ticket", p->folio, "plan", p->plan,
		      "debit_minutes", (json_int_t)p->bill.debit_minutes,
		      "free", p->bill.free,
		      "quick_question", p->bill.quick_question,
		      "steps", steps,
		      "balance_minutes_before", p->balance_before >= 0 ?
			json_integer(p->balance_before) : json_null(),
		      "balance_minutes_after", rc == 0 && p->balance_after >= 0 ?
			json_integer(p->balance_after) : json_null(),
		      "contracts", rc == 0 && p->contracts[0] ? p->contracts : NULL,
		      "would_log", rc == 0, "summary", s.ptr);
	json_object_set_new(j, "refusal", rc == 0 ? json_null() :
			    json_pack("{s:s, s:s, s:s?}", "code",
				      sp_code_name(err->code), "message",
				      err->msg, "field",
				      err->field[0] ? err->field : NULL));
	buf_free(&s);
	return j;
}

/* The same input as POST .../attendances; nothing is written. When the
 * debit can be worked out the answer is 200, with would_log false and
 * the refusal when logging it would be refused (BILL-7, BILL-8); when it
 * cannot (bad input, no ticket, no valid contract) the error is the
 * log's own. */
static void
attendance_preview(struct app *app, struct http_req *r, const char *folio,
		   struct http_res *out)
{
	struct attendance_input in = { 0 };
	struct attendance_preview p;
	struct sp_err err = { 0 };
	int64_t now = (int64_t)time(NULL);
	json_t *b;
	int rc;

	if (!api_agents_only(r, out) || (b = api_body_json(r, out)) == NULL)
		return;
	if (!int_field(b, "minutes", 1, 24 * 60, &in.minutes, out)) {
		json_decref(b);
		return;
	}
	in.ticket = folio;
	in.modality = api_str(b, "modality") ? api_str(b, "modality") : "remote";
	in.warranty = json_is_true(json_object_get(b, "warranty"));
	in.start = now - in.minutes * 60;
	if (api_str(b, "start") &&
	    civil_parse_instant(&in.start, api_str(b, "start"))) {
		json_decref(b);
		api_reply_error(out, 422, "invalid", "start is ISO 8601 with an "
				"offset", "start");
		return;
	}
	rc = app_attendance_preview(app, &p, now, &r->who, &in, &err);
	json_decref(b);
	if (rc && !p.computed) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, api_contracts_preview_json(&p, rc, &err, "es"));
}

/* ---- quotes and estimates (BILL-7, BILL-8) ------------------------- */

static json_t *
quote_json(struct app *app, struct http_req *r, const struct quote_row *q,
	   int64_t now)
{
	struct ticket_row t;
	struct contract_row c;
	const char *folio = NULL, *contract = NULL;

	if (q->ticket_id && store_ticket_get(app->store, &r->arena, &t,
					     app->provider_id, q->ticket_id,
					     NULL) == 0)
		folio = t.folio;
	if (q->contract_id && store_contract_get(app->store, &r->arena, &c,
						 app->provider_id,
						 q->contract_id, NULL) == 0)
		contract = c.number;
	return json_pack("{s:s, s:s, s:I, s:o, s:I, s:I, s:I, s:I, s:s, s:s, "
			 "s:b, s:o, s:o, s:o, s:o, s:o}",
			 "number", q->number, "kind", q->kind,
			 "organization_id", (json_int_t)q->organization_id,
			 "ticket", str_or_null(folio),
			 "minutes", (json_int_t)q->minutes,
			 "subtotal_centavos", (json_int_t)q->subtotal_centavos,
			 "iva_centavos", (json_int_t)q->iva_centavos,
			 "total_centavos",
			 (json_int_t)(q->subtotal_centavos + q->iva_centavos),
			 "description", q->description, "state", q->state,
			 "answerable", strcmp(q->state, "sent") == 0 &&
				       now <= q->valid_until,
			 "valid_until", when(app, q->valid_until),
			 "decided_at", when(app, q->decided_at),
			 "decided_channel", str_or_null(q->decided_channel),
			 "contract", str_or_null(contract),
			 "created_at", when(app, q->created_at));
}

static void
quotes_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct quote_row *q;
	struct sp_err err = { 0 };
	const char *state = http_query(r, "state");
	int64_t now = (int64_t)time(NULL);
	size_t n;
	json_t *items;

	if (app_quote_list_as(app, &r->arena, &q, &n, http_query(r, "ticket"),
			      http_query(r, "organization"), &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		if (state == NULL || strcmp(state, q[i].state) == 0)
			json_array_append_new(items, quote_json(app, r, &q[i], now));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

static void
quote_answer(struct app *app, struct http_req *r, const char *key,
	     struct http_res *out, int status)
{
	struct quote_row q;
	struct sp_err err = { 0 };

	if (app_quote_get_as(app, &r->arena, &q, key, &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, status, quote_json(app, r, &q, (int64_t)time(NULL)));
}

/* A quote (per-event work, BILL-7) or an estimate (hours to debit,
 * BILL-8), sent by an agent; on a ticket it is posted there too. */
static void
quote_create(struct app *app, struct http_req *r, struct http_res *out)
{
	struct quote_input in = { 0 };
	struct sp_err err = { 0 };
	char number[64];
	json_t *b;
	int rc;

	if (!api_agents_only(r, out) || (b = api_body_json(r, out)) == NULL)
		return;
	in.subtotal_centavos = -1;
	if (!int_field(b, "minutes", 1, 100000 * 60, &in.minutes, out) ||
	    !int_field(b, "subtotal_centavos", 0, INT64_C(1) << 45,
		       &in.subtotal_centavos, out)) {
		json_decref(b);
		return;
	}
	if (in.minutes == 0 || in.subtotal_centavos < 0) {
		json_decref(b);
		api_reply_error(out, 422, "invalid", in.minutes == 0 ?
				"minutes: the hours the quote covers, in "
				"minutes" : "subtotal_centavos: the amount, IVA "
				"apart, in centavos", in.minutes == 0 ?
				"minutes" : "subtotal_centavos");
		return;
	}
	in.ticket = api_str(b, "ticket");
	in.organization = key_field(r, b, "organization");
	in.kind = api_str(b, "kind") ? api_str(b, "kind") : "quote";
	in.description = api_str(b, "description");
	rc = app_quote_create(app, number, (int64_t)time(NULL), &r->who, &in,
			      &err);
	json_decref(b);
	if (rc) {
		api_reply_err(out, &err);
		return;
	}
	quote_answer(app, r, number, out, 201);
}

/* BILL-7, BILL-8: the customer's contact approves or rejects; an agent
 * may record the customer's answer. A body is optional: {"channel"}. */
static void
quote_decide(struct app *app, struct http_req *r, const char *key,
	     bool approve, struct http_res *out)
{
	struct sp_err err = { 0 };
	json_t *b = NULL;
	const char *channel = NULL;
	int rc;

	if (r->body.len > 0) {
		if ((b = api_body_json(r, out)) == NULL)
			return;
		channel = api_str(b, "channel");
	}
	rc = app_quote_decide(app, (int64_t)time(NULL), &r->who, key, approve,
			      channel ? channel : "portal", &err);
	json_decref(b);
	if (rc) {
		api_reply_err(out, &err);
		return;
	}
	quote_answer(app, r, key, out, 200);
}

/* ---- invoices (BILL-10, BILL-11) ----------------------------------- */

static json_t *
invoice_json(struct app *app, struct http_req *r, const struct invoice_row *v)
{
	struct contract_row c;
	const char *contract = NULL;

	if (v->contract_id && store_contract_get(app->store, &r->arena, &c,
						 app->provider_id,
						 v->contract_id, NULL) == 0)
		contract = c.number;
	return json_pack("{s:s, s:I, s:o, s:s, s:I, s:I, s:I, s:s, s:o, s:o, "
			 "s:o}",
			 "number", v->number,
			 "organization_id", (json_int_t)v->organization_id,
			 "contract", str_or_null(contract),
			 "concept", v->concept,
			 "subtotal_centavos", (json_int_t)v->subtotal_centavos,
			 "iva_centavos", (json_int_t)v->iva_centavos,
			 "total_centavos",
			 (json_int_t)(v->subtotal_centavos + v->iva_centavos),
			 "state", v->state,
			 "issued_at", when(app, v->issued_at),
			 "paid_at", when(app, v->paid_at),
			 "cfdi_uuid", str_or_null(v->cfdi_uuid));
}

static void
invoices_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct invoice_row *v;
	struct sp_err err = { 0 };
	const char *state = http_query(r, "state");
	size_t n;
	json_t *items;

	if (app_invoice_list_as(app, &r->arena, &v, &n,
				http_query(r, "organization"), &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		if (state == NULL || strcmp(state, v[i].state) == 0)
			json_array_append_new(items, invoice_json(app, r, &v[i]));
	api_reply_json(out, 200, json_pack("{s:o}", "items", items));
}

static void
invoice_get(struct app *app, struct http_req *r, const char *key,
	    struct http_res *out)
{
	struct invoice_row v;
	struct sp_err err = { 0 };

	if (app_invoice_get_as(app, &r->arena, &v, key, &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, invoice_json(app, r, &v));
}

/* ---- routing -------------------------------------------------------- */

bool
api_contracts_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *p = r->path, *rest;
	char key[96];

	if (strcmp(p, "/api/v1/organizations") == 0) {
		if (method_is(r, out, "GET", "GET"))
			orgs_list(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/api/v1/organizations/", key, sizeof key)) &&
	    *rest == '\0') {
		if (method_is(r, out, "GET", "GET"))
			org_get(app, r, key, out);
		return true;
	}
	if (strcmp(p, "/api/v1/contacts") == 0) {
		if (method_is(r, out, "GET", "GET"))
			contacts_list(app, r, out);
		return true;
	}
	if (strcmp(p, "/api/v1/agents") == 0) {
		if (method_is(r, out, "GET", "GET"))
			agents_list(app, r, out);
		return true;
	}
	if (strcmp(p, "/api/v1/contracts") == 0) {
		if (strcmp(r->method, "POST") == 0)
			contract_create(app, r, out);
		else if (method_is(r, out, "GET", "GET or POST"))
			contracts_list(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/api/v1/contracts/", key, sizeof key)) &&
	    *rest == '\0') {
		if (method_is(r, out, "GET", "GET"))
			contract_get(app, r, key, out);
		return true;
	}
	if ((rest = segment(p, "/api/v1/tickets/", key, sizeof key)) &&
	    strcmp(rest, "/attendances/preview") == 0) {
		if (method_is(r, out, "POST", "POST"))
			attendance_preview(app, r, key, out);
		return true;
	}
	if (strcmp(p, "/api/v1/quotes") == 0) {
		if (strcmp(r->method, "POST") == 0)
			quote_create(app, r, out);
		else if (method_is(r, out, "GET", "GET or POST"))
			quotes_list(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/api/v1/quotes/", key, sizeof key))) {
		if (*rest == '\0') {
			if (method_is(r, out, "GET", "GET"))
				quote_answer(app, r, key, out, 200);
		} else if (strcmp(rest, "/approve") == 0 ||
			   strcmp(rest, "/reject") == 0) {
			if (method_is(r, out, "POST", "POST"))
				quote_decide(app, r, key, rest[1] == 'a', out);
		} else {
			api_reply_error(out, 404, "not_found", "no such path",
					NULL);
		}
		return true;
	}
	if (strcmp(p, "/api/v1/invoices") == 0) {
		if (method_is(r, out, "GET", "GET"))
			invoices_list(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/api/v1/invoices/", key, sizeof key)) &&
	    *rest == '\0') {
		if (method_is(r, out, "GET", "GET"))
			invoice_get(app, r, key, out);
		return true;
	}
	return false;
}
