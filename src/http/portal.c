/* portal.c — the pages about contracts and documents, beside console.c:
 * a customer's contracts with their balance, ledger and consumption
 * reports (BILL-9) and the printable certificate (PLAN-5); quotes and
 * estimates to approve or reject (BILL-7, BILL-8); on the ticket page
 * the agent's live debit preview, the ticket's quotes and escalation
 * (SLA-5). Reads go through app/visible.c, so another organization's
 * contract or quote answers 404 like a missing one (PRIV-2); writes go
 * through app/; every form carries the session's CSRF token. */
#include "portal.h"
#include "api_contracts.h"
#include "api_reply.h"
#include "pages.h"

#include "../util/html.h"
#include "../util/i18n.h"
#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- words ----------------------------------------------------------- */

/* key's words in table, in lang (the tables' Spanish, translated by
 * po/en.po); key itself when the table lacks it. */
static const char *
label(const char *lang, const char *const (*table)[2], const char *key)
{
	for (size_t i = 0; table[i][0]; i++)
		if (key && strcmp(table[i][0], key) == 0)
			return T(lang, table[i][1]);
	return key ? key : "";
}

static const char *const contract_states[][2] = {
	{ "pending_payment", N_("pendiente de pago") },
	{ "active", N_("vigente") }, { "exhausted", N_("horas agotadas") },
	{ "expired", N_("vencida") },
	{ "suspended", N_("suspendida por adeudo") },
	{ "cancelled", N_("cancelada") }, { NULL, NULL },
};

static const char *const contract_kinds[][2] = {
	{ "per_event", N_("por evento") }, { "bank", N_("bolsa de horas") },
	{ "retainer", N_("iguala") },
	{ "support_plan", N_("plan de soporte y actualizaciones") },
	{ "custom", N_("cobertura a la medida") }, { NULL, NULL },
};

static const char *const quote_states[][2] = {
	{ "sent", N_("por autorizar") }, { "approved", N_("aprobada") },
	{ "rejected", N_("rechazada") }, { "expired", N_("vencida") },
	{ "paid", N_("pagada") }, { NULL, NULL },
};

static const char *const quote_kinds[][2] = {
	{ "quote", N_("Cotización") }, { "estimate", N_("Estimación") },
	{ NULL, NULL },
};

static const char *const ledger_kinds[][2] = {
	{ "purchase", N_("compra de horas") }, { "debit", N_("atención") },
	{ "adjustment", N_("ajuste") }, { "refund", N_("reembolso") },
	{ "expiry", N_("vencimiento") }, { NULL, NULL },
};

static const char *const modalities[][2] = {
	{ "remote", N_("remota") }, { "phone", N_("teléfono") },
	{ "chat", N_("correo o chat") },
	{ "office", N_("en nuestras oficinas") },
	{ "onsite_local", N_("en sitio (local)") },
	{ "onsite_foreign", N_("en sitio (foránea)") }, { NULL, NULL },
};

/* BILL-9: what each step of a debit applied. */
static const char *const step_rules[][2] = {
	{ "warranty", N_("garantía, sin costo (BILL-6)") },
	{ "quick_question", N_("consulta rápida sin costo (BILL-5)") },
	{ "reopen_free", N_("falla reabierta, sin costo (CLO-3)") },
	{ "minimum", N_("mínimo por atención (BILL-3)") },
	{ "after_hours", N_("fuera de horario (BILL-4)") },
	{ "modality_factor", N_("factor por atención en sitio (BILL-3)") },
	{ "report_overhead", N_("reporte de consumo (BILL-3)") },
	{ "rounding", N_("redondeo hacia arriba (BILL-2)") },
	{ NULL, NULL },
};

static const char *const roles[][2] = {
	{ "agent", N_("agente asignado") },
	{ "quality_lead", N_("responsable de calidad") },
	{ "operations_manager", N_("gerente de operaciones") },
	{ "admin", N_("administración") }, { NULL, NULL },
};

const char *
portal_modality(const char *lang, const char *modality)
{
	return label(lang, modalities, modality);
}

/* The provider's local date of t as a document writes it: "18 de
 * noviembre de 2026", "November 18, 2026". */
static const char *
day_text(struct app *app, int64_t t, const char *lang, char out[48])
{
	static const char *const es[] = {
		"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre",
	};
	static const char *const en[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	char iso[32];
	int64_t y, m, d;

	app_time(app, t, iso);
	iso[4] = iso[7] = iso[10] = '\0';
	if (t == 0 || str_to_i64(&y, iso, 1, 9999) ||
	    str_to_i64(&m, iso + 5, 1, 12) || str_to_i64(&d, iso + 8, 1, 31)) {
		snprintf(out, 48, "—");
		return out;
	}
	if (strcmp(lang, "en") == 0)
		snprintf(out, 48, "%s %d, %d", en[m - 1], (int)d, (int)y);
	else
		snprintf(out, 48, "%d de %s de %d", (int)d, es[m - 1], (int)y);
	return out;
}

static const char *
hm(int64_t minutes, char out[32])
{
	snprintf(out, 32, "%s%lld h %02lld min", minutes < 0 ? "−" : "",
		 (long long)(llabs(minutes) / 60),
		 (long long)(llabs(minutes) % 60));
	return out;
}

static const char *
pesos(int64_t centavos, char out[32])
{
	snprintf(out, 32, "$%lld.%02lld", (long long)(centavos / 100),
		 (long long)(centavos % 100));
	return out;
}

/* An amount in pesos as people type it ("1500", "1500.5", "1500.50")
 * in centavos; false when it is not one. */
static bool
parse_pesos(const char *s, int64_t *out)
{
	char whole[24];
	const char *dot;
	int64_t w, c = 0;
	size_t k;

	if (s == NULL || *s == '\0')
		return false;
	dot = strchr(s, '.');
	k = dot ? (size_t)(dot - s) : strlen(s);
	if (k == 0 || k >= sizeof whole)
		return false;
	memcpy(whole, s, k);
	whole[k] = '\0';
	if (str_to_i64(&w, whole, 0, INT64_C(1) << 38))
		return false;
	if (dot) {
		size_t f = strlen(dot + 1);

		if (f < 1 || f > 2 || str_to_i64(&c, dot + 1, 0, 99))
			return false;
		if (f == 1)
			c *= 10;
	}
	*out = w * 100 + c;
	return true;
}

/* A contract's term: "del 1 de mayo de 2026 al 1 de mayo de 2027". */
static const char *
term_text(struct app *app, const struct contract_row *c, const char *lang,
	  char out[128])
{
	char from[48], to[48];

	snprintf(out, 128, T(lang, "del %s al %s"),
		 day_text(app, c->starts_at, lang, from),
		 day_text(app, c->ends_at, lang, to));
	return out;
}

/* ---- page pieces ------------------------------------------------------ */

static void
url_to(struct buf *b, const char *prefix, const char *key, const char *suffix)
{
	buf_adds(b, prefix);
	html_url_part(b, key);
	buf_adds(b, suffix);
}

static void
not_found(struct app *app, struct http_req *r, const struct login *who,
	  struct http_res *out, const char *message)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	page_head(&b, r, app, T(r->lang, "No encontrado"), who);
	html_printf(&b, "<p>%s</p></main></body></html>", message);
	page_send(out, 404, &b);
}

/* A refused form: what app/ said, and the way back. */
static void
refused(struct app *app, struct http_req *r, const struct login *who,
	struct http_res *out, const struct sp_err *err, const char *back)
{
	struct buf b;
	int status = err->code == SP_ENOTFOUND ? 404 :
		     err->code == SP_ECONFLICT ? 409 : 422;

	buf_init(&b, 1 << 16);
	page_head(&b, r, app, T(r->lang, "No se pudo"), who);
	html_printf(&b, "<p class=\"err\">%s</p><p><a href=\"", err->msg);
	buf_adds(&b, back);
	html_printf(&b, "\">%s</a></p></main></body></html>",
		    T(r->lang, "Volver"));
	page_send(out, status, &b);
}

static void
ticket_path(struct buf *u, const char *folio)
{
	buf_init(u, 400);
	url_to(u, "/console/t/", folio, "");
}

static void
csrf_field(struct buf *b, const struct login *who)
{
	html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
		    who->csrf);
}

/* Approve and reject buttons for a quote the customer can still answer
 * (BILL-7, BILL-8); `back` says which page to return to. */
static void
decide_buttons(struct buf *b, const char *l, const struct login *who,
	       const char *number, const char *back)
{
	static const char *const verbs[][2] = {
		{ "approve", N_("Aprobar") }, { "reject", N_("Rechazar") },
	};

	for (int i = 0; i < 2; i++) {
		buf_adds(b, "<form class=\"inline\" method=\"post\" action=\"");
		url_to(b, "/console/quotes/", number, "/");
		buf_adds(b, verbs[i][0]);
		buf_adds(b, "\">");
		csrf_field(b, who);
		html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"%s\">"
			    "<button>%s</button></form> ", back,
			    T(l, verbs[i][1]));
	}
}

static bool
answerable(const struct quote_row *q, int64_t now)
{
	return strcmp(q->state, "sent") == 0 && now <= q->valid_until;
}

static void
quote_rows(struct app *app, struct buf *b, const char *l,
	   const struct login *who, const struct quote_row *q, size_t n,
	   int64_t now, bool buttons, const char *back, struct arena *a)
{
	html_printf(b, "<table><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr>", T(l, "Número"),
		    T(l, "Tipo"), T(l, "Ticket"), T(l, "Descripción"),
		    T(l, "Horas"), T(l, "Subtotal"), T(l, "IVA"),
		    T(l, "Total"), T(l, "Vigente hasta"), T(l, "Estado"));
	for (size_t i = 0; i < n; i++) {
		char h[32], s[32], iva[32], tot[32], until[48];
		struct ticket_row t;
		bool open = answerable(&q[i], now);

		html_printf(b, "<tr data-quote=\"%s\" data-state=\"%s\"><td>%s</td>"
			    "<td>%s</td><td>", q[i].number, q[i].state,
			    q[i].number, label(l, quote_kinds, q[i].kind));
		if (q[i].ticket_id &&
		    store_ticket_get(app->store, a, &t, app->provider_id,
				     q[i].ticket_id, NULL) == 0) {
			url_to(b, "<a href=\"/console/t/", t.folio, "\">");
			html_printf(b, "%s</a>", t.folio);
		}
		html_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s</td><td>",
			    q[i].description, hm(q[i].minutes, h),
			    pesos(q[i].subtotal_centavos, s),
			    pesos(q[i].iva_centavos, iva),
			    pesos(q[i].subtotal_centavos + q[i].iva_centavos, tot),
			    day_text(app, q[i].valid_until, l, until),
			    strcmp(q[i].state, "sent") == 0 && !open ?
			    T(l, "vencida") : label(l, quote_states, q[i].state));
		if (buttons && open)
			decide_buttons(b, l, who, q[i].number, back);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</table>");
}

/* ---- the ticket page's section -------------------------------------- */

void
portal_header_links(struct buf *b, const char *lang, const struct login *who)
{
	if (who == NULL)
		return;
	html_printf(b, "<a href=\"/console/contracts\">%s</a>"
		    "<a href=\"/console/quotes\">%s</a>", T(lang, "Pólizas"),
		    T(lang, "Cotizaciones"));
}

static void
escalation_section(struct app *app, struct buf *b, const char *l,
		   const struct login *who, const struct ticket_view *v)
{
	const struct sla_def *s = &app->policy->sla;
	bool agent = strcmp(who->who.kind, "agent") == 0;
	char now[200];
	int level;

	/* SLA-5: one step up the ladder; a customer may ask where the
	 * pack allows it. */
	if (s->nladder < 2 || (!agent && !s->customer_may_request) ||
	    !lifecycle_is_active(lifecycle_state_parse(v->t.state)))
		return;
	level = app_escalation_level(app, v->t.id);
	snprintf(now, sizeof now, T(l, "Nivel actual: %s (%d de %d, SLA-5)."),
		 label(l, roles, policy_role_name(s->ladder[level < s->nladder ?
							   level : s->nladder - 1])),
		 level + 1, (int)s->nladder);
	html_printf(b, "<h2>%s</h2><p class=\"meta\">%s</p>",
		    T(l, "Escalamiento"), now);
	if (level + 1 >= s->nladder)
		return;
	buf_adds(b, "<form method=\"post\" action=\"");
	url_to(b, "/console/t/", v->t.folio, "/escalate\">");
	csrf_field(b, who);
	html_printf(b, "<label>%s <input name=\"reason\" size=\"50\" "
		    "maxlength=\"2000\"></label> <button>%s (%s: %s)</button>"
		    "</form>", T(l, "Motivo"), agent ? T(l, "Escalar") :
		    T(l, "Pedir escalamiento"), T(l, "siguiente nivel"),
		    label(l, roles, policy_role_name(s->ladder[level + 1])));
}

void
portal_ticket_section(struct app *app, struct http_req *r,
		      const struct login *who, const struct ticket_view *v,
		      struct buf *b)
{
	const char *l = r->lang;
	bool agent = strcmp(who->who.kind, "agent") == 0;
	int64_t now = (int64_t)time(NULL);
	struct quote_row *q;
	size_t n = 0;

	if (agent) {
		/* BILL-1..8: what the attendance form would debit, as it is
		 * filled in (web/attend.js); the form works without it. */
		buf_adds(b, "<p class=\"meta\" id=\"attend-preview\" "
			 "aria-live=\"polite\" data-preview=\"");
		url_to(b, "/console/t/", v->t.folio, "/preview\"></p>");
		buf_adds(b, "<script src=\"/static/attend.js\" defer></script>");
	}
	if (app_quote_list_as(app, &r->arena, &q, &n, v->t.folio, NULL,
			      &who->who, NULL))
		n = 0;
	if (n || agent) {
		html_printf(b, "<h2>%s</h2>", T(l, "Cotizaciones y "
						 "estimaciones"));
		if (n)
			quote_rows(app, b, l, who, q, n, now, !agent, "ticket",
				   &r->arena);
		else
			html_printf(b, "<p class=\"meta\">%s</p>",
				    T(l, "Ninguna en este ticket."));
	}
	if (agent) {
		/* BILL-7: quote what is missing; BILL-8: an estimate the
		 * customer authorises before a póliza is debited. */
		buf_adds(b, "<form method=\"post\" action=\"");
		url_to(b, "/console/t/", v->t.folio, "/quote\">");
		csrf_field(b, who);
		html_printf(b, "<p><label>%s <select name=\"kind\">"
			    "<option value=\"quote\">%s (BILL-7)</option>"
			    "<option value=\"estimate\">%s (BILL-8)"
			    "</option></select></label> <label>%s <input "
			    "name=\"minutes\" type=\"number\" min=\"1\" required>"
			    "</label> <label>%s <input "
			    "name=\"amount\" inputmode=\"decimal\" "
			    "pattern=\"[0-9]+(\\.[0-9]{1,2})?\" required></label>"
			    "</p><p><label>%s<br><input "
			    "name=\"description\" size=\"70\" maxlength=\"4000\" "
			    "required></label></p><p><button>%s"
			    "</button></p></form>", T(l, "Tipo"),
			    T(l, "Cotización"), T(l, "Estimación"),
			    T(l, "Minutos"), T(l, "Importe sin IVA (MXN)"),
			    T(l, "Descripción"), T(l, "Enviar al cliente"));
	}
	escalation_section(app, b, l, who, v);
}

/* GET /console/t/FOLIO/preview?minutes=&modality=&warranty=: the live
 * preview as JSON, for web/attend.js; the same answer as the API's
 * POST .../attendances/preview, computed as the console's form logs it
 * (the attendance ends now). */
static void
preview_json(struct app *app, struct http_req *r, const char *folio,
	     struct http_res *out)
{
	struct attendance_input in = { 0 };
	struct attendance_preview p;
	struct sp_err err = { 0 };
	struct login who;
	const char *mv = http_query(r, "minutes");
	const char *w = http_query(r, "warranty");
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!page_signed_in(app, r, &who, out)) {
		free(out->body);
		memset(out, 0, sizeof *out);
		api_reply_error(out, 401, "unauthorized",
				T(r->lang, "Vuelva a entrar."), NULL);
		return;
	}
	if (strcmp(who.who.kind, "agent") != 0) {
		api_reply_error(out, 403, "forbidden",
				T(r->lang, "Esto es para los agentes del "
				  "proveedor."), NULL);
		return;
	}
	if (mv == NULL || str_to_i64(&in.minutes, mv, 1, 24 * 60)) {
		api_reply_error(out, 422, "invalid",
				T(r->lang, "Los minutos van de 1 a 1440."),
				"minutes");
		return;
	}
	in.ticket = folio;
	in.modality = http_query(r, "modality") ? http_query(r, "modality")
						: "remote";
	in.warranty = w && strcmp(w, "1") == 0;
	in.start = now - in.minutes * 60;
	rc = app_attendance_preview(app, &p, now, &who.who, &in, &err);
	if (rc && !p.computed) {
		api_reply_err(out, &err);
		return;
	}
	api_reply_json(out, 200, api_contracts_preview_json(&p, rc, &err,
							    r->lang));
}

static void
quote_create_post(struct app *app, struct http_req *r, const char *folio,
		  struct http_res *out)
{
	struct quote_input in = { 0 };
	struct sp_err err = { 0 };
	struct login who;
	struct buf u;
	char number[64];
	const char *mv = http_form(r, "minutes");

	if (!page_signed_in(app, r, &who, out) ||
	    !page_csrf_ok(r, &who, out))
		return;
	ticket_path(&u, folio);
	in.ticket = folio;
	in.kind = http_form(r, "kind");
	in.description = http_form(r, "description");
	if (mv == NULL || str_to_i64(&in.minutes, mv, 1, 100000 * 60))
		sp_err_set(&err, SP_EINVAL, "minutes", "%s", T(r->lang,
			   "Los minutos son un número entero desde 1."));
	else if (!parse_pesos(http_form(r, "amount"), &in.subtotal_centavos))
		sp_err_set(&err, SP_EINVAL, "amount", "%s", T(r->lang,
			   "El importe es en pesos, como 1500 o 1500.50."));
	if (err.code || app_quote_create(app, number, (int64_t)time(NULL),
					 &who.who, &in, &err)) {
		refused(app, r, &who, out, &err, u.ptr);
		buf_free(&u);
		return;
	}
	page_redirect(out, u.ptr);
	buf_free(&u);
}

static void
escalate_post(struct app *app, struct http_req *r, const char *folio,
	      struct http_res *out)
{
	struct sp_err err = { 0 };
	struct login who;
	struct buf u;
	const char *reason = http_form(r, "reason");

	if (!page_signed_in(app, r, &who, out) ||
	    !page_csrf_ok(r, &who, out))
		return;
	ticket_path(&u, folio);
	if (app_ticket_escalate(app, (int64_t)time(NULL), &who.who, folio,
				reason && *reason ? reason : NULL, &err))
		refused(app, r, &who, out, &err, u.ptr);
	else
		page_redirect(out, u.ptr);
	buf_free(&u);
}

/* BILL-7, BILL-8: the customer's answer, recorded with the channel
 * "portal"; back to the ticket or to the list it was given from. */
static void
quote_decide_post(struct app *app, struct http_req *r, const char *number,
		  bool approve, struct http_res *out)
{
	struct sp_err err = { 0 };
	struct login who;
	struct quote_row q;
	struct ticket_row t;
	struct buf u;
	const char *back = http_form(r, "back");

	if (!page_signed_in(app, r, &who, out) ||
	    !page_csrf_ok(r, &who, out))
		return;
	if (app_quote_decide(app, (int64_t)time(NULL), &who.who, number,
			     approve, "portal", &err)) {
		refused(app, r, &who, out, &err, "/console/quotes");
		return;
	}
	if (back && strcmp(back, "ticket") == 0 &&
	    app_quote_get_as(app, &r->arena, &q, number, &who.who, NULL) == 0 &&
	    q.ticket_id &&
	    store_ticket_get(app->store, &r->arena, &t, app->provider_id,
			     q.ticket_id, NULL) == 0) {
		ticket_path(&u, t.folio);
		page_redirect(out, u.ptr);
		buf_free(&u);
		return;
	}
	page_redirect(out, "/console/quotes");
}

/* ---- contracts ------------------------------------------------------- */

static const char *
org_name(struct app *app, struct arena *a, int64_t id)
{
	struct org_row o;

	if (id && store_org_get(app->store, a, &o, app->provider_id, id,
				NULL) == 0)
		return o.name;
	return "—";
}

static const char *
plan_name(struct app *app, const char *plan, const char *lang)
{
	int pl = policy_plan_index(app->policy, plan);

	return pl >= 0 && app->policy->plans[pl].name.es ?
	       policy_text(&app->policy->plans[pl].name, lang) : plan;
}

/* REP-2, PLAN-3: the organization's contracts, with what is left. */
static void
contracts_page(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *l;
	struct contract_status *cs;
	struct login who;
	struct buf b;
	size_t n;
	bool agent;
	int64_t now = (int64_t)time(NULL);

	if (!page_signed_in(app, r, &who, out))
		return;
	l = r->lang;
	agent = strcmp(who.who.kind, "agent") == 0;
	buf_init(&b, 16 << 20);
	page_head(&b, r, app, T(l, "Pólizas"), &who);
	if (app_contract_list_as(app, &r->arena, &cs, &n, NULL, now, &who.who,
				 NULL)) {
		html_printf(&b, "<p class=\"err\">%s</p></main></body></html>",
			    T(l, "No se pudieron leer las pólizas."));
		page_send(out, 500, &b);
		return;
	}
	html_printf(&b, "<h1>%s</h1><p class=\"meta\">%s</p>", T(l, "Pólizas"),
		    T(l, "Una póliza termina cuando se agotan sus horas o su "
		      "vigencia, lo que ocurra primero (PLAN-3)."));
	if (n == 0) {
		html_printf(&b, "<p>%s</p></main></body></html>",
			    T(l, "No hay pólizas."));
		page_send(out, 200, &b);
		return;
	}
	html_printf(&b, "<table><tr><th>%s</th>", T(l, "Número"));
	if (agent)
		html_printf(&b, "<th>%s</th>", T(l, "Cliente"));
	html_printf(&b, "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s"
		    "</th><th>%s</th><th></th></tr>", T(l, "Plan"),
		    T(l, "Vigencia"), T(l, "Horas"), T(l, "Usadas"),
		    T(l, "Disponibles"), T(l, "Estado"));
	for (size_t i = 0; i < n; i++) {
		const struct contract_status *s = &cs[i];
		char term[128], bank[32], used[32], left[32];

		url_to(&b, "<tr><td><a href=\"/console/contracts/", s->c.number,
		       "\">");
		html_printf(&b, "%s</a></td>", s->c.number);
		if (agent)
			html_printf(&b, "<td>%s</td>",
				    org_name(app, &r->arena, s->c.organization_id));
		html_printf(&b, "<td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s%s%s</td><td>",
			    plan_name(app, s->c.plan, l),
			    term_text(app, &s->c, l, term),
			    s->c.bank_minutes ? hm(s->c.bank_minutes, bank) :
			    T(l, "sin bolsa"), hm(s->consumed, used),
			    s->c.bank_minutes ? hm(s->balance, left) : "—",
			    label(l, contract_states, s->c.state),
			    s->usable ? "" : " · ", s->usable ? "" : s->why);
		url_to(&b, "<a href=\"/console/contracts/", s->c.number,
		       "/certificate\">");
		html_printf(&b, "%s</a></td></tr>", T(l, "Certificado"));
	}
	buf_adds(&b, "</table></main></body></html>");
	page_send(out, 200, &b);
}

/* A contract's ledger and its consumption reports (BILL-9): each
 * attendance with the service, the time debited, the factors applied
 * and the balance left. */
static void
contract_page(struct app *app, struct http_req *r, const char *number,
	      struct http_res *out)
{
	const char *l;
	struct contract_status st;
	struct ledger_entry *e;
	struct login who;
	struct buf b;
	size_t n;
	int64_t now = (int64_t)time(NULL);
	char term[128], x[32], y[32], z[32];
	bool any = false;

	if (!page_signed_in(app, r, &who, out))
		return;
	l = r->lang;
	if (app_contract_status_as(app, &r->arena, &st, number, now, &who.who,
				   NULL) ||
	    app_contract_ledger(app, &r->arena, &e, &n, &st.c, NULL)) {
		not_found(app, r, &who, out, T(l, "No existe esa póliza."));
		return;
	}
	buf_init(&b, 16 << 20);
	page_head(&b, r, app, st.c.number, &who);
	html_printf(&b, "<h1>%s %s</h1><p class=\"meta\">%s · %s (%s) · %s · "
		    "%s%s%s</p>", T(l, "Póliza"), st.c.number,
		    org_name(app, &r->arena, st.c.organization_id),
		    plan_name(app, st.c.plan, l),
		    label(l, contract_kinds, st.c.kind),
		    term_text(app, &st.c, l, term),
		    label(l, contract_states, st.c.state),
		    st.usable ? "" : " · ", st.usable ? "" : st.why);
	if (st.c.bank_minutes)
		html_printf(&b, "<p id=\"balance\"><span class=\"clock\">%s: "
			    "%s</span><span class=\"clock\">%s: %s</span>"
			    "<span class=\"clock\">%s: %s</span></p>",
			    T(l, "Horas"), hm(st.c.bank_minutes, x),
			    T(l, "Usadas"), hm(st.consumed, y),
			    T(l, "Disponibles"), hm(st.balance, z));
	else
		html_printf(&b, "<p id=\"balance\"><span class=\"clock\">%s: "
			    "%s</span></p>", T(l, "Sin bolsa de horas; usadas"),
			    hm(st.consumed, y));
	url_to(&b, "<p><a href=\"/console/contracts/", st.c.number,
	       "/certificate\">");
	html_printf(&b, "%s</a></p>", T(l, "Certificado de la póliza (PLAN-5)"));
	html_printf(&b, "<h2>%s</h2><table><tr><th>%s</th><th>%s</th><th>%s"
		    "</th><th>%s</th><th>%s</th></tr>", T(l, "Movimientos"),
		    T(l, "Fecha"), T(l, "Movimiento"), T(l, "Minutos"),
		    T(l, "Saldo"), T(l, "Detalle"));
	for (size_t i = 0; i < n; i++) {
		char t[40];

		html_printf(&b, "<tr><td>%s</td><td>%s</td><td>%lld</td><td>%s"
			    "</td><td>", app_time_for(app, e[i].l.at, l, t),
			    label(l, ledger_kinds, e[i].l.kind),
			    (long long)e[i].l.minutes, hm(e[i].balance, x));
		if (e[i].folio) {
			url_to(&b, "<a href=\"/console/t/", e[i].folio, "\">");
			html_printf(&b, "%s</a>", e[i].folio);
		} else if (e[i].l.reason) {
			html_printf(&b, "%s", e[i].l.reason);
		}
		buf_adds(&b, "</td></tr>");
	}
	html_printf(&b, "</table><h2>%s</h2>",
		    T(l, "Reportes de consumo (BILL-9)"));
	for (size_t i = 0; i < n; i++) {
		const struct attendance_row *at = &e[i].at;
		json_t *steps;
		char t[40];

		if (!e[i].has_attendance)
			continue;
		any = true;
		html_printf(&b, "<div class=\"msg\" style=\"white-space:normal\">"
			    "<strong>%s: %s, %s, %lld %s</strong>",
			    T(l, "Servicio"), app_time_for(app, at->start_at, l, t),
			    label(l, modalities, at->modality),
			    (long long)at->minutes, T(l, "min trabajados"));
		if (e[i].folio) {
			buf_adds(&b, " · ticket ");
			url_to(&b, "<a href=\"/console/t/", e[i].folio, "\">");
			html_printf(&b, "%s</a>", e[i].folio);
		}
		buf_adds(&b, "<ul>");
		steps = json_loads(at->steps ? at->steps : "[]", 0, NULL);
		for (size_t k = 0; k < json_array_size(steps); k++) {
			json_t *s = json_array_get(steps, k);
			char num[80];

			snprintf(num, sizeof num, "%.2f → %.2f min",
				 json_number_value(json_object_get(s,
							"before_minutes")),
				 json_number_value(json_object_get(s,
							"after_minutes")));
			html_printf(&b, "<li>%s: %s</li>",
				    label(l, step_rules, json_string_value(
					    json_object_get(s, "rule"))), num);
		}
		json_decref(steps);
		html_printf(&b, "</ul>%s: %s · %s: %s</div>",
			    T(l, "Descontado de esta póliza"),
			    hm(-e[i].l.minutes, x), T(l, "saldo después"),
			    hm(e[i].balance, y));
	}
	if (!any)
		html_printf(&b, "<p class=\"meta\">%s</p>",
			    T(l, "Sin atenciones todavía."));
	buf_adds(&b, "</main></body></html>");
	page_send(out, 200, &b);
}

/* PLAN-5 (Intecnia): the certificate with the contract's number, kind,
 * term and products covered, to print; the provider seals it. */
static void
certificate_page(struct app *app, struct http_req *r, const char *number,
		 struct http_res *out)
{
	const struct policy *p = app->policy;
	const char *l;
	struct contract_status st;
	struct login who;
	struct buf b;
	char term[128], bank[32];
	json_t *products;

	if (!page_signed_in(app, r, &who, out))
		return;
	l = r->lang;
	if (app_contract_status_as(app, &r->arena, &st, number,
				   (int64_t)time(NULL), &who.who, NULL)) {
		not_found(app, r, &who, out, T(l, "No existe esa póliza."));
		return;
	}
	buf_init(&b, 1 << 20);
	page_head(&b, r, app, T(l, "Certificado"), &who);
	buf_adds(&b, "<style>@media print{header{display:none}main{max-width:"
		 "none}}.cert{background:#fff;border:3px double #1f3b57;"
		 "padding:2em 2.5em;max-width:46em}.cert th{width:14em;"
		 "vertical-align:top}.seal{margin-top:3em;display:flex;"
		 "justify-content:space-between}.seal div{border-top:1px solid "
		 "#1d2430;padding-top:.3em;width:16em;text-align:center}</style>");
	html_printf(&b, "<section class=\"cert\" id=\"certificate\"><p>%s</p>"
		    "<h1>%s</h1><table>"
		    "<tr><th>%s</th><td>%s</td></tr>"
		    "<tr><th>%s</th><td>%s</td></tr>"
		    "<tr><th>%s</th><td>%s (%s)</td></tr>"
		    "<tr><th>%s</th><td>%s</td></tr>"
		    "<tr><th>%s</th><td>%s</td></tr>",
		    p->provider.name ? p->provider.name : p->provider.short_name,
		    T(l, "Certificado de póliza de soporte técnico"),
		    T(l, "Número de póliza"), st.c.number,
		    T(l, "Cliente"), org_name(app, &r->arena,
					      st.c.organization_id),
		    T(l, "Tipo"), plan_name(app, st.c.plan, l),
		    label(l, contract_kinds, st.c.kind),
		    T(l, "Vigencia"), term_text(app, &st.c, l, term),
		    T(l, "Horas"), st.c.bank_minutes ?
		    hm(st.c.bank_minutes, bank) : T(l, "según el plan"));
	if (st.c.office_minutes || st.c.onsite_minutes) {
		char text[160];

		snprintf(text, sizeof text, T(l, "%lld h en nuestras oficinas, "
					      "%lld h en sitio"),
			 (long long)(st.c.office_minutes / 60),
			 (long long)(st.c.onsite_minutes / 60));
		html_printf(&b, "<tr><th>%s</th><td>%s</td></tr>",
			    T(l, "Asesoría incluida"), text);
	}
	html_printf(&b, "<tr><th>%s</th><td>", T(l, "Productos"));
	products = st.c.products ? json_loads(st.c.products, 0, NULL) : NULL;
	if (json_is_array(products) && json_array_size(products) > 0) {
		buf_adds(&b, "<ul>");
		for (size_t i = 0; i < json_array_size(products); i++) {
			const char *code = json_string_value(
				json_array_get(products, i));
			struct product_row pr;

			if (code == NULL)
				continue;
			if (store_product_find(app->store, &r->arena, &pr,
					       app->provider_id, code, NULL) == 0)
				html_printf(&b, "<li>%s (%s)</li>", pr.name, code);
			else
				html_printf(&b, "<li>%s</li>", code);
		}
		buf_adds(&b, "</ul>");
	} else if (st.c.products && products == NULL) {
		html_printf(&b, "%s", st.c.products);
	} else {
		char text[300];

		snprintf(text, sizeof text, T(l, "Todos los productos y servicios "
					      "suministrados por %s"),
			 p->provider.short_name);
		html_printf(&b, "%s", text);
	}
	json_decref(products);
	html_printf(&b, "</td></tr><tr><th>%s</th><td>%s</td></tr></table>"
		    "<p class=\"meta\">%s</p><div class=\"seal\"><div>%s</div>"
		    "<div>%s</div></div></section><p class=\"meta\">%s</p>"
		    "</main></body></html>", T(l, "Estado"),
		    label(l, contract_states, st.c.state),
		    T(l, "La póliza termina cuando se agotan sus horas o su "
		      "vigencia, lo que ocurra primero (PLAN-3)."),
		    T(l, "Sello de la empresa"), T(l, "Firma autorizada"),
		    T(l, "Para imprimirlo use la opción Imprimir del "
		      "navegador."));
	page_send(out, 200, &b);
}

/* ---- quotes ---------------------------------------------------------- */

/* The quotes and estimates waiting for the customer's answer (BILL-7,
 * BILL-8), then the rest. */
static void
quotes_page(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *l;
	struct quote_row *q, *open, *rest;
	struct login who;
	struct buf b;
	size_t n, no = 0, nr = 0;
	bool agent;
	int64_t now = (int64_t)time(NULL);

	if (!page_signed_in(app, r, &who, out))
		return;
	l = r->lang;
	agent = strcmp(who.who.kind, "agent") == 0;
	buf_init(&b, 16 << 20);
	page_head(&b, r, app, T(l, "Cotizaciones"), &who);
	if (app_quote_list_as(app, &r->arena, &q, &n, NULL, NULL, &who.who,
			      NULL) ||
	    (open = arena_calloc(&r->arena, n + 1, sizeof *open)) == NULL ||
	    (rest = arena_calloc(&r->arena, n + 1, sizeof *rest)) == NULL) {
		html_printf(&b, "<p class=\"err\">%s</p></main></body></html>",
			    T(l, "No se pudieron leer las cotizaciones."));
		page_send(out, 500, &b);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (answerable(&q[i], now))
			open[no++] = q[i];
		else
			rest[nr++] = q[i];
	}
	html_printf(&b, "<h1>%s</h1><h2>%s</h2>",
		    T(l, "Cotizaciones y estimaciones"),
		    agent ? T(l, "Esperando la respuesta del cliente") :
		    T(l, "Por autorizar"));
	if (no)
		quote_rows(app, &b, l, &who, open, no, now, !agent, "quotes",
			   &r->arena);
	else
		html_printf(&b, "<p class=\"meta\">%s</p>",
			    T(l, "Nada pendiente."));
	if (!agent)
		html_printf(&b, "<p class=\"meta\">%s</p>",
			    T(l, "Una cotización aprobada se atiende al recibir "
			      "el comprobante de pago u orden de compra "
			      "(BILL-7); una estimación aprobada autoriza a "
			      "descontar esas horas de su póliza (BILL-8)."));
	if (nr) {
		html_printf(&b, "<h2>%s</h2>", T(l, "Historial"));
		quote_rows(app, &b, l, &who, rest, nr, now, false, "quotes",
			   &r->arena);
	}
	buf_adds(&b, "</main></body></html>");
	page_send(out, 200, &b);
}

/* ---- routing --------------------------------------------------------- */

/* The path after `prefix` when it is one segment (no '/'); NULL else. */
static const char *
segment(const char *path, const char *prefix, char *out, size_t size)
{
	size_t n = strlen(prefix), k;

	if (strncmp(path, prefix, n) != 0)
		return NULL;
	path += n;
	k = strcspn(path, "/");
	if (k == 0 || k >= size)
		return NULL;
	memcpy(out, path, k);
	out[k] = '\0';
	return path + k;
}

bool
portal_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *p = r->path, *rest;
	bool get = strcmp(r->method, "GET") == 0;
	bool post = strcmp(r->method, "POST") == 0;
	char key[96];

	if (strcmp(p, "/console/contracts") == 0 && get) {
		contracts_page(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/console/contracts/", key, sizeof key)) && get) {
		if (*rest == '\0')
			contract_page(app, r, key, out);
		else if (strcmp(rest, "/certificate") == 0)
			certificate_page(app, r, key, out);
		else
			return false;
		return true;
	}
	if (strcmp(p, "/console/quotes") == 0 && get) {
		quotes_page(app, r, out);
		return true;
	}
	if ((rest = segment(p, "/console/quotes/", key, sizeof key)) && post &&
	    (strcmp(rest, "/approve") == 0 || strcmp(rest, "/reject") == 0)) {
		quote_decide_post(app, r, key, rest[1] == 'a', out);
		return true;
	}
	if ((rest = segment(p, "/console/t/", key, sizeof key))) {
		if (get && strcmp(rest, "/preview") == 0)
			preview_json(app, r, key, out);
		else if (post && strcmp(rest, "/quote") == 0)
			quote_create_post(app, r, key, out);
		else if (post && strcmp(rest, "/escalate") == 0)
			escalate_post(app, r, key, out);
		else
			return false;
		return true;
	}
	return false;
}
