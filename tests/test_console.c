/* test_console.c — the console's pages and forms against a running
 * server: who may post what on a ticket, which actions a ticket page
 * offers, sign-in, and what every page asks the server for. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const struct test console_tests[] = {
	{ "customer_attend_is_forbidden_bill1",
	  test_customer_attend_is_forbidden_bill1 },
	{ 0 },
};
