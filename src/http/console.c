/* console.c — the web pages: the agents' console (the queue in SLA
 * order, the ticket with its thread, clocks and actions) and the
 * customers' portal (their tickets, replies, confirming or reopening).
 * HTML from C: every value goes through util/html.h at the point of
 * output; every form carries the session's CSRF token. */
#include "http.h"
#include "pages.h"
#include "portal.h"

#include "../util/html.h"
#include "../util/i18n.h"
#include "../util/str.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static const char style[] =
	"body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;"
	"background:#f4f6f9}header{background:#1f3b57;color:#fff;padding:.6em 1.2em;"
	"display:flex;gap:1em;align-items:center}header a{color:#fff}"
	"header form{margin-left:auto}main{padding:1em 1.2em;max-width:70em}"
	"table{border-collapse:collapse;width:100%;background:#fff}"
	"th,td{text-align:left;padding:.45em .6em;border-bottom:1px solid #e3e7ee}"
	"tr.breached td:first-child{border-left:5px solid #c62828}"
	"tr.warning td:first-child{border-left:5px solid #f9a825}"
	"tr.ok td:first-child{border-left:5px solid #2e7d32}"
	".msg{background:#fff;border:1px solid #e3e7ee;border-radius:6px;"
	"padding:.6em .8em;margin:.6em 0;white-space:pre-wrap}"
	".internal{background:#fff8e1}.system{background:#eef3f8}"
	".meta{color:#5a6575;font-size:.85em}.clock{display:inline-block;"
	"background:#fff;border:1px solid #e3e7ee;border-radius:6px;padding:.3em .6em;"
	"margin-right:.5em}textarea{width:100%;min-height:6em}"
	"button{padding:.4em .9em}.err{color:#c62828}"
	"input{padding:.35em}form.inline{display:inline}"
	".shot{margin:.6em 0}.shot img{display:block;max-width:100%;"
	"max-height:32em;border:1px solid #e3e7ee;background:#fff}"
	"dl.fields{display:grid;grid-template-columns:max-content 1fr;"
	"gap:.2em 1em;background:#fff;border:1px solid #e3e7ee;border-radius:6px;"
	"padding:.6em .8em}dl.fields dt{color:#5a6575}"
	"dl.fields dd{margin:0;white-space:pre-wrap}";

void
page_send(struct http_res *out, int status, struct buf *body)
{
	out->status = status;
	out->type = "text/html; charset=utf-8";
	out->body = buf_detach(body, &out->len);
}

void
page_head(struct buf *b, struct http_req *r, struct app *app,
	  const char *title, const struct login *who)
{
	const char *l = r->lang;

	html_printf(b, "<!doctype html><html lang=\"%s\"><head><meta "
		    "charset=\"utf-8\"><meta name=\"viewport\" content=\""
		    "width=device-width\"><link rel=\"icon\" type=\"image/svg+xml\" "
		    "href=\"/static/favicon.svg\"><title>%s — %s</title><style>", l,
		    title, app->policy->provider.short_name);
	buf_adds(b, style);
	html_printf(b, "</style></head><body><header><strong>%s</strong>",
		    app->policy->provider.short_name);
	html_printf(b, "<a href=\"/kb\">%s</a>", T(l, "Ayuda"));
	if (who) {
		html_printf(b, "<a href=\"/console\">%s</a>",
			    strcmp(who->who.kind, "agent") == 0 ? T(l, "Cola") :
			    T(l, "Mis tickets"));
		if (strcmp(who->who.kind, "agent") == 0)
			html_printf(b, "<a href=\"/console/reports\">%s</a>",
				    T(l, "Informes"));
		portal_header_links(b, l, who);
		html_printf(b, "<form method=\"post\" action=\"/logout\">"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			    "<button>%s</button></form>", who->csrf,
			    T(l, "Salir"));
	}
	buf_adds(b, "</header><main>");
}

void
page_redirect(struct http_res *out, const char *to)
{
	out->status = 303;
	snprintf(out->location, sizeof out->location, "%s", to);
	out->body = strdup("");
	out->type = "text/html; charset=utf-8";
}

/* Login CSRF: before there is a session, the sign-in form carries a
 * random token that is also in a short-lived SameSite=Strict cookie for
 * /login alone; a post whose two do not match is refused, so a page
 * elsewhere cannot sign a browser in to an account of its choosing. */
#define LOGIN_COOKIE "sp_login"
#define LOGIN_TOKEN_BYTES 24

static bool
login_token_ok(struct http_req *r)
{
	const char *want = http_cookie(r, LOGIN_COOKIE);
	const char *got = http_form(r, "csrf");

	return want && got && strlen(want) == LOGIN_TOKEN_BYTES * 2 &&
	       strlen(got) == strlen(want) &&
	       sodium_memcmp(want, got, strlen(want)) == 0;
}

static void
login_page(struct app *app, struct http_req *r, struct http_res *out,
	   const char *error)
{
	const char *l = r->lang;
	unsigned char raw[LOGIN_TOKEN_BYTES];
	char token[LOGIN_TOKEN_BYTES * 2 + 1];
	struct buf b;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, sizeof token, raw, sizeof raw);
	snprintf(out->set_cookie, sizeof out->set_cookie, LOGIN_COOKIE "=%s; "
		 "Path=/login; HttpOnly; SameSite=Strict; Max-Age=1800", token);
	buf_init(&b, 1 << 20);
	page_head(&b, r, app, T(l, "Entrar"), NULL);
	html_printf(&b, "<h1>%s</h1>", T(l, "Entrar"));
	if (error)
		html_printf(&b, "<p class=\"err\">%s</p>", error);
	html_printf(&b, "<form method=\"post\" action=\"/login\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<p><label>%s<br><input name=\"email\" type=\"email\" "
		    "autocomplete=\"username\" required></label></p>"
		    "<p><label>%s<br><input name=\"password\" "
		    "type=\"password\" autocomplete=\"current-password\" "
		    "required></label></p><p><button>%s</button></p></form>"
		    "</main></body></html>", token, T(l, "Correo"),
		    T(l, "Contraseña"), T(l, "Entrar"));
	page_send(out, error ? 401 : 200, &b);
}

bool
page_session(struct app *app, struct http_req *r, struct login *who)
{
	if (app_session(app, who, (int64_t)time(NULL), http_cookie(r, COOKIE),
			NULL) != 0)
		return false;
	r->who = who->who;
	snprintf(r->lang, sizeof r->lang, "%s", who->lang[0] ? who->lang : "es");
	return true;
}

bool
page_signed_in(struct app *app, struct http_req *r, struct login *who,
	  struct http_res *out)
{
	if (page_session(app, r, who))
		return true;
	page_redirect(out, "/login");
	return false;
}

bool
page_csrf_ok(struct http_req *r, const struct login *who, struct http_res *out)
{
	const char *t = http_form(r, "csrf");
	struct buf b;

	if (t && strlen(t) == strlen(who->csrf) &&
	    sodium_memcmp(t, who->csrf, strlen(t)) == 0)
		return true;
	buf_init(&b, 4096);
	html_printf(&b, "<!doctype html><html lang=\"%s\"><meta charset=\"utf-8\">"
		    "<p>%s</p></html>", r->lang,
		    T(r->lang, "Formulario vencido o ajeno: vuelva a cargar la "
		      "página."));
	page_send(out, 403, &b);
	return false;
}

/* Codes the pages show in words. */
static const char *const clock_states[][2] = {
	{ "running", N_("en curso") }, { "paused", N_("en pausa") },
	{ "met", N_("cumplido") }, { "breached", N_("incumplido") },
	{ NULL, NULL },
};

static const char *const author_kinds[][2] = {
	{ "agent", N_("agente") }, { "contact", N_("cliente") },
	{ "system", N_("sistema") }, { NULL, NULL },
};

/* key's words in table, in lang; key itself when the table lacks it. */
static const char *
words(const char *lang, const char *const (*table)[2], const char *key)
{
	for (size_t i = 0; table[i][0]; i++)
		if (key && strcmp(table[i][0], key) == 0)
			return T(lang, table[i][1]);
	return key ? key : "";
}

static const char *
left_text(int64_t secs, char out[32])
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400 * 3)
		snprintf(out, 32, "%lldd %02lldh", (long long)(secs / 86400),
			 (long long)(secs / 3600 % 24));
	else
		snprintf(out, 32, "%lldh %02lldm", (long long)(secs / 3600),
			 (long long)(secs / 60 % 60));
	return out;
}

static void
queue_page(struct app *app, struct http_req *r, const struct login *who,
	   struct http_res *out)
{
	const char *l = r->lang;
	struct queue_item *q;
	struct buf b;
	size_t n;
	int64_t now = (int64_t)time(NULL);

	buf_init(&b, 16 << 20);
	page_head(&b, r, app, T(l, "Cola"), who);
	if (app_queue(app, &r->arena, &q, &n, now, NULL)) {
		html_printf(&b, "<p class=\"err\">%s</p>",
			    T(l, "No se pudo leer la cola."));
		page_send(out, 500, &b);
		return;
	}
	html_printf(&b, "<h1>%s</h1><p class=\"meta\">%d %s</p><table><tr>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr>", T(l, "Cola"), (int)n,
		    T(l, "tickets activos, en el orden del nivel de servicio "
		      "(SLA-4)."), T(l, "Folio"), T(l, "Prioridad"),
		    T(l, "Estado"), T(l, "Tiempo restante"), T(l, "Vence"),
		    T(l, "Asunto"));
	for (size_t i = 0; i < n; i++) {
		char left[32], due[40];
		const char *cls = q[i].warn == 2 ? "breached" :
				  q[i].warn == 1 ? "warning" : "ok";

		if (q[i].due)
			left_text(q[i].remaining, left);
		else
			snprintf(left, sizeof left, "%s", q[i].warn == 2 ?
				 T(l, "vencido") :
				 q[i].sla.first_response.state == SLA_PAUSED ||
				 q[i].sla.resolution.state == SLA_PAUSED ?
				 T(l, "en pausa") : "—");
		app_time_for(app, q[i].due, l, due);
		html_printf(&b, "<tr class=\"%s\"><td><a href=\"/console/t/", cls);
		html_url_part(&b, q[i].t.folio);
		html_printf(&b, "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s%s</td></tr>", q[i].t.folio,
			    q[i].t.priority, q[i].t.state, left,
			    q[i].due ? due : "—", q[i].t.subject,
			    q[i].escalation ? " ⚑" : "");
	}
	buf_adds(&b, "</table></main></body></html>");
	page_send(out, 200, &b);
}

static void
my_tickets_page(struct app *app, struct http_req *r, const struct login *who,
		struct http_res *out)
{
	const char *l = r->lang;
	struct ticket_filter f = { .limit = 200 };
	struct ticket_row *t;
	struct buf b;
	size_t n;

	buf_init(&b, 16 << 20);
	page_head(&b, r, app, T(l, "Mis tickets"), who);
	if (app_visible_org(app, &who->who, &f.organization_id, &f.contact_id,
			    NULL) ||
	    store_ticket_list(app->store, &r->arena, &t, &n, app->provider_id,
			      &f, NULL)) {
		html_printf(&b, "<p class=\"err\">%s</p>",
			    T(l, "No se pudieron leer sus tickets."));
		page_send(out, 500, &b);
		return;
	}
	html_printf(&b, "<h1>%s</h1>", T(l, "Mis tickets"));
	if (app->policy->channels & (1u << CH_WEB))
		html_printf(&b, "<p><a href=\"/console/new\">%s</a></p>",
			    T(l, "Levantar un ticket"));
	html_printf(&b, "<table><tr><th>%s</th><th>%s</th><th>%s</th></tr>",
		    T(l, "Folio"), T(l, "Estado"), T(l, "Asunto"));
	for (size_t i = 0; i < n; i++) {
		html_printf(&b, "<tr><td><a href=\"/console/t/");
		html_url_part(&b, t[i].folio);
		html_printf(&b, "\">%s</a></td><td>%s</td><td>%s</td></tr>",
			    t[i].folio, t[i].state, t[i].subject);
	}
	buf_adds(&b, "</table></main></body></html>");
	page_send(out, 200, &b);
}

static void
clock_html(struct buf *b, struct app *app, const char *l, const char *name,
	   const struct sla_clock *k)
{
	char tgt[80], due[40];

	if (k->state == SLA_NONE)
		return;
	policy_duration_text(tgt, sizeof tgt, &k->target, l);
	html_printf(b, "<span class=\"clock\">%s: %s · %s · %lld %s %lld min",
		    name, words(l, clock_states, sla_clock_state_name(k->state)),
		    tgt, (long long)(k->elapsed / 60), T(l, "min de"),
		    (long long)(k->target_seconds / 60));
	if (k->due)
		html_printf(b, " · %s %s", T(l, "vence"),
			    app_time_for(app, k->due, l, due));
	buf_adds(b, "</span>");
}

/* The actions the ticket page posts, and the buttons it offers for
 * them: an agent's, then a customer's (merge has its own, INT-4). */
static const struct {
	const char *name;
	enum ticket_action action;
	const char *label;
	bool agent;   /* the button is on agents' pages, else customers' */
} actions[] = {
	{ "wait_customer", TA_WAIT_CUSTOMER, N_("Esperar al cliente"), true },
	{ "resume", TA_RESUME, N_("Retomar"), true },
	{ "resolve", TA_RESOLVE, N_("Resolver"), true },
	{ "close", TA_CLOSE, N_("Cerrar"), true },
	{ "confirm", TA_CONFIRM, N_("Confirmar solución"), false },
	{ "reopen", TA_REOPEN, N_("Reabrir"), false },
	{ "merge", TA_MERGE, NULL, true },
};

static void
action_button(struct buf *b, const char *folio, const char *csrf,
	      const char *action, const char *label)
{
	html_printf(b, "<form class=\"inline\" method=\"post\" action=\"/console/t/");
	html_url_part(b, folio);
	html_printf(b, "/act\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"action\" value=\"%s\">"
		    "<button>%s</button></form> ", csrf, action, label);
}

/* INT-4: the tickets this one was flagged as a likely duplicate of,
 * each with a merge at hand (agents only: customers never see flags). */
static void
duplicate_flags(struct buf *b, const char *l, const struct ticket_view *v,
		const char *csrf)
{
	if (strcmp(v->t.state, "merged") == 0 || strcmp(v->t.state, "closed") == 0)
		return;
	for (size_t i = 0; i < v->nevents; i++) {
		json_t *after, *of;

		if (strcmp(v->events[i].action, "possible_duplicate") != 0 ||
		    v->events[i].after == NULL)
			continue;
		after = json_loads(v->events[i].after, 0, NULL);
		of = json_object_get(after, "of");
		for (size_t k = 0; k < json_array_size(of); k++) {
			const char *f = json_string_value(json_array_get(of, k));

			if (f == NULL)
				continue;
			html_printf(b, "<div class=\"msg internal\" id=\"duplicate\">"
				    "%s <a href=\"/console/t/", T(l, "Posible "
				    "duplicado de"));
			html_url_part(b, f);
			html_printf(b, "\">%s</a> (INT-4). <form class=\"inline\" "
				    "method=\"post\" action=\"/console/t/", f);
			html_url_part(b, v->t.folio);
			html_printf(b, "/act\"><input type=\"hidden\" name=\"csrf\" "
				    "value=\"%s\"><input type=\"hidden\" name=\""
				    "action\" value=\"merge\"><input type=\"hidden\" "
				    "name=\"into\" value=\"%s\"><button>%s %s"
				    "</button></form></div>", csrf, f,
				    T(l, "Fusionar en"), f);
		}
		json_decref(after);
	}
}

static void fields_html(struct buf *b, const char *l, const char *fields);

static void
ticket_page(struct app *app, struct http_req *r, const struct login *who,
	    const char *folio, struct http_res *out)
{
	static const char *const modality_keys[] = {
		"remote", "phone", "chat", "office", "onsite_local",
		"onsite_foreign",
	};
	const char *l = r->lang;
	struct ticket_view v;
	struct sla_status st;
	struct buf b;
	bool agent = strcmp(who->who.kind, "agent") == 0;
	int64_t now = (int64_t)time(NULL);
	char t[40];

	if (app_ticket_view_as(app, &r->arena, &v, folio, &who->who, NULL)) {
		buf_init(&b, 4096);
		page_head(&b, r, app, T(l, "No encontrado"), who);
		html_printf(&b, "<p>%s</p></main></body></html>",
			    T(l, "No existe ese ticket."));
		page_send(out, 404, &b);
		return;
	}
	buf_init(&b, 16 << 20);
	page_head(&b, r, app, v.t.folio, who);
	html_printf(&b, "<h1>%s · %s</h1><p class=\"meta\">%s · %s %s · "
		    "%s %s · %s %s · %s %s%s%s · %s %s</p>",
		    v.t.folio, v.t.subject, v.t.state, T(l, "prioridad"),
		    v.t.priority, T(l, "categoría"), v.t.category,
		    T(l, "canal"), v.t.channel, T(l, "cliente"),
		    v.contact_name ? v.contact_name : "—",
		    v.organization_name ? " / " : "",
		    v.organization_name ? v.organization_name : "",
		    T(l, "asignado a"), v.assignee_name ? v.assignee_name : "—");
	if (app_ticket_sla(app, &st, &v.t, now, NULL) == 0) {
		buf_adds(&b, "<p>");
		clock_html(&b, app, l, T(l, "Primera respuesta"),
			   &st.first_response);
		clock_html(&b, app, l, T(l, "Resolución"), &st.resolution);
		buf_adds(&b, "</p>");
	}
	fields_html(&b, l, v.t.fields);
	if (agent)
		duplicate_flags(&b, l, &v, who->csrf);
	for (size_t i = 0; i < v.nmessages; i++) {
		const struct message_row *m = &v.messages[i];

		html_printf(&b, "<div class=\"msg %s\"><div class=\"meta\">%s · "
			    "%s%s%s</div>%s</div>", m->kind,
			    app_time_for(app, m->created_at, l, t),
			    words(l, author_kinds, m->author_kind),
			    strcmp(m->kind, "internal") == 0 ? " · " : "",
			    strcmp(m->kind, "internal") == 0 ?
			    T(l, "nota interna") : "", m->body);
	}
	for (size_t i = 0; i < v.nattachments; i++) {
		const struct attachment_row *at = &v.attachments[i];
		/* Screenshots in the page; the route serves PNG and JPEG
		 * inline only when the bytes are that (attachment_get). */
		bool image = strcmp(at->mime, "image/png") == 0 ||
			     strcmp(at->mime, "image/jpeg") == 0;
		struct buf url;

		buf_init(&url, 512);
		buf_adds(&url, "/console/t/");
		html_url_part(&url, v.t.folio);
		html_printf(&url, "/attachments/%lld", (long long)at->id);
		if (image)
			html_printf(&b, "<figure class=\"shot\"><a href=\"%s\">"
				    "<img src=\"%s\" alt=\"%s\"></a><figcaption "
				    "class=\"meta\">", url.ptr, url.ptr,
				    at->filename);
		else
			html_printf(&b, "<p class=\"meta\">");
		html_printf(&b, "%s: <a href=\"%s\">%s</a> (%s, %lld bytes)",
			    T(l, "Adjunto"), url.ptr, at->filename, at->mime,
			    (long long)at->size);
		buf_adds(&b, image ? "</figcaption></figure>" : "</p>");
		buf_free(&url);
	}
	html_printf(&b, "<h2>%s</h2><form method=\"post\" action=\"/console/t/",
		    T(l, "Responder"));
	html_url_part(&b, v.t.folio);
	html_printf(&b, "/reply\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<textarea name=\"body\" required></textarea>", who->csrf);
	if (agent)
		html_printf(&b, "<p><label><input type=\"checkbox\" "
			    "name=\"internal\" value=\"1\"> %s</label></p>",
			    T(l, "Nota interna"));
	html_printf(&b, "<p><button>%s</button></p></form>", T(l, "Enviar"));
	if (agent) {
		/* BILL-1: the attendance, debited from the customer's banks; the
		 * consumption report (BILL-9) appears in the thread. */
		struct contract_status *cs;
		size_t nc;
		char key[32];

		snprintf(key, sizeof key, "%lld", (long long)v.t.organization_id);
		if (v.t.organization_id &&
		    app_contract_list(app, &r->arena, &cs, &nc, key, now, NULL) == 0)
			for (size_t i = 0; i < nc; i++)
				if (cs[i].usable && cs[i].c.bank_minutes) {
					char hm[48];

					snprintf(hm, sizeof hm, "%lld h %02lld min",
						 (long long)(cs[i].balance / 60),
						 (long long)(cs[i].balance % 60));
					html_printf(&b, "<p class=\"meta\" "
						    "id=\"balance\">%s %s: %s %s"
						    "</p>", T(l, "Póliza"),
						    cs[i].c.number, hm,
						    T(l, "disponibles"));
				}
		html_printf(&b, "<h2>%s</h2><form method=\"post\" "
			    "action=\"/console/t/", T(l, "Registrar atención"));
		html_url_part(&b, v.t.folio);
		html_printf(&b, "/attend\"><input type=\"hidden\" name=\"csrf\" "
			    "value=\"%s\"><label>%s <input name=\"minutes\" "
			    "type=\"number\" min=\"1\" max=\"1440\" required>"
			    "</label> <label>%s <select name=\"modality\">",
			    who->csrf, T(l, "Minutos"), T(l, "Modalidad"));
		for (size_t i = 0; i < sizeof modality_keys /
					sizeof modality_keys[0]; i++)
			html_printf(&b, "<option value=\"%s\">%s</option>",
				    modality_keys[i],
				    portal_modality(l, modality_keys[i]));
		html_printf(&b, "</select></label> <label><input "
			    "type=\"checkbox\" name=\"warranty\" value=\"1\"> "
			    "%s</label> <button>%s</button></form>",
			    T(l, "Garantía"), T(l, "Registrar"));
	}
	portal_ticket_section(app, r, who, &v, &b);
	/* Only what the lifecycle accepts from this state, from this
	 * person: no button that can only be refused. */
	buf_adds(&b, "<p id=\"actions\">");
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].label && actions[i].agent == agent &&
		    app_ticket_can(app, &v.t, &who->who, actions[i].action, now))
			action_button(&b, v.t.folio, who->csrf, actions[i].name,
				      T(l, actions[i].label));
	buf_adds(&b, "</p></main></body></html>");
	page_send(out, 200, &b);
}

/* A post on a ticket refused: why, and the way back to it. */
static void
ticket_refused(struct app *app, struct http_req *r, const struct login *who,
	       const char *folio, int status, const char *message,
	       struct http_res *out)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	page_head(&b, r, app, T(r->lang, "No se pudo"), who);
	html_printf(&b, "<p class=\"err\">%s</p><p><a href=\"/console/t/",
		    message);
	html_url_part(&b, folio);
	html_printf(&b, "\">%s</a></p></main></body></html>",
		    T(r->lang, "Volver"));
	page_send(out, status, &b);
}

static void
ticket_post(struct app *app, struct http_req *r, const struct login *who,
	    const char *folio, const char *what, struct http_res *out)
{
	struct sp_err err = { 0 };
	struct ticket_opened linked = { 0 };
	int64_t now = (int64_t)time(NULL);
	bool agent = strcmp(who->who.kind, "agent") == 0;
	char back[300];
	struct buf u;
	int rc = SP_EINVAL;

	if (!page_csrf_ok(r, who, out))
		return;
	if (strcmp(what, "reply") != 0 && strcmp(what, "attend") != 0 &&
	    strcmp(what, "act") != 0) {
		ticket_refused(app, r, who, folio, 404,
			       T(r->lang, "No existe esa página."), out);
		return;
	}
	/* BILL-1: attendances are the provider's to log. */
	if (strcmp(what, "attend") == 0 && !agent) {
		ticket_refused(app, r, who, folio, 403,
			       T(r->lang, "Solo los agentes del proveedor "
				 "registran atenciones."), out);
		return;
	}
	if (strcmp(what, "reply") == 0) {
		const char *internal = http_form(r, "internal");

		if (internal && agent)
			rc = app_ticket_reply(app, now, &who->who, folio,
					      http_form(r, "body"), true, &err);
		else
			rc = app_ticket_follow_up(app, &linked, now, &who->who,
						  folio, http_form(r, "body"),
						  &err);
	} else if (strcmp(what, "attend") == 0) {
		struct attendance_input in = { 0 };
		struct attendance_logged lo;
		int64_t minutes = 0;
		const char *mv = http_form(r, "minutes");

		if (mv == NULL || str_to_i64(&minutes, mv, 1, 1440)) {
			rc = sp_err_set(&err, SP_EINVAL, "minutes", "minutes are "
					"1 to 1440");
		} else {
			in.ticket = folio;
			in.minutes = minutes;
			in.start = now - minutes * 60;
			in.modality = http_form(r, "modality");
			in.warranty = http_form(r, "warranty") != NULL;
			rc = app_attendance_log(app, &lo, now, &who->who, &in, &err);
		}
	} else if (strcmp(what, "act") == 0) {
		const char *a = http_form(r, "action");

		for (size_t i = 0; a && i < sizeof actions / sizeof actions[0]; i++)
			if (strcmp(a, actions[i].name) == 0)
				rc = app_ticket_act(app, now, &who->who, folio,
						    actions[i].action,
						    &(struct transition_args){
							    .target = http_form(r, "into") },
						    &err);
		if (rc == SP_EINVAL && err.msg[0] == '\0')
			sp_err_set(&err, SP_EINVAL, "action", "unknown action");
	}
	if (rc) {
		ticket_refused(app, r, who, folio, rc == SP_ENOTFOUND ? 404 : 422,
			       err.msg, out);
		return;
	}
	/* CLO-3: past the reopen window the message opened a new ticket
	 * linked to this one; the customer is taken to where it is. */
	buf_init(&u, 300);
	buf_adds(&u, "/console/t/");
	html_url_part(&u, linked.folio[0] ? linked.folio : folio);
	snprintf(back, sizeof back, "%s", u.ptr);
	buf_free(&u);
	page_redirect(out, back);
}

/* INT-3: the pack's extra fields, with labels for people. */
static const struct {
	enum req_field f;
	const char *label;
	bool multiline;
} extra_fields[] = {
	{ RF_STEPS, N_("Pasos para reproducir el error"), true },
	{ RF_MODULE, N_("Módulo"), false },
	{ RF_SYSTEM, N_("Sistema"), false },
	{ RF_SYSTEM_VERSION, N_("Versión del sistema"), false },
	{ RF_OS_VERSION, N_("Versión del sistema operativo"), false },
	{ RF_LICENSE_PROOF, N_("Factura o número de licencia"), false },
};

/* INT-3: what the customer gave for the pack's extra fields, under the
 * ticket's header, in the order of the form. */
static void
fields_html(struct buf *b, const char *l, const char *fields)
{
	json_t *j = fields ? json_loads(fields, 0, NULL) : NULL;
	bool any = false;

	for (int f = 0; j && f < RF_COUNT; f++) {
		const char *name = policy_field_name((enum req_field)f);
		const char *v = json_string_value(json_object_get(j, name));
		const char *label = name;

		if (v == NULL || *v == '\0')
			continue;
		for (size_t i = 0; i < sizeof extra_fields / sizeof extra_fields[0]; i++)
			if (extra_fields[i].f == (enum req_field)f)
				label = T(l, extra_fields[i].label);
		if (!any)
			buf_adds(b, "<dl class=\"fields\">");
		any = true;
		html_printf(b, "<dt>%s</dt><dd>%s</dd>", label, v);
	}
	if (any)
		buf_adds(b, "</dl>");
	json_decref(j);
}

/* The form, filled again with what was posted when it comes back with
 * an error: nothing the customer typed is lost. `same`: the customer's
 * open tickets that look like this one (INT-4). */
static void
new_ticket_page(struct app *app, struct http_req *r, const struct login *who,
		struct http_res *out, const char *error,
		const struct ticket_row *same, size_t nsame)
{
#define POSTED(name) (error && http_form(r, name) ? http_form(r, name) : "")
	const char *l = r->lang;
	const struct policy *p = app->policy;
	bool posted_priority = false;
	struct buf b;

	buf_init(&b, 1 << 20);
	page_head(&b, r, app, T(l, "Nuevo ticket"), who);
	html_printf(&b, "<h1>%s</h1>", T(l, "Nuevo ticket"));
	if (!(p->channels & (1u << CH_WEB))) {
		/* INT-2: this provider takes requests by other channels; say
		 * which instead of a form that can only be refused. */
		html_printf(&b, "<p class=\"err\">%s %s", p->provider.short_name,
			    T(l, "no recibe solicitudes por la web. Canales "
			      "oficiales:"));
		for (int c = 0; c < CH_COUNT; c++)
			if (p->channels & (1u << c))
				html_printf(&b, " %s", policy_channel_name(
						    (enum channel)c));
		html_printf(&b, " (INT-2).</p></main></body></html>");
		page_send(out, error ? 422 : 200, &b);
		return;
	}
	if (error)
		html_printf(&b, "<p class=\"err\">%s</p>", error);
	html_printf(&b, "<form method=\"post\" action=\"/console/new\" "
		    "enctype=\"multipart/form-data\"><input type=\"hidden\" "
		    "name=\"csrf\" value=\"%s\">"
		    "<p><label>%s<br><input name=\"subject\" required "
		    "maxlength=\"300\" size=\"70\" autocomplete=\"off\" "
		    "data-suggest=\"suggest\" value=\"%s\"></label></p>"
		    "<div id=\"suggest\" class=\"msg\" hidden data-articles="
		    "\"%s\" data-tickets=\"%s\"></div>"
		    "<p><label>%s<br><select name=\"category\">",
		    who->csrf, T(l, "Asunto"), POSTED("subject"),
		    T(l, "Artículos que pueden resolverlo (INT-7):"),
		    T(l, "Ya tiene abiertos sobre lo mismo (INT-4):"),
		    T(l, "Categoría"));
	for (size_t i = 0; i < p->ncategories; i++)
		if (!p->categories[i].out_of_scope)
			html_printf(&b, "<option value=\"%s\"%s>%s</option>",
				    p->categories[i].id,
				    strcmp(POSTED("category"),
					   p->categories[i].id) ? "" :
				    " selected",
				    policy_text(&p->categories[i].name, l));
	html_printf(&b, "</select></label></p><p><label>%s<br>"
		    "<select name=\"priority\">", T(l, "Prioridad"));
	/* The priority posted, if it is one of the pack's; else the
	 * default. */
	for (size_t i = 0; i < p->npriorities; i++)
		if (strcmp(POSTED("priority"), p->priorities[i].id) == 0)
			posted_priority = true;
	for (size_t i = 0; i < p->npriorities; i++)
		html_printf(&b, "<option value=\"%s\"%s>%s</option>",
			    p->priorities[i].id,
			    (posted_priority ?
			     strcmp(POSTED("priority"), p->priorities[i].id) == 0 :
			     p->priorities[i].is_default) ? " selected" : "",
			    policy_text(&p->priorities[i].name, l));
	html_printf(&b, "</select></label></p><p><label>%s<br>"
		    "<textarea name=\"description\" required>%s</textarea>"
		    "</label></p>", T(l, "Descripción"), POSTED("description"));
	for (size_t i = 0; i < sizeof extra_fields / sizeof extra_fields[0]; i++)
		if (p->required & (1u << extra_fields[i].f))
			html_printf(&b, extra_fields[i].multiline ?
				    "<p><label>%s<br><textarea name=\"%s\">%s"
				    "</textarea></label></p>" :
				    "<p><label>%s<br><input name=\"%s\" "
				    "size=\"50\" value=\"%s\"></label></p>",
				    T(l, extra_fields[i].label),
				    policy_field_name(extra_fields[i].f),
				    POSTED(policy_field_name(extra_fields[i].f)));
	html_printf(&b, "<p><label>%s%s%s<br>"
		    "<input type=\"file\" name=\"screenshot\" multiple "
		    "accept=\"image/png,image/jpeg\"></label></p>",
		    T(l, "Capturas de pantalla (PNG o JPG)"),
		    p->required & (1u << RF_SCREENSHOT) ? " — " : "",
		    p->required & (1u << RF_SCREENSHOT) ?
		    T(l, "requeridas") : "");
	/* INT-4: after a refusal for a likely duplicate, the way on. */
	if (nsame)
		buf_adds(&b, "<div class=\"msg\" id=\"duplicates\"><p>");
	for (size_t i = 0; i < nsame; i++) {
		buf_adds(&b, "<a href=\"/console/t/");
		html_url_part(&b, same[i].folio);
		html_printf(&b, "\">%s</a> %s<br>", same[i].folio,
			    same[i].subject);
	}
	if (nsame)
		html_printf(&b, "</p><label><input type=\"checkbox\" name=\""
			    "not_duplicate\" value=\"1\"> %s</label></div>",
			    T(l, "Es un tema distinto"));
	html_printf(&b, "<p><button>%s</button></p></form><script "
		    "src=\"/static/suggest.js\" defer></script></main></body>"
		    "</html>", T(l, "Enviar"));
	page_send(out, error ? 422 : 200, &b);
#undef POSTED
}

static void
new_ticket_post(struct app *app, struct http_req *r, const struct login *who,
		struct http_res *out)
{
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct sp_err err = { 0 };
	char id[32], back[300];
	struct buf u;

	if (!page_csrf_ok(r, who, out))
		return;
	if (r->too_big) {
		new_ticket_page(app, r, who, out, T(r->lang, "Los archivos "
				"superan el tamaño permitido."), NULL, 0);
		return;
	}
	snprintf(id, sizeof id, "%lld", (long long)who->who.id);
	in.contact = id;
	in.channel = "web";
	in.subject = http_form(r, "subject");
	in.category = http_form(r, "category");
	in.priority = http_form(r, "priority");
	in.description = http_form(r, "description");
	for (size_t i = 0; i < sizeof extra_fields / sizeof extra_fields[0]; i++) {
		const char *name = policy_field_name(extra_fields[i].f);
		const char *v = http_form(r, name);

		if (v && *v && in.nfields < APP_MAX_FIELDS) {
			in.field_names[in.nfields] = name;
			in.field_values[in.nfields++] = v;
		}
	}
	for (int i = 0; i < r->nfiles && in.nfiles < 8; i++) {
		const struct http_file *f = &r->files[i];

		if (f->data.len == 0)
			continue;
		/* INT-3: screenshots as PNG or JPG, by their bytes, not by
		 * the type the browser claims. */
		if (!http_is_png(f->data.ptr, f->data.len) &&
		    !http_is_jpeg(f->data.ptr, f->data.len)) {
			new_ticket_page(app, r, who, out, T(r->lang, "Las capturas "
					"deben ser PNG o JPG."), NULL, 0);
			return;
		}
		in.files[in.nfiles++] = (struct ticket_file){
			f->filename, http_is_png(f->data.ptr, f->data.len) ?
			"image/png" : "image/jpeg",
			f->data.ptr, f->data.len };
	}
	/* INT-4: one topic per ticket. A likely duplicate is shown before
	 * anything is opened; the customer may still say it is another
	 * topic (and agents see the flag either way). */
	if (http_form(r, "not_duplicate") == NULL && in.subject) {
		struct ticket_row *same;
		size_t nsame = 0;
		int64_t org = 0, only = 0;

		if (app_visible_org(app, &who->who, &org, &only, NULL) == 0 &&
		    app_ticket_similar(app, &r->arena, &same, &nsame,
				       (int64_t)time(NULL), org,
				       org ? 0 : who->who.id, in.subject, 0,
				       NULL) == 0 && nsame) {
			new_ticket_page(app, r, who, out, T(r->lang, "Parece que "
					"ya tiene un ticket abierto sobre lo "
					"mismo (INT-4). Escriba en él, o marque "
					"«Es un tema distinto» y vuelva a "
					"adjuntar sus capturas."), same, nsame);
			return;
		}
	}
	if (app_ticket_open(app, &o, (int64_t)time(NULL), &who->who, &in, &err)) {
		new_ticket_page(app, r, who, out, err.msg, NULL, 0);
		return;
	}
	buf_init(&u, 300);
	buf_adds(&u, "/console/t/");
	html_url_part(&u, o.folio);
	snprintf(back, sizeof back, "%s", u.ptr);
	buf_free(&u);
	page_redirect(out, back);
}

/* An attachment's bytes, to whoever may see its ticket: agents, and the
 * contacts of the ticket's organization (PRIV-2; anyone else gets the
 * same 404 as for a missing one), typed by its bytes (files.c). */
static void
attachment_get(struct app *app, struct http_req *r, const struct login *who,
	       const char *folio, int64_t id, struct http_res *out)
{
	struct attachment_row at;
	const void *data = NULL;
	int64_t size = 0;
	struct buf b;

	if (app_ticket_attachment(app, &r->arena, &at, &data, &size, folio, id,
				  &who->who, NULL) == 0 &&
	    http_send_file(out, &r->arena, at.filename, data, (size_t)size) == 0)
		return;
	buf_init(&b, 4096);
	page_head(&b, r, app, T(r->lang, "No encontrado"), who);
	html_printf(&b, "<p>%s</p></main></body></html>",
		    T(r->lang, "No existe ese adjunto."));
	page_send(out, 404, &b);
}

bool
console_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *p = r->path, *m = r->method;
	struct login who;
	char folio[96], what[16], num[24];
	int end = 0;

	/* Until someone signs in, the browser's language. */
	snprintf(r->lang, sizeof r->lang, "%s",
		 i18n_lang(http_header(r, "Accept-Language")));
	if (static_handle(r, out) || kb_pages_handle(app, r, out))
		return true;
	if (console_reports(app, r, out))
		return true;
	if (portal_handle(app, r, out))
		return true;
	if (strcmp(p, "/") == 0) {
		page_redirect(out, "/console");
		return true;
	}
	if (strcmp(p, "/login") == 0) {
		if (strcmp(m, "POST") == 0) {
			struct login in;
			struct sp_err err = { 0 };

			/* Before the password is even looked at: a forged
			 * post neither signs in nor counts as a failure. */
			if (!login_token_ok(r)) {
				login_page(app, r, out, T(r->lang, "El formulario "
					   "de entrada venció o no es de este "
					   "sitio: escriba de nuevo su correo y "
					   "contraseña."));
				out->status = 403;
				return true;
			}
			if (app_login(app, &in, (int64_t)time(NULL),
				      http_form(r, "email"),
				      http_form(r, "password"), &err)) {
				login_page(app, r, out, err.code == SP_EBUSY ?
					   T(r->lang, "Demasiados intentos "
					     "fallidos con esta dirección; espere "
					     "15 minutos.") :
					   T(r->lang, "Correo o contraseña "
					     "incorrectos."));
				if (err.code == SP_EBUSY)
					out->status = 429;
				return true;
			}
			r->who = in.who;
			snprintf(out->set_cookie, sizeof out->set_cookie,
				 COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
				 "Max-Age=43200", in.cookie);
			page_redirect(out, "/console");
			return true;
		}
		login_page(app, r, out, NULL);
		return true;
	}
	if (strcmp(p, "/logout") == 0 && strcmp(m, "POST") == 0) {
		if (!page_signed_in(app, r, &who, out))
			return true;
		if (!page_csrf_ok(r, &who, out))
			return true;
		app_logout(app, who.cookie, NULL);
		snprintf(out->set_cookie, sizeof out->set_cookie,
			 COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
		page_redirect(out, "/login");
		return true;
	}
	if (strcmp(p, "/console") == 0) {
		if (!page_signed_in(app, r, &who, out))
			return true;
		if (strcmp(who.who.kind, "agent") == 0)
			queue_page(app, r, &who, out);
		else
			my_tickets_page(app, r, &who, out);
		return true;
	}
	if (strcmp(p, "/console/new") == 0) {
		if (!page_signed_in(app, r, &who, out))
			return true;
		if (strcmp(who.who.kind, "contact") != 0) {
			page_redirect(out, "/console");
			return true;
		}
		if (strcmp(m, "POST") == 0)
			new_ticket_post(app, r, &who, out);
		else
			new_ticket_page(app, r, &who, out, NULL, NULL, 0);
		return true;
	}
	if (strcmp(m, "GET") == 0 &&
	    sscanf(p, "/console/t/%95[^/]/attachments/%20[0-9]%n", folio, num,
		   &end) == 2 && p[end] == '\0') {
		int64_t id;

		if (!page_signed_in(app, r, &who, out))
			return true;
		if (str_to_i64(&id, num, 1, INT64_MAX))
			id = 0;
		attachment_get(app, r, &who, folio, id, out);
		return true;
	}
	if (sscanf(p, "/console/t/%95[^/]/%15[a-z]", folio, what) == 2 &&
	    strcmp(m, "POST") == 0) {
		if (page_signed_in(app, r, &who, out))
			ticket_post(app, r, &who, folio, what, out);
		return true;
	}
	if (sscanf(p, "/console/t/%95[^/]", folio) == 1 &&
	    strchr(p + 11, '/') == NULL) {
		if (page_signed_in(app, r, &who, out))
			ticket_page(app, r, &who, folio, out);
		return true;
	}
	return false;
}
