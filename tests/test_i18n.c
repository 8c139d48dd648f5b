/* test_i18n.c — the pages in each person's language: a signed-in
 * person's language (contacts.lang, agents.lang) chooses the words and
 * the way dates are written, on one server at once, whatever the
 * browser says. Spanish is the default. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct i18n_site {
	struct fx_server s;
	const char *db;
	char folio[64];          /* the first ticket in Luis's list */
	char resolved[128];      /* the page of the second, resolved */
	char contract[64];       /* Ferretería López's paid póliza */
	char acookie[80], acsrf[64];
	char ccookie[80], ccsrf[64];
};

/* page, and every needle found in it (NULL ends the list); a missing
 * one fails with the line of the call. */
static bool
page_has(struct i18n_site *w, const char *path, const char *cookie,
	 const char *const *needles, const char *const *absent, int line)
{
	struct fx_reply r;
	bool ok = true;

	if (fx_form(&r, &w->s, path, cookie, NULL) != 200) {
		t_fail(__FILE__, line, "%s: %ld", path, r.status);
		buf_free(&r.body);
		return false;
	}
	for (size_t i = 0; needles && needles[i]; i++)
		if (strstr(r.body.ptr, needles[i]) == NULL) {
			t_fail(__FILE__, line, "%s: no \"%s\"", path, needles[i]);
			ok = false;
		}
	for (size_t i = 0; absent && absent[i]; i++)
		if (strstr(r.body.ptr, absent[i]) != NULL) {
			t_fail(__FILE__, line, "%s: \"%s\" should not be there",
			       path, absent[i]);
			ok = false;
		}
	buf_free(&r.body);
	return ok;
}

#define HAS(w, path, cookie, ...) \
	page_has(w, path, cookie, (const char *const[]){ __VA_ARGS__, NULL }, \
		 NULL, __LINE__)
#define HAS_NOT(w, path, cookie, yes, no) \
	page_has(w, path, cookie, yes, no, __LINE__)

static bool
set_lang(struct i18n_site *w, const char *kind, const char *email,
	 const char *lang)
{
	struct fx_run r;
	bool ok = fx_cli(&r, NULL, "--db", w->db, kind, "set", email, "--lang",
			 lang, NULL) == 0;

	fx_run_free(&r);
	return ok;
}

/* The EASI demo (it takes requests on the web), with a paid póliza of
 * Ferretería López's that began a week ago. */
static bool
i18n_setup(struct i18n_site *w, const char *db)
{
	struct fx_run r;
	char starts[16];
	time_t week_ago = time(NULL) - 7 * 86400;
	struct tm tm;
	const char *p;
	bool ok;

	memset(w, 0, sizeof *w);
	w->db = db;
	gmtime_r(&week_ago, &tm);
	strftime(starts, sizeof starts, "%Y-%m-%d", &tm);
	ok = fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(), "demo",
		    "--pack", "easi", NULL) == 0;
	fx_run_free(&r);
	if (!ok || !fx_demo_passwords(db, "easi"))
		return false;
	ok = fx_cli(&r, NULL, "--db", db, "contract", "add", "--org",
		    "Ferretería López", "--plan", "poliza", "--hours", "10",
		    "--starts", starts, NULL) == 0 &&
	     (p = strstr(r.out.ptr, "contract ")) != NULL &&
	     sscanf(p, "contract %63s", w->contract) == 1;
	fx_run_free(&r);
	ok = ok && fx_cli(&r, NULL, "--db", db, "contract", "pay", w->contract,
			  "--ref", "SPEI 1", NULL) == 0;
	fx_run_free(&r);
	if (!ok)
		t_fail(__FILE__, __LINE__, "could not add the demo's contract");
	return ok;
}

static bool
sign_in_both(struct i18n_site *w)
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
	/* Luis's first ticket as it is; his second resolved, for the
	 * buttons a customer has then. */
	fx_form(&r, &w->s, "/console", w->ccookie, NULL);
	p = strstr(r.body.ptr, "/console/t/");
	if (p)
		sscanf(p + 11, "%63[^\"]", w->folio);
	p = p ? strstr(p + 1, "/console/t/") : NULL;
	if (p)
		sscanf(p, "%127[^\"]", w->resolved);
	buf_free(&r.body);
	if (w->folio[0] == '\0' || w->resolved[0] == '\0') {
		t_fail(__FILE__, __LINE__, "not two tickets in Luis's list");
		return false;
	}
	{
		struct fx_run run;
		bool ok = fx_cli(&run, NULL, "--db", w->db, "--as",
				 "agent:ana.torres@easi.example", "ticket",
				 "resolve", w->resolved + 11, "--reason",
				 "Listo", NULL) == 0;

		fx_run_free(&run);
		if (!ok)
			t_fail(__FILE__, __LINE__, "could not resolve %s",
			       w->resolved);
		return ok;
	}
}

/* An instant as each language writes it: 23/11/2026 15:05, or
 * Nov 23, 2026, 3:05 PM. */
static bool
has_english_time(const char *s)
{
	return strstr(s, ", 20") && (strstr(s, " AM") || strstr(s, " PM"));
}

static bool
has_spanish_time(const char *s)
{
	for (const char *p = strchr(s, '/'); p; p = strchr(p + 1, '/'))
		if (p - s >= 2 && p[3] == '/' && p[4] == '2' && p[5] == '0' &&
		    p[8] == ' ' && p[11] == ':')
			return true;
	return false;
}

static void
check_ticket_times(struct i18n_site *w, const char *cookie, bool english)
{
	struct fx_reply r;
	char path[128];

	snprintf(path, sizeof path, "/console/t/%s", w->folio);
	CHECK_INT(fx_form(&r, &w->s, path, cookie, NULL), 200);
	CHECK(english ? has_english_time(r.body.ptr) :
	      has_spanish_time(r.body.ptr));
	CHECK(english ? !has_spanish_time(r.body.ptr) :
	      !has_english_time(r.body.ptr));
	buf_free(&r.body);
}

static void
spanish_agent(struct i18n_site *w, const char *ticket)
{
	HAS(w, "/console", w->acookie, "<html lang=\"es\">", "<h1>Cola</h1>",
	    "orden del nivel de servicio", "<th>Prioridad</th>");
	HAS(w, ticket, w->acookie, "Primera respuesta", "<h2>Responder</h2>",
	    "Nota interna</label>", "<h2>Registrar atención</h2>",
	    "<option value=\"onsite_local\">en sitio (local)</option>",
	    "<button>Resolver</button>", " · prioridad ", " · asignado a ");
	check_ticket_times(w, w->acookie, false);
	HAS(w, "/console/reports", w->acookie, "<h1>Informes</h1>",
	    "Cumplimiento del SLA por prioridad y mes (REP-1)",
	    "Horas por contrato (REP-2)", "<th scope=\"col\">Cumplidos</th>");
}

static void
english_agent(struct i18n_site *w, const char *ticket)
{
	static const char *const queue[] = { "<html lang=\"en\">",
		"<h1>Queue</h1>", "active tickets, in service-level order "
		"(SLA-4).", "<th>Priority</th>", "<th>Time left</th>", NULL };
	static const char *const not_queue[] = { "<h1>Cola</h1>",
		"<th>Prioridad</th>", NULL };
	static const char *const page[] = { "First response: ",
		"<h2>Reply</h2>", "Internal note</label>", "<button>Send</button>",
		"<h2>Log a service</h2>", "<label>Minutes <input",
		"<option value=\"onsite_local\">on site (local)</option>",
		"<button>Resolve</button>", " · priority ", " · assigned to ",
		"<h2>Quotes and estimates</h2>", NULL };
	static const char *const not_page[] = { "<h2>Responder</h2>",
		"<button>Enviar</button>", "<button>Resolver</button>",
		"Primera respuesta: ", " · prioridad ", "Registrar atención",
		NULL };
	static const char *const reports[] = { "<h1>Reports</h1>",
		"SLA compliance by priority and month (REP-1)",
		"Hours per contract (REP-2)", "<th scope=\"col\">Met</th>",
		"<th scope=\"col\">Breached</th>", "First response: SLA "
		"compliance by priority and month", ">Available</text>", NULL };
	static const char *const not_reports[] = { "<h1>Informes</h1>",
		"Cumplidos", "Disponibles", "Horas por contrato", NULL };
	struct fx_reply r;
	char path[256], body[200];

	HAS_NOT(w, "/console", w->acookie, queue, not_queue);
	HAS_NOT(w, ticket, w->acookie, page, not_page);
	check_ticket_times(w, w->acookie, true);
	HAS_NOT(w, "/console/reports", w->acookie, reports, not_reports);
	HAS(w, "/console/contracts", w->acookie, "<h1>Contracts</h1>",
	    "<th>Customer</th>", "Ferretería López");
	/* The live preview's sentence (web/attend.js shows it as is). */
	snprintf(path, sizeof path, "%s/preview?minutes=30&modality=onsite_local",
		 ticket);
	HAS(w, path, w->acookie, "\"summary\":\"Would debit ", "on site counts");
	/* A form without its token: refused in the person's words. */
	snprintf(path, sizeof path, "%s/reply", ticket);
	snprintf(body, sizeof body, "body=hola");
	CHECK_INT(fx_form(&r, &w->s, path, w->acookie, body), 403);
	CHECK_HAS(r.body.ptr, "This form has expired");
	buf_free(&r.body);
	/* An action refused: the page's frame in English too. */
	snprintf(path, sizeof path, "%s/act", ticket);
	snprintf(body, sizeof body, "csrf=%s&action=frobnicate", w->acsrf);
	CHECK_INT(fx_form(&r, &w->s, path, w->acookie, body), 422);
	CHECK_HAS(r.body.ptr, "<title>That did not work");
	CHECK_HAS(r.body.ptr, ">Back</a>");
	buf_free(&r.body);
}

static void
spanish_customer(struct i18n_site *w, const char *ticket)
{
	char cert[128];

	HAS(w, "/console", w->ccookie, "<h1>Mis tickets</h1>",
	    "Levantar un ticket", "<th>Asunto</th>");
	HAS(w, "/console/new", w->ccookie, "<label>Asunto<br>",
	    "<label>Descripción<br>", "Pasos para reproducir el error",
	    "data-articles=\"Artículos que pueden resolverlo (INT-7):\"",
	    "<button>Enviar</button>");
	HAS(w, ticket, w->ccookie, "<h2>Responder</h2>");
	HAS(w, w->resolved, w->ccookie, "<button>Confirmar solución</button>",
	    "<button>Reabrir</button>");
	check_ticket_times(w, w->ccookie, false);
	HAS(w, "/console/contracts", w->ccookie, "<h1>Pólizas</h1>", "vigente",
	    " de 20", "Certificado</a>");
	snprintf(cert, sizeof cert, "/console/contracts/%s/certificate",
		 w->contract);
	HAS(w, cert, w->ccookie, "Certificado de póliza de soporte técnico",
	    "<tr><th>Vigencia</th><td>del ");
}

static void
english_customer(struct i18n_site *w, const char *ticket)
{
	static const char *const mine[] = { "<h1>My tickets</h1>",
		">Open a ticket</a>", "<th>Subject</th>", NULL };
	static const char *const form[] = { "<label>Subject<br>",
		"<label>Category<br>", "<label>Priority<br>",
		"<label>Description<br>", "Steps to reproduce the error",
		"<label>Module<br>", "Operating system version",
		"Screenshots (PNG or JPG) — required",
		"data-articles=\"Articles that may solve it (INT-7):\"",
		"<button>Send</button>", NULL };
	static const char *const not_form[] = { "<label>Asunto",
		"<label>Descripción", "Pasos para reproducir", "<label>Capturas",
		"<button>Enviar</button>", NULL };
	static const char *const contracts[] = { "<h1>Contracts</h1>",
		"<th>Term</th>", "<th>Available</th>", ">active<", "from ",
		"Certificate</a>", NULL };
	static const char *const not_contracts[] = { "<h1>Pólizas</h1>",
		">vigente<", " de 20", NULL };
	char path[128];

	HAS(w, "/console", w->ccookie, mine[0], mine[1], mine[2]);
	HAS_NOT(w, "/console/new", w->ccookie, form, not_form);
	HAS(w, ticket, w->ccookie, "<h2>Reply</h2>");
	HAS(w, w->resolved, w->ccookie, "<button>Confirm solution</button>",
	    "<button>Reopen</button>");
	check_ticket_times(w, w->ccookie, true);
	HAS_NOT(w, "/console/contracts", w->ccookie, contracts, not_contracts);
	snprintf(path, sizeof path, "/console/contracts/%s", w->contract);
	HAS(w, path, w->ccookie, "<h1>Contract ", "<h2>Transactions</h2>",
	    "Usage reports (BILL-9)", "hours purchased");
	snprintf(path, sizeof path, "/console/contracts/%s/certificate",
		 w->contract);
	HAS(w, path, w->ccookie, "Technical support contract certificate",
	    "<tr><th>Term</th><td>from ", "Authorized signature");
	HAS(w, "/console/quotes", w->ccookie, "<h1>Quotes and estimates</h1>",
	    "Nothing pending.");
}

/* Ana (agent) and Luis (customer) in Spanish, the default; then Ana in
 * English while Luis stays in Spanish on the same server; then Luis in
 * English too. Their sessions follow the change at once. */
static void
languages_scenario(struct i18n_site *w)
{
	char ticket[128];

	if (!sign_in_both(w))
		return;
	snprintf(ticket, sizeof ticket, "/console/t/%s", w->folio);
	spanish_agent(w, ticket);
	spanish_customer(w, ticket);

	CHECK(set_lang(w, "agent", "ana.torres@easi.example", "en"));
	english_agent(w, ticket);
	spanish_customer(w, ticket);

	CHECK(set_lang(w, "contact", "luis@ferreterialopez.mx", "en"));
	english_customer(w, ticket);

	/* And back: Spanish again for Ana. */
	CHECK(set_lang(w, "agent", "ana.torres@easi.example", "es"));
	spanish_agent(w, ticket);
}

static void
test_pages_in_each_persons_language(void)
{
	struct i18n_site w;

	if (!i18n_setup(&w, fx_path("i18n.db")) || !fx_serve_or_fail(&w.s, w.db))
		return;
	languages_scenario(&w);
	CHECK_INT(fx_serve_stop(&w.s), 0);
}

const struct test i18n_tests[] = {
	{ "pages_in_each_persons_language", test_pages_in_each_persons_language },
	{ 0 },
};
