/* test_leak.c — PRIV-2 across the whole surface: every path of the API
 * (read from the running server's own OpenAPI document, so a new
 * endpoint is covered the day it is documented) and every page, asked by
 * each role. Another organization's customer and anonymous callers must
 * never get a 2xx on what is not theirs, nor see a byte of it in any
 * answer; a customer never sees internal notes or internal articles;
 * nobody gets a 5xx. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What belongs to Ferretería López, and what to Clínica Santa Fe. */
struct world {
	char folio[64], other_folio[64], contract[64], quote[64], invoice[64];
	char org_id[16];
	char tok_agent[4][80], tok_luis[80], tok_sofia[80], tok_marta[80];
	/* For Marta, a customer user of Ferretería López: Luis's ticket
	 * and the organization's contract, quote and invoice. */
	const char *marta_secrets[8];
	char ck_luis[80], ck_sofia[80], ck_agent[80], csrf_sofia[64];
	char ck_marta[80], csrf_marta[64];
};

/* Never in an answer to Clínica Santa Fe's customer (nor anonymous). */
static const char *const ferre_secrets[] = {
	"Ferreter", "luis@ferreterialopez.mx", "Zafiro confidencial",
	"NOTA-INTERNA-SECRETA", "Escalamiento interno", NULL,
};
/* Never in an answer to Ferretería López's customer. */
static const char *const luis_secrets[] = {
	"NOTA-INTERNA-SECRETA", "Escalamiento interno", "Ámbar reservado",
	"clinicasantafe", NULL,
};

/* Runs soporte with args (NULL-terminated); the first word of its
 * output with a digit in it (a folio, a number, a token) into out when
 * out is not NULL. */
static bool
run(const char *in, char *out, size_t cap, const char *const *args)
{
	struct fx_run r;
	bool ok = fx_cli_argv(&r, in, args) == 0;

	if (!ok)
		t_fail(__FILE__, __LINE__, "soporte %s %s %s: %s", args[0],
		       args[1], args[2], r.err.ptr ? r.err.ptr : "");
	/* The first word with a digit: "contract EASI-C-2026-0001 added". */
	for (const char *p = r.out.ptr; ok && out && p && *p;) {
		size_t n = strcspn(p, " \n");

		if (strcspn(p, "0123456789") < n) {
			snprintf(out, cap, "%.*s", (int)n, p);
			break;
		}
		p += n;
		p += strspn(p, " \n");
	}
	fx_run_free(&r);
	return ok;
}

#define RUN(in, out, ...)                                               \
	run((in), (out), (out) ? 80 : 0, (const char *const[]){ __VA_ARGS__, NULL })

static bool
build(const char *db, struct world *w)
{
	static const char *const agents[4] = { "ana.torres", "bruno.mendez",
		"carla.rios", "diego.salas" };
	char email[96];

	if (!RUN(NULL, NULL, "--db", db, "--policies", fx_policies(), "demo",
		 "--pack", "easi") ||
	    !fx_demo_passwords(db, "easi") ||
	    !RUN("clave-de-sofia-1\n", NULL, "--db", db, "contact", "password",
		 "sofia.navarro@clinicasantafe.mx") ||
	    !RUN("clave-de-marta-1\n", NULL, "--db", db, "contact", "password",
		 "compras@ferreterialopez.mx") ||
	    !RUN(NULL, NULL, "--db", db, "agent", "set",
		 "diego.salas@easi.example", "--role", "admin") ||
	    !RUN(NULL, w->folio, "--db", db, "ticket", "open", "--contact",
		 "luis@ferreterialopez.mx", "--channel", "web", "--subject",
		 "Zafiro confidencial") ||
	    !RUN(NULL, w->other_folio, "--db", db, "ticket", "open", "--contact",
		 "sofia.navarro@clinicasantafe.mx", "--channel", "web",
		 "--subject", "Ámbar reservado") ||
	    !RUN(NULL, NULL, "--db", db, "--as", "agent:ana.torres@easi.example",
		 "ticket", "note", w->folio, "--body", "NOTA-INTERNA-SECRETA") ||
	    !RUN(NULL, w->contract, "--db", db, "contract", "add", "--org",
		 "Ferretería López", "--plan", "poliza", "--hours", "10") ||
	    !RUN(NULL, w->quote, "--db", db, "--as",
		 "agent:ana.torres@easi.example", "quote", "create", "--ticket",
		 w->folio, "--kind", "quote", "--minutes", "60", "--amount",
		 "90000", "--description", "Zafiro confidencial: migración") ||
	    !RUN(NULL, w->invoice, "--db", db, "invoice", "issue", "--org",
		 "Ferretería López", "--concept", "Zafiro confidencial",
		 "--amount", "100000"))
		return false;
	for (int i = 0; i < 4; i++) {
		snprintf(email, sizeof email, "%s@easi.example", agents[i]);
		if (!RUN(NULL, w->tok_agent[i], "--db", db, "token", "create",
			 "--agent", email, "--name", "leak"))
			return false;
	}
	snprintf(w->org_id, sizeof w->org_id, "1");
	return RUN(NULL, w->tok_luis, "--db", db, "token", "create", "--contact",
		   "luis@ferreterialopez.mx", "--name", "leak") &&
	       RUN(NULL, NULL, "--db", db, "contact", "set",
		   "compras@ferreterialopez.mx", "--role", "user") &&
	       RUN(NULL, w->tok_marta, "--db", db, "token", "create", "--contact",
		   "compras@ferreterialopez.mx", "--name", "leak") &&
	       RUN(NULL, w->tok_sofia, "--db", db, "token", "create",
		   "--contact", "sofia.navarro@clinicasantafe.mx", "--name",
		   "leak");
}

/* The path with its {parameters} filled from Ferretería López's things;
 * false (and the test failed) for a parameter this test does not know:
 * a new endpoint must be given a value here to be covered. */
static bool
fill(char *out, size_t cap, const char *tmpl, const struct world *w)
{
	size_t n = 0;

	for (const char *p = tmpl; *p && n + 1 < cap;) {
		const char *v = NULL, *close;

		if (*p != '{') {
			out[n++] = *p++;
			continue;
		}
		close = strchr(p, '}');
		if (close == NULL)
			return false;
#define IS(name) (strncmp(p + 1, name, strlen(name)) == 0 &&            \
		  (size_t)(close - p - 1) == strlen(name))
		if (IS("folio"))
			v = w->folio;
		else if (IS("action"))
			v = "confirm";
		else if (IS("slug"))
			v = "escalamiento-interno";
		else if (IS("id"))
			v = w->org_id;
		else if (IS("number") && strstr(tmpl, "/contracts/"))
			v = w->contract;
		else if (IS("number") && strstr(tmpl, "/quotes/"))
			v = w->quote;
		else if (IS("number") && strstr(tmpl, "/invoices/"))
			v = w->invoice;
#undef IS
		if (v == NULL) {
			t_fail(__FILE__, __LINE__, "test_leak.c: give %.*s a "
			       "value in fill() so %s is covered",
			       (int)(close - p + 1), p, tmpl);
			return false;
		}
		n += (size_t)snprintf(out + n, cap - n, "%s", v);
		p = close + 1;
	}
	out[n < cap ? n : cap - 1] = '\0';
	return true;
}

static void
no_secret(const struct fx_reply *r, const char *const *secrets,
	  const char *who, const char *method, const char *path)
{
	for (int i = 0; secrets[i]; i++)
		if (r->body.ptr && strstr(r->body.ptr, secrets[i]))
			t_fail(__FILE__, __LINE__, "%s %s as %s: the answer "
			       "(%ld) shows '%s'", method, path, who, r->status,
			       secrets[i]);
	if (r->status >= 500 || r->status == 0)
		t_fail(__FILE__, __LINE__, "%s %s as %s: status %ld", method,
		       path, who, r->status);
}

/* Every documented path and method. */
static int
walk_api(struct fx_server *s, const struct world *w)
{
	struct fx_reply r;
	json_t *doc, *paths, *item;
	const char *tmpl;
	int asked = 0;

	if (fx_http(&r, s, "GET", "/api/v1/openapi.json", NULL, NULL, NULL) != 200 ||
	    (doc = fx_json(&r)) == NULL) {
		buf_free(&r.body);
		t_fail(__FILE__, __LINE__, "no OpenAPI document");
		return 0;
	}
	buf_free(&r.body);
	paths = json_object_get(doc, "paths");
	json_object_foreach(paths, tmpl, item) {
		const char *method;
		json_t *op;
		char path[512];

		if (!fill(path, sizeof path, tmpl, w))
			continue;
		json_object_foreach(item, method, op) {
			char m[8];
			bool write;
			long st;

			if (strlen(method) > 6 || strcmp(method, "parameters") == 0)
				continue;
			for (size_t i = 0; i <= strlen(method); i++)
				m[i] = (char)(method[i] >= 'a' ? method[i] - 32 :
					      method[i]);
			write = strcmp(m, "GET") != 0;
			asked++;
			/* Another organization's customer: nothing of
			 * Ferretería's, never a 2xx on one of its things
			 * (lists and searches may answer, without them). */
			st = fx_http(&r, s, m, path, w->tok_sofia,
				     write ? "{}" : NULL, NULL);
			no_secret(&r, ferre_secrets, "another customer", m, path);
			if (st >= 200 && st < 300 && strchr(tmpl, '{') &&
			    strcmp(tmpl, "/api/v1/openapi.json") != 0)
				t_fail(__FILE__, __LINE__, "%s %s as another "
				       "organization's customer: %ld", m, path, st);
			buf_free(&r.body);
			/* Nobody: 401 on all of /api/v1 but its description. */
			st = fx_http(&r, s, m, path, NULL, write ? "{}" : NULL, NULL);
			if (strncmp(tmpl, "/api/v1/", 8) == 0 &&
			    strcmp(tmpl, "/api/v1/openapi.json") != 0 && st != 401)
				t_fail(__FILE__, __LINE__, "%s %s without a token: "
				       "%ld, not 401", m, path, st);
			no_secret(&r, ferre_secrets, "anonymous", m, path);
			buf_free(&r.body);
			/* A customer user acts on nothing of Luis's nor on the
			 * organization's documents. */
			if (write && strchr(tmpl, '{')) {
				st = fx_http(&r, s, m, path, w->tok_marta, "{}",
					     NULL);
				if (st >= 200 && st < 300)
					t_fail(__FILE__, __LINE__, "%s %s as a "
					       "customer user: %ld", m, path, st);
				buf_free(&r.body);
			}
			if (write)
				continue; /* the owner and agents only read here */
			/* The owner: no internal notes or articles, nothing of
			 * the other organization. */
			fx_http(&r, s, m, path, w->tok_luis, NULL, NULL);
			no_secret(&r, luis_secrets, "the customer", m, path);
			buf_free(&r.body);
			/* A customer user of the same organization: only her
			 * own tickets, none of the organization's documents. */
			st = fx_http(&r, s, m, path, w->tok_marta, NULL, NULL);
			no_secret(&r, w->marta_secrets, "a customer user", m, path);
			/* The documents' numbers, unless the path itself names
			 * them (a 404 repeats what was asked) or it is the API's
			 * description, whose examples look alike. */
			for (int i = 0; strcmp(tmpl, "/api/v1/openapi.json") &&
					i < 3; i++) {
				const char *num = i == 0 ? w->contract : i == 1 ?
						  w->quote : w->invoice;

				if (strstr(path, num) == NULL && r.body.ptr &&
				    strstr(r.body.ptr, num))
					t_fail(__FILE__, __LINE__, "%s %s as a "
					       "customer user shows %s", m, path,
					       num);
			}
			if (st >= 200 && st < 300 && strchr(tmpl, '{') &&
			    strncmp(tmpl, "/api/v1/kb/", 11) != 0)
				t_fail(__FILE__, __LINE__, "%s %s as a customer "
				       "user: %ld", m, path, st);
			buf_free(&r.body);
			/* Every agent role reads without a crash. */
			for (int i = 0; i < 4; i++) {
				static const char *const none[] = { NULL };

				fx_http(&r, s, m, path, w->tok_agent[i], NULL, NULL);
				no_secret(&r, none, "an agent", m, path);
				buf_free(&r.body);
			}
		}
	}
	json_decref(doc);
	return asked;
}

/* The pages: what each role may open, and what it may not see. */
static void
walk_pages(struct fx_server *s, const struct world *w)
{
	char pages[][160] = {
		"/console", "/console/t/%s", "/console/new", "/console/kb/new",
		"/console/suggest?q=Zafiro+confidencial", "/kb",
		"/kb/escalamiento-interno", "/kb?q=escalamiento",
		"/console/contracts", "/console/contracts/%c",
		"/console/contracts/%c/certificate", "/console/reports",
		"/console/quotes",
	};
	struct fx_reply r;

	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		char path[4096], *p;

		snprintf(path, sizeof path, "%s", pages[i]);
		if ((p = strstr(path, "%s")) != NULL)
			snprintf(p, sizeof path - (size_t)(p - path), "%s", w->folio);
		if ((p = strstr(path, "%c")) != NULL) {
			char rest[160];

			snprintf(rest, sizeof rest, "%s", p + 2);
			snprintf(p, sizeof path - (size_t)(p - path), "%s%s",
				 w->contract, rest);
		}
		fx_form(&r, s, path, w->ck_sofia, NULL);
		no_secret(&r, ferre_secrets, "another customer", "GET", path);
		buf_free(&r.body);
		fx_form(&r, s, path, NULL, NULL);
		no_secret(&r, ferre_secrets, "anonymous", "GET", path);
		if (strncmp(path, "/console", 8) == 0 && r.status != 303)
			t_fail(__FILE__, __LINE__, "GET %s signed out: %ld, not "
			       "303 to /login", path, r.status);
		buf_free(&r.body);
		fx_form(&r, s, path, w->ck_luis, NULL);
		no_secret(&r, luis_secrets, "the customer", "GET", path);
		buf_free(&r.body);
	}
	/* A form of Ferretería's ticket posted by Clínica's customer with
	 * her own valid CSRF token: refused, and nothing added. */
	{
		char path[200], body[200];

		snprintf(path, sizeof path, "/console/t/%s/reply", w->folio);
		snprintf(body, sizeof body, "csrf=%s&body=intruso", w->csrf_sofia);
		fx_form(&r, s, path, w->ck_sofia, body);
		if (r.status < 400 || r.status >= 500)
			t_fail(__FILE__, __LINE__, "POST %s as another customer: "
			       "%ld", path, r.status);
		buf_free(&r.body);
		snprintf(path, sizeof path, "/console/t/%s", w->folio);
		fx_form(&r, s, path, w->ck_agent, NULL);
		CHECK(r.body.ptr && strstr(r.body.ptr, "intruso") == NULL);
		buf_free(&r.body);
		/* A customer user answers none of the organization's quotes
		 * (the organization's admin does): refused, still "sent". */
		snprintf(path, sizeof path, "/console/quotes/%s/approve", w->quote);
		snprintf(body, sizeof body, "csrf=%s", w->csrf_marta);
		fx_form(&r, s, path, w->ck_marta, body);
		if (r.status == 303 || r.status < 400)
			t_fail(__FILE__, __LINE__, "POST %s as a customer user: "
			       "%ld", path, r.status);
		buf_free(&r.body);
		snprintf(path, sizeof path, "/api/v1/quotes/%s", w->quote);
		fx_http(&r, s, "GET", path, w->tok_agent[0], NULL, NULL);
		CHECK_HAS(r.body.ptr, "\"state\":\"sent\"");
		buf_free(&r.body);
	}
}

static void
test_every_endpoint_by_every_role_priv2(void)
{
	struct fx_server s = { 0 };
	struct world w = { 0 };
	const char *db = fx_path("leak.db");
	char csrf[64];
	int asked;

	if (!build(db, &w) || !fx_serve_or_fail(&s, db))
		return;
	{
		const char *ms[] = { "Zafiro confidencial", "NOTA-INTERNA-SECRETA",
			"Escalamiento interno", "Ámbar reservado", NULL };

		memcpy(w.marta_secrets, ms, sizeof ms);
	}
	CHECK(fx_sign_in(&s, "email=luis%40ferreterialopez.mx&password="
			 FX_CUSTOMER_PASSWORD, w.ck_luis, csrf, "/console"));
	CHECK(fx_sign_in(&s, "email=sofia.navarro%40clinicasantafe.mx&password="
			 "clave-de-sofia-1", w.ck_sofia, w.csrf_sofia, "/console"));
	CHECK(fx_sign_in(&s, "email=compras%40ferreterialopez.mx&password="
			 "clave-de-marta-1", w.ck_marta, w.csrf_marta, "/console"));
	CHECK(fx_sign_in(&s, "email=ana.torres%40easi.example&password="
			 "contrase%C3%B1a-larga-1", w.ck_agent, csrf, "/console"));
	asked = walk_api(&s, &w);
	/* The document lists the ticket, knowledge-base and search paths
	 * at least: a walk over nothing proves nothing. */
	CHECK(asked >= 12);
	walk_pages(&s, &w);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test leak_tests[] = {
	{ "every_endpoint_by_every_role_priv2",
	  test_every_endpoint_by_every_role_priv2 },
	{ 0 },
};
