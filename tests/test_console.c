/* test_console.c — the console's pages and forms against a running
 * server: who may post what on a ticket, which actions a ticket page
 * offers, sign-in, and what every page asks the server for. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct site {
	struct fx_server s;
	const char *db;
	char acookie[80], acsrf[64];
	char ccookie[80], ccsrf[64];
	char folio[64];   /* one of Luis's tickets */
	char page[128];   /* /console/t/FOLIO */
};

/* The EASI demo, served. */
static bool
site_up(struct site *w, const char *name)
{
	struct fx_run run;
	bool ok;

	memset(w, 0, sizeof *w);
	w->db = fx_path(name);
	ok = fx_cli(&run, NULL, "--db", w->db, "--policies", fx_policies(),
		    "demo", "--pack", "easi", NULL) == 0;
	fx_run_free(&run);
	return ok && fx_demo_passwords(w->db, "easi") &&
	       fx_serve_or_fail(&w->s, w->db);
}

/* Ana (agent) and Luis (customer) signed in, and the first ticket in
 * Luis's list. */
static bool
sign_in_both(struct site *w)
{
	struct fx_reply r;
	const char *p;

	if (!fx_sign_in(&w->s, "email=ana.torres%40easi.example&password="
			"contrase%C3%B1a-larga-1", w->acookie, w->acsrf,
			"/console") ||
	    !fx_sign_in(&w->s, "email=luis%40ferreterialopez.mx&password="
			"clave-del-cliente-1", w->ccookie, w->ccsrf, "/console")) {
		t_fail(__FILE__, __LINE__, "could not sign in");
		return false;
	}
	fx_form(&r, &w->s, "/console", w->ccookie, NULL);
	p = strstr(r.body.ptr, "/console/t/");
	if (p)
		sscanf(p + 11, "%63[^\"]", w->folio);
	buf_free(&r.body);
	snprintf(w->page, sizeof w->page, "/console/t/%s", w->folio);
	if (w->folio[0] == '\0')
		t_fail(__FILE__, __LINE__, "no ticket in Luis's list");
	return w->folio[0] != '\0';
}

/* site_up, scenario, and the server stopped whatever the scenario
 * found. */
static void
run_site(const char *db, void (*scenario)(struct site *))
{
	struct site w;

	if (!site_up(&w, db))
		return;
	scenario(&w);
	CHECK_INT(fx_serve_stop(&w.s), 0);
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* What the agent sees of the ticket's thread: its messages. */
static size_t
thread_size(struct site *w)
{
	struct fx_reply r;
	size_t n;

	fx_form(&r, &w->s, w->page, w->acookie, NULL);
	n = count(r.body.ptr, "<div class=\"msg ");
	buf_free(&r.body);
	return n;
}

/* BILL-1: only the provider's agents log attendances. A customer's post
 * (with a good token) is refused with 403 and words that say why, in
 * the customer's language, and logs nothing. */
static void
attend_scenario(struct site *w)
{
	struct fx_reply r;
	char path[160], body[200];
	size_t before;

	if (!sign_in_both(w))
		return;
	before = thread_size(w);
	snprintf(path, sizeof path, "%s/attend", w->page);
	snprintf(body, sizeof body, "csrf=%s&minutes=30&modality=remote",
		 w->ccsrf);
	CHECK_INT(fx_form(&r, &w->s, path, w->ccookie, body), 403);
	CHECK_HAS(r.body.ptr, "<p class=\"err\">Solo los agentes del proveedor "
		  "registran atenciones.</p>");
	CHECK_HAS(r.body.ptr, w->page);
	buf_free(&r.body);
	CHECK_INT((long)thread_size(w), (long)before);
	/* Without the token it is the token that is refused, as before. */
	CHECK_INT(fx_form(&r, &w->s, path, w->ccookie, "minutes=30"), 403);
	CHECK_HAS(r.body.ptr, "Formulario vencido");
	buf_free(&r.body);
	/* A post to something a ticket does not have: 404, not an empty
	 * refusal. */
	snprintf(path, sizeof path, "%s/frobnicate", w->page);
	snprintf(body, sizeof body, "csrf=%s", w->acsrf);
	CHECK_INT(fx_form(&r, &w->s, path, w->acookie, body), 404);
	CHECK_HAS(r.body.ptr, "No existe esa página.");
	buf_free(&r.body);
}

static void
test_customer_attend_is_forbidden_bill1(void)
{
	run_site("attend403.db", attend_scenario);
}

/* The buttons in the ticket page's actions, as "A|B|C" ("" for none). */
static void
buttons(struct site *w, const char *page, const char *cookie, char out[256])
{
	struct fx_reply r;
	const char *p, *end;
	size_t n = 0;

	out[0] = '\0';
	if (fx_form(&r, &w->s, page, cookie, NULL) != 200 ||
	    (p = strstr(r.body.ptr, "<p id=\"actions\">")) == NULL) {
		snprintf(out, 256, "(no actions on %s)", page);
		buf_free(&r.body);
		return;
	}
	end = strstr(p, "</p>");
	for (p = strstr(p, "<button>"); p && p < end;
	     p = strstr(p + 1, "<button>")) {
		const char *q = strstr(p, "</button>");

		n += (size_t)snprintf(out + n, 256 - n, "%s%.*s", n ? "|" : "",
				      (int)(q - p - 8), p + 8);
		if (n >= 256)
			break;
	}
	buf_free(&r.body);
}

static bool
act(struct site *w, const char *cookie, const char *csrf, const char *action)
{
	struct fx_reply r;
	char path[160], body[200];
	long st;

	snprintf(path, sizeof path, "%s/act", w->page);
	snprintf(body, sizeof body, "csrf=%s&action=%s", csrf, action);
	st = fx_form(&r, &w->s, path, cookie, body);
	buf_free(&r.body);
	if (st != 303)
		t_fail(__FILE__, __LINE__, "%s on %s: %ld", action, w->page, st);
	return st == 303;
}

#define BUTTONS(who, want)                                             \
	do {                                                           \
		char got_[256];                                        \
		buttons(w, w->page, w->who##cookie, got_);             \
		CHECK_STR(got_, want);                                 \
	} while (0)

/* The page offers only what the lifecycle accepts from the ticket's
 * state, from that person: an agent works it, waits, resumes, resolves
 * or closes it; the customer confirms or reopens a resolved one, and
 * reopens a closed one inside the reopen window (CLO-3) only. */
static void
actions_scenario(struct site *w)
{
	struct fx_run run;
	struct fx_reply r;
	char out[256], old[64] = "", path[160], at[40], after[40];
	time_t ago = time(NULL) - 14 * 86400;
	struct tm tm;
	const char *p;

	if (!sign_in_both(w))
		return;
	CHECK_INT(fx_form(&r, &w->s, w->page, w->acookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "<p class=\"meta\">open · ");
	buf_free(&r.body);
	BUTTONS(a, "Esperar al cliente|Resolver|Cerrar");
	BUTTONS(c, "");
	CHECK(act(w, w->acookie, w->acsrf, "wait_customer"));
	BUTTONS(a, "Retomar|Resolver|Cerrar");
	BUTTONS(c, "");
	CHECK(act(w, w->acookie, w->acsrf, "resolve"));
	BUTTONS(a, "Cerrar");
	BUTTONS(c, "Confirmar solución|Reabrir");
	CHECK(act(w, w->ccookie, w->ccsrf, "confirm"));
	BUTTONS(a, "");
	BUTTONS(c, "Reabrir");
	CHECK(act(w, w->ccookie, w->ccsrf, "reopen"));
	BUTTONS(a, "Esperar al cliente|Resolver|Cerrar");
	BUTTONS(c, "");

	/* CLO-3: resolved two weeks ago, past EASI's window: nothing to
	 * reopen. */
	gmtime_r(&ago, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT10:00", &tm);
	strftime(after, sizeof after, "%Y-%m-%dT11:00", &tm);
	CHECK_INT(fx_cli(&run, NULL, "--db", w->db, "--now", at, "ticket",
			 "open", "--contact", "luis@ferreterialopez.mx",
			 "--channel", "email", "--subject", "La impresora no "
			 "imprime", "--description", "No imprime", "--priority",
			 "low", NULL), 0);
	sscanf(run.out.ptr, "%63s", old);
	fx_run_free(&run);
	CHECK_INT(fx_cli(&run, NULL, "--db", w->db, "--now", after,
			 "--as", "agent:ana.torres@easi.example", "ticket",
			 "resolve", old, "--reason", "Controlador nuevo", NULL),
		  0);
	fx_run_free(&run);
	snprintf(path, sizeof path, "/console/t/%s", old);
	buttons(w, path, w->ccookie, out);
	CHECK(strstr(out, "Reabrir") == NULL);
	CHECK(strstr(out, "(no actions") == NULL);
	/* A post of what is not offered is still refused, with the reason. */
	{
		char body[200];

		snprintf(body, sizeof body, "csrf=%s&action=reopen", w->ccsrf);
		snprintf(path, sizeof path, "/console/t/%s/act", old);
		CHECK_INT(fx_form(&r, &w->s, path, w->ccookie, body), 422);
		p = strstr(r.body.ptr, "class=\"err\">");
		CHECK(p != NULL && p[13] != '<');
		buf_free(&r.body);
	}
}

static void
test_actions_follow_the_lifecycle(void)
{
	run_site("actions.db", actions_scenario);
}

/* Login CSRF: the sign-in form's token must come back with the cookie
 * set beside it. A post without the pair, or with a mismatched one, is
 * refused with 403 and a fresh form, signs no one in, and does not count
 * as a failed attempt (a forged page cannot lock an address out). */
static void
login_csrf_scenario(struct site *w)
{
	static const char creds[] = "email=ana.torres%40easi.example&"
				    "password=contrase%C3%B1a-larga-1";
	struct fx_reply r;
	char token[64], other[64], ck[100], body[300];

	CHECK_INT(fx_form(&r, &w->s, "/login", NULL, NULL), 200);
	CHECK_INT((long)strlen(r.login), 48);
	CHECK_HAS(r.body.ptr, r.login);       /* the form echoes the cookie */
	CHECK_HAS(r.set_cookie, "; Path=/login");
	CHECK_HAS(r.set_cookie, "; HttpOnly");
	CHECK_HAS(r.set_cookie, "; SameSite=Strict");
	CHECK_HAS(r.set_cookie, "; Max-Age=");
	snprintf(token, sizeof token, "%s", r.login);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, &w->s, "/login", NULL, NULL), 200);
	snprintf(other, sizeof other, "%s", r.login);
	buf_free(&r.body);
	CHECK(strcmp(token, other) != 0);

	/* Neither, the field alone, the cookie alone, a mismatch, one
	 * character off: each 403 six times over, more than the five
	 * failures that would lock the address. */
	for (int round = 0; round < 6; round++) {
		const char *cookies[] = { NULL, NULL, ck, ck, ck };
		char bodies[5][300];

		snprintf(ck, sizeof ck, "sp_login=%s", token);
		snprintf(bodies[0], sizeof bodies[0], "%s", creds);
		snprintf(bodies[1], sizeof bodies[1], "csrf=%s&%s", token, creds);
		snprintf(bodies[2], sizeof bodies[2], "%s", creds);
		snprintf(bodies[3], sizeof bodies[3], "csrf=%s&%s", other, creds);
		snprintf(bodies[4], sizeof bodies[4], "csrf=%c%s&%s",
			 token[0] == 'a' ? 'b' : 'a', token + 1, creds);
		for (int i = 0; i < 5; i++) {
			CHECK_INT(fx_form_with(&r, &w->s, "/login", cookies[i],
					       bodies[i]), 403);
			CHECK(strstr(r.set_cookie, "sp_session=") == NULL);
			CHECK_HAS(r.body.ptr, "El formulario de entrada venció");
			CHECK_HAS(r.body.ptr, "name=\"csrf\" value=\"");
			buf_free(&r.body);
		}
	}
	/* The matching pair signs in. */
	snprintf(ck, sizeof ck, "sp_login=%s", token);
	snprintf(body, sizeof body, "csrf=%s&%s", token, creds);
	CHECK_INT(fx_form_with(&r, &w->s, "/login", ck, body), 303);
	CHECK_INT((long)r.body.len, 64);
	buf_free(&r.body);
	/* A wrong password with a good token is the old 401, and the
	 * form comes back with a new token to try again. */
	CHECK_INT(fx_login(&r, &w->s, "email=ana.torres%40easi.example&"
			   "password=no"), 401);
	CHECK_HAS(r.body.ptr, "incorrectos");
	CHECK_INT((long)strlen(r.login), 48);
	buf_free(&r.body);
}

static void
test_login_refuses_a_forged_post(void)
{
	run_site("login.db", login_csrf_scenario);
}

/* Every page links the icon, and /favicon.ico, which browsers ask for
 * anyway, is the same icon rather than a 404. */
static void
favicon_scenario(struct site *w)
{
	struct fx_reply r, ico;

	CHECK_INT(fx_form(&r, &w->s, "/login", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "<link rel=\"icon\" type=\"image/svg+xml\" "
		  "href=\"/static/favicon.svg\">");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, &w->s, "/static/favicon.svg", NULL, NULL), 200);
	CHECK_STR(r.type, "image/svg+xml");
	CHECK_HAS(r.body.ptr, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	CHECK(strstr(r.body.ptr, "<script") == NULL);
	CHECK_INT(fx_form(&ico, &w->s, "/favicon.ico", NULL, NULL), 200);
	CHECK_STR(ico.type, "image/svg+xml");
	CHECK_STR(ico.body.ptr, r.body.ptr);
	buf_free(&ico.body);
	buf_free(&r.body);
}

static void
test_favicon_is_served(void)
{
	run_site("favicon.db", favicon_scenario);
}

const struct test console_tests[] = {
	{ "favicon_is_served", test_favicon_is_served },
	{ "login_refuses_a_forged_post", test_login_refuses_a_forged_post },
	{ "actions_follow_the_lifecycle", test_actions_follow_the_lifecycle },
	{ "customer_attend_is_forbidden_bill1",
	  test_customer_attend_is_forbidden_bill1 },
	{ 0 },
};
