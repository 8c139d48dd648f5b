/* api_reports.c — the reports in the JSON API (docs/api.md):
 * GET /api/v1/reports/sla (REP-1, agents only) and
 * GET /api/v1/reports/hours (REP-2; a customer's token sees its own
 * organization's contracts only, PRIV-2). The figures and their JSON
 * come from app/, the same as `soporte report ... --json`. */
#include "api_reply.h"

#include "../util/str.h"

#include <string.h>
#include <time.h>

/* REP-1: compliance by month of creation and priority, per clock. */
static void
sla(struct app *app, struct http_req *r, struct http_res *out)
{
	struct sla_month_report rep;
	struct sp_err err = { 0 };

	/* PRIV-2: the figures cover every customer of the provider; a
	 * customer follows its own tickets' clocks on each ticket. */
	if (strcmp(r->who.kind, "agent") != 0) {
		api_reply_error(out, 403, "forbidden", "SLA reports are for "
				"the provider's agents", NULL);
		return;
	}
	if (app_report_sla_months(app, &r->arena, &rep, http_query(r, "from"),
				  http_query(r, "to"), (int64_t)time(NULL),
				  &err)) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, app_sla_months_json(app, &rep));
}

/* REP-2: hours bought, consumed and left per contract, by month. */
static void
hours(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *exp = http_query(r, "expiring");
	struct hours_report_row *rows;
	struct sp_err err = { 0 };
	int64_t days = 30;
	json_t *l;
	size_t n;

	if (exp && str_to_i64(&days, exp, 0, APP_REPORT_EXPIRING_MAX)) {
		api_reply_error(out, 422, "invalid", "expiring is a number of "
				"days, 0 to 3650", "expiring");
		return;
	}
	/* PRIV-2 is app_report_hours's: a customer's token gets its own
	 * organization's contracts, and another's is 404, like a missing
	 * one. */
	if (app_report_hours(app, &r->arena, &rows, &n, &r->who,
			     http_query(r, "organization"), (int)days,
			     (int64_t)time(NULL), &err)) {
		api_reply_err(out, &err);
		return;
	}
	l = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(l, app_hours_row_json(app, &rows[i]));
	api_reply_json(out, 200, json_pack("{s:s, s:I, s:o}", "provider",
				       app->policy->id, "expiring_days",
				       (json_int_t)days, "contracts", l));
}

bool
api_reports(struct app *app, struct http_req *r, struct http_res *out)
{
	static const struct {
		const char *path;
		void (*fn)(struct app *, struct http_req *, struct http_res *);
	} routes[] = {
		{ "/api/v1/reports/sla", sla },
		{ "/api/v1/reports/hours", hours },
	};

	if (strncmp(r->path, "/api/v1/reports/", 16) != 0)
		return false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(r->path, routes[i].path) != 0)
			continue;
		if (strcmp(r->method, "GET") != 0)
			api_reply_error(out, 405, "method", "GET", NULL);
		else
			routes[i].fn(app, r, out);
		return true;
	}
	api_reply_error(out, 404, "not_found", "no such report", NULL);
	return true;
}
