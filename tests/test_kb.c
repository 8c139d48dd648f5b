/* test_kb.c — the knowledge base (INT-7), full-text search, and the
 * duplicate check (INT-4): in app/, through the API and on the pages,
 * against a real database and a running server. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static const struct actor luis = { "contact", 1 }, sofia = { "contact", 2 };
static const struct actor anonymous = { "anonymous", 0 };

static bool
seed(struct app *app, int64_t now, struct actor *agent)
{
	struct sp_err err = { 0 };
	struct contact_input c = { "Ferretería López", "Luis", "López", NULL,
				   NULL, "luis@ferre.mx", NULL };
	struct contact_input c2 = { "Clínica Norte", "Sofía", "Navarro", NULL,
				    NULL, "sofia@clinica.mx", NULL };

	agent->kind = "agent";
	if (app_org_add(app, NULL, now, &app_system, "Ferretería López", NULL,
			&err) ||
	    app_org_add(app, NULL, now, &app_system, "Clínica Norte", NULL,
			&err) ||
	    app_contact_add(app, NULL, now, &app_system, &c, &err) ||
	    app_contact_add(app, NULL, now, &app_system, &c2, &err) ||
	    app_agent_add(app, &agent->id, now, &app_system, "Ana Torres",
			  "ana@prov.mx", "agent", &err)) {
		t_fail(__FILE__, __LINE__, "seed: %s", err.msg);
		return false;
	}
	return true;
}

static int
open_ticket(struct app *app, char folio[64], int64_t now, const char *who,
	    const char *subject)
{
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct sp_err err = { 0 };
	int rc;

	in.contact = who;
	in.channel = "email";
	in.category = "software";
	in.subject = subject;
	in.description = "Detalle del problema.";
	rc = app_ticket_open(app, &o, now, &app_system, &in, &err);
	if (rc)
		t_fail(__FILE__, __LINE__, "open: %s", err.msg);
	snprintf(folio, 64, "%s", o.folio);
	return rc;
}

static int
duplicate_flags(struct app *app, const char *folio, char of[64])
{
	struct ticket_view v;
	struct arena a;
	int n = 0;

	arena_init(&a, 0);
	of[0] = '\0';
	if (app_ticket_view(app, &a, &v, folio, NULL) == 0)
		for (size_t i = 0; i < v.nevents; i++)
			if (strcmp(v.events[i].action, "possible_duplicate") == 0) {
				const char *f = strstr(v.events[i].after, "[\"");

				n++;
				if (f)
					snprintf(of, 64, "%.*s",
						 (int)strcspn(f + 2, "\""), f + 2);
			}
	arena_free(&a);
	return n;
}

/* INT-7: agents write articles; customers and visitors read only the
 * public ones; versions guard edits; bad input names its field. */
static void
test_kb_articles_visibility_versions_int7(void)
{
	int64_t now = fx_at("2026-11-20T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct actor agent;
	struct sp_err err = { 0 };
	struct kb_row k, *ks;
	struct arena a;
	size_t n;
	struct kb_input pub = { "timbrado-cfdi", "es", "facturacion",
		"La factura no timbra", "Revise el **certificado** (CSD).",
		NULL, 0 };
	struct kb_input internal = { "guardia", "es", "procesos",
		"Guardia de fin de semana", "Solo agentes: el turno de guardia.",
		"internal", 0 };

	if (app == NULL || !seed(app, now, &agent))
		return;
	arena_init(&a, 0);
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, &k, now, &luis, &pub, &err), SP_EINVAL);
	CHECK_STR(err.field, "actor");
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, &k, now, &agent, &pub, &err), 0);
	CHECK_INT(k.version, 1);
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, NULL, now, &agent, &internal, &err), 0);
	/* The same slug and language again, as new: a conflict. */
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, NULL, now, &agent, &pub, &err), SP_ECONFLICT);
	/* An edit of version 1 moves it to 2; a second edit of 1 is stale. */
	pub.version = 1;
	pub.body = "Revise el certificado de sello digital y el PAC.";
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, &k, now + 60, &agent, &pub, &err), 0);
	CHECK_INT(k.version, 2);
	sp_err_clear(&err);
	CHECK_INT(app_kb_save(app, NULL, now + 60, &agent, &pub, &err),
		  SP_ECONFLICT);
	CHECK_STR(err.field, "version");
	/* Bad input: each error names its field. */
	{
		struct kb_input bad = pub;

		bad.version = 0;
		bad.slug = "Con Espacios";
		sp_err_clear(&err);
		CHECK_INT(app_kb_save(app, NULL, now, &agent, &bad, &err), SP_EINVAL);
		CHECK_STR(err.field, "slug");
		bad.slug = "ok";
		bad.lang = "fr";
		sp_err_clear(&err);
		CHECK_INT(app_kb_save(app, NULL, now, &agent, &bad, &err), SP_EINVAL);
		CHECK_STR(err.field, "lang");
		bad.lang = "es";
		bad.visibility = "secreto";
		sp_err_clear(&err);
		CHECK_INT(app_kb_save(app, NULL, now, &agent, &bad, &err), SP_EINVAL);
		CHECK_STR(err.field, "visibility");
		bad.visibility = NULL;
		bad.title = "";
		sp_err_clear(&err);
		CHECK_INT(app_kb_save(app, NULL, now, &agent, &bad, &err), SP_EINVAL);
		CHECK_STR(err.field, "title");
		bad.title = "x";
		bad.body = "\xff\xfe";
		sp_err_clear(&err);
		CHECK_INT(app_kb_save(app, NULL, now, &agent, &bad, &err), SP_EINVAL);
		CHECK_STR(err.field, "body");
	}
	/* Who reads what. */
	CHECK_INT(app_kb_get(app, &a, &k, &anonymous, "guardia", NULL, &err),
		  SP_ENOTFOUND);
	CHECK_INT(app_kb_get(app, &a, &k, &luis, "guardia", NULL, &err),
		  SP_ENOTFOUND);
	CHECK_INT(app_kb_get(app, &a, &k, &agent, "guardia", NULL, &err), 0);
	CHECK_INT(app_kb_list(app, &a, &ks, &n, &luis, NULL, NULL, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(app_kb_list(app, &a, &ks, &n, &agent, NULL, NULL, &err), 0);
	CHECK_INT(n, 2);
	/* Search: accents folded, a stem finds its inflections, the edited
	 * text is what is indexed, internal articles stay internal. */
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &anonymous, "facturación "
				"TIMBRADO", NULL, false, 10, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &anonymous, "CSD", NULL,
				false, 10, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &anonymous, "sello", NULL,
				false, 10, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &luis, "guardia", NULL,
				false, 10, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &agent, "guardia", NULL,
				false, 10, &err), 0);
	CHECK_INT(n, 1);
	/* FTS syntax typed by a person is only words. */
	CHECK_INT(app_kb_search(app, &a, &ks, &n, &anonymous, "\"timbra* OR "
				"NEAR(( -", NULL, false, 10, &err), 0);
	arena_free(&a);
	app_close(app);
}

/* INT-4: a new ticket on the topic of one of the same customer's active
 * tickets is flagged; another organization's, a closed one or another
 * topic is not. PRIV-2: a customer's search finds neither another
 * organization's tickets nor internal notes. */
static void
test_duplicates_flagged_and_search_private_int4(void)
{
	int64_t now = fx_at("2026-11-20T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct actor agent;
	struct sp_err err = { 0 };
	struct ticket_row *t;
	struct arena a;
	size_t n;
	char f1[64], f2[64], f3[64], f4[64], f5[64], of[64];

	if (app == NULL || !seed(app, now, &agent))
		return;
	arena_init(&a, 0);
	CHECK_INT(open_ticket(app, f1, now, "luis@ferre.mx",
			      "No timbra la factura"), 0);
	CHECK_INT(open_ticket(app, f2, now + 600, "luis@ferre.mx",
			      "URGENTE: error al timbrar facturas"), 0);
	CHECK_INT(duplicate_flags(app, f2, of), 1);
	CHECK_STR(of, f1);
	CHECK_INT(duplicate_flags(app, f1, of), 0);
	/* Another organization on the same topic: not theirs. */
	CHECK_INT(open_ticket(app, f3, now + 700, "sofia@clinica.mx",
			      "No timbra la factura"), 0);
	CHECK_INT(duplicate_flags(app, f3, of), 0);
	/* Another topic. */
	CHECK_INT(open_ticket(app, f4, now + 800, "luis@ferre.mx",
			      "La impresora no imprime"), 0);
	CHECK_INT(duplicate_flags(app, f4, of), 0);
	/* Closed tickets are not duplicates of new ones. */
	CHECK_INT(app_ticket_act(app, now + 900, &agent, f1, TA_CLOSE,
				 &(struct transition_args){ .reason = "listo" },
				 &err), 0);
	CHECK_INT(app_ticket_act(app, now + 900, &agent, f2, TA_CLOSE,
				 &(struct transition_args){ .reason = "listo" },
				 &err), 0);
	CHECK_INT(open_ticket(app, f5, now + 1000, "luis@ferre.mx",
			      "No timbra la factura"), 0);
	CHECK_INT(duplicate_flags(app, f5, of), 0);
	/* Search: an internal note's words are found by agents only. */
	CHECK_INT(app_ticket_reply(app, now + 1100, &agent, f4, "tóner "
				   "magenta agotado", true, &err), 0);
	CHECK_INT(app_ticket_search(app, &a, &t, &n, &agent, "toner magenta",
				    10, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(app_ticket_search(app, &a, &t, &n, &luis, "toner magenta",
				    10, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(app_ticket_search(app, &a, &t, &n, &luis, "timbra", 10,
				    &err), 0);
	CHECK_INT(n, 3);
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(t[i].folio, f3) != 0);
	CHECK_INT(app_ticket_search(app, &a, &t, &n, &sofia, "timbra", 10,
				    &err), 0);
	CHECK_INT(n, 1);
	CHECK_STR(n ? t[0].folio : "", f3);
	/* The check remembers the topics it read (f4's, just now); a
	 * subject changed since is read anew. */
	{
		struct ticket_row t4, *same;
		size_t ns = 0;
		bool has4 = false;

		CHECK_INT(store_ticket_find(app->store, &a, &t4,
					    app->provider_id, f4, NULL), 0);
		t4.subject = "Error al timbrar la factura";
		CHECK_INT(store_ticket_update(app->store, &t4, NULL), 0);
		CHECK_INT(app_ticket_similar(app, &a, &same, &ns, now + 1000,
					     t4.organization_id, t4.contact_id,
					     "No timbra la factura", 0, &err), 0);
		for (size_t i = 0; i < ns; i++)
			has4 = has4 || strcmp(same[i].folio, f4) == 0;
		CHECK(has4);
	}
	arena_free(&a);
	app_close(app);
}

/* ---- over HTTP ------------------------------------------------------ */

static void
kb_http_scenario(struct fx_server *s, const char *agent, const char *customer,
		 const char *other)
{
	struct fx_reply r;
	char etag[64], cookie[80], csrf[64];
	json_t *j;

	/* Public pages, before signing in (INT-7): the demo's public
	 * article is there, its internal one is not. */
	CHECK_INT(fx_form(&r, s, "/kb", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "timbrado-cfdi");
	CHECK(strstr(r.body.ptr, "escalamiento-interno") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/kb?q=facturaci%C3%B3n+PAC", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "La factura no timbra");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/kb/timbrado-cfdi", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "<strong>no timbra</strong>");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/kb/escalamiento-interno", NULL, NULL), 404);
	buf_free(&r.body);
	/* The browser's language until someone signs in: English pages
	 * from po/en.po; Spanish otherwise. */
	CHECK_INT(fx_http(&r, s, "GET", "/kb", NULL, NULL,
			  "Accept-Language: en-US,en;q=0.9"), 200);
	CHECK_HAS(r.body.ptr, "<html lang=\"en\">");
	CHECK_HAS(r.body.ptr, "<h1>Knowledge base</h1>");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/login", NULL, NULL,
			  "Accept-Language: es-MX"), 200);
	CHECK_HAS(r.body.ptr, "<h1>Entrar</h1>");
	buf_free(&r.body);
	/* The script the new-ticket form loads is served, as JavaScript. */
	CHECK_INT(fx_form(&r, s, "/static/suggest.js", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "/console/suggest?q=");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/static/nope.js", NULL, NULL), 404);
	buf_free(&r.body);

	/* The API: a customer may not write; an agent may. XSS stays text. */
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/kb", customer, "{\"slug\": "
			  "\"x\", \"title\": \"x\", \"body\": \"x\"}", NULL), 403);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/kb", agent, "{\"slug\": "
			  "\"xss\", \"title\": \"<script>alert(1)</script>\", "
			  "\"body\": \"<img src=x onerror=alert(1)> [a]"
			  "(javascript:alert(1))\"}", NULL), 201);
	CHECK_STR(r.etag, "\"v1\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/kb", agent, "{\"slug\": "
			  "\"Mal Slug\", \"title\": \"x\", \"body\": \"x\"}",
			  NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"slug\"");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/kb/xss", NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_HAS(r.body.ptr, "&lt;img src=x onerror=alert(1)&gt;");
	CHECK(strstr(r.body.ptr, "<script>alert") == NULL);
	CHECK(strstr(r.body.ptr, "javascript:") == NULL);
	buf_free(&r.body);
	/* Edits need If-Match: none is 428, a stale one 409. */
	CHECK_INT(fx_http(&r, s, "PUT", "/api/v1/kb/xss", agent, "{\"title\": "
			  "\"Seguro\", \"body\": \"texto\"}", NULL), 428);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "PUT", "/api/v1/kb/xss", agent, "{\"title\": "
			  "\"Seguro\", \"body\": \"texto\"}", "If-Match: \"v1\""),
		  200);
	snprintf(etag, sizeof etag, "%s", r.etag);
	CHECK_STR(etag, "\"v2\"");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "PUT", "/api/v1/kb/xss", agent, "{\"title\": "
			  "\"Otra\", \"body\": \"texto\"}", "If-Match: \"v1\""),
		  409);
	buf_free(&r.body);
	/* Customers list public articles only. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/kb", customer, NULL, NULL), 200);
	CHECK(strstr(r.body.ptr, "escalamiento-interno") == NULL);
	CHECK_HAS(r.body.ptr, "\"excerpt\":");
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/kb/escalamiento-interno",
			  customer, NULL, NULL), 404);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/kb/escalamiento-interno",
			  agent, NULL, NULL), 200);
	buf_free(&r.body);
	/* Search (PRIV-2): the other customer finds none of Ferretería
	 * López's tickets; the agent finds them. */
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/search?q=factura", agent,
			  NULL, NULL), 200);
	j = fx_json(&r);
	CHECK(json_array_size(json_object_get(j, "tickets")) > 0);
	CHECK(json_array_size(json_object_get(j, "articles")) > 0);
	json_decref(j);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/search?q=timbrar", other,
			  NULL, NULL), 200);
	CHECK(strstr(r.body.ptr, "Ferreter") == NULL);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/search", agent, NULL, NULL), 422);
	CHECK_HAS(r.body.ptr, "\"field\":\"q\"");
	buf_free(&r.body);
	/* A ticket is found as soon as its create has answered, subject
	 * and description, though its commit left it out of the index
	 * (a few rows wait for a search or for a larger tail). */
	CHECK_INT(fx_http(&r, s, "POST", "/api/v1/tickets", agent,
			  "{\"contact\": \"luis@ferreterialopez.mx\", "
			  "\"channel\": \"email\", \"subject\": \"Cajón "
			  "zafiro atorado\", \"description\": \"Luz ámbar "
			  "parpadea\", \"files\": [{\"filename\": \"e.png\", "
			  "\"mime\": \"image/png\", \"data_base64\": "
			  "\"iVBORw0KGgo=\"}]}", NULL), 201);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/search?q=zafiro", agent,
			  NULL, NULL), 200);
	j = fx_json(&r);
	CHECK_INT(json_array_size(json_object_get(j, "tickets")), 1);
	json_decref(j);
	buf_free(&r.body);
	CHECK_INT(fx_http(&r, s, "GET", "/api/v1/search?q=ambar+parpadea",
			  agent, NULL, NULL), 200);
	CHECK_HAS(r.body.ptr, "zafiro");
	buf_free(&r.body);

	/* An agent edits in the console; the page shows the new text. */
	CHECK(fx_sign_in(s, "email=ana.torres%40intecnia.example&password="
			 "contrase%C3%B1a-larga-1", cookie, csrf,
			 "/console/kb/new"));
	{
		char body[400];

		snprintf(body, sizeof body, "csrf=%s&version=0&slug=vpn&lang=es&"
			 "category=redes&title=Conectar+la+VPN&body=Use+"
			 "**WireGuard**.", csrf);
		CHECK_INT(fx_form(&r, s, "/console/kb/save", cookie, body), 303);
		buf_free(&r.body);
		snprintf(body, sizeof body, "csrf=%s&version=1x&slug=vpn&lang=es&"
			 "title=x&body=x", csrf);
		CHECK_INT(fx_form(&r, s, "/console/kb/save", cookie, body), 422);
		CHECK_HAS(r.body.ptr, "no es un número");
		buf_free(&r.body);
		snprintf(body, sizeof body, "version=0&slug=vpn2&lang=es&"
			 "title=x&body=x");
		CHECK_INT(fx_form(&r, s, "/console/kb/save", cookie, body), 403);
		buf_free(&r.body);
	}
	CHECK_INT(fx_form(&r, s, "/kb/vpn", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "<strong>WireGuard</strong>");
	CHECK_HAS(r.body.ptr, "/console/kb/edit/vpn");
	buf_free(&r.body);
	/* The person's language, once signed in: Ana switches to English
	 * and her console follows, whatever the browser says. */
	{
		struct fx_run run;

		CHECK_INT(fx_cli(&run, NULL, "--db", fx_path("kb.db"), "agent",
				 "set", "ana.torres@intecnia.example", "--lang",
				 "en", NULL), 0);
		fx_run_free(&run);
	}
	CHECK_INT(fx_form(&r, s, "/kb/vpn", cookie, NULL), 200);
	CHECK_HAS(r.body.ptr, ">Queue</a>");
	CHECK_HAS(r.body.ptr, ">Edit</a>");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, s, "/kb/vpn2", cookie, NULL), 404);
	buf_free(&r.body);
}

static void
test_kb_api_and_pages_int7(void)
{
	struct fx_server s = { 0 };
	char agent[80], customer[80], other[80];
	const char *db = fx_path("kb.db");

	CHECK(fx_demo_tokens(db, agent, customer, other));
	CHECK(fx_demo_passwords(db, "intecnia"));
	if (!fx_serve_or_fail(&s, db))
		return;
	kb_http_scenario(&s, agent, customer, other);
	CHECK_INT(fx_serve_stop(&s), 0);
}

/* INT-4 and INT-7 in the portal: suggestions while typing, then a
 * likely duplicate held back until the customer says it is another
 * topic; the agent sees the flag and merges. */
static void
portal_duplicate_scenario(struct fx_server *s)
{
	struct fx_reply r;
	char cookie[80], csrf[64], acookie[80], acsrf[64], path[160];
	char first[64] = "", second[64] = "";
	const char *p;

	CHECK(fx_sign_in(s, "email=luis%40ferreterialopez.mx&password=clave-"
			 "del-cliente-1", cookie, csrf, "/console/new"));
	{
		const char *fields[] = { "csrf", csrf, "subject", "No timbra "
			"la factura", "description", "Error 301 al timbrar",
			"category", "soporte", NULL };

		CHECK_INT(fx_multipart(&r, s, "/console/new", cookie, fields,
				       NULL, 0, NULL), 303);
		p = strstr(r.body.ptr, "EASI-");
		snprintf(first, sizeof first, "%.14s", p ? p : "");
		buf_free(&r.body);
	}
	/* While typing: the article and the open ticket on that topic. */
	CHECK_INT(fx_form(&r, s, "/console/suggest?q=timbrar+facturas", cookie,
			  NULL), 200);
	CHECK_HAS(r.body.ptr, "timbrado-cfdi");
	CHECK_HAS(r.body.ptr, first);
	buf_free(&r.body);
	{
		const char *again[] = { "csrf", csrf, "subject", "Error al "
			"timbrar facturas", "description", "Sigue sin timbrar",
			"category", "soporte", NULL };
		const char *distinct[] = { "csrf", csrf, "subject", "Error al "
			"timbrar facturas", "description", "Otra sucursal",
			"category", "soporte", "not_duplicate", "1", NULL };

		CHECK_INT(fx_multipart(&r, s, "/console/new", cookie, again, NULL,
				       0, NULL), 422);
		CHECK_HAS(r.body.ptr, "id=\"duplicates\"");
		CHECK_HAS(r.body.ptr, first);
		CHECK_HAS(r.body.ptr, "Sigue sin timbrar</textarea>");
		buf_free(&r.body);
		CHECK_INT(fx_multipart(&r, s, "/console/new", cookie, distinct,
				       NULL, 0, NULL), 303);
		p = strstr(r.body.ptr, "EASI-");
		snprintf(second, sizeof second, "%.14s", p ? p : "");
		buf_free(&r.body);
	}
	CHECK(strcmp(first, second) != 0);
	/* The customer never sees the flag; the agent does, and merges. */
	snprintf(path, sizeof path, "/console/t/%s", second);
	CHECK_INT(fx_form(&r, s, path, cookie, NULL), 200);
	CHECK(strstr(r.body.ptr, "Posible duplicado") == NULL);
	buf_free(&r.body);
	CHECK(fx_sign_in(s, "email=ana.torres%40easi.example&password=contra"
			 "se%C3%B1a-larga-1", acookie, acsrf, path));
	CHECK_INT(fx_form(&r, s, path, acookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "Posible duplicado de");
	CHECK_HAS(r.body.ptr, first);
	buf_free(&r.body);
	{
		char body[200], act[200];

		snprintf(act, sizeof act, "%s/act", path);
		snprintf(body, sizeof body, "csrf=%s&action=merge&into=%s", csrf,
			 first);
		CHECK_INT(fx_form(&r, s, act, cookie, body), 422);
		buf_free(&r.body);
		snprintf(body, sizeof body, "csrf=%s&action=merge&into=%s", acsrf,
			 first);
		CHECK_INT(fx_form(&r, s, act, acookie, body), 303);
		buf_free(&r.body);
	}
	CHECK_INT(fx_form(&r, s, path, acookie, NULL), 200);
	CHECK_HAS(r.body.ptr, "merged");
	CHECK(strstr(r.body.ptr, "Posible duplicado") == NULL);
	buf_free(&r.body);
}

static void
test_portal_suggestions_and_duplicate_int4(void)
{
	struct fx_server s = { 0 };
	const char *db = fx_path("dup.db");
	struct fx_run r;

	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(),
			 "demo", "--pack", "easi", NULL), 0);
	fx_run_free(&r);
	CHECK(fx_demo_passwords(db, "easi"));
	if (!fx_serve_or_fail(&s, db))
		return;
	portal_duplicate_scenario(&s);
	CHECK_INT(fx_serve_stop(&s), 0);
}

const struct test kb_tests[] = {
	{ "kb_articles_visibility_versions_int7",
	  test_kb_articles_visibility_versions_int7 },
	{ "duplicates_flagged_and_search_private_int4",
	  test_duplicates_flagged_and_search_private_int4 },
	{ "kb_api_and_pages_int7", test_kb_api_and_pages_int7 },
	{ "portal_suggestions_and_duplicate_int4",
	  test_portal_suggestions_and_duplicate_int4 },
	{ 0 },
};
