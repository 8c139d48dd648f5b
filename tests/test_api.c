/* test_api.c — the JSON API against a running soporte serve on
 * 127.0.0.1, through libcurl. */
#include "fixture.h"
#include "test.h"
#include "fx_http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
scenario(struct fx_server *s, const char *agent, const char *customer,
	 const char *other)
{
	struct fx_reply r;
	json_t *j;
	char path[128], folio[64], ifmatch[64];

	/* Public endpoints. */
	CHECK_INT(fx_http(&r, s, "GET", "/healthz", NULL, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "\"status\":\"ok\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/openapi.json", NULL, NULL, NULL), 200);
	j = fx_json(&r);
	CHECK(j != NULL);
	CHECK_STR(json_string_value(json_object_get(j, "openapi")), "3.0.3");
	json_decref(j);
	buf_free(&r.body);
	/* No token, a wrong token: 401 with a JSON error. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets", NULL, NULL, NULL), 401);
	CHECK_HAS(r.body.ptr, "\"code\":\"unauthorized\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets", "sp_0000", NULL, NULL), 401);
	buf_free(&r.body);
	/* Open a ticket with a screenshot (INT-3 complete). */
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets", agent,
		       "{\"contact\": \"luis@ferreterialopez.mx\", \"channel\": "
		       "\"email\", \"subject\": \"Falla por API\", "
		       "\"description\": \"No abre\", \"files\": [{\"filename\": "
		       "\"e.png\", \"mime\": \"image/png\", \"data_base64\": "
		       "\"iVBORw0KGgo=\"}]}", NULL), 201);
	j = fx_json(&r);
	CHECK(j != NULL);
	snprintf(folio, sizeof folio, "%s",
		 json_string_value(json_object_get(j, "folio")));
	CHECK_STR(json_string_value(json_object_get(j, "state")), "new");
	json_decref(j);
	buf_free(&r.body);
	/* Bad input: 400 for a body that is not JSON, 422 with the field. */
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets", agent, "{nope", NULL), 400);
	CHECK_HAS(r.body.ptr, "\"code\":\"bad_json\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets", agent,
		       "{\"contact\": \"luis@ferreterialopez.mx\", \"channel\": "
		       "\"email\", \"subject\": \"x\", \"priority\": \"urgente\"}",
		       NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"priority\"");
	buf_free(&r.body);
	/* Show, with its version as ETag. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s", folio);
	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_STR(r.etag, "\"v1\"");
	buf_free(&r.body);
	/* A reply moves it to open and bumps the version. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/replies", folio);
	CHECK_INT(fx_http(&r, s, "POST", path, agent, "{\"body\": \"Revisamos\"}",
		       NULL), 200);
	CHECK_STR(r.etag, "\"v2\"");
	CHECK_HAS(r.body.ptr, "\"state\":\"open\"");
	buf_free(&r.body);
	/* Concurrent edits: a stale If-Match is refused with 409. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/actions/resolve", folio);
	CHECK_INT(fx_http(&r, s, "POST", path, agent, "{}", "If-Match: \"v1\""), 409);
	CHECK_HAS(r.body.ptr, "\"code\":\"conflict\"");
	buf_free(&r.body);
	snprintf(ifmatch, sizeof ifmatch, "If-Match: \"v2\"");
	CHECK_INT(fx_http(&r, s, "POST", path, agent,
		       "{\"reason\": \"Se reinstaló el módulo\"}", ifmatch), 200);
	CHECK_HAS(r.body.ptr, "\"state\":\"resolved\"");
	buf_free(&r.body);
	/* An illegal transition: 409 with the reason. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/actions/resume", folio);
	CHECK_INT(fx_http(&r, s, "POST", path, agent, "{}", NULL), 409);
	CHECK_HAS(r.body.ptr, "cannot resume");
	buf_free(&r.body);
	/* PRIV-2: the owner sees it without internal notes or events;
	 * another customer gets 404, the same as a missing ticket. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s", folio);
	CHECK_INT(fx_http(&r, s, "GET", path, customer, NULL, NULL), 200);
	j = fx_json(&r);
	CHECK(j != NULL);
	CHECK_INT(json_array_size(json_object_get(j, "events")), 0);
	json_decref(j);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", path, other, NULL, NULL), 404);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/tickets?all=1&limit=200", other,
		       NULL, NULL), 200);
	CHECK(strstr(r.body.ptr, folio) == NULL);
	CHECK(strstr(r.body.ptr, "Ferretería") == NULL);
	buf_free(&r.body);
	/* The customer confirms (CLO-1); agents only log attendances. */
	snprintf(path, sizeof path, "/api/v1/tickets/%s/attendances", folio);
	CHECK_INT(fx_http(&r, s, "POST", path, customer, "{\"minutes\": 30}", NULL),
		  403);
	buf_free(&r.body);
	snprintf(path, sizeof path, "/api/v1/tickets/%s/actions/confirm", folio);
	CHECK_INT(fx_http(&r, s, "POST", path, customer, "{}", NULL), 200);
	CHECK_HAS(r.body.ptr, "\"state\":\"closed\"");
	buf_free(&r.body);
	/* Paging: a cursor walks every ticket once. */
	{
		int seen = 0;
		char next[32] = "0";

		for (int pages = 0; pages < 20; pages++) {
			json_t *nx;

			snprintf(path, sizeof path, "/api/v1/tickets?all=1&limit=3&"
				 "after=%s", next);
			CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
			j = fx_json(&r);
			buf_free(&r.body);
			CHECK(j != NULL);
			seen += (int)json_array_size(json_object_get(j, "items"));
			nx = json_object_get(j, "next");
			if (!json_is_integer(nx)) {
				json_decref(j);
				break;
			}
			snprintf(next, sizeof next, "%lld",
				 (long long)json_integer_value(nx));
			json_decref(j);
		}
		CHECK_INT(seen, 9);
	}
	/* Unknown paths and methods. */
	CHECK_INT(fx_http(&r, s, "GET", "/nowhere", NULL, NULL, NULL), 404);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "DELETE", "/api/v1/tickets", agent, NULL, NULL), 405);
	buf_free(&r.body);
	/* /metrics counts what happened. */
	CHECK_INT(fx_http(&r, s, "GET", "/metrics", NULL, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "soporte_http_requests_total{class=\"4xx\"}");
	CHECK_HAS(r.body.ptr, "soporte_tickets_active ");
	CHECK_HAS(r.body.ptr, "soporte_http_request_seconds_bucket{le=\"+Inf\"}");
	buf_free(&r.body);
}

static void
test_api_tickets_auth_privacy_and_errors(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("api.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	scenario(&s, agent, customer, other);
	/* SIGTERM: a graceful stop, status 0. */
	CHECK_INT(fx_serve_stop(&s), 0);
}


/* ---- group commit ----------------------------------------------------- */

#define NCREATE 50

static size_t
on_body(char *p, size_t size, size_t n, void *u)
{
	return buf_add(u, p, size * n) ? 0 : size * n;
}

/* NCREATE creates at once, and every seventh request a bad one (a body
 * that is not JSON, an unknown priority): the bad ones get their 4xx,
 * and each good one its 201 with its own folio, once its batch is
 * committed, which the bad ones in that batch do not undo. */
static void
concurrent_creates(struct fx_server *s, const char *agent)
{
	enum { N = NCREATE + NCREATE / 7 + 1 };
	CURLM *m = curl_multi_init();
	CURL *h[N];
	struct curl_slist *hd = NULL;
	struct buf body[N];
	char json[N][300], auth[200], url[128], folios[NCREATE][64];
	long status[N];
	int running = 0, good = 0;

	snprintf(auth, sizeof auth, "Authorization: Bearer %s", agent);
	hd = curl_slist_append(hd, auth);
	hd = curl_slist_append(hd, "Content-Type: application/json");
	snprintf(url, sizeof url, "%s/api/v1/tickets", s->base);
	for (int i = 0; i < N; i++) {
		if (i % 7 == 3)
			snprintf(json[i], sizeof json[i], i % 2 ? "{nope" :
				 "{\"contact\": \"luis@ferreterialopez.mx\", "
				 "\"channel\": \"email\", \"subject\": \"x\", "
				 "\"priority\": \"urgente\"}");
		else
			snprintf(json[i], sizeof json[i], "{\"contact\": "
				 "\"luis@ferreterialopez.mx\", \"channel\": "
				 "\"email\", \"subject\": \"Falla %d en caja\", "
				 "\"description\": \"No abre\"}", i);
		buf_init(&body[i], 1 << 20);
		status[i] = 0;
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, json[i]);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &body[i]);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
		curl_multi_add_handle(m, h[i]);
	}
	/* One connection each, all at once. */
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)N);
	do {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running);
	for (int i = 0; i < N; i++) {
		curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &status[i]);
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_multi_cleanup(m);
	curl_slist_free_all(hd);
	for (int i = 0; i < N; i++) {
		json_t *j = json_loadb(body[i].ptr, body[i].len, 0, NULL);

		if (i % 7 == 3) {
			if (status[i] != (i % 2 ? 400 : 422))
				t_fail(__FILE__, __LINE__, "bad request %d: %ld",
				       i, status[i]);
		} else if (status[i] != 201 || good >= NCREATE ||
			   !json_is_string(json_object_get(j, "folio"))) {
			t_fail(__FILE__, __LINE__, "create %d: %ld %s", i,
			       status[i], body[i].ptr);
		} else {
			snprintf(folios[good++], sizeof folios[0], "%s",
				 json_string_value(json_object_get(j, "folio")));
		}
		json_decref(j);
		buf_free(&body[i]);
	}
	CHECK_INT(good, NCREATE);
	/* Distinct, and each one there to read. */
	for (int i = 0; i < good; i++) {
		struct fx_reply r;
		char path[128];

		for (int k = 0; k < i; k++)
			CHECK(strcmp(folios[i], folios[k]) != 0);
		snprintf(path, sizeof path, "/api/v1/tickets/%.63s", folios[i]);
		CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
		CHECK_HAS(r.body.ptr, "en caja");
		buf_free(&r.body);
	}
}

/* SIGTERM while NCREATE creates are under way: the server stops with
 * status 0, and every create answered 201 is in the file. */
static void
sigterm_under_load(struct fx_server *s, const char *agent, const char *db,
		   int *stopped)
{
	CURLM *m = curl_multi_init();
	CURL *h[NCREATE];
	struct curl_slist *hd = NULL;
	struct buf body[NCREATE];
	char auth[200], url[128], json[] = "{\"contact\": "
		"\"luis@ferreterialopez.mx\", \"channel\": \"email\", "
		"\"subject\": \"Falla al cerrar\", \"description\": \"x\"}";
	int running = 0, done = 0, created = 0;
	struct fx_run r;

	snprintf(auth, sizeof auth, "Authorization: Bearer %s", agent);
	hd = curl_slist_append(hd, auth);
	hd = curl_slist_append(hd, "Content-Type: application/json");
	snprintf(url, sizeof url, "%s/api/v1/tickets", s->base);
	for (int i = 0; i < NCREATE; i++) {
		buf_init(&body[i], 1 << 20);
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &body[i]);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
		curl_multi_add_handle(m, h[i]);
	}
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)NCREATE);
	do {
		CURLMsg *msg;
		int left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)))
			if (msg->msg == CURLMSG_DONE && ++done == 5)
				kill(s->pid, SIGTERM);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running);
	for (int i = 0; i < NCREATE; i++) {
		long st = 0;

		curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &st);
		if (st == 201)
			created++;
		else if (st != 0)
			t_fail(__FILE__, __LINE__, "create %d: %ld %s", i, st,
			       body[i].ptr);
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
		buf_free(&body[i]);
	}
	curl_multi_cleanup(m);
	curl_slist_free_all(hd);
	*stopped = fx_serve_stop(s);
	CHECK_INT(*stopped, 0);
	CHECK(created >= 5);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "ticket", "list", "--all",
			 NULL), 0);
	{
		int ours = 0;

		for (const char *p = r.out.ptr; (p = strstr(p, "Falla al cerrar"));
		     p++)
			ours++;
		/* Answered ones are there; an unanswered one may be too. */
		CHECK(ours >= created);
	}
	fx_run_free(&r);
}

static void
test_api_sigterm_under_load_keeps_answered_writes(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("term.db");
	int stopped = -1;

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	sigterm_under_load(&s, agent, db, &stopped);
	if (stopped == -1)
		fx_serve_stop(&s);
}

static void
test_api_concurrent_creates_group_commit(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("batch.db");
	struct fx_run r;

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	concurrent_creates(&s, agent);
	CHECK_INT(fx_serve_stop(&s), 0);
	/* After the server is gone, from the file: the demo's tickets and
	 * the NCREATE new ones, nothing else. */
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "ticket", "list", "--all",
			 NULL), 0);
	{
		int lines = 0, ours = 0;

		for (const char *p = r.out.ptr; p && *p; p++)
			if (*p == '\n')
				lines++;
		for (const char *p = r.out.ptr; (p = strstr(p, "en caja")); p++)
			ours++;
		CHECK_INT(ours, NCREATE);
		CHECK_INT(lines, NCREATE + 8);
	}
	fx_run_free(&r);
}

/* strace's log of the server (all its threads), as lines; -y names each
 * descriptor's file. */
static bool
traced(struct fx_server *s, pid_t *tracer, const char *log)
{
	char pid[16], err[256];
	struct buf b;

	snprintf(pid, sizeof pid, "%d", (int)s->pid);
	snprintf(err, sizeof err, "%s.err", log);
	*tracer = fork();
	if (*tracer == 0) {
		if (freopen(err, "w", stderr) == NULL)
			_exit(126);
		execlp("strace", "strace", "-f", "-y", "-o", log, "-e",
		       "trace=pwrite64,fdatasync,fsync,sendmsg,sendto,writev",
		       "-p", pid, (char *)NULL);
		_exit(127);
	}
	/* Attached to every thread once it says so. */
	for (int i = 0; i < 400; i++) {
		buf_init(&b, 1 << 16);
		if (fx_read_file(err, &b) && b.ptr && strstr(b.ptr, "attached")) {
			buf_free(&b);
			return true;
		}
		buf_free(&b);
		usleep(25 * 1000);
	}
	return false;
}

/* In the log: every 201 sent after a sync of the log (fdatasync or
 * fsync of the -wal file, begun after the last write to it before that
 * answer, and finished before it). Counts the 201s. */
static int
answers_after_sync(const char *text, int *unsynced)
{
	const char *line = text;
	long last_write = -1, sync_begun = -2, sync_done = -1;
	int n = 0, pending_pid = -1;
	long at = 0;

	*unsynced = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char l[512];
		int pid = atoi(line);

		snprintf(l, sizeof l, "%.*s", (int)(len < 511 ? len : 511), line);
		at++;
		if (strstr(l, "pwrite64(") && strstr(l, "-wal>"))
			last_write = at;
		if ((strstr(l, "fdatasync(") || strstr(l, "fsync(")) &&
		    strstr(l, "-wal>")) {
			sync_begun = at;
			if (strstr(l, "<unfinished"))
				pending_pid = pid;
			else if (strstr(l, "= 0"))
				sync_done = at;
		}
		if (pid == pending_pid && strstr(l, "resumed>") &&
		    strstr(l, "sync") && strstr(l, "= 0")) {
			sync_done = at;
			pending_pid = -1;
		}
		if (strstr(l, "HTTP/1.1 201")) {
			n++;
			if (!(sync_begun > last_write && sync_done >= sync_begun))
				(*unsynced)++;
		}
		line = end ? end + 1 : NULL;
	}
	return n;
}

/* A 201 is sent only once the log holding its ticket is synced: the
 * commit does not wait for the disk, the syncer thread does, and the
 * answer waits for it (traced with strace: the order of the server's
 * writes to the log, its syncs and its answers). Creates one at a time,
 * so that the last write before each answer is its own. */
static void
test_api_created_answers_wait_for_the_sync(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("sync.db"), *log = fx_path("sync.strace");
	struct buf b;
	pid_t tracer;
	int st, created = 0, unsynced = -1;

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	/* The timers' first run, at start, is over. */
	usleep(300 * 1000);
	if (!traced(&s, &tracer, log)) {
		t_fail(__FILE__, __LINE__, "strace did not attach to the "
		       "server (is strace installed? bash scripts/setup.sh)");
		fx_serve_stop(&s);
		return;
	}
	for (int i = 0; i < 5; i++) {
		struct fx_reply r;
		char json[200];

		snprintf(json, sizeof json, "{\"contact\": "
			 "\"luis@ferreterialopez.mx\", \"channel\": \"email\", "
			 "\"subject\": \"Falla %d de sincronía\"}", i);
		CHECK_INT(fx_http(&r, &s, "POST", "/api/v1/tickets", agent,
				  json, NULL), 201);
		buf_free(&r.body);
	}
	kill(tracer, SIGTERM);
	waitpid(tracer, &st, 0);
	CHECK_INT(fx_serve_stop(&s), 0);
	buf_init(&b, 64 << 20);
	CHECK(fx_read_file(log, &b));
	if (b.ptr)
		created = answers_after_sync(b.ptr, &unsynced);
	CHECK_INT(created, 5);
	CHECK_INT(unsynced, 0);
	buf_free(&b);
}


/* A ticket's JSON is answered again from memory while nothing changes;
 * a commit by another process, or by the server itself, and the next
 * GET tells of it; each person gets their own view. */
static void
kept_scenario(struct fx_server *s, const char *db, const char *agent,
	      const char *customer, const char *other)
{
	const char *path = "/api/v1/tickets/INT-2026-00001";
	struct fx_reply r, r2;
	struct fx_run run;

	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_INT(fx_http(&r2, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_STR(r2.body.ptr, r.body.ptr);
	CHECK_STR(r2.etag, r.etag);
	buf_free(&r.body);
	buf_free(&r2.body);
	/* Another process commits. */
	CHECK_INT(fx_cli(&run, NULL, "--db", db, "--as",
			 "agent:ana.torres@intecnia.example", "ticket", "reply",
			 "INT-2026-00001", "--body", "Desde la terminal", NULL), 0);
	fx_run_free(&run);
	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "Desde la terminal");
	buf_free(&r.body);
	/* The server commits: an internal note, for agents only. */
	CHECK_INT(fx_http(&r, s, "GET", path, customer, NULL, NULL), 200);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets/INT-2026-00001/replies",
		       agent, "{\"body\": \"Nota interna 7\", \"internal\": true}",
		       NULL), 200);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", path, agent, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "Nota interna 7");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", path, customer, NULL, NULL), 200);
	CHECK(strstr(r.body.ptr, "Nota interna 7") == NULL);
	CHECK_HAS(r.body.ptr, "Desde la terminal");
	buf_free(&r.body);
	/* Another customer: not theirs, kept or not. */
	CHECK_INT(fx_http(&r, s, "GET", path, other, NULL, NULL), 404);
	buf_free(&r.body);
}

/* The limits a client cannot push past: headers (431) and body (413). */
static void
limits_scenario(struct fx_server *s, const char *agent)
{
	struct fx_reply r;
	size_t n = 9 << 20;
	char *big = malloc(n + 1), *hdr = malloc(40 << 10);

	CHECK(big != NULL && hdr != NULL);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	memcpy(hdr, "X-Big: ", 7);
	memset(hdr + 7, 'a', (40 << 10) - 8);
	hdr[(40 << 10) - 1] = '\0';
	CHECK_INT(fx_http(&r, s, "GET", "/healthz", NULL, NULL, hdr), 431);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets", agent, big, NULL), 413);
	buf_free(&r.body);
	/* The server is still there. */
	CHECK_INT(fx_http(&r, s, "GET", "/healthz", NULL, NULL, NULL), 200);
	buf_free(&r.body);
	free(big);
	free(hdr);
}

static void
test_api_limits_headers_and_body(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("limits.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	limits_scenario(&s, agent);
	CHECK_INT(fx_serve_stop(&s), 0);
}

static void
test_api_kept_answers_follow_every_commit(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("kept.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	if (!fx_serve_or_fail(&s, db))
		return;
	kept_scenario(&s, db, agent, customer, other);
	CHECK_INT(fx_serve_stop(&s), 0);
}


/* ---- the console ---------------------------------------------------- */
static void
console_scenario(struct fx_server *s)
{
	struct fx_reply r;
	char cookie[80], csrf[64], body[512];
	const char *p;

	/* Unauthenticated: sent to sign in. */
	CHECK_INT(fx_form(&r, s, "/console", NULL, NULL), 303);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/login", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "name=\"password\"");
	buf_free(&r.body);
	/* A wrong password, then the right one. */
	CHECK_INT(fx_login(&r, s,
		       "email=ana.torres%40intecnia.example&password=nope"), 401);
	CHECK_HAS(r.body.ptr, "incorrectos");
	buf_free(&r.body);
	CHECK_INT(fx_login(&r, s, "email=ana.torres%40intecnia.example"
		       "&password=contrase%C3%B1a-larga-1"), 303);
	CHECK(r.body.len == 64);
	memcpy(cookie, r.body.ptr, 64);
	cookie[64] = '\0';
	buf_free(&r.body);
	/* The queue, in SLA order. */
	CHECK_INT(fx_form(&r, s, "/console", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "INT-2026-00001");
	CHECK_HAS(r.body.ptr, "orden del nivel de servicio");
	buf_free(&r.body);
	/* A reply without the form's CSRF token is refused. */
	CHECK_INT(fx_form(&r, s, "/console/t/INT-2026-00002/reply", cookie,
		       "body=hola"), 403);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/console/t/INT-2026-00002", cookie, NULL), 200);
	p = strstr(r.body.ptr, "name=\"csrf\" value=\"");
	CHECK(p != NULL);
	memcpy(csrf, p + 19, 48);
	csrf[48] = '\0';
	buf_free(&r.body);
	/* An XSS payload in a reply is shown as text, inert. */
	snprintf(body, sizeof body, "csrf=%s&body=%%3Cscript%%3Ealert(1)%%3C"
		 "%%2Fscript%%3E%%3Cimg+src%%3Dx+onerror%%3Dalert(2)%%3E", csrf);
	CHECK_INT(fx_form(&r, s, "/console/t/INT-2026-00002/reply", cookie, body),
		  303);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/console/t/INT-2026-00002", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_HAS(r.body.ptr, "&lt;img src=x onerror=alert(2)&gt;");
	CHECK(strstr(r.body.ptr, "<script>") == NULL);
	CHECK(strstr(r.body.ptr, "<img src=x") == NULL);
	buf_free(&r.body);
	/* A forged session cookie is nobody. */
	CHECK_INT(fx_form(&r, s, "/console", "0000000000000000000000000000000000"
		       "000000000000000000000000000000", NULL), 303);
	buf_free(&r.body);
	/* Throttling: five failures lock the address for 15 minutes. */
	for (int i = 0; i < 5; i++) {
		fx_login(&r, s,
		     "email=carla.rios%40intecnia.example&password=x");
		buf_free(&r.body);
	}
	CHECK_INT(fx_login(&r, s,
		       "email=carla.rios%40intecnia.example&password=x"), 429);
	CHECK_HAS(r.body.ptr, "15 minutos");
	buf_free(&r.body);
	/* Sign out: the cookie no longer opens the console. */
	snprintf(body, sizeof body, "csrf=%s", csrf);
	CHECK_INT(fx_form(&r, s, "/logout", cookie, body), 303);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/console", cookie, NULL), 303);
	buf_free(&r.body);
}

static void
test_console_login_csrf_xss_throttle(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("console.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	CHECK(fx_demo_passwords(db, "intecnia"));
	if (!fx_serve_or_fail(&s, db))
		return;
	console_scenario(&s);
	/* INT-2: Intecnia takes requests by email only, so its portal
	 * names its channels instead of offering a form to be refused. */
	{
		char cookie[80], csrf[64];
		struct fx_reply rp;

		CHECK(fx_sign_in(&s, "email=luis%40ferreterialopez.mx&password="
			      "clave-del-cliente-1", cookie, csrf, "/console"));
		CHECK_INT(fx_form(&rp, &s, "/console/new", cookie, NULL), 200);
		CHECK_HAS(rp.body.ptr, "no recibe solicitudes por la web");
		CHECK_HAS(rp.body.ptr, "email (INT-2)");
		CHECK(strstr(rp.body.ptr, "name=\"subject\"") == NULL);
		buf_free(&rp.body);
		CHECK_INT(fx_form(&rp, &s, "/console", cookie, NULL), 200);
		CHECK(strstr(rp.body.ptr, "/console/new") == NULL);
		buf_free(&rp.body);
	}
	CHECK_INT(fx_serve_stop(&s), 0);
}

static void
portal_scenario(struct fx_server *s)
{
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
	};
	struct fx_reply r;
	char cookie[80], csrf[64], acookie[80], acsrf[64], path[160];
	char folio[64], attachment[200], ocookie[80], ocsrf[64];
	long before, after;
	const char *p;

	CHECK(fx_sign_in(s, "email=luis%40ferreterialopez.mx&password=clave-del-"
		      "cliente-1", cookie, csrf, "/console/new"));
	{
		const char *fields[] = { "csrf", csrf, "subject", "No timbra",
			"description", "Error al timbrar la factura 1234",
			"category", "soporte", NULL };

		/* A script with a .png name and an image/png type: refused. */
		CHECK_INT(fx_multipart(&r, s, "/console/new", cookie, fields,
				    "<script>x</script>", 18, "image/png"), 422);
		CHECK_HAS(r.body.ptr, "PNG o JPG");
		/* What the customer typed is still in the form. */
		CHECK_HAS(r.body.ptr, "Error al timbrar la factura 1234</textarea>");
		buf_free(&r.body);
		CHECK_INT(fx_multipart(&r, s, "/console/new", cookie, fields, png,
				    sizeof png, "application/octet-stream"), 303);
		if (r.status != 303) fprintf(stderr, "%s\n", strstr(r.body.ptr, "class=\"err\""));
		CHECK_HAS(r.body.ptr, "/console/t/EASI-");
		p = strstr(r.body.ptr, "EASI-");
		snprintf(folio, sizeof folio, "%.14s", p ? p : "");
		buf_free(&r.body);
	}
	snprintf(path, sizeof path, "/console/t/%s", folio);
	CHECK_INT(fx_form(&r, s, path, cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "Error al timbrar la factura 1234");
	CHECK_HAS(r.body.ptr, "pantalla.png");
	buf_free(&r.body);
	/* PRIV-2: the screenshot, as the PNG its bytes are, inline, to the
	 * ticket's own customer; signed out, to the sign-in page. */
	{
		char url[200];

		CHECK_INT(fx_form(&r, s, path, cookie, NULL), 200);
		p = strstr(r.body.ptr, "<img src=\"/console/t/");
		CHECK(p != NULL);
		snprintf(url, sizeof url, "%.*s", p ? (int)strcspn(p + 10, "\"")
			 : 0, p ? p + 10 : "");
		buf_free(&r.body);
		snprintf(attachment, sizeof attachment, "%s", url);
		CHECK_HAS(attachment, "/attachments/");
		CHECK_INT(fx_form(&r, s, attachment, cookie, NULL), 200);
		CHECK_STR(r.type, "image/png");
		CHECK_STR(r.disposition, "inline; filename*=UTF-8''pantalla.png");
		CHECK(r.body.len == sizeof png &&
		      memcmp(r.body.ptr, png, sizeof png) == 0);
		buf_free(&r.body);
		CHECK_INT(fx_form(&r, s, attachment, NULL, NULL), 303);
		buf_free(&r.body);
	}
	/* Only the one ticket came of the two posts. */
	CHECK_INT(fx_form(&r, s, "/console", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, folio);
	buf_free(&r.body);

	/* The agent logs 90 minutes; the balance shown drops. */
	CHECK(fx_sign_in(s, "email=ana.torres%40easi.example&password=contra"
		      "se%C3%B1a-larga-1", acookie, acsrf, path));
	CHECK_INT(fx_form(&r, s, path, acookie, NULL), 200);
	p = strstr(r.body.ptr, "id=\"balance\">");
	CHECK(p != NULL);
	p = p ? strstr(p, ": ") : NULL;
	before = p ? strtol(p + 2, NULL, 10) : -1;
	buf_free(&r.body);
	{
		char body[200], attend[200];

		snprintf(attend, sizeof attend, "%s/attend", path);
		snprintf(body, sizeof body, "csrf=%s&minutes=0&modality=remote",
			 acsrf);
		CHECK_INT(fx_form(&r, s, attend, acookie, body), 422);
		CHECK_HAS(r.body.ptr, "1 to 1440");
		buf_free(&r.body);
		snprintf(body, sizeof body, "csrf=%s&minutes=90&modality=remote",
			 acsrf);
		CHECK_INT(fx_form(&r, s, attend, acookie, body), 303);
		buf_free(&r.body);
	}
	CHECK_INT(fx_form(&r, s, path, acookie, NULL), 200);
	p = strstr(r.body.ptr, "id=\"balance\">");
	p = p ? strstr(p, ": ") : NULL;
	after = p ? strtol(p + 2, NULL, 10) : -1;
	CHECK(before >= 2);
	CHECK(after >= 0 && after < before);
	buf_free(&r.body);

	/* PRIV-2: agents see the screenshot; a contact of another
	 * organization gets the same 404 as for an attachment that does
	 * not exist, for this ticket's and with a guessed ticket. */
	CHECK_INT(fx_form(&r, s, attachment, acookie, NULL), 200);
	CHECK_STR(r.type, "image/png");
	buf_free(&r.body);
	CHECK(fx_sign_in(s, "email=sofia.navarro%40clinicasantafe.mx&password="
			 "otra-clave-larga-1", ocookie, ocsrf, "/console"));
	CHECK_INT(fx_form(&r, s, attachment, ocookie, NULL), 404);
	CHECK(strstr(r.body.ptr, "PNG") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, path, ocookie, NULL), 404);
	buf_free(&r.body);
	snprintf(path, sizeof path, "/console/t/%s/attachments/999999", folio);
	CHECK_INT(fx_form(&r, s, path, acookie, NULL), 404);
	buf_free(&r.body);
}

static void
test_portal_new_ticket_and_console_attendance(void)
{
	struct fx_server s = { 0 };
	const char *db = fx_path("portal.db");
	struct fx_run r;

	/* EASI takes requests on the web (INT-2) and sells pólizas. */
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(),
			 "--now", "2026-11-20T10:00:00", "demo", "--pack", "easi",
			 NULL), 0);
	fx_run_free(&r);
	/* The póliza runs from yesterday by the real clock, which the
	 * server reads: its six months always cover the attendance. */
	{
		time_t y = time(NULL) - 86400;
		struct tm tm;
		char since[32], number[64] = "";
		const char *p;

		gmtime_r(&y, &tm);
		strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
		CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", since, "contract",
				 "add", "--org", "Ferretería López", "--plan",
				 "poliza", "--hours", "10", NULL), 0);
		if ((p = strstr(r.out.ptr, "EASI-C-")) != NULL)
			snprintf(number, sizeof number, "%.*s",
				 (int)strcspn(p, " \n"), p);
		fx_run_free(&r);
		CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", since, "contract",
				 "pay", number, "--ref", "SPEI 1", NULL), 0);
		fx_run_free(&r);
	}
	CHECK(fx_demo_passwords(db, "easi"));
	CHECK_INT(fx_cli(&r, "otra-clave-larga-1\n", "--db", db, "contact",
			 "password", "sofia.navarro@clinicasantafe.mx", NULL), 0);
	fx_run_free(&r);
	if (!fx_serve_or_fail(&s, db))
		return;
	portal_scenario(&s);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test api_tests[] = {
	{ "portal_new_ticket_and_console_attendance",
	  test_portal_new_ticket_and_console_attendance },
	{ "api_tickets_auth_privacy_and_errors", test_api_tickets_auth_privacy_and_errors },
	{ "api_concurrent_creates_group_commit",
	  test_api_concurrent_creates_group_commit },
	{ "api_created_answers_wait_for_the_sync",
	  test_api_created_answers_wait_for_the_sync },
	{ "api_kept_answers_follow_every_commit",
	  test_api_kept_answers_follow_every_commit },
	{ "api_sigterm_under_load_keeps_answered_writes",
	  test_api_sigterm_under_load_keeps_answered_writes },
	{ "api_limits_headers_and_body", test_api_limits_headers_and_body },
	{ "console_login_csrf_xss_throttle", test_console_login_csrf_xss_throttle },
	{ 0 },
};
