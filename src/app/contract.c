/* contract.c — contracts, hour banks and attendances (PLAN-, BILL-). */
#include "app_internal.h"

#include "../util/str.h"
#include "../zone/zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
is_kind(const struct actor *who, const char *kind)
{
	return strcmp(who->kind, kind) == 0;
}

/* Calendar months after `t`, same wall-clock day and time (clamped to
 * the month's last day). */
static int64_t
add_months(struct app *app, int64_t t, int months)
{
	int64_t local = zone_to_local(app->zone, t);
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sod = local - day * 86400;
	struct civil_date d = civil_from_days(day);
	int m = d.m - 1 + months;
	int y = d.y + m / 12;
	int dd;

	m = m % 12 + 1;
	dd = d.d < civil_month_days(y, m) ? d.d : civil_month_days(y, m);
	return zone_from_local(app->zone, civil_days(y, m, dd) * 86400 + sod);
}

static int contract_add(struct app *app, char out_number[64], int64_t now,
			const struct actor *who, const struct contract_input *in,
			int64_t bank_minutes, struct sp_err *err);

int
app_contract_add(struct app *app, char out_number[64], int64_t now,
		 const struct actor *who, const struct contract_input *in,
		 struct sp_err *err)
{
	return contract_add(app, out_number, now, who, in, 0, err);
}

int
app_contract_add_minutes(struct app *app, char out_number[64], int64_t now,
			 const struct actor *who,
			 const struct contract_input *in, int64_t minutes,
			 struct sp_err *err)
{
	if (minutes < 1)
		return sp_err_set(err, SP_EINVAL, "minutes", "a bank holds at "
				  "least one minute");
	return contract_add(app, out_number, now, who, in, minutes, err);
}

static int
contract_add(struct app *app, char out_number[64], int64_t now,
	     const struct actor *who, const struct contract_input *in,
	     int64_t bank_minutes, struct sp_err *err)
{
	const struct policy *p = app->policy;
	const struct plan_def *pl;
	struct contract_row c = { 0 };
	struct org_row org;
	struct arena a;
	char number[64], upper[16];
	int64_t seq, id;
	int idx, rc, months = 0;
	struct civil_date day;

	if ((rc = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				      "adding a contract", err)))
		return rc;
	idx = in->plan ? policy_plan_index(p, in->plan) : -1;
	if (idx < 0)
		return sp_err_set(err, SP_EINVAL, "plan", "%s has no plan '%s'",
				  p->provider.short_name,
				  in->plan ? in->plan : "");
	pl = &p->plans[idx];
	c.bank_minutes = pl->nhours ? pl->hours[0] * 60 : 0;
	if (in->hours) {
		bool offered = pl->nhours == 0;

		for (int i = 0; i < pl->nhours; i++)
			if (pl->hours[i] == in->hours)
				offered = true;
		if (!offered || in->hours < 0 || in->hours > 100000)
			return sp_err_set(err, SP_EINVAL, "hours", "plan '%s' is "
					  "not sold with %d hours", pl->id,
					  in->hours);
		c.bank_minutes = (int64_t)in->hours * 60;
	}
	if (bank_minutes > 0)
		c.bank_minutes = bank_minutes;
	/* A bank or a per-event purchase without hours would serve on
	 * credit (PLAN-3, BILL-7). */
	if (c.bank_minutes == 0 &&
	    (pl->kind == PLAN_BANK || pl->kind == PLAN_PER_EVENT))
		return sp_err_set(err, SP_EINVAL, "hours", "plan '%s' is sold in "
				  "hours agreed per contract: give --hours (or "
				  "use a paid quote)", pl->id);
	/* The term: months, or a year for per-event purchases. */
	for (int i = 0; i < pl->nterm; i++)
		if (pl->term[i].unit == DUR_MONTHS &&
		    (in->term_months == 0 || pl->term[i].n == in->term_months)) {
			months = (int)pl->term[i].n;
			break;
		}
	if (in->term_months && months != in->term_months)
		return sp_err_set(err, SP_EINVAL, "term", "plan '%s' is not "
				  "sold for %d months", pl->id, in->term_months);
	if (months == 0)
		months = 12;
	if ((rc = app__text("products", in->products, false, false, 2000, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_org_find(app->store, &a, &org, app->provider_id,
				 in->organization ? in->organization : "", err)))
		goto fail;
	c.starts_at = in->starts_at ? in->starts_at : now;
	{
		int64_t local = zone_to_local(app->zone, now);

		day = civil_from_days(local >= 0 ? local / 86400
						 : (local - 86399) / 86400);
	}
	if ((rc = store_contract_next_number(app->store, &seq, app->provider_id,
					     day.y, err)))
		goto fail;
	{
		size_t k = 0;

		for (const char *s = p->id; *s && k < 8; s++)
			if (*s != '_')
				upper[k++] = (char)toupper((unsigned char)*s);
		upper[k] = '\0';
	}
	snprintf(number, sizeof number, "%s-C-%04d-%04lld", upper, day.y,
		 (long long)seq);
	c.provider_id = app->provider_id;
	c.organization_id = org.id;
	c.number = number;
	c.plan = pl->id;
	c.kind = policy_plan_kind_name(pl->kind);
	c.ends_at = add_months(app, c.starts_at, months);
	c.price_centavos = in->price_centavos >= 0 ? in->price_centavos
						   : pl->price_centavos;
	c.state = "pending_payment";
	c.products = in->products;
	c.office_minutes = pl->office_minutes;
	c.onsite_minutes = pl->onsite_minutes;
	c.created_at = now;
	if ((rc = store_contract_add(app->store, &id, &c, err)) ||
	    (rc = app__event(app, now, who, "contract", id, 0,
			     "contract.created", NULL,
			     json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}",
				       "number", number, "plan", pl->id,
				       "organization_id", (json_int_t)org.id,
				       "bank_minutes", (json_int_t)c.bank_minutes,
				       "starts_at", (json_int_t)c.starts_at,
				       "ends_at", (json_int_t)c.ends_at), err)))
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

static int
load_contract(struct app *app, struct arena *a, struct contract_row *c,
	      const char *key, struct sp_err *err)
{
	if (key == NULL || *key == '\0')
		return sp_err_set(err, SP_EINVAL, "contract", "which contract? "
				  "give its number");
	return store_contract_find(app->store, a, c, app->provider_id, key,
				   err);
}

/* PLAN-3: when a contract's hours run out or its term ends, the
 * customer's contacts are offered a renewal by email, so the next request
 * does not meet a refusal unannounced. */
static int
renewal_notice(struct app *app, int64_t now, const struct contract_row *c,
	       struct sp_err *err)
{
	struct contact_row *k;
	struct arena a;
	size_t n;
	int rc;
	bool ended = strcmp(c->state, "expired") == 0;

	if (c->organization_id == 0)
		return 0;
	arena_init(&a, 0);
	rc = store_contact_list(app->store, &a, &k, &n, app->provider_id,
				c->organization_id, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		bool en = k[i].lang && strncmp(k[i].lang, "en", 2) == 0;
		char subject[200], body[700];

		if (k[i].email == NULL)
			continue;
		snprintf(subject, sizeof subject, en ? "Your contract %s has "
			 "%s" : "Su póliza %s %s", c->number, en ? (ended ?
			 "ended" : "run out of hours") : (ended ? "terminó su "
			 "vigencia" : "agotó sus horas"));
		snprintf(body, sizeof body, en ?
			 "Contract %s (%s) has %s. Requests from now on need a "
			 "renewal or a per-event quote; we do not serve on "
			 "credit (PLAN-3). Reply to this message to renew." :
			 "La póliza %s (%s) %s. Para atender nuevas solicitudes "
			 "se requiere renovarla o una cotización por evento; no "
			 "damos servicio a crédito (PLAN-3). Responda a este "
			 "mensaje para renovarla.", c->number, c->plan,
			 en ? (ended ? "reached the end of its term" :
			       "used up its hours") :
			 (ended ? "llegó al fin de su vigencia" :
			  "agotó sus horas"));
		rc = app__notify_address(app, now, 0, "renewal", k[i].email,
					 k[i].name, subject, body, NULL, err);
	}
	arena_free(&a);
	return rc;
}

static int
contract_state(struct app *app, int64_t now, const struct actor *who,
	       struct contract_row *c, const char *to, const char *reason,
	       struct sp_err *err)
{
	const char *from = c->state;
	int rc;

	c->state = to;
	if ((rc = store_contract_update(app->store, c, err)) ||
	    (rc = app__event(app, now, who, "contract", c->id, 0,
			     "contract.state", json_pack("{s:s}", "state", from),
			     json_pack("{s:s, s:s?}", "state", to, "reason",
				       reason), err)))
		return rc;
	/* Once per contract: an exhausted one that later expires is not
	 * offered again. */
	if (strcmp(from, "active") == 0 &&
	    (strcmp(to, "exhausted") == 0 || strcmp(to, "expired") == 0))
		return renewal_notice(app, now, c, err);
	return 0;
}

static int
ledger(struct app *app, int64_t now, const struct actor *who,
       const struct contract_row *c, const char *kind, int64_t minutes,
       int64_t attendance_id, const char *reason, struct sp_err *err)
{
	struct ledger_row r = { 0 };

	r.provider_id = app->provider_id;
	r.contract_id = c->id;
	r.kind = kind;
	r.minutes = minutes;
	r.at = now;
	r.attendance_id = attendance_id;
	r.actor_kind = who->kind;
	r.actor_id = who->id;
	r.reason = reason;
	return store_ledger_add(app->store, NULL, &r, err);
}

/* Runs `body` as one use case: begin, load the contract, act, commit. */
#define CONTRACT_TX(...)                                               \
	do {                                                            \
		struct contract_row c;                                  \
		struct arena a;                                         \
		int rc;                                                 \
                                                                        \
		arena_init(&a, 0);                                      \
		if ((rc = app__begin(app, err)))                \
			goto out_;                                      \
		if ((rc = load_contract(app, &a, &c, key, err)))        \
			goto fail_;                                     \
		__VA_ARGS__;                                            \
		rc = app__commit(app, err);                     \
		goto out_;                                              \
	fail_:                                                          \
		app__rollback(app);                             \
	out_:                                                           \
		arena_free(&a);                                         \
		return rc;                                              \
	} while (0)

int
app_contract_pay(struct app *app, int64_t now, const struct actor *who,
		 const char *key, const char *reference, struct sp_err *err)
{
	int e;

	if ((e = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				     "recording a payment", err)) ||
	    (e = app__text("reference", reference, true, false, 200, err)))
		return e;
	CONTRACT_TX({
		if (strcmp(c.state, "pending_payment") != 0) {
			rc = sp_err_set(err, SP_ECONFLICT, "state", "contract "
					"%s is %s, not pending payment",
					c.number, c.state);
			goto fail_;
		}
		c.paid_at = now;
		c.payment_ref = reference;
		if ((rc = contract_state(app, now, who, &c, "active",
					 "payment received", err)))
			goto fail_;
		if (c.bank_minutes > 0 &&
		    (rc = ledger(app, now, who, &c, "purchase", c.bank_minutes,
				 0, reference, err)))
			goto fail_;
		/* PLAN-3: the term ends it; a timer records the expiry. */
		{
			struct timer_row t = { 0 };
			char payload[64];

			snprintf(payload, sizeof payload,
				 "{\"contract_id\":%lld}", (long long)c.id);
			t.provider_id = app->provider_id;
			t.kind = "contract_expiry";
			t.due_at = c.ends_at;
			t.payload = payload;
			if ((rc = store_timer_add(app->store, NULL, &t, err)))
				goto fail_;
		}
	});
}

int
app_contract_adjust(struct app *app, int64_t now, const struct actor *who,
		    const char *key, int64_t minutes, const char *reason,
		    struct sp_err *err)
{
	int e;

	if (!is_kind(who, "agent"))
		return sp_err_set(err, SP_EINVAL, "actor", "an adjustment is "
				  "made by an agent (--as agent:EMAIL)");
	if ((e = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				    "an adjustment", err)))
		return e;
	if ((e = app__text("reason", reason, true, true, 2000, err)))
		return e;
	if (minutes == 0 || minutes < -1000000 || minutes > 1000000)
		return sp_err_set(err, SP_EINVAL, "minutes", "an adjustment "
				  "moves the balance by a non-zero number of "
				  "minutes");
	CONTRACT_TX({
		int64_t bal;

		if ((rc = store_ledger_balance(app->store, &bal, c.id, err)))
			goto fail_;
		if (bal + minutes < -c.overage_minutes) {
			rc = sp_err_set(err, SP_ECONFLICT, "minutes", "the "
					"balance of %s would go below zero "
					"(%lld min left)", c.number,
					(long long)bal);
			goto fail_;
		}
		if ((rc = ledger(app, now, who, &c, "adjustment", minutes, 0,
				 reason, err)))
			goto fail_;
		if (strcmp(c.state, "exhausted") == 0 && bal + minutes > 0 &&
		    now < c.ends_at &&
		    (rc = contract_state(app, now, who, &c, "active",
					 "hours added", err)))
			goto fail_;
	});
}

int
app_contract_allow_overage(struct app *app, int64_t now,
			   const struct actor *who, const char *key,
			   int64_t minutes, const char *reason,
			   struct sp_err *err)
{
	int e;

	if (!is_kind(who, "agent"))
		return sp_err_set(err, SP_EINVAL, "actor", "an overage is "
				  "authorised by an agent");
	if ((e = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				    "authorising an overage", err)))
		return e;
	if ((e = app__text("reason", reason, true, true, 2000, err)))
		return e;
	if (minutes < 0 || minutes > 100000)
		return sp_err_set(err, SP_EINVAL, "minutes", "overage minutes "
				  "from 0 to 100000");
	CONTRACT_TX({
		int64_t before = c.overage_minutes;

		c.overage_minutes = minutes;
		if ((rc = store_contract_update(app->store, &c, err)) ||
		    (rc = app__event(app, now, who, "contract", c.id, 0,
				     "contract.overage",
				     json_pack("{s:I}", "minutes", (json_int_t)before),
				     json_pack("{s:I, s:s}", "minutes",
					       (json_int_t)minutes, "reason",
					       reason), err)))
			goto fail_;
	});
}

int
app_contract_cancel(struct app *app, int64_t *out_refund, int64_t now,
		    const struct actor *who, const char *key,
		    const char *reason, struct sp_err *err)
{
	const struct policy *p = app->policy;
	int e;

	*out_refund = 0;
	if ((e = app__role_at_least(app, who, ROLE_OPS_MANAGER,
				     "a cancellation", err)) ||
	    (e = app__text("reason", reason, false, true, 2000, err)))
		return e;
	CONTRACT_TX({
		int64_t consumed, bal, window_end, refund = 0;

		if (strcmp(c.state, "pending_payment") == 0) {
			/* Nothing was paid: simply cancelled. */
			if ((rc = contract_state(app, now, who, &c, "cancelled",
						 reason, err)))
				goto fail_;
			goto commit_;
		}
		if (strcmp(c.state, "active") != 0) {
			rc = sp_err_set(err, SP_ECONFLICT, "state", "contract "
					"%s is %s", c.number, c.state);
			goto fail_;
		}
		if ((rc = store_ledger_consumed(app->store, &consumed, c.id,
						err)) ||
		    (rc = store_ledger_balance(app->store, &bal, c.id, err)))
			goto fail_;
		/* BILL-12: within the window after payment, and only while
		 * nothing was consumed. */
		window_end = p->windows.cancellation.unit != DUR_NONE ?
			app__window_end(app, c.paid_at, &p->windows.cancellation) :
			c.paid_at + 24 * 3600;
		if (now > window_end) {
			rc = sp_err_set(err, SP_ECONFLICT, "contract", "%s was "
					"paid more than the cancellation window "
					"ago; its hours stay available (BILL-12)",
					c.number);
			goto fail_;
		}
		if (consumed > 0) {
			rc = sp_err_set(err, SP_ECONFLICT, "contract", "%s has "
					"%lld minutes consumed; no refund once "
					"consumption started (BILL-12)", c.number,
					(long long)consumed);
			goto fail_;
		}
		if (c.price_centavos > 0 &&
		    c.bank_minutes > (int64_t)p->billing.refund_min_block_hours * 60)
			refund = c.price_centavos -
				 (c.price_centavos * p->billing.refund_fee_percent +
				  99) / 100;
		if (bal != 0 &&
		    (rc = ledger(app, now, who, &c, "refund", -bal, 0,
				 reason ? reason : "cancelled", err)))
			goto fail_;
		if ((rc = contract_state(app, now, who, &c, "cancelled", reason,
					 err)) ||
		    (rc = app__event(app, now, who, "contract", c.id, 0,
				     "contract.refund", NULL,
				     json_pack("{s:I, s:I}", "refund_centavos",
					       (json_int_t)refund,
					       "price_centavos",
					       (json_int_t)c.price_centavos),
				     err)))
			goto fail_;
		*out_refund = refund;
	commit_:;
	});
}

/* PLAN-3: can service be given on this contract now? */
static void
status_of(struct app *app, struct contract_status *st, int64_t now)
{
	const struct contract_row *c = &st->c;

	st->usable = false;
	if (strcmp(c->state, "pending_payment") == 0)
		st->why = "awaiting payment or purchase order (BILL-7)";
	else if (strcmp(c->state, "suspended") == 0)
		st->why = "suspended for unpaid invoices (PLAN-4)";
	else if (strcmp(c->state, "cancelled") == 0)
		st->why = "cancelled";
	else if (now < c->starts_at)
		st->why = "not started yet";
	else if (now >= c->ends_at || strcmp(c->state, "expired") == 0)
		st->why = "its term has ended (PLAN-3)";
	else if (c->bank_minutes > 0 && st->balance <= -c->overage_minutes)
		st->why = "its hours are used up (PLAN-3)";
	else {
		st->usable = true;
		st->why = "";
	}
	(void)app;
}

static int
fill_status(struct app *app, struct contract_status *st, int64_t now,
	    struct sp_err *err)
{
	(void)err;
	st->balance = st->c.balance_minutes;
	st->consumed = st->c.consumed_minutes;
	status_of(app, st, now);
	return 0;
}

int
app_contract_status(struct app *app, struct arena *a,
		    struct contract_status *out, const char *key, int64_t now,
		    struct sp_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = load_contract(app, a, &out->c, key, err)))
		return rc;
	return fill_status(app, out, now, err);
}

int
app_contract_list(struct app *app, struct arena *a,
		  struct contract_status **out, size_t *n,
		  const char *organization, int64_t now, struct sp_err *err)
{
	struct contract_row *rows;
	struct contract_status *st;
	struct org_row org = { 0 };
	size_t cnt;
	int rc;

	if (organization && *organization &&
	    (rc = store_org_find(app->store, a, &org, app->provider_id,
				 organization, err)))
		return rc;
	if ((rc = store_contract_list(app->store, a, &rows, &cnt,
				      app->provider_id, org.id, err)))
		return rc;
	st = arena_calloc(a, cnt + 1, sizeof *st);
	if (st == NULL)
		return sp_err_set(err, SP_ENOMEM, "contracts", "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		st[i].c = rows[i];
		if ((rc = fill_status(app, &st[i], now, err)))
			return rc;
	}
	*out = st;
	*n = cnt;
	return 0;
}

/* The usable contracts of an organization, soonest-ending first. */
static int
usable_contracts(struct app *app, struct arena *a, int64_t org, int64_t now,
		 struct contract_status **out, size_t *n, const char **why,
		 struct sp_err *err)
{
	struct contract_status *all;
	size_t cnt, k = 0;
	char key[32];
	int rc;

	snprintf(key, sizeof key, "%lld", (long long)org);
	*why = "the customer has no contract";
	if ((rc = app_contract_list(app, a, &all, &cnt, key, now, err)))
		return rc;
	for (size_t i = 0; i < cnt; i++) {
		if (all[i].usable)
			all[k++] = all[i];
		else
			*why = all[i].why;
	}
	*out = all;
	*n = k;
	return 0;
}

int
app__ticket_contract(struct app *app, struct arena *a, int64_t org,
		     int64_t now, int64_t *out_id)
{
	struct contract_status *st;
	const char *why;
	size_t n;

	*out_id = 0;
	if (org == 0 || usable_contracts(app, a, org, now, &st, &n, &why, NULL))
		return 0;
	if (n > 0)
		*out_id = st[0].c.id;
	return 0;
}

/* Monday 00:00 of t's ISO week, in the provider's zone (BILL-5). */
static void
iso_week(struct app *app, int64_t t, int64_t *from, int64_t *to)
{
	int64_t local = zone_to_local(app->zone, t);
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t monday = day - civil_weekday(day);

	*from = zone_from_local(app->zone, monday * 86400);
	*to = zone_from_local(app->zone, (monday + 7) * 86400);
}

static json_t *
steps_json(const struct bill_result *r)
{
	json_t *l = json_array();

	for (int i = 0; i < r->nsteps; i++) {
		const struct bill_step *s = &r->steps[i];

		json_array_append_new(l, json_pack(
			"{s:s, s:s, s:f, s:f, s:s}", "rule", s->rule,
			"policy", s->policy,
			"before_minutes", billing_minutes(s->before_num,
							  s->before_den),
			"after_minutes", billing_minutes(s->after_num,
							 s->after_den),
			"detail", s->detail));
	}
	return l;
}

static int
check_estimate(struct app *app, struct arena *a, const struct ticket_row *t,
	       int64_t debit, struct sp_err *err)
{
	struct quote_row *q;
	struct attendance_row *at;
	size_t nq, na;
	int64_t approved = 0, used = 0;
	int rc;

	if ((rc = store_quote_list(app->store, a, &q, &nq, app->provider_id,
				   t->id, 0, err)) ||
	    (rc = store_attendance_list(app->store, a, &at, &na, t->id, err)))
		return rc;
	for (size_t i = 0; i < nq; i++)
		if (strcmp(q[i].kind, "estimate") == 0 &&
		    strcmp(q[i].state, "approved") == 0)
			approved += q[i].minutes;
	for (size_t i = 0; i < na; i++)
		used += at[i].debit_minutes;
	if (used + debit <= approved)
		return 0;
	if (approved == 0)
		return sp_err_set(err, SP_ECONFLICT, "estimate", "this debit "
				  "(%lld min) needs an estimate the customer "
				  "authorised on the ticket first (BILL-8)",
				  (long long)debit);
	return sp_err_set(err, SP_ECONFLICT, "estimate", "this debit (%lld "
			  "min) goes beyond the %lld min the customer "
			  "authorised (%lld used): send a new estimate for the "
			  "customer's express authorisation (BILL-8)",
			  (long long)debit, (long long)approved,
			  (long long)used);
}

/* BILL-9: the consumption report left on the ticket, in the contact's
 * language. */
static int
consumption_report(struct app *app, int64_t now, const struct ticket_row *t,
		   const struct attendance_input *in,
		   const struct attendance_logged *res, const char *lang,
		   struct sp_err *err)
{
	bool en = lang && strcmp(lang, "en") == 0;
	char when[32], msg[2048];
	size_t len = 0;

	zone_format(app->zone, in->start, when);
	len += (size_t)snprintf(msg + len, sizeof msg - len, en ?
		"Consumption report\nService: %s, %s, %lld min worked\n" :
		"Reporte de consumo\nServicio: %s, %s, %lld min trabajados\n",
		when, in->modality, (long long)in->minutes);
	for (int i = 0; i < res->bill.nsteps && len < sizeof msg; i++) {
		const struct bill_step *s = &res->bill.steps[i];
		char text[160];

		billing_step_text(text, sizeof text, s, lang);
		len += (size_t)snprintf(msg + len, sizeof msg - len,
			"- %s: %.2f -> %.2f min\n", text,
			billing_minutes(s->before_num, s->before_den),
			billing_minutes(s->after_num, s->after_den));
	}
	if (len < sizeof msg)
		len += (size_t)snprintf(msg + len, sizeof msg - len, en ?
			"Debited: %lld min" : "Descontado: %lld min",
			(long long)res->bill.debit_minutes);
	if (res->balance_after >= 0 && len < sizeof msg)
		snprintf(msg + len, sizeof msg - len, en ?
			 "\nBalance left: %lld h %02lld min (%s)" :
			 "\nSaldo disponible: %lld h %02lld min (%s)",
			 (long long)(res->balance_after / 60),
			 (long long)(res->balance_after % 60), res->contracts);
	return app__message(app, NULL, now, t, "public", "system", 0, NULL,
			    msg, err);
}

/* BILL-6: warranty on delivered work lasts the pack's warranty window
 * from when the work was delivered: this ticket's last resolution (it
 * was reopened) or, for a ticket opened after the reopen window, its
 * parent's (CLO-3). A first visit with no delivery before it is left to
 * the agent's judgement (a fault caused by the provider). */
static int
warranty_check(struct app *app, struct arena *a, const struct ticket_row *t,
	       int64_t start, struct sp_err *err)
{
	const struct duration *d = app__delivery_window(app, t,
			&app->policy->windows.warranty);
	int64_t served, until;
	char when[32], span[64];
	int rc;

	if (d->unit == DUR_NONE)
		return 0;
	if ((rc = app__last_move(app, a, t->id, ~0u, TS_RESOLVED, start,
				 &served, err)))
		return rc;
	if (served == 0 && t->parent_id) {
		struct ticket_row parent;

		if (store_ticket_get(app->store, a, &parent, app->provider_id,
				     t->parent_id, NULL) == 0)
			served = parent.resolved_at ? parent.resolved_at :
				 parent.closed_at;
	}
	if (served == 0)
		return 0;
	until = app__window_end(app, served, d);
	if (start <= until)
		return 0;
	zone_format(app->zone, until, when);
	policy_duration_format(span, sizeof span, d);
	return sp_err_set(err, SP_ECONFLICT, "warranty", "the warranty on "
			  "this work ended %s (%s after delivery, BILL-6); "
			  "log the attendance as billable", when, span);
}

/* CLO-3 (IdeaSys): work on a reopened fault is free up to the pack's
 * reopen_free_minutes, counted from the last reopening; what this
 * attendance may still take free. 0 when the pack has no such rule or
 * the ticket was never reopened. */
static int
reopen_free_left(struct app *app, struct arena *a, const struct ticket_row *t,
		 int64_t *out, struct sp_err *err)
{
	int budget = app->policy->windows.reopen_free_minutes;
	struct attendance_row *at;
	size_t na;
	int64_t since, used = 0;
	int rc;

	*out = 0;
	if (budget <= 0)
		return 0;
	if ((rc = app__last_move(app, a, t->id, 1u << TS_RESOLVED |
				 1u << TS_CLOSED, TS_OPEN, INT64_MAX, &since,
				 err)))
		return rc;
	if (since == 0)
		return 0;
	if ((rc = store_attendance_list(app->store, a, &at, &na, t->id, err)))
		return rc;
	for (size_t i = 0; i < na; i++)
		if (at[i].start_at >= since && !at[i].warranty)
			used += at[i].minutes;
	*out = budget > used ? budget - used : 0;
	return 0;
}

/* What an attendance debits and from which banks: every check of
 * app_attendance_log, in its order, reading only. The log runs it inside
 * its transaction; the preview runs it alone. `computed` is set once the
 * debit is known, so a refusal after it (BILL-8, BILL-7) still comes
 * with the figures. */
struct attendance_calc {
	struct ticket_row t;
	struct contact_row contact;
	struct contract_status *banks; /* usable, soonest-ending first */
	size_t nbanks;
	int plan;
	enum modality modality;
	struct bill_result bill;
	bool computed;
};

static int
attendance_compute(struct app *app, struct arena *a, struct attendance_calc *k,
		   int64_t now, const struct actor *who,
		   const struct attendance_input *in, struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct attendance_in bin = { 0 };
	const char *why = "";
	int64_t from, to, left, free_left = 0;
	bool banked = false;
	int m, rc;

	memset(k, 0, sizeof *k);
	if (!is_kind(who, "agent"))
		return sp_err_set(err, SP_EINVAL, "actor", "attendances are "
				  "logged by an agent (--as agent:EMAIL)");
	m = billing_modality_parse(in->modality ? in->modality : "");
	if (m < 0)
		return sp_err_set(err, SP_EINVAL, "modality", "modality '%s' is "
				  "not one of remote, phone, chat, office, "
				  "onsite_local, onsite_foreign",
				  in->modality ? in->modality : "");
	if (in->minutes < 1 || in->minutes > 24 * 60)
		return sp_err_set(err, SP_EINVAL, "minutes", "an attendance "
				  "lasts 1 to 1440 minutes");
	if (in->start > now + 60)
		return sp_err_set(err, SP_EINVAL, "start", "an attendance is "
				  "logged after it happens, not in the future");
	k->modality = (enum modality)m;
	if ((rc = store_ticket_find(app->store, a, &k->t, app->provider_id,
				    in->ticket ? in->ticket : "", err)))
		return rc;
	if (in->start + in->minutes * 60 < k->t.created_at)
		return sp_err_set(err, SP_EINVAL, "start", "this attendance "
				  "ends before ticket %s was opened", k->t.folio);
	if (k->t.contact_id)
		store_contact_get(app->store, a, &k->contact, app->provider_id,
				  k->t.contact_id, NULL);
	/* PLAN-4: an unpaid invoice past its days stops service (warranty
	 * work aside). */
	if (!in->warranty && app_org_delinquent(app, k->t.organization_id))
		return sp_err_set(err, SP_ECONFLICT, "contract", "the customer "
				  "has an unpaid invoice past its days; service "
				  "is suspended until it is paid (PLAN-4)");
	/* PLAN-3: a valid contract. */
	if ((rc = usable_contracts(app, a, k->t.organization_id, in->start,
				   &k->banks, &k->nbanks, &why, err)))
		return rc;
	if (k->nbanks == 0 && !in->warranty)
		return sp_err_set(err, SP_ECONFLICT, "contract", "no valid "
				  "contract for this customer: %s. Offer a quote "
				  "(per event) or a renewal; no service on credit "
				  "(PLAN-3, BILL-7)", why);
	k->plan = k->nbanks ? policy_plan_index(p, k->banks[0].c.plan) : -1;
	if (k->plan < 0 && in->warranty) {
		/* Warranty without a contract: free under any plan. */
		k->plan = 0;
	}
	iso_week(app, in->start, &from, &to);
	bin.start = in->start;
	bin.minutes = in->minutes;
	bin.modality = k->modality;
	bin.warranty = in->warranty;
	if (!in->warranty &&
	    (rc = reopen_free_left(app, a, &k->t, &free_left, err)))
		return rc;
	if (in->warranty &&
	    (rc = warranty_check(app, a, &k->t, in->start, err)))
		return rc;
	if (free_left >= in->minutes) {
		/* CLO-3: all of it within the free reopened hour. */
		bin.warranty = true;
	} else if (free_left > 0) {
		/* CLO-3: the free part first; the rest charged as usual. */
		bin.start = in->start + free_left * 60;
		bin.minutes = in->minutes - free_left;
	}
	if ((rc = store_quick_questions(app->store, &bin.quick_questions_used,
					k->t.organization_id, from, to, err)))
		return rc;
	{
		int w = p->plans[k->plan].billing.after_hours_window;

		if ((rc = billing_debit(&k->bill, &p->plans[k->plan], &bin,
					w >= 0 ? app->cal_after_hours[w] : NULL,
					err)))
			return rc;
	}
	if (free_left > 0 && k->bill.nsteps > 0) {
		/* Say so in the breakdown, in place of the warranty step or
		 * ahead of the charged ones. */
		struct bill_step *st = &k->bill.steps[0];

		if (free_left < in->minutes &&
		    k->bill.nsteps < BILLING_MAX_STEPS) {
			memmove(st + 1, st, (size_t)k->bill.nsteps * sizeof *st);
			k->bill.nsteps++;
			memset(st, 0, sizeof *st);
			st->before_num = in->minutes * 60;
			st->after_num = bin.minutes * 60;
			st->before_den = st->after_den = 1;
		}
		st->rule = "reopen_free";
		st->policy = "CLO-3";
		st->x = app->policy->windows.reopen_free_minutes;
		st->num = free_left < in->minutes ? free_left : in->minutes;
		snprintf(st->detail, sizeof st->detail, "reopened fault: %lld "
			 "min free (up to %d min)", (long long)(free_left <
			 in->minutes ? free_left : in->minutes),
			 app->policy->windows.reopen_free_minutes);
	}
	k->computed = true;
	/* BILL-8: where the plan asks for it, the customer authorised an
	 * estimate on this ticket that covers what is debited; work beyond
	 * it needs a new authorisation. */
	if (!k->bill.free && p->plans[k->plan].estimate_required &&
	    (rc = check_estimate(app, a, &k->t, k->bill.debit_minutes, err)))
		return rc;
	/* Enough hours across the usable banks? (BILL-7) */
	left = 0;
	for (size_t i = 0; i < k->nbanks; i++)
		if (k->banks[i].c.bank_minutes > 0) {
			left += k->banks[i].balance +
				k->banks[i].c.overage_minutes;
			banked = true;
		}
	if (banked && k->bill.debit_minutes > left)
		return sp_err_set(err, SP_ECONFLICT, "contract", "this "
				  "attendance debits %lld min and the customer "
				  "has %lld left: quote the difference and log "
				  "it once approved (BILL-7)",
				  (long long)k->bill.debit_minutes,
				  (long long)left);
	return 0;
}

/* The balance left over the usable banks (-1: none has a bank). */
static int64_t
banks_left(const struct contract_status *banks, size_t n)
{
	int64_t left = -1;

	for (size_t i = 0; i < n; i++)
		if (banks[i].c.bank_minutes > 0) {
			if (left < 0)
				left = 0;
			left += banks[i].balance > 0 ? banks[i].balance : 0;
		}
	return left;
}

/* Draws a debit from the banks oldest-expiring first; each gives its
 * balance plus its overage, so the last one drawn takes any overage.
 * takes[i] is what banks[i] gives (their balances go down by it);
 * `contracts` names the banks drawn from (the first usable one when
 * none was). */
static void
draw(struct contract_status *banks, size_t n, int64_t need, int64_t *takes,
     char contracts[128])
{
	size_t len = 0;

	contracts[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		struct contract_status *b = &banks[i];
		int64_t take;

		takes[i] = 0;
		if (b->c.bank_minutes == 0 || need <= 0)
			continue;
		take = b->balance + b->c.overage_minutes;
		if (take > need)
			take = need;
		if (take <= 0)
			continue;
		takes[i] = take;
		b->balance -= take;
		need -= take;
		len += (size_t)snprintf(contracts + len, 128 - len, "%s%s",
					len ? ", " : "", b->c.number);
		if (len >= 128)
			len = 127;
	}
	if (len == 0 && n)
		str_copy(contracts, banks[0].c.number, 128);
}

int
app_attendance_preview(struct app *app, struct attendance_preview *out,
		       int64_t now, const struct actor *who,
		       const struct attendance_input *in, struct sp_err *err)
{
	struct attendance_calc k;
	struct arena a;
	int64_t *takes;
	int rc;

	memset(out, 0, sizeof *out);
	out->balance_before = out->balance_after = -1;
	arena_init(&a, 0);
	rc = attendance_compute(app, &a, &k, now, who, in, err);
	if (k.computed) {
		out->computed = true;
		out->bill = k.bill;
		out->plan = app->policy->plans[k.plan].id;
		str_copy(out->folio, k.t.folio, sizeof out->folio);
		out->balance_before = banks_left(k.banks, k.nbanks);
		takes = arena_calloc(&a, k.nbanks + 1, sizeof *takes);
		if (takes == NULL) {
			rc = sp_err_set(err, SP_ENOMEM, "attendance",
					"out of memory");
		} else if (rc == 0) {
			draw(k.banks, k.nbanks, k.bill.debit_minutes, takes,
			     out->contracts);
			out->balance_after = banks_left(k.banks, k.nbanks);
		}
	}
	arena_free(&a);
	return rc;
}

int
app_attendance_log(struct app *app, struct attendance_logged *out,
		   int64_t now, const struct actor *who,
		   const struct attendance_input *in, struct sp_err *err)
{
	struct attendance_calc k;
	struct attendance_row row = { 0 };
	struct arena a;
	int64_t id, *takes;
	int rc;
	char *steps = NULL;

	memset(out, 0, sizeof *out);
	out->balance_after = -1;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = attendance_compute(app, &a, &k, now, who, in, err)))
		goto fail;
	out->bill = k.bill;
	{
		json_t *sj = steps_json(&out->bill);

		steps = json_dumps(sj, JSON_COMPACT);
		json_decref(sj);
	}
	row.provider_id = app->provider_id;
	row.ticket_id = k.t.id;
	row.organization_id = k.t.organization_id;
	row.agent_id = who->id;
	row.start_at = in->start;
	row.minutes = in->minutes;
	row.modality = policy_modality_name(k.modality);
	row.warranty = in->warranty;
	row.quick_question = out->bill.quick_question;
	row.debit_minutes = out->bill.debit_minutes;
	row.steps = steps ? steps : "[]";
	row.created_at = now;
	if ((rc = store_attendance_add(app->store, &id, &row, err)))
		goto fail;
	out->id = id;
	takes = arena_calloc(&a, k.nbanks + 1, sizeof *takes);
	if (takes == NULL) {
		rc = sp_err_set(err, SP_ENOMEM, "attendance", "out of memory");
		goto fail;
	}
	draw(k.banks, k.nbanks, out->bill.debit_minutes, takes, out->contracts);
	for (size_t i = 0; i < k.nbanks; i++) {
		struct contract_status *b = &k.banks[i];

		if (takes[i] <= 0)
			continue;
		if ((rc = ledger(app, now, who, &b->c, "debit", -takes[i], id,
				 NULL, err)))
			goto fail;
		if (b->balance <= 0 &&
		    (rc = contract_state(app, now, who, &b->c, "exhausted",
					 "hours used up", err)))
			goto fail;
	}
	out->balance_after = banks_left(k.banks, k.nbanks);
	if ((rc = app__event(app, now, who, "attendance", id, k.t.id,
			     "attendance.logged", NULL,
			     json_pack("{s:I, s:I, s:s, s:b, s:I, s:s}",
				       "start", (json_int_t)in->start,
				       "minutes", (json_int_t)in->minutes,
				       "modality", row.modality,
				       "warranty", in->warranty,
				       "debit_minutes",
				       (json_int_t)out->bill.debit_minutes,
				       "contracts", out->contracts), err)) ||
	    (rc = consumption_report(app, now, &k.t, in, out, k.contact.lang,
				     err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	free(steps);
	arena_free(&a);
	return rc;
}

int
app__contract_expire(struct app *app, struct arena *a, int64_t now,
		     int64_t id, struct sp_err *err)
{
	struct contract_row c;
	int64_t bal;
	int rc;

	if ((rc = store_contract_get(app->store, a, &c, app->provider_id, id,
				     err)))
		return rc;
	if (now < c.ends_at || (strcmp(c.state, "active") != 0 &&
				strcmp(c.state, "exhausted") != 0 &&
				strcmp(c.state, "suspended") != 0))
		return 0;
	if ((rc = store_ledger_balance(app->store, &bal, c.id, err)))
		return rc;
	if (bal > 0 && (rc = ledger(app, now, &app_system, &c, "expiry", -bal,
				    0, "term ended (PLAN-3)", err)))
		return rc;
	return contract_state(app, now, &app_system, &c, "expired",
			      "term ended (PLAN-3)", err);
}
