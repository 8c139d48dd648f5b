/* report.c — the provider's reports: SLA compliance (SLA-6, REP-1) by
 * priority and agent, or by month and priority, and hours per contract
 * (REP-2); with their JSON views, shared by the CLI and the API. */
#include "app_internal.h"

#include "../util/str.h"
#include "../zone/zone.h"

#include <stdlib.h>
#include <string.h>

static void
count(struct sla_figures *f, const struct sla_clock *k)
{
	if (k->stopped_at) {
		f->stopped++;
		f->total_minutes += k->elapsed / 60;
		if (k->elapsed / 60 > f->max_minutes)
			f->max_minutes = k->elapsed / 60;
	}
	if (k->state == SLA_NONE)
		return;
	f->tickets++;
	switch (k->state) {
	case SLA_MET:
		f->met++;
		break;
	case SLA_BREACHED:
		f->breached++;
		break;
	default:
		f->running++;
	}
}

/* Calls fn with each ticket created in [from, to) (merged ones left
 * out) and its clocks at `now`. The one walk both SLA reports share. */
static int
each_ticket(struct app *app, struct arena *a, int64_t from, int64_t to,
	    int64_t now,
	    int (*fn)(void *ctx, const struct ticket_row *t,
		      const struct sla_status *st),
	    void *ctx, struct sp_err *err)
{
	struct ticket_filter f = { .created_from = from, .created_to = to,
				   .limit = 1000000 };
	struct ticket_row *t;
	size_t nt;
	int rc;

	if ((rc = store_ticket_list(app->store, a, &t, &nt, app->provider_id,
				    &f, err)))
		return rc;
	for (size_t i = 0; i < nt; i++) {
		struct sla_status st;

		if (strcmp(t[i].state, "merged") == 0)
			continue;
		if ((rc = app_ticket_sla(app, &st, &t[i], now, err)) ||
		    (rc = fn(ctx, &t[i], &st)))
			return rc;
	}
	return 0;
}

/* ---- by priority and agent ------------------------------------------ */

/* By priority in the pack's order, the total first, then agents. */
static int
cmp_row(const void *x, const void *y)
{
	const struct sla_report_row *a = x, *b = y;
	if (a->priority_index != b->priority_index)
		return a->priority_index - b->priority_index;
	if ((strcmp(a->agent, "*") == 0) != (strcmp(b->agent, "*") == 0))
		return strcmp(a->agent, "*") == 0 ? -1 : 1;
	return strcmp(a->agent, b->agent);
}

static struct sla_report_row *
row_for(struct sla_report_row *rows, size_t *n, size_t cap,
	const char *priority, const char *agent)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(rows[i].priority, priority) == 0 &&
		    strcmp(rows[i].agent, agent) == 0)
			return &rows[i];
	if (*n >= cap)
		return NULL;
	rows[*n].priority = priority;
	rows[*n].agent = agent;
	return &rows[(*n)++];
}

struct by_agent {
	struct app *app;
	struct agent_row *ag;
	size_t nag;
	struct sla_report_row *rows;
	size_t k, cap;
};

static int
add_by_agent(void *ctx, const struct ticket_row *t, const struct sla_status *st)
{
	struct by_agent *c = ctx;
	const char *prio = c->app->policy->priorities[st->priority].id;
	const char *agent = "-";
	struct sla_report_row *r[2];

	for (size_t g = 0; g < c->nag; g++)
		if (c->ag[g].id == t->assignee_id)
			agent = c->ag[g].name;
	r[0] = row_for(c->rows, &c->k, c->cap, prio, "*");
	r[1] = row_for(c->rows, &c->k, c->cap, prio, agent);
	for (int j = 0; j < 2; j++) {
		if (r[j] == NULL)
			continue;
		r[j]->tickets++;
		count(&r[j]->first_response, &st->first_response);
		count(&r[j]->resolution, &st->resolution);
	}
	return 0;
}

int
app_report_sla(struct app *app, struct arena *a, struct sla_report_row **out,
	       size_t *n, int64_t from, int64_t to, int64_t now,
	       struct sp_err *err)
{
	struct by_agent c = { .app = app };
	int rc;

	if (to <= from)
		return sp_err_set(err, SP_EINVAL, "to", "the period ends "
				  "before it starts");
	if ((rc = store_agent_list(app->store, a, &c.ag, &c.nag,
				   app->provider_id, err)))
		return rc;
	c.cap = app->policy->npriorities * (c.nag + 2);
	c.rows = arena_calloc(a, c.cap + 1, sizeof *c.rows);
	if (c.rows == NULL)
		return sp_err_set(err, SP_ENOMEM, "report", "out of memory");
	/* Totals per priority first, in the pack's order. */
	for (size_t p = 0; p < app->policy->npriorities; p++)
		row_for(c.rows, &c.k, c.cap, app->policy->priorities[p].id, "*");
	if ((rc = each_ticket(app, a, from, to, now, add_by_agent, &c, err)))
		return rc;
	for (size_t i = 0; i < c.k; i++)
		c.rows[i].priority_index =
			policy_priority_index(app->policy, c.rows[i].priority);
	qsort(c.rows, c.k, sizeof *c.rows, cmp_row);
	*out = c.rows;
	*n = c.k;
	return 0;
}

/* ---- months ----------------------------------------------------------- */

/* Months are counted as y * 12 + (m - 1). */
static int
month_parse(int *out, const char *s, const char *field, struct sp_err *err)
{
	int64_t y, m;
	char ys[5], ms[3];

	if (strlen(s) != 7 || s[4] != '-')
		goto bad;
	memcpy(ys, s, 4);
	ys[4] = '\0';
	memcpy(ms, s + 5, 2);
	ms[2] = '\0';
	/* str_to_i64 takes a sign; a month is digits only. */
	if (ys[0] < '0' || ys[0] > '9' || ms[0] < '0' || ms[0] > '9' ||
	    str_to_i64(&y, ys, 1970, 9999) || str_to_i64(&m, ms, 1, 12))
		goto bad;
	*out = (int)(y * 12 + m - 1);
	return 0;
bad:
	return sp_err_set(err, SP_EINVAL, field, "%s is a month, YYYY-MM "
			  "(such as 2026-03)", field);
}

static void
month_text(char out[8], int month)
{
	unsigned m = (unsigned)month;

	snprintf(out, 8, "%04u-%02u", m / 12 % 10000, m % 12 + 1);
}

/* The month of an instant on the provider's wall clock. */
static int
month_of(struct app *app, int64_t t)
{
	int64_t local = zone_to_local(app->zone, t);
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	struct civil_date d = civil_from_days(days);

	return d.y * 12 + d.m - 1;
}

/* The instant the month starts on the provider's wall clock. */
static int64_t
month_start(struct app *app, int month)
{
	int64_t day = civil_days(month / 12, month % 12 + 1, 1);

	return zone_from_local(app->zone, day * 86400);
}

/* The months a report asked for covers (app.h, app_report_sla_months). */
static int
months_asked(struct app *app, int *out_from, int *out_to, const char *from,
	     const char *to, int64_t now, struct sp_err *err)
{
	int f, t, rc;

	t = month_of(app, now);
	if (to && *to && (rc = month_parse(&t, to, "to", err)))
		return rc;
	f = t - (APP_REPORT_MONTHS_DEFAULT - 1);
	if (from && *from && (rc = month_parse(&f, from, "from", err)))
		return rc;
	if (f > t)
		return sp_err_set(err, SP_EINVAL, "to", "the period ends "
				  "before it starts");
	if (t - f >= APP_REPORT_MONTHS_MAX)
		return sp_err_set(err, SP_EINVAL, "from", "a report covers at "
				  "most %d months", APP_REPORT_MONTHS_MAX);
	*out_from = f;
	*out_to = t;
	return 0;
}

/* ---- by month and priority (REP-1) ---------------------------------- */

struct by_month {
	struct app *app;
	struct sla_month_report *rep;
	int first;
};

static int
add_by_month(void *ctx, const struct ticket_row *t, const struct sla_status *st)
{
	struct by_month *c = ctx;
	int m = month_of(c->app, t->created_at) - c->first;
	struct sla_month_row *r;

	/* The list was asked for these months; the check costs nothing. */
	if (m < 0 || (size_t)m >= c->rep->nmonths)
		return 0;
	r = &c->rep->rows[(size_t)m * c->app->policy->npriorities +
			  (size_t)st->priority];
	r->tickets++;
	count(&r->first_response, &st->first_response);
	count(&r->resolution, &st->resolution);
	return 0;
}

int
app_report_sla_months(struct app *app, struct arena *a,
		      struct sla_month_report *out, const char *from,
		      const char *to, int64_t now, struct sp_err *err)
{
	struct sla_month_report rep = { 0 };
	struct by_month c = { app, &rep, 0 };
	size_t np = app->policy->npriorities;
	int f = 0, t = 0, rc;

	if ((rc = months_asked(app, &f, &t, from, to, now, err)))
		return rc;
	c.first = f;
	month_text(rep.from, f);
	month_text(rep.to, t);
	rep.nmonths = (size_t)(t - f + 1);
	rep.nrows = rep.nmonths * np;
	rep.rows = arena_calloc(a, rep.nrows + 1, sizeof *rep.rows);
	if (rep.rows == NULL)
		return sp_err_set(err, SP_ENOMEM, "report", "out of memory");
	/* Every month and priority, zeros included: a chart and a table
	 * keep their shape whatever happened. */
	for (size_t m = 0; m < rep.nmonths; m++)
		for (size_t p = 0; p < np; p++) {
			struct sla_month_row *r = &rep.rows[m * np + p];

			month_text(r->month, f + (int)m);
			r->priority = app->policy->priorities[p].id;
			r->priority_index = (int)p;
		}
	if ((rc = each_ticket(app, a, month_start(app, f),
			      month_start(app, t + 1), now, add_by_month, &c,
			      err)))
		return rc;
	*out = rep;
	return 0;
}

/* ---- hours per contract (REP-2) ------------------------------------- */

/* A debit counts in the month it was taken, on the provider's clock. */
static void
add_debit(struct app *app, struct hours_report_row *r,
	  const struct ledger_row *l)
{
	char mt[8];
	size_t i;

	month_text(mt, month_of(app, l->at));
	for (i = 0; i < r->nmonths; i++)
		if (strcmp(r->by_month[i].month, mt) == 0)
			break;
	if (i == r->nmonths)
		memcpy(r->by_month[r->nmonths++].month, mt, sizeof mt);
	r->by_month[i].minutes -= l->minutes;
}

static int
cmp_month(const void *x, const void *y)
{
	const struct hours_month *a = x, *b = y;

	return strcmp(a->month, b->month);
}

int
app_report_hours(struct app *app, struct arena *a,
		 struct hours_report_row **out, size_t *n,
		 const struct actor *who, const char *organization,
		 int expiring_days, int64_t now, struct sp_err *err)
{
	struct contract_status *st;
	struct hours_report_row *rows;
	int64_t own = 0, contact_only = 0;
	size_t cnt, k = 0;
	char key[32];
	int rc;

	if (expiring_days < 0 || expiring_days > APP_REPORT_EXPIRING_MAX)
		return sp_err_set(err, SP_EINVAL, "expiring", "expiring is 0 "
				  "to %d days", APP_REPORT_EXPIRING_MAX);
	/* PRIV-2: a customer sees its own organization's contracts only;
	 * another organization is not found, exactly like a missing one. */
	if ((rc = app_visible_org(app, who, &own, &contact_only, err)))
		return rc;
	if (own || contact_only) {
		struct org_row o;

		if (own == 0) {
			*out = NULL;
			*n = 0;
			return 0; /* a contact of no organization has none */
		}
		if (organization && *organization &&
		    (store_org_find(app->store, a, &o, app->provider_id,
				    organization, NULL) || o.id != own))
			return sp_err_set(err, SP_ENOTFOUND, "organization",
					  "no such organization");
		snprintf(key, sizeof key, "%lld", (long long)own);
		organization = key;
	}
	if ((rc = app_contract_list(app, a, &st, &cnt, organization, now,
				    err)))
		return rc;
	rows = arena_calloc(a, cnt + 1, sizeof *rows);
	if (rows == NULL)
		return sp_err_set(err, SP_ENOMEM, "report", "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		struct hours_report_row *r = &rows[k];
		struct ledger_row *l;
		struct org_row o;
		size_t nl;

		/* Not bought yet, or undone: nothing to report. */
		if (strcmp(st[i].c.state, "cancelled") == 0 ||
		    strcmp(st[i].c.state, "pending_payment") == 0)
			continue;
		r->s = st[i];
		r->organization = store_org_get(app->store, a, &o,
						app->provider_id,
						st[i].c.organization_id,
						NULL) ? "?" : o.name;
		r->left = st[i].c.bank_minutes ? st[i].balance : 0;
		r->expiring = (strcmp(st[i].c.state, "active") == 0 ||
			       strcmp(st[i].c.state, "suspended") == 0) &&
			      st[i].c.ends_at > now &&
			      st[i].c.ends_at <= now + (int64_t)expiring_days *
							       86400;
		if ((rc = store_ledger_list(app->store, a, &l, &nl, st[i].c.id,
					    err)))
			return rc;
		r->by_month = arena_calloc(a, nl + 1, sizeof *r->by_month);
		if (r->by_month == NULL)
			return sp_err_set(err, SP_ENOMEM, "report",
					  "out of memory");
		for (size_t j = 0; j < nl; j++) {
			if (strcmp(l[j].kind, "purchase") == 0)
				r->bought += l[j].minutes;
			else if (strcmp(l[j].kind, "debit") == 0)
				add_debit(app, r, &l[j]);
			else
				r->adjusted += l[j].minutes;
		}
		qsort(r->by_month, r->nmonths, sizeof *r->by_month, cmp_month);
		k++;
	}
	*out = rows;
	*n = k;
	return 0;
}

/* ---- JSON views ------------------------------------------------------ */

json_t *
app_sla_figures_json(const struct sla_figures *f)
{
	int done = f->met + f->breached;

	return json_pack("{s:i, s:i, s:i, s:i, s:o, s:I, s:I}",
			 "tickets", f->tickets, "met", f->met, "breached",
			 f->breached, "running", f->running, "compliance",
			 done ? json_real((double)f->met / done) : json_null(),
			 "avg_minutes", (json_int_t)(f->stopped ?
				f->total_minutes / f->stopped : 0),
			 "max_minutes", (json_int_t)f->max_minutes);
}

json_t *
app_sla_months_json(struct app *app, const struct sla_month_report *rep)
{
	json_t *rows = json_array(), *prios = json_array();

	for (size_t p = 0; p < app->policy->npriorities; p++)
		json_array_append_new(prios, json_string(
			app->policy->priorities[p].id));
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct sla_month_row *r = &rep->rows[i];

		json_array_append_new(rows, json_pack(
			"{s:s, s:s, s:i, s:o, s:o}", "month", r->month,
			"priority", r->priority, "tickets", r->tickets,
			"first_response",
			app_sla_figures_json(&r->first_response),
			"resolution", app_sla_figures_json(&r->resolution)));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "provider",
			 app->policy->id, "zone", zone_id(app->zone), "from",
			 rep->from, "to", rep->to, "priorities", prios, "rows",
			 rows);
}

json_t *
app_hours_row_json(struct app *app, const struct hours_report_row *r)
{
	json_t *months = json_array();
	char end[32];

	for (size_t i = 0; i < r->nmonths; i++)
		json_array_append_new(months, json_pack(
			"{s:s, s:I}", "month", r->by_month[i].month,
			"consumed_minutes", (json_int_t)r->by_month[i].minutes));
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, "
			 "s:b, s:o}",
			 "contract", r->s.c.number, "organization",
			 r->organization, "plan", r->s.c.plan, "state",
			 r->s.c.state, "bank_minutes",
			 (json_int_t)r->s.c.bank_minutes, "bought_minutes",
			 (json_int_t)r->bought, "consumed_minutes",
			 (json_int_t)r->s.consumed, "adjusted_minutes",
			 (json_int_t)r->adjusted, "left_minutes",
			 (json_int_t)r->left, "ends_at",
			 app_time(app, r->s.c.ends_at, end), "expiring",
			 r->expiring, "by_month", months);
}
