/* api.c — the JSON API under /api/v1 (docs/api.md, openapi.json). Every
 * write goes through app/. Errors are {"error": {"code", "message",
 * "field"}} with the matching 4xx. */
#include "http.h"
#include "api_contracts.h"
#include "api_reply.h"

#include "../util/civil.h"
#include "../util/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- authentication ------------------------------------------------ */

static bool
authenticate(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *h = http_header(r, "Authorization");
	struct sp_err err = { 0 };

	if (h == NULL || strncmp(h, "Bearer ", 7) != 0) {
		api_reply_error(out, 401, "unauthorized", "send an API token as "
			    "'Authorization: Bearer TOKEN' (soporte token "
			    "create)", "authorization");
		return false;
	}
	if (app_token_check(app, &r->who, h + 7, &err)) {
		api_reply_error(out, 401, "unauthorized", err.msg, "authorization");
		return false;
	}
	return true;
}

/* ---- tickets --------------------------------------------------------- */

static void
ticket_get(struct app *app, struct http_req *r, const char *folio,
	   struct http_res *out)
{
	struct ticket_view v;
	struct sp_err err = { 0 };
	/* A dozen queries make a view: one snapshot for all of them, and
	 * SQLite's locks taken once rather than for each. */
	bool began = store_read_begin(app->store);

	if (app_ticket_view_as(app, &r->arena, &v, folio, &r->who, &err)) {
		store_read_end(app->store, began);
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, app_ticket_json(app, &v, (int64_t)time(NULL)));
	store_read_end(app->store, began);
	snprintf(out->etag, sizeof out->etag, "\"v%lld\"", (long long)v.t.version);
	/* Not inside a write's batch: then it would tell of uncommitted
	 * data. */
	out->cacheable = began;
}

static void
ticket_list(struct app *app, struct http_req *r, struct http_res *out)
{
	struct ticket_filter f = { .active_only = true };
	struct ticket_row *rows;
	struct sp_err err = { 0 };
	const char *state = http_query(r, "state");
	const char *after = http_query(r, "after");
	const char *limit = http_query(r, "limit");
	const char *all = http_query(r, "all");
	int64_t v;
	size_t n;
	json_t *items;
	char t[32];
	const char *sort = http_query(r, "sort");

	if (sort && strcmp(sort, "sla") == 0) {
		api_queue(app, r, out);
		return;
	}
	if (sort && strcmp(sort, "id") != 0) {
		api_reply_error(out, 422, "invalid", "sort is id (the default, "
				"oldest first) or sla (the queue, SLA-4)", "sort");
		return;
	}
	if (state) {
		if (lifecycle_state_parse(state) < 0) {
			api_reply_error(out, 422, "invalid", "unknown state", "state");
			return;
		}
		f.state = state;
		f.active_only = false;
	}
	if (all && strcmp(all, "1") == 0)
		f.active_only = false;
	if (after) {
		if (str_to_i64(&v, after, 0, INT64_MAX)) {
			api_reply_error(out, 422, "invalid", "after is a ticket id "
				    "(the cursor of the previous page)", "after");
			return;
		}
		f.after_id = v;
	}
	f.limit = 50;
	if (limit) {
		if (str_to_i64(&v, limit, 1, 200)) {
			api_reply_error(out, 422, "invalid", "limit is 1 to 200",
				    "limit");
			return;
		}
		f.limit = (int)v;
	}
	if (app_visible_org(app, &r->who, &f.organization_id, &f.contact_id,
			    &err) ||
	    store_ticket_list(app->store, &r->arena, &rows, &n, app->provider_id,
			      &f, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
			"id", (json_int_t)rows[i].id, "folio", rows[i].folio,
			"state", rows[i].state, "priority", rows[i].priority,
			"category", rows[i].category, "subject", rows[i].subject,
			"created_at", app_time(app, rows[i].created_at, t),
			"version", (json_int_t)rows[i].version));
	api_reply_json(out, 200, json_pack("{s:o, s:o}", "items", items, "next",
				       (int)n == f.limit && n > 0 ?
				       json_integer(rows[n - 1].id) : json_null()));
}

static void
ticket_create(struct app *app, struct http_req *r, struct http_res *out)
{
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct sp_err err = { 0 };
	json_t *b = api_body_json(r, out), *fields, *files;
	const char *k;
	json_t *v;

	if (b == NULL)
		return;
	in.contact = api_str(b, "contact");
	in.channel = api_str(b, "channel") ? api_str(b, "channel") : "web";
	in.category = api_str(b, "category");
	in.priority = api_str(b, "priority");
	in.product = api_str(b, "product");
	in.subject = api_str(b, "subject");
	in.description = api_str(b, "description");
	if (strcmp(r->who.kind, "contact") == 0) {
		char *id = arena_alloc(&r->arena, 32);

		snprintf(id, 32, "%lld", (long long)r->who.id);
		in.contact = id;
	}
	fields = json_object_get(b, "fields");
	json_object_foreach(fields, k, v) {
		if (in.nfields >= APP_MAX_FIELDS || !json_is_string(v))
			break;
		in.field_names[in.nfields] = k;
		in.field_values[in.nfields++] = json_string_value(v);
	}
	files = json_object_get(b, "files");
	for (size_t i = 0; i < json_array_size(files) && i < 8; i++) {
		json_t *f = json_array_get(files, i);
		const void *bin;
		size_t len = 0;

		if (!api_base64(r, api_str(f, "data_base64"), &bin, &len)) {
			json_decref(b);
			api_reply_error(out, 422, "invalid", "files[].data_base64 must "
				    "be base64", "files");
			return;
		}
		in.files[in.nfiles++] = (struct ticket_file){
			api_str(f, "filename"), api_str(f, "mime"), bin, len };
	}
	if (app_ticket_open(app, &o, (int64_t)time(NULL), &r->who, &in, &err)) {
		json_decref(b);
		api_reply_err(out, &err);
		return;
	}
	json_decref(b);
	api_reply_json(out, 201, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
				       (json_int_t)o.id, "folio", o.folio,
				       "state", o.state, "missing", o.missing,
				       "out_of_scope", o.out_of_scope));
}

static const struct {
	const char *name;
	enum ticket_action action;
} actions[] = {
	{ "assign", TA_ASSIGN }, { "wait_customer", TA_WAIT_CUSTOMER },
	{ "wait_third_party", TA_WAIT_THIRD_PARTY }, { "schedule", TA_SCHEDULE },
	{ "resume", TA_RESUME }, { "resolve", TA_RESOLVE },
	{ "confirm", TA_CONFIRM }, { "reopen", TA_REOPEN },
	{ "close", TA_CLOSE }, { "merge", TA_MERGE },
};

static void
ticket_post(struct app *app, struct http_req *r, const char *folio,
	    const char *what, struct http_res *out)
{
	struct sp_err err = { 0 };
	int64_t now = (int64_t)time(NULL);
	json_t *b = api_body_json(r, out);
	int rc = -1;

	if (b == NULL)
		return;
	if (strcmp(what, "replies") == 0) {
		rc = app_ticket_reply(app, now, &r->who, folio, api_str(b, "body"),
				      json_is_true(json_object_get(b, "internal")),
				      &err);
	} else if (strcmp(what, "priority") == 0) {
		rc = app_ticket_set_priority(app, now, &r->who, folio,
					     api_str(b, "priority"), api_str(b, "reason"),
					     &err);
	} else if (strcmp(what, "escalate") == 0) {
		rc = app_ticket_escalate(app, now, &r->who, folio,
					 api_str(b, "reason"), &err);
	} else if (strncmp(what, "actions/", 8) == 0) {
		struct transition_args a = { 0 };
		const char *m = http_header(r, "If-Match");
		size_t i;

		for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
			if (strcmp(what + 8, actions[i].name) == 0)
				break;
		if (i == sizeof actions / sizeof actions[0]) {
			json_decref(b);
			api_reply_error(out, 404, "not_found", "no such action", NULL);
			return;
		}
		/* Concurrent edits: If-Match: "v7" refuses a changed ticket. */
		char ver[24] = "";
		size_t ml = m ? strlen(m) : 0;

		if (m && ml >= 4 && ml - 3 < sizeof ver) {
			memcpy(ver, m + 2, ml - 3);
			ver[ml - 3] = '\0';
		}
		if (m && (ml < 4 || m[0] != '"' || m[1] != 'v' ||
			  m[ml - 1] != '"' ||
			  str_to_i64(&a.expect_version, ver, 1, INT64_MAX))) {
			json_decref(b);
			api_reply_error(out, 400, "bad_etag", "If-Match takes the "
				    "ETag of the ticket, such as \"v3\"",
				    "If-Match");
			return;
		}
		a.reason = api_str(b, "reason");
		a.agent = api_str(b, "agent");
		a.target = api_str(b, "into");
		rc = app_ticket_act(app, now, &r->who, folio, actions[i].action,
				    &a, &err);
	} else if (strcmp(what, "attendances") == 0 && api_agents_only(r, out)) {
		struct attendance_input in = { 0 };
		struct attendance_logged lo;
		json_t *jm = json_object_get(b, "minutes");

		in.ticket = folio;
		in.minutes = json_integer_value(jm);
		in.modality = api_str(b, "modality") ? api_str(b, "modality") : "remote";
		in.warranty = json_is_true(json_object_get(b, "warranty"));
		in.start = now - in.minutes * 60;
		if (api_str(b, "start") &&
		    civil_parse_instant(&in.start, api_str(b, "start"))) {
			json_decref(b);
			api_reply_error(out, 422, "invalid", "start is ISO 8601 with "
				    "an offset", "start");
			return;
		}
		rc = app_attendance_log(app, &lo, now, &r->who, &in, &err);
		if (rc == 0) {
			json_decref(b);
			api_reply_json(out, 201, json_pack("{s:I, s:I, s:b, s:I, s:s}",
				"id", (json_int_t)lo.id, "debit_minutes",
				(json_int_t)lo.bill.debit_minutes, "free",
				lo.bill.free, "balance_minutes",
				(json_int_t)lo.balance_after, "contracts",
				lo.contracts));
			return;
		}
	} else if (out->status == 0) {
		json_decref(b);
		api_reply_error(out, 404, "not_found", "no such resource", NULL);
		return;
	}
	json_decref(b);
	if (out->status)
		return; /* agents_only answered */
	if (rc) {
		api_reply_err(out, &err);
		return;
	}
	ticket_get(app, r, folio, out);
}

/* ---- the rest ------------------------------------------------------ */

static void
metrics(struct app *app, struct http_req *r, struct http_res *out)
{
	struct http_metrics m;
	static const char *const le[] = { "0.001", "0.005", "0.01", "0.05",
					  "0.1", "0.5", "1", "+Inf" };
	struct store_stats st = { 0 };
	struct buf b;
	uint64_t cum = 0;

	http_metrics(r->srv, &m);
	store_stats(app->store, &st, app->provider_id, NULL);
	buf_init(&b, 1 << 20);
	buf_adds(&b, "# HELP soporte_http_requests_total Requests answered, by "
		 "status class.\n# TYPE soporte_http_requests_total counter\n");
	for (int i = 1; i < 6; i++)
		buf_printf(&b, "soporte_http_requests_total{class=\"%dxx\"} %llu\n",
			   i, (unsigned long long)m.requests[i]);
	buf_adds(&b, "# HELP soporte_http_request_seconds Request latency.\n"
		 "# TYPE soporte_http_request_seconds histogram\n");
	for (int i = 0; i < 8; i++) {
		cum += m.latency_buckets[i];
		buf_printf(&b, "soporte_http_request_seconds_bucket{le=\"%s\"} "
			   "%llu\n", le[i], (unsigned long long)cum);
	}
	buf_printf(&b, "soporte_http_request_seconds_sum %.6f\n"
		   "soporte_http_request_seconds_count %llu\n",
		   (double)m.latency_us_sum / 1e6,
		   (unsigned long long)m.requests_total);
	buf_printf(&b, "# TYPE soporte_tickets_active gauge\n"
		   "soporte_tickets_active %lld\n"
		   "# TYPE soporte_timers_pending gauge\n"
		   "soporte_timers_pending %lld\n"
		   "# TYPE soporte_outbox_pending gauge\n"
		   "soporte_outbox_pending %lld\n"
		   "# TYPE soporte_outbox_failed gauge\n"
		   "soporte_outbox_failed %lld\n"
		   "# TYPE soporte_mail_quarantined gauge\n"
		   "soporte_mail_quarantined %lld\n"
		   "# TYPE soporte_sla_breaches_total counter\n"
		   "soporte_sla_breaches_total %lld\n",
		   (long long)st.tickets_active, (long long)st.timers_pending,
		   (long long)st.outbox_pending, (long long)st.outbox_failed,
		   (long long)st.raw_quarantined, (long long)st.sla_breaches);
	out->status = 200;
	out->body = buf_detach(&b, &out->len);
	out->type = "text/plain; version=0.0.4";
}

/* docs/openapi.json, compiled in so the running server describes itself. */
extern const char api_openapi_json[];

void
api_handle(struct http_server *srv, struct app *app, struct http_req *r,
	   struct http_res *out)
{
	const char *p = r->path, *m = r->method;
	char folio[96], what[64];

	(void)srv;
	memset(out, 0, sizeof *out);
	if (strcmp(p, "/healthz") == 0) {
		api_reply_json(out, 200, json_pack("{s:s, s:s}", "status", "ok",
					       "provider", app->policy->id));
		return;
	}
	if (strcmp(p, "/metrics") == 0) {
		metrics(app, r, out);
		return;
	}
	if (strcmp(p, "/api/v1/openapi.json") == 0) {
		out->status = 200;
		out->body = strdup(api_openapi_json);
		out->len = out->body ? strlen(out->body) : 0;
		out->type = "application/json";
		return;
	}
	if (strncmp(p, "/api/v1/", 8) != 0) {
		if (!console_handle(app, r, out))
			api_reply_error(out, 404, "not_found", "no such path", NULL);
		return;
	}
	if (!authenticate(app, r, out))
		return;
	if (api_kb_handle(app, r, out) || api_tickets_handle(app, r, out))
		return;
	if (api_reports(app, r, out))
		return;
	if (api_contracts_handle(app, r, out))
		return;
	if (strcmp(p, "/api/v1/tickets") == 0) {
		if (strcmp(m, "GET") == 0)
			ticket_list(app, r, out);
		else if (strcmp(m, "POST") == 0)
			ticket_create(app, r, out);
		else
			api_reply_error(out, 405, "method", "GET or POST", NULL);
		return;
	}
	if (sscanf(p, "/api/v1/tickets/%95[^/]/%63[a-z_/]", folio, what) == 2) {
		if (strcmp(m, "POST") != 0) {
			api_reply_error(out, 405, "method", "POST", NULL);
			return;
		}
		ticket_post(app, r, folio, what, out);
		return;
	}
	if (sscanf(p, "/api/v1/tickets/%95[^/]", folio) == 1 &&
	    strchr(p + 16, '/') == NULL) {
		if (strcmp(m, "GET") != 0) {
			api_reply_error(out, 405, "method", "GET", NULL);
			return;
		}
		ticket_get(app, r, folio, out);
		return;
	}
	api_reply_error(out, 404, "not_found", "no such path", NULL);
}
