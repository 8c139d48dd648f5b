/* api_tickets.c — a ticket's attachments up and down, and the queue in
 * SLA order, under /api/v1/tickets. Customers reach only their own
 * organization's tickets (PRIV-2); the queue is the agents'. */
#include "api_reply.h"

#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ATTACH_MAX (10 << 20)

static void
attachment_get(struct app *app, struct http_req *r, const char *folio,
	       int64_t id, struct http_res *out)
{
	struct sp_err err = { 0 };
	struct attachment_row at;
	const void *data;
	int64_t size;

	if (app_ticket_attachment(app, &r->arena, &at, &data, &size, folio, id,
				  &r->who, &err)) {
		api_reply_err(out, &err);
		return;
	}
	if (http_send_file(out, &r->arena, at.filename, data, (size_t)size))
		api_reply_error(out, 500, "no_memory", "out of memory", NULL);
}

/* {"filename", "mime", "data_base64"} added to the ticket. */
static void
attachment_add(struct app *app, struct http_req *r, const char *folio,
	       struct http_res *out)
{
	struct sp_err err = { 0 };
	json_t *b = api_body_json(r, out);
	const void *bin;
	size_t len = 0;
	int64_t id;

	if (b == NULL)
		return;
	if (!api_base64(r, api_str(b, "data_base64"), &bin, &len)) {
		json_decref(b);
		api_reply_error(out, 422, "invalid", "data_base64 must be the "
				"file in base64", "data_base64");
		return;
	}
	if (app_ticket_attach(app, &id, (int64_t)time(NULL), &r->who, folio,
			      api_str(b, "filename"), api_str(b, "mime"), bin,
			      len, &err)) {
		json_decref(b);
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id,
					   "filename", api_str(b, "filename"),
					   "size", (json_int_t)len));
	json_decref(b);
}

void
api_queue(struct app *app, struct http_req *r, struct http_res *out)
{
	struct sp_err err = { 0 };
	struct queue_item *q;
	int64_t now = (int64_t)time(NULL), limit = 50, after = 0;
	const char *lv = http_query(r, "limit"), *av = http_query(r, "after");
	json_t *items;
	size_t n, i;

	if (!api_agents_only(r, out))
		return;
	if (lv && str_to_i64(&limit, lv, 1, 200)) {
		api_reply_error(out, 422, "invalid", "limit is 1 to 200", "limit");
		return;
	}
	/* The queue reorders as clocks run: the cursor is a position in
	 * it, good for the next page right after this one. */
	if (av && str_to_i64(&after, av, 0, INT64_MAX)) {
		api_reply_error(out, 422, "invalid", "after is the position "
				"given as next by the previous page", "after");
		return;
	}
	if (app_queue(app, &r->arena, &q, &n, now, &err)) {
		api_reply_err(out, &err);
		return;
	}
	items = json_array();
	for (i = (size_t)after; i < n && i < (size_t)(after + limit); i++) {
		char due[32];

		json_array_append_new(items, json_pack(
			"{s:s, s:s, s:s, s:s, s:s?, s:o?, s:s, s:I}",
			"folio", q[i].t.folio, "subject", q[i].t.subject,
			"state", q[i].t.state, "priority", q[i].t.priority,
			"due", q[i].due ? app_time(app, q[i].due, due) : NULL,
			"seconds_left", q[i].due ? json_integer(q[i].remaining) :
			NULL,
			"sla", q[i].warn == 2 ? "breached" : q[i].warn == 1 ?
			"warning" : "ok",
			"escalation", (json_int_t)q[i].escalation));
	}
	api_reply_json(out, 200, json_pack("{s:o, s:o}", "items", items, "next",
					   i < n ? json_integer((json_int_t)i) :
					   json_null()));
}

bool
api_tickets_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	char folio[96], num[24];
	int end = 0;

	if (sscanf(r->path, "/api/v1/tickets/%95[^/]/attachments%n", folio,
		   &end) == 1 && r->path[end] == '\0') {
		if (strcmp(r->method, "POST") == 0)
			attachment_add(app, r, folio, out);
		else
			api_reply_error(out, 405, "method", "POST", NULL);
		return true;
	}
	end = 0;
	if (sscanf(r->path, "/api/v1/tickets/%95[^/]/attachments/%20[0-9]%n",
		   folio, num, &end) == 2 && r->path[end] == '\0') {
		int64_t id;

		if (strcmp(r->method, "GET") != 0)
			api_reply_error(out, 405, "method", "GET", NULL);
		else if (str_to_i64(&id, num, 1, INT64_MAX))
			api_reply_error(out, 404, "not_found", "no such "
					"attachment", "id");
		else
			attachment_get(app, r, folio, id, out);
		return true;
	}
	return false;
}
