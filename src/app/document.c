/* document.c — quotes, estimates and invoices (BILL-7, BILL-8,
 * BILL-10, BILL-11, PLAN-4). */
#include "app_internal.h"

#include "../util/str.h"
#include "../zone/zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t
app_iva(const struct app *app, int64_t subtotal)
{
	return (subtotal * app->policy->billing.iva_percent + 50) / 100;
}

static int
local_year(struct app *app, int64_t t)
{
	int64_t local = zone_to_local(app->zone, t);

	return civil_from_days(local >= 0 ? local / 86400
					  : (local - 86399) / 86400).y;
}

static int
number_for(struct app *app, char out[64], const char *kind,
	   const char *prefix, int64_t now, struct sp_err *err)
{
	char upper[16];
	size_t k = 0;
	int64_t seq;
	int year = local_year(app, now), rc;

	if ((rc = store_document_next(app->store, &seq, app->provider_id, kind,
				      year, err)))
		return rc;
	for (const char *s = app->policy->id; *s && k < 8; s++)
		if (*s != '_')
			upper[k++] = (char)toupper((unsigned char)*s);
	upper[k] = '\0';
	snprintf(out, 64, "%s-%s-%04d-%04lld", upper, prefix, year,
		 (long long)seq);
	return 0;
}

static int
doc_timer(struct app *app, const char *kind, int64_t due, const char *key,
	  int64_t id, struct sp_err *err)
{
	struct timer_row t = { 0 };
	char payload[64];

	snprintf(payload, sizeof payload, "{\"%s\":%lld}", key, (long long)id);
	t.provider_id = app->provider_id;
	t.kind = kind;
	t.due_at = due;
	t.payload = payload;
	return store_timer_add(app->store, NULL, &t, err);
}

static void
money(char out[32], int64_t c)
{
	snprintf(out, 32, "$%lld.%02lld", (long long)(c / 100),
		 (long long)(c % 100));
}

int
app_quote_create(struct app *app, char out_number[64], int64_t now,
		 const struct actor *who, const struct quote_input *in,
		 struct sp_err *err)
{
	struct quote_row q = { 0 };
	struct ticket_row t = { 0 };
	struct org_row org;
	struct arena a;
	char number[64];
	int64_t id;
	int rc;

	if (strcmp(who->kind, "agent") != 0)
		return sp_err_set(err, SP_EINVAL, "actor", "quotes are sent by "
				  "an agent");
	if (in->kind == NULL ||
	    (strcmp(in->kind, "quote") && strcmp(in->kind, "estimate")))
		return sp_err_set(err, SP_EINVAL, "kind", "kind is quote "
				  "(per-event work, BILL-7) or estimate "
				  "(hours to debit, BILL-8)");
	if (in->minutes < 1 || in->minutes > 100000 * 60)
		return sp_err_set(err, SP_EINVAL, "minutes", "a quote covers "
				  "at least one minute");
	if (in->subtotal_centavos < 0 || in->subtotal_centavos > INT64_C(1) << 45)
		return sp_err_set(err, SP_EINVAL, "amount", "the amount is whole "
				  "centavos from 0");
	if ((rc = app__text("description", in->description, true, true, 4000,
			    err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if (in->ticket && *in->ticket) {
		if ((rc = store_ticket_find(app->store, &a, &t, app->provider_id,
					    in->ticket, err)))
			goto fail;
		q.organization_id = t.organization_id;
	} else {
		if ((rc = store_org_find(app->store, &a, &org, app->provider_id,
					 in->organization ? in->organization : "",
					 err)))
			goto fail;
		q.organization_id = org.id;
	}
	if (q.organization_id == 0) {
		rc = sp_err_set(err, SP_EINVAL, "organization", "the ticket's "
				"customer has no organization to quote");
		goto fail;
	}
	if ((rc = number_for(app, number, "quote", in->kind[0] == 'q' ? "Q" : "E",
			     now, err)))
		goto fail;
	q.provider_id = app->provider_id;
	q.number = number;
	q.ticket_id = t.id;
	q.kind = in->kind;
	q.minutes = in->minutes;
	q.subtotal_centavos = in->subtotal_centavos;
	q.iva_centavos = app_iva(app, in->subtotal_centavos);
	q.description = in->description;
	q.state = "sent";
	q.valid_until = now + QUOTE_VALID_DAYS * 86400;
	q.created_at = now;
	if ((rc = store_quote_add(app->store, &id, &q, err)) ||
	    (rc = app__event(app, now, who, "quote", id, t.id, "quote.sent",
			     NULL, json_pack("{s:s, s:s, s:I, s:I, s:I}",
					     "number", number, "kind", in->kind,
					     "minutes", (json_int_t)in->minutes,
					     "subtotal_centavos",
					     (json_int_t)in->subtotal_centavos,
					     "iva_centavos",
					     (json_int_t)q.iva_centavos), err)) ||
	    (rc = doc_timer(app, "quote_expiry", q.valid_until, "quote_id", id,
			    err)))
		goto fail;
	if (t.id) {
		char msg[1024], sub[32], iva[32], tot[32], until[32];

		money(sub, q.subtotal_centavos);
		money(iva, q.iva_centavos);
		money(tot, q.subtotal_centavos + q.iva_centavos);
		zone_format(app->zone, q.valid_until, until);
		snprintf(msg, sizeof msg, "%s %s: %s\n%lld h %02lld min · "
			 "%s + IVA %s = %s MXN\nVigente hasta %.10s. Responda "
			 "aprobando o rechazando.",
			 strcmp(in->kind, "quote") == 0 ? "Cotización" :
			 "Estimación", number, in->description,
			 (long long)(in->minutes / 60),
			 (long long)(in->minutes % 60), sub, iva, tot, until);
		if ((rc = app__message(app, NULL, now, &t, "public", "agent",
				       who->id, NULL, msg, err)))
			goto fail;
	}
	rc = app__commit(app, err);
	if (rc == 0)
		str_copy(out_number, number, 64);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_quote_decide(struct app *app, int64_t now, const struct actor *who,
		 const char *key, bool approve, const char *channel,
		 struct sp_err *err)
{
	struct quote_row q;
	struct arena a;
	int rc;

	if (channel && policy_channel_parse(channel) < 0 &&
	    strcmp(channel, "portal") != 0)
		return sp_err_set(err, SP_EINVAL, "channel", "channel '%s' is "
				  "not one of email, web, phone, whatsapp, "
				  "video, chat, remote, onsite, portal", channel);
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_quote_find(app->store, &a, &q, app->provider_id,
				   key ? key : "", err)))
		goto fail;
	if (strcmp(who->kind, "contact") == 0) {
		struct contact_row c;

		/* PRIV-2: the organization's admin decides; a customer
		 * user sees no quotes, so none of them is theirs to answer. */
		if (store_contact_get(app->store, &a, &c, app->provider_id,
				      who->id, NULL) ||
		    c.organization_id != q.organization_id ||
		    app__customer_user(&c)) {
			rc = sp_err_set(err, SP_ENOTFOUND, "quote", "no quote "
					"'%s'", key);
			goto fail;
		}
	} else if (strcmp(who->kind, "agent") != 0) {
		rc = sp_err_set(err, SP_EINVAL, "actor", "the customer decides; "
				"an agent may record the customer's answer");
		goto fail;
	}
	if (strcmp(q.state, "sent") != 0 || now > q.valid_until) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "quote %s is %s; "
				"it can no longer be %s", q.number,
				now > q.valid_until && strcmp(q.state, "sent") == 0 ?
				"expired" : q.state,
				approve ? "approved" : "rejected");
		goto fail;
	}
	q.state = approve ? "approved" : "rejected";
	q.decided_at = now;
	q.decided_by_kind = who->kind;
	q.decided_by_id = who->id;
	q.decided_channel = channel ? channel : "portal";
	if ((rc = store_quote_update(app->store, &q, err)) ||
	    (rc = app__event(app, now, who, "quote", q.id, q.ticket_id,
			     approve ? "quote.approved" : "quote.rejected",
			     json_pack("{s:s}", "state", "sent"),
			     json_pack("{s:s, s:s}", "state", q.state,
				       "channel", q.decided_channel), err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_quote_pay(struct app *app, char out_contract[64], int64_t now,
	      const struct actor *who, const char *key, const char *reference,
	      struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct contract_input ci = { 0 };
	struct quote_row q;
	struct arena a;
	char number[64], org[32];
	int per_event = -1, rc;

	if ((rc = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				      "recording a payment", err)) ||
	    (rc = app__text("reference", reference, true, false, 200, err)))
		return rc;
	for (size_t i = 0; i < p->nplans; i++)
		if (p->plans[i].kind == PLAN_PER_EVENT) {
			per_event = (int)i;
			break;
		}
	if (per_event < 0)
		return sp_err_set(err, SP_ECONFLICT, "plan", "%s sells no "
				  "per-event service", p->provider.short_name);
	arena_init(&a, 0);
	if ((rc = store_quote_find(app->store, &a, &q, app->provider_id,
				   key ? key : "", err)))
		goto out;
	if (strcmp(q.state, "approved") != 0 || strcmp(q.kind, "quote") != 0) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "%s %s is %s; only "
				"an approved quote is paid", q.kind, q.number,
				q.state);
		goto out;
	}
	/* The quote's hours become a per-event contract: one use case
	 * made of two, each in its own transaction; the quote records
	 * the contract last, so a retry after a failure is safe. */
	snprintf(org, sizeof org, "%lld", (long long)q.organization_id);
	ci.organization = org;
	ci.plan = p->plans[per_event].id;
	ci.price_centavos = q.subtotal_centavos;
	if ((rc = app_contract_add_minutes(app, number, now, who, &ci,
					   q.minutes, err)) ||
	    (rc = app_contract_pay(app, now, who, number, reference, err)))
		goto out;
	if ((rc = app__begin(app, err)))
		goto out;
	q.state = "paid";
	q.payment_ref = reference;
	{
		struct contract_row c;

		if ((rc = store_contract_find(app->store, &a, &c,
					      app->provider_id, number, err)))
			goto fail;
		q.contract_id = c.id;
	}
	if ((rc = store_quote_update(app->store, &q, err)) ||
	    (rc = app__event(app, now, who, "quote", q.id, q.ticket_id,
			     "quote.paid", NULL,
			     json_pack("{s:s, s:s}", "reference", reference,
				       "contract", number), err)))
		goto fail;
	rc = app__commit(app, err);
	if (rc == 0)
		str_copy(out_contract, number, 64);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

/* The first instant of the month after t's, in the provider's zone. */
static int64_t
next_month(struct app *app, int64_t t)
{
	int64_t local = zone_to_local(app->zone, t);
	struct civil_date d = civil_from_days(local >= 0 ? local / 86400
							 : (local - 86399) / 86400);
	int y = d.y + (d.m == 12), m = d.m == 12 ? 1 : d.m + 1;

	return zone_from_local(app->zone, civil_days(y, m, 1) * 86400);
}

int
app_invoice_issue(struct app *app, char out_number[64], int64_t now,
		  const struct actor *who, const char *organization,
		  const char *contract, const char *concept, int64_t subtotal,
		  const char *cfdi, struct sp_err *err)
{
	const struct windows_def *w = &app->policy->windows;
	struct invoice_row r = { 0 };
	struct org_row org;
	struct contract_row c = { 0 };
	struct arena a;
	char number[64];
	int64_t id;
	int rc;

	if ((rc = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				      "issuing an invoice", err)))
		return rc;
	if (subtotal <= 0 || subtotal > INT64_C(1) << 45)
		return sp_err_set(err, SP_EINVAL, "amount", "an invoice is for "
				  "a positive number of centavos");
	if ((rc = app__text("concept", concept, true, false, 500, err)) ||
	    (rc = app__text("cfdi", cfdi, false, false, 64, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_org_find(app->store, &a, &org, app->provider_id,
				 organization ? organization : "", err)))
		goto fail;
	if (contract && *contract &&
	    (rc = store_contract_find(app->store, &a, &c, app->provider_id,
				      contract, err)))
		goto fail;
	if ((rc = number_for(app, number, "invoice", "F", now, err)))
		goto fail;
	r.provider_id = app->provider_id;
	r.number = number;
	r.organization_id = org.id;
	r.contract_id = c.id;
	r.concept = concept;
	r.subtotal_centavos = subtotal;
	r.iva_centavos = app_iva(app, subtotal);
	r.state = "issued";
	r.issued_at = now;
	r.cfdi_uuid = cfdi;
	r.created_at = now;
	if ((rc = store_invoice_add(app->store, &id, &r, err)) ||
	    (rc = app__event(app, now, who, "invoice", id, 0, "invoice.issued",
			     NULL, json_pack("{s:s, s:I, s:I, s:s?}", "number",
					     number, "subtotal_centavos",
					     (json_int_t)subtotal, "iva_centavos",
					     (json_int_t)r.iva_centavos, "cfdi",
					     cfdi), err)))
		goto fail;
	/* BILL-11, PLAN-4: delinquent after the pack's days (EASI 8,
	 * Impera's per-event 6). */
	{
		const struct duration *d = w->invoice_delinquent.unit != DUR_NONE ?
			&w->invoice_delinquent : &w->invoice_due;

		if (d->unit != DUR_NONE &&
		    (rc = doc_timer(app, "invoice_delinquent",
				    app__window_end(app, now, d), "invoice_id",
				    id, err)))
			goto fail;
	}
	if (app->policy->billing.invoice_cancel_at_month_end &&
	    (rc = doc_timer(app, "invoice_month_end", next_month(app, now),
			    "invoice_id", id, err)))
		goto fail;
	rc = app__commit(app, err);
	if (rc == 0)
		str_copy(out_number, number, 64);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

bool
app_org_delinquent(struct app *app, int64_t org)
{
	struct invoice_row *r;
	struct arena a;
	size_t n;
	bool owes = false;

	arena_init(&a, 0);
	if (store_invoice_list(app->store, &a, &r, &n, app->provider_id, org,
			       NULL) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(r[i].state, "delinquent") == 0)
				owes = true;
	arena_free(&a);
	return owes;
}

/* PLAN-4: a delinquent customer's active contracts are suspended; they
 * come back when nothing is owed. */
static int
set_standing(struct app *app, struct arena *a, int64_t now, int64_t org,
	     bool suspend, struct sp_err *err)
{
	struct contract_row *c;
	size_t n;
	int rc;

	if ((rc = store_contract_list(app->store, a, &c, &n, app->provider_id,
				      org, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		const char *from = c[i].state;

		if (suspend ? strcmp(from, "active") != 0
			    : strcmp(from, "suspended") != 0)
			continue;
		/* Back from a suspension after its term ended: it expires
		 * now, as its timer would have done (PLAN-3). */
		if (!suspend && now >= c[i].ends_at) {
			if ((rc = app__contract_expire(app, a, now, c[i].id,
						       err)))
				return rc;
			continue;
		}
		c[i].state = suspend ? "suspended" : "active";
		if ((rc = store_contract_update(app->store, &c[i], err)) ||
		    (rc = app__event(app, now, &app_system, "contract", c[i].id,
				     0, "contract.state",
				     json_pack("{s:s}", "state", from),
				     json_pack("{s:s, s:s}", "state", c[i].state,
					       "reason", suspend ?
					       "unpaid invoice (PLAN-4)" :
					       "invoices settled"), err)))
			return rc;
	}
	return 0;
}

int
app_invoice_pay(struct app *app, int64_t now, const struct actor *who,
		const char *key, const char *reference, struct sp_err *err)
{
	struct invoice_row r;
	struct arena a;
	const char *from;
	int rc;

	if ((rc = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				      "recording a payment", err)) ||
	    (rc = app__text("reference", reference, true, false, 200, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_invoice_find(app->store, &a, &r, app->provider_id,
				     key ? key : "", err)))
		goto fail;
	if (strcmp(r.state, "issued") && strcmp(r.state, "delinquent")) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "invoice %s is %s",
				r.number, r.state);
		goto fail;
	}
	from = r.state;
	r.state = "paid";
	r.paid_at = now;
	r.payment_ref = reference;
	if ((rc = store_invoice_update(app->store, &r, err)) ||
	    (rc = app__event(app, now, who, "invoice", r.id, 0, "invoice.paid",
			     json_pack("{s:s}", "state", from),
			     json_pack("{s:s, s:s}", "state", "paid",
				       "reference", reference), err)))
		goto fail;
	if (!app_org_delinquent(app, r.organization_id) &&
	    (rc = set_standing(app, &a, now, r.organization_id, false, err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

/* Timers of documents, in the tick's transaction. */
int
app__document_timer(struct app *app, struct arena *a, const char *kind,
		    int64_t id, int64_t now, struct sp_err *err)
{
	int rc;

	if (strcmp(kind, "quote_expiry") == 0) {
		struct quote_row q;
		char key[32];

		snprintf(key, sizeof key, "%lld", (long long)id);
		if ((rc = store_quote_find(app->store, a, &q, app->provider_id,
					   key, err)))
			return rc;
		if (strcmp(q.state, "sent") != 0)
			return 0;
		q.state = "expired";
		if ((rc = store_quote_update(app->store, &q, err)))
			return rc;
		return app__event(app, now, &app_system, "quote", q.id,
				  q.ticket_id, "quote.expired", NULL, NULL, err);
	} else {
		struct invoice_row r;
		char key[32];
		bool month_end = strcmp(kind, "invoice_month_end") == 0;
		const char *from;

		snprintf(key, sizeof key, "%lld", (long long)id);
		if ((rc = store_invoice_find(app->store, a, &r, app->provider_id,
					     key, err)))
			return rc;
		if (month_end ? (strcmp(r.state, "issued") &&
				 strcmp(r.state, "delinquent"))
			      : strcmp(r.state, "issued") != 0)
			return 0;
		from = r.state;
		r.state = month_end ? "cancelled" : "delinquent";
		if ((rc = store_invoice_update(app->store, &r, err)) ||
		    (rc = app__event(app, now, &app_system, "invoice", r.id, 0,
				     month_end ? "invoice.cancelled" :
				     "invoice.delinquent",
				     json_pack("{s:s}", "state", from),
				     json_pack("{s:s}", "state", r.state), err)))
			return rc;
		if (!month_end)
			return set_standing(app, a, now, r.organization_id, true,
					    err);
		if (!app_org_delinquent(app, r.organization_id))
			return set_standing(app, a, now, r.organization_id,
					    false, err);
		return 0;
	}
}
