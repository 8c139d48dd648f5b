/* api_kb.c — /api/v1/kb (the knowledge base, INT-7) and /api/v1/search
 * (full text over tickets and articles). Customers read public articles
 * and search their own organization's tickets (PRIV-2). */
#include "api_reply.h"

#include "../util/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *
article_json(struct app *app, const struct kb_row *k, bool with_body)
{
	char when[32];
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "slug",
			      k->slug, "lang", k->lang, "category", k->category,
			      "title", k->title, "visibility", k->visibility,
			      "version", (json_int_t)k->version, "updated_at",
			      app_time(app, k->updated_at, when));
	struct buf b;

	buf_init(&b, 1 << 20);
	if (with_body) {
		json_object_set_new(j, "body", json_string(k->body));
		if (markdown_html(&b, k->body, strlen(k->body)) == 0 &&
		    buf_addc(&b, '\0') == 0)
			json_object_set_new(j, "html", json_string(b.ptr));
	} else if (markdown_excerpt(&b, k->body, strlen(k->body), 160) == 0 &&
		   buf_addc(&b, '\0') == 0) {
		json_object_set_new(j, "excerpt", json_string(b.ptr));
	}
	buf_free(&b);
	return j;
}

static json_t *
articles_json(struct app *app, const struct kb_row *k, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, article_json(app, &k[i], false));
	return arr;
}

static void
kb_list(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *q = http_query(r, "q"), *lang = http_query(r, "lang");
	struct sp_err err = { 0 };
	struct kb_row *k;
	size_t n;
	int rc;

	if (q && *q)
		rc = app_kb_search(app, &r->arena, &k, &n, &r->who, q, lang,
				   false, 50, &err);
	else
		rc = app_kb_list(app, &r->arena, &k, &n, &r->who, lang,
				 http_query(r, "category"), &err);
	if (rc) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, json_pack("{s:o}", "items",
					   articles_json(app, k, n)));
}

/* POST (version 0) or PUT (the version from If-Match). */
static void
kb_save(struct app *app, struct http_req *r, const char *slug,
	int64_t version, struct http_res *out)
{
	struct sp_err err = { 0 };
	struct kb_input in = { 0 };
	struct kb_row saved, k;
	json_t *b = api_body_json(r, out);

	if (b == NULL)
		return;
	in.slug = slug ? slug : api_str(b, "slug");
	in.lang = api_str(b, "lang") ? api_str(b, "lang") : "es";
	in.category = api_str(b, "category");
	in.title = api_str(b, "title");
	in.body = api_str(b, "body");
	in.visibility = api_str(b, "visibility");
	in.version = version;
	if (app_kb_save(app, &saved, (int64_t)time(NULL), &r->who, &in, &err) ||
	    app_kb_get(app, &r->arena, &k, &r->who, in.slug, in.lang, &err)) {
		json_decref(b);
		if (err.code == SP_EINVAL && strcmp(err.field, "actor") == 0)
			api_reply_error(out, 403, "forbidden", err.msg, NULL);
		else
			api_reply_err(out, &err);
		return;
	}
	json_decref(b);
	api_reply_json(out, version ? 200 : 201, article_json(app, &k, true));
	snprintf(out->etag, sizeof out->etag, "\"v%lld\"", (long long)k.version);
}

static void
kb_one(struct app *app, struct http_req *r, const char *slug,
       struct http_res *out)
{
	struct sp_err err = { 0 };
	struct kb_row k;

	if (strcmp(r->method, "PUT") == 0) {
		const char *im = http_header(r, "If-Match");
		long long v = 0;

		if (im == NULL || sscanf(im, "\"v%lld\"", &v) != 1 || v < 1) {
			api_reply_error(out, 428, "precondition_required", "send "
					"If-Match with the article's ETag, such as "
					"\"v3\", so an edit never overwrites "
					"another unseen", "if-match");
			return;
		}
		kb_save(app, r, slug, (int64_t)v, out);
		return;
	}
	if (strcmp(r->method, "GET") != 0) {
		api_reply_error(out, 405, "method", "GET or PUT", NULL);
		return;
	}
	if (app_kb_get(app, &r->arena, &k, &r->who, slug, http_query(r, "lang"),
		       &err)) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, article_json(app, &k, true));
	snprintf(out->etag, sizeof out->etag, "\"v%lld\"", (long long)k.version);
}

static void
search(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *q = http_query(r, "q");
	struct sp_err err = { 0 };
	struct ticket_row *t;
	struct kb_row *k;
	size_t nt, nk;
	json_t *tickets;

	if (q == NULL || *q == '\0') {
		api_reply_error(out, 422, "invalid", "give the words to find as "
				"?q=", "q");
		return;
	}
	if (app_ticket_search(app, &r->arena, &t, &nt, &r->who, q, 50, &err) ||
	    app_kb_search(app, &r->arena, &k, &nk, &r->who, q, NULL, false, 20,
			  &err)) {
		api_reply_err(out, &err);
		return;
	}
	tickets = json_array();
	for (size_t i = 0; i < nt; i++) {
		char when[32];

		json_array_append_new(tickets, json_pack(
			"{s:s, s:s, s:s, s:s, s:s}", "folio", t[i].folio, "subject",
			t[i].subject, "state", t[i].state, "priority",
			t[i].priority, "updated_at",
			app_time(app, t[i].updated_at, when)));
	}
	api_reply_json(out, 200, json_pack("{s:o, s:o}", "tickets", tickets,
					   "articles", articles_json(app, k, nk)));
}

bool
api_kb_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *p = r->path, *m = r->method;
	char slug[96];

	if (strcmp(p, "/api/v1/search") == 0) {
		if (strcmp(m, "GET") == 0)
			search(app, r, out);
		else
			api_reply_error(out, 405, "method", "GET", NULL);
		return true;
	}
	if (strcmp(p, "/api/v1/kb") == 0) {
		if (strcmp(m, "GET") == 0)
			kb_list(app, r, out);
		else if (strcmp(m, "POST") == 0)
			kb_save(app, r, NULL, 0, out);
		else
			api_reply_error(out, 405, "method", "GET or POST", NULL);
		return true;
	}
	if (sscanf(p, "/api/v1/kb/%95[^/]", slug) == 1 &&
	    strchr(p + 11, '/') == NULL) {
		kb_one(app, r, slug, out);
		return true;
	}
	return false;
}
