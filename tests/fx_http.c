/* fx_http.c — see fx_http.h. Requests go through libcurl. */
#include "fx_http.h"

#include "fixture.h"
#include "test.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t
on_body(char *p, size_t size, size_t n, void *u)
{
	return buf_add(u, p, size * n) ? 0 : size * n;
}

/* The value of header `name` in the line p[0..len), into out. */
static void
header_value(char *out, size_t size, const char *name, const char *p,
	     size_t len)
{
	size_t n = strlen(name);

	if (len <= n + 2 || strncasecmp(p, name, n) != 0 || p[n] != ':')
		return;
	p += n + 2;
	len -= n + 2;
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	if (len < size) {
		memcpy(out, p, len);
		out[len] = '\0';
	}
}

static size_t
on_header(char *p, size_t size, size_t n, void *u)
{
	struct fx_reply *r = u;

	header_value(r->etag, sizeof r->etag, "ETag", p, size * n);
	header_value(r->type, sizeof r->type, "Content-Type", p, size * n);
	header_value(r->disposition, sizeof r->disposition,
		     "Content-Disposition", p, size * n);
	header_value(r->set_cookie, sizeof r->set_cookie, "Set-Cookie", p,
		     size * n);
	if (size * n > 22 && strncasecmp(p, "Set-Cookie: sp_login=", 21) == 0)
		snprintf(r->login, sizeof r->login, "%.*s",
			 (int)strcspn(p + 21, ";\r\n"), p + 21);
	return size * n;
}

/* One request; the reply's status, body and ETag. */
long
fx_http(struct fx_reply *r, struct fx_server *s, const char *method, const char *path,
     const char *token, const char *body, const char *extra_header)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	char url[512], auth[200];

	memset(r, 0, sizeof *r);
	buf_init(&r->body, 16 << 20);
	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		hd = curl_slist_append(hd, auth);
	}
	if (extra_header)
		hd = curl_slist_append(hd, extra_header);
	if (body) {
		hd = curl_slist_append(hd, "Content-Type: application/json");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	return r->status;
}

bool
fx_serve(struct fx_server *s, const char *db)
{
	const char *bin = getenv("SOPORTE_BIN");
	char listen[32];

	/* A port of this process's own; another if something else has it
	 * (the server then exits at once, "address in use"). */
	for (int attempt = 0; attempt < 8; attempt++) {
		int st;

		s->port = 30000 + (int)((getpid() + attempt * 7919) % 20000);
		snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
		snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d",
			 s->port);
		s->pid = fork();
		if (s->pid == 0) {
			execl(bin, bin, "--db", db, "serve", "--listen", listen,
			      "--tick", "3600", (char *)NULL);
			_exit(127);
		}
		for (int i = 0; i < 600; i++) { /* 15 s: a loaded machine */
			struct fx_reply r;
			long code;

			if (waitpid(s->pid, &st, WNOHANG) == s->pid)
				break; /* gone: try another port */
			code = fx_http(&r, s, "GET", "/healthz", NULL, NULL, NULL);
			buf_free(&r.body);
			usleep(25 * 1000);
			/* Answered, and by this server: still running. */
			if (code == 200 && waitpid(s->pid, &st, WNOHANG) == 0)
				return true;
		}
		if (waitpid(s->pid, &st, WNOHANG) == 0) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &st, 0);
			break; /* running, but not answering */
		}
	}
	s->pid = -1;
	return false;
}

int
fx_serve_stop(struct fx_server *s)
{
	int st = -1;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &st, 0);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A demo database with two tokens: an agent's and a customer's. */
bool
fx_demo_tokens(const char *db, char agent[80], char customer[80], char other[80])
{
	struct fx_run r;
	const char *who[3][2] = {
		{ "--agent", "ana.torres@intecnia.example" },
		{ "--contact", "luis@ferreterialopez.mx" },
		{ "--contact", "sofia.navarro@clinicasantafe.mx" },
	};
	char *out[3] = { agent, customer, other };

	if (fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(), "--now",
		   "2026-11-20T10:00:00", "demo", NULL) != 0) {
		fx_run_free(&r);
		return false;
	}
	fx_run_free(&r);
	for (int i = 0; i < 3; i++) {
		if (fx_cli(&r, NULL, "--db", db, "token", "create", who[i][0],
			   who[i][1], "--name", "test", NULL) != 0 ||
		    r.out.len < 67) {
			fx_run_free(&r);
			return false;
		}
		memcpy(out[i], r.out.ptr, 67);
		out[i][67] = '\0';
		fx_run_free(&r);
	}
	return true;
}

json_t *
fx_json(struct fx_reply *r)
{
	return json_loadb(r->body.ptr, r->body.len, 0, NULL);
}


long
fx_form_with(struct fx_reply *r, struct fx_server *s, const char *path,
	     const char *cookies, const char *body)
{
	CURL *h = curl_easy_init();
	char url[512];

	memset(r, 0, sizeof *r);
	buf_init(&r->body, 16 << 20);
	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	if (cookies)
		curl_easy_setopt(h, CURLOPT_COOKIE, cookies);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (body && r->status == 303) {
		struct curl_header *sc;

		if (curl_easy_header(h, "Set-Cookie", 0, CURLH_HEADER, -1, &sc) ==
		    CURLHE_OK) {
			const char *v = strstr(sc->value, "sp_session=");

			if (v && strlen(v) >= 11 + 64) {
				memcpy(r->etag, v + 11, 31);
				r->etag[31] = '\0';
				buf_reset(&r->body);
				buf_add(&r->body, v + 11, 64);
			}
		}
	}
	curl_easy_cleanup(h);
	return r->status;
}

long
fx_form(struct fx_reply *r, struct fx_server *s, const char *path, const char *cookie,
     const char *body)
{
	char ck[200];

	if (cookie == NULL)
		return fx_form_with(r, s, path, NULL, body);
	snprintf(ck, sizeof ck, "sp_session=%s", cookie);
	return fx_form_with(r, s, path, ck, body);
}

long
fx_login(struct fx_reply *r, struct fx_server *s, const char *form_body)
{
	char login[64], csrf[64] = "", ck[100];
	const char *p;
	struct buf body;
	long st;

	if (fx_form(r, s, "/login", NULL, NULL) != 200)
		return r->status;
	snprintf(login, sizeof login, "%s", r->login);
	if ((p = strstr(r->body.ptr, "name=\"csrf\" value=\"")) != NULL)
		snprintf(csrf, sizeof csrf, "%.*s", (int)strcspn(p + 19, "\""),
			 p + 19);
	buf_free(&r->body);
	buf_init(&body, 4096);
	buf_printf(&body, "csrf=%s&%s", csrf, form_body);
	snprintf(ck, sizeof ck, "sp_login=%s", login);
	st = fx_form_with(r, s, "/login", ck, body.ptr);
	buf_free(&body);
	return st;
}

/* A multipart form post (the portal's new ticket), with one file. */
long
fx_multipart(struct fx_reply *r, struct fx_server *s, const char *path,
	  const char *cookie, const char *const *fields, const void *file,
	  size_t file_len, const char *file_type)
{
	CURL *h = curl_easy_init();
	curl_mime *mime = curl_mime_init(h);
	char url[512], ck[200];

	memset(r, 0, sizeof *r);
	buf_init(&r->body, 16 << 20);
	snprintf(url, sizeof url, "%s%s", s->base, path);
	for (size_t i = 0; fields[i]; i += 2) {
		curl_mimepart *part = curl_mime_addpart(mime);

		curl_mime_name(part, fields[i]);
		curl_mime_data(part, fields[i + 1], CURL_ZERO_TERMINATED);
	}
	if (file) {
		curl_mimepart *part = curl_mime_addpart(mime);

		curl_mime_name(part, "screenshot");
		curl_mime_filename(part, "pantalla.png");
		curl_mime_type(part, file_type);
		curl_mime_data(part, file, file_len);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	snprintf(ck, sizeof ck, "sp_session=%s", cookie);
	curl_easy_setopt(h, CURLOPT_COOKIE, ck);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->status == 303) {
		struct curl_header *loc;

		if (curl_easy_header(h, "Location", 0, CURLH_HEADER, -1, &loc) ==
		    CURLHE_OK) {
			buf_reset(&r->body);
			buf_adds(&r->body, loc->value);
		}
	}
	curl_mime_free(mime);
	curl_easy_cleanup(h);
	return r->status;
}

bool
fx_sign_in(struct fx_server *s, const char *form_body, char cookie[80],
	char csrf[64], const char *page)
{
	struct fx_reply r;
	const char *p;

	if (fx_login(&r, s, form_body) != 303 || r.body.len != 64) {
		buf_free(&r.body);
		return false;
	}
	memcpy(cookie, r.body.ptr, 64);
	cookie[64] = '\0';
	buf_free(&r.body);
	if (fx_form(&r, s, page, cookie, NULL) != 200 ||
	    (p = strstr(r.body.ptr, "name=\"csrf\" value=\"")) == NULL) {
		buf_free(&r.body);
		return false;
	}
	memcpy(csrf, p + 19, 48);
	csrf[48] = '\0';
	buf_free(&r.body);
	return true;
}

/* INT-3 in the portal: a customer raises a ticket with a screenshot; a
 * file that is not PNG or JPG by its bytes is refused whatever type the
 * browser claims, and nothing is opened. BILL-1 in the console: the
 * agent logs an attendance and the contract's balance goes down. */

bool
fx_demo_passwords(const char *db, const char *pack)
{
	struct fx_run r;
	char agent[96];
	bool ok;

	snprintf(agent, sizeof agent, "ana.torres@%s.example", pack);
	ok = fx_cli(&r, FX_AGENT_PASSWORD "\n", "--db", db, "agent",
		    "password", agent, NULL) == 0;
	fx_run_free(&r);
	ok = ok && fx_cli(&r, FX_CUSTOMER_PASSWORD "\n", "--db", db, "contact",
			  "password", "luis@ferreterialopez.mx", NULL) == 0;
	fx_run_free(&r);
	if (!ok)
		t_fail(__FILE__, __LINE__, "could not set the demo's passwords");
	return ok;
}

bool
fx_serve_or_fail(struct fx_server *s, const char *db)
{
	if (fx_serve(s, db))
		return true;
	fx_serve_stop(s);
	t_fail(__FILE__, __LINE__, "the server did not answer /healthz");
	return false;
}
