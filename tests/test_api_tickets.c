/* test_api_tickets.c — a ticket's attachments through the API, up and
 * down (PRIV-2 on both), and the queue in SLA order (SLA-4). */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void
attachments_scenario(struct fx_server *s, const char *agent,
		     const char *customer, const char *other)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3 };
	char b64[128], body[512], path[160], id[24], base[96], folio[64];
	struct fx_reply r;
	json_t *j;

	/* One of the customer's own tickets. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets?limit=1", customer,
			  NULL, NULL), 200);
	j = fx_json(&r);
	snprintf(folio, sizeof folio, "%s", json_string_value(json_object_get(
		json_array_get(json_object_get(j, "items"), 0), "folio")));
	json_decref(j);
	buf_free(&r.body);
	snprintf(base, sizeof base, "/api/v1/tickets/%s/attachments", folio);

	sodium_bin2base64(b64, sizeof b64, png, sizeof png,
			  sodium_base64_VARIANT_ORIGINAL);
	/* The customer adds a screenshot to their own ticket. */
	snprintf(body, sizeof body, "{\"filename\": \"error \\\"1\\\".png\", "
		 "\"mime\": \"image/png\", \"data_base64\": \"%s\"}", b64);
	CHECK_INT(fx_http(&r, s, "POST", base, customer, body, NULL), 201);
	j = fx_json(&r);
	snprintf(id, sizeof id, "%lld",
		 (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	buf_free(&r.body);
	/* Another organization can neither add nor read. */
	CHECK_INT(fx_http(&r, s, "POST", base, other, body, NULL), 404);
	buf_free(&r.body);
	snprintf(path, sizeof path, "%s/%s", base, id);
	CHECK_INT(fx_http(&r, s, "GET", path, other, NULL, NULL), 404);
	buf_free(&r.body);
	/* The agent gets the same bytes, shown inline, the name encoded. */
	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_INT((long)r.body.len, (long)sizeof png);
	CHECK(r.body.len == sizeof png &&
	      memcmp(r.body.ptr, png, sizeof png) == 0);
	CHECK_STR(r.type, "image/png");
	CHECK_STR(r.disposition, "inline; filename*=UTF-8''error%20%221%22.png");
	buf_free(&r.body);
	/* A page claiming to be an image is only ever downloaded. */
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)"<script>x</script>", 18,
			  sodium_base64_VARIANT_ORIGINAL);
	snprintf(body, sizeof body, "{\"filename\": \"x.png\", \"mime\": "
		 "\"image/png\", \"data_base64\": \"%s\"}", b64);
	CHECK_INT(fx_http(&r, s, "POST", base, agent, body, NULL), 201);
	j = fx_json(&r);
	snprintf(path, sizeof path, "%s/%lld", base,
		 (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", path, customer, NULL, NULL), 200);
	CHECK_STR(r.type, "application/octet-stream");
	CHECK(strncmp(r.disposition, "attachment;", 11) == 0);
	buf_free(&r.body);
	/* Bad input names its field; a missing attachment is 404. */
	CHECK_INT(fx_http(&r, s, "POST", base, agent, "{\"filename\": \"a.png\", "
			  "\"data_base64\": \"%%%\"}", NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"data_base64\"");
	buf_free(&r.body);
	snprintf(path, sizeof path, "%s/999999", base);
	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 404);
	buf_free(&r.body);
}

/* SLA-4: the API's queue is the console's, page by page. */
static void
queue_scenario(struct fx_server *s, const char *agent, const char *customer,
	       const char *db)
{
	struct fx_reply r;
	struct fx_run run;
	char seen[2048] = "", next[24] = "0";
	int pages = 0;

	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets?sort=sla", customer,
			  NULL, NULL), 403);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets?sort=due", agent, NULL,
			  NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"sort\"");
	buf_free(&r.body);
	while (pages++ < 20) {
		char path[128];
		json_t *j, *items, *nx;

		snprintf(path, sizeof path, "/api/v1/tickets?sort=sla&limit=3&"
			 "after=%s", next);
		CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
		j = fx_json(&r);
		buf_free(&r.body);
		items = json_object_get(j, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *e = json_array_get(items, i);
			json_t *left = json_object_get(e, "seconds_left");
			const char *f = json_string_value(json_object_get(e,
								"folio"));

			/* A ticket's time left (its due date is at most a
			 * few months away), or null when no clock runs. */
			CHECK(json_is_null(left) ||
			      (json_is_integer(left) &&
			       json_integer_value(left) < 366LL * 86400));
			CHECK(json_is_null(left) == json_is_null(json_object_get(e,
								"due")));
			strncat(seen, f ? f : "?", sizeof seen - strlen(seen) - 2);
			strncat(seen, "\n", sizeof seen - strlen(seen) - 1);
		}
		nx = json_object_get(j, "next");
		if (!json_is_integer(nx)) {
			json_decref(j);
			break;
		}
		snprintf(next, sizeof next, "%lld",
			 (long long)json_integer_value(nx));
		json_decref(j);
	}
	CHECK(pages > 1);
	/* Not an empty list: every item was built (a bad json_pack format
	 * answered [] on every page). */
	CHECK(seen[0] != '\0');
	/* The same folios in the same order as `ticket list --queue`. */
	CHECK_INT(fx_cli(&run, NULL, "--db", db, "ticket", "list", "--queue",
			 NULL), 0);
	{
		const char *p = run.out.ptr, *want = seen;

		p = strchr(p, '\n'); /* the header */
		while (p && *want) {
			char folio[64];
			size_t k = strcspn(want, "\n");

			p += strspn(p, "\n !"); /* and the SLA mark, ! or !! */
			snprintf(folio, sizeof folio, "%.*s", (int)strcspn(p, " "), p);
			if (strncmp(folio, want, k) != 0 || strlen(folio) != k) {
				t_fail(__FILE__, __LINE__, "queue order: the API "
				       "has %.*s where the CLI has %s", (int)k,
				       want, folio);
				break;
			}
			want += k + 1;
			p = strchr(p, '\n');
		}
	}
	fx_run_free(&run);
}

static void
test_api_attachments_and_sla_queue(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("apit.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	attachments_scenario(&s, agent, customer, other);
	queue_scenario(&s, agent, customer, db);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test api_ticket_tests[] = {
	{ "api_attachments_and_sla_queue", test_api_attachments_and_sla_queue },
	{ 0 },
};
