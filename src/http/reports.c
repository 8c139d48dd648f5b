/* reports.c — the console's reports (REP-1, REP-2): SLA compliance by
 * priority and month, and hours consumed and left per contract, each an
 * inline SVG chart (util/svg.h; the page's CSP forbids inline script,
 * not inline SVG) followed by a table of the same figures for screen
 * readers and print. Agents only: for a customer the page does not
 * exist (PRIV-2). */
#include "pages.h"

#include "../util/html.h"
#include "../util/i18n.h"
#include "../util/svg.h"
#include "../zone/zone.h"

#include <string.h>
#include <time.h>

#define EXPIRING_DAYS 30

/* SLA-6: the two clocks, in the order the console shows them. */
static const struct {
	const char *id, *name;
} clocks[] = {
	{ "first-response", N_("Primera respuesta") },
	{ "resolution", N_("Resolución") },
};

static const struct sla_figures *
figures(const struct sla_month_row *r, size_t clock)
{
	return clock == 0 ? &r->first_response : &r->resolution;
}

/* Minutes as h:mm, with a sign when negative (an overdrawn bank). */
static const char *
hm(int64_t minutes, char out[32])
{
	unsigned long long m = (unsigned long long)(minutes < 0 ? -minutes :
						    minutes);

	snprintf(out, 32, "%s%llu:%02llu", minutes < 0 ? "-" : "", m / 60,
		 m % 60);
	return out;
}

static bool
has_target(struct app *app, const struct sla_month_report *rep, size_t clock)
{
	for (size_t p = 0; p < app->policy->npriorities; p++) {
		const struct priority_def *d = &app->policy->priorities[p];

		if ((clock == 0 ? d->first_response : d->resolution).unit !=
		    DUR_NONE)
			return true;
	}
	/* A plan may set targets its priorities do not. */
	for (size_t i = 0; i < rep->nrows; i++)
		if (figures(&rep->rows[i], clock)->tickets)
			return true;
	return false;
}

/* REP-1: one clock's chart (months along, a bar per priority, met,
 * breached and open stacked) and its table. */
static void
sla_clock(struct buf *b, struct app *app, struct arena *a, const char *l,
	  const struct sla_month_report *rep, size_t clock)
{
	const char *stacks[] = { T(l, "Cumplidos"), T(l, "Incumplidos"),
				 T(l, "Abiertos") };
	const char *name = T(l, clocks[clock].name);
	const struct policy *p = app->policy;
	size_t np = p->npriorities;
	const char **months = arena_calloc(a, rep->nmonths + 1, sizeof *months);
	const char **prios = arena_calloc(a, np + 1, sizeof *prios);
	double *v = arena_calloc(a, rep->nrows * 3 + 1, sizeof *v);
	struct svg_chart c;
	char id[40], title[300];
	struct buf names, desc, order;

	html_printf(b, "<h3>%s</h3>", name);
	if (!has_target(app, rep, clock)) {
		snprintf(title, sizeof title, T(l, "%s no fija objetivo de %s."),
			 p->provider.short_name, name);
		html_printf(b, "<p class=\"meta\">%s</p>", title);
		return;
	}
	if (months == NULL || prios == NULL || v == NULL) {
		html_printf(b, "<p class=\"err\">%s</p>",
			    T(l, "Sin memoria para el informe."));
		return;
	}
	for (size_t m = 0; m < rep->nmonths; m++)
		months[m] = rep->rows[m * np].month;
	for (size_t i = 0; i < np; i++)
		prios[i] = policy_text(&p->priorities[i].name, l);
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct sla_figures *f = figures(&rep->rows[i], clock);

		v[i * 3] = f->met;
		v[i * 3 + 1] = f->breached;
		v[i * 3 + 2] = f->running;
	}
	snprintf(id, sizeof id, "sla-%s", clocks[clock].id);
	snprintf(title, sizeof title, T(l, "%s: cumplimiento del SLA por "
					"prioridad y mes, %s a %s"), name,
		 rep->from, rep->to);
	buf_init(&names, 1024);
	for (size_t i = 0; i < np; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", prios[i]);
	buf_init(&desc, 4096);
	buf_printf(&desc, T(l, "Barras agrupadas por mes de creación, una por "
			    "prioridad (%s); cada barra apila los tickets "
			    "cumplidos, incumplidos y abiertos. La tabla "
			    "siguiente da las mismas cifras."), names.ptr);
	buf_init(&order, 4096);
	buf_printf(&order, T(l, "En cada mes, de izquierda a derecha: %s"),
		   names.ptr);
	buf_free(&names);
	c = (struct svg_chart){
		.id = id, .title = title, .desc = desc.ptr, .groups = months,
		.ngroups = rep->nmonths, .bars = prios, .nbars = np,
		.stacks = stacks, .nstacks = 3, .values = v, .unit = "tickets",
		.caption = order.ptr,
	};
	buf_adds(b, "<figure>");
	if (svg_bars(b, &c))
		html_printf(b, "<p class=\"err\">%s</p>",
			    T(l, "No se pudo dibujar la gráfica."));
	buf_adds(b, "</figure>");
	buf_free(&desc);
	buf_free(&order);
	snprintf(title, sizeof title, T(l, "%s por mes y prioridad (minutos "
					"hábiles)"), name);
	html_printf(b, "<table id=\"%s-table\"><caption>%s</caption><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr>", id, title, T(l, "Mes"),
		    T(l, "Prioridad"), T(l, "Tickets"), stacks[0], stacks[1],
		    stacks[2], T(l, "Cumplimiento"), T(l, "Promedio"),
		    T(l, "Máximo"));
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct sla_month_row *r = &rep->rows[i];
		const struct sla_figures *f = figures(r, clock);
		int done = f->met + f->breached;
		char pct[16];

		if (done)
			snprintf(pct, sizeof pct, "%d %%",
				 (f->met * 100 + done / 2) / done);
		else
			snprintf(pct, sizeof pct, "—");
		html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td>"
			    "<td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
			    "<td>%s</td><td>%lld</td><td>%lld</td></tr>",
			    r->month, prios[r->priority_index], f->tickets,
			    f->met, f->breached, f->running, pct,
			    (long long)(f->stopped ? f->total_minutes /
					f->stopped : 0),
			    (long long)f->max_minutes);
	}
	buf_adds(b, "</table>");
}

/* REP-2: consumed and left per contract, end to end, and the table. */
static void
hours(struct buf *b, struct app *app, struct http_req *r,
      const struct login *who, int64_t now)
{
	const char *l = r->lang;
	const char *stacks[] = { T(l, "Consumidas"), T(l, "Disponibles") };
	static const unsigned colors[] = { 0, 2 };
	struct hours_report_row *rows;
	struct svg_chart c;
	struct arena *a = &r->arena;
	const char **names, **notes;
	char text[300];
	double *v;
	size_t n;

	snprintf(text, sizeof text, T(l, "Contratos pagados, con sus horas "
				       "compradas, consumidas y disponibles; se "
				       "marcan los que vencen en los próximos "
				       "%d días."), EXPIRING_DAYS);
	html_printf(b, "<h2>%s</h2><p class=\"meta\">%s</p>",
		    T(l, "Horas por contrato (REP-2)"), text);
	if (app_report_hours(app, a, &rows, &n, &who->who, NULL, EXPIRING_DAYS,
			     now, NULL)) {
		html_printf(b, "<p class=\"err\">%s</p>",
			    T(l, "No se pudieron leer los contratos."));
		return;
	}
	if (n == 0) {
		html_printf(b, "<p>%s</p>", T(l, "No hay contratos pagados."));
		return;
	}
	names = arena_calloc(a, n, sizeof *names);
	notes = arena_calloc(a, n, sizeof *notes);
	v = arena_calloc(a, n * 2, sizeof *v);
	if (names == NULL || notes == NULL || v == NULL) {
		html_printf(b, "<p class=\"err\">%s</p>",
			    T(l, "Sin memoria para el informe."));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(rows[i].s.c.number) +
			     strlen(rows[i].organization) + 8;
		char used[32], total[32], *name = arena_alloc(a, len);
		char *note = arena_alloc(a, 80);

		if (name == NULL || note == NULL)
			return;
		snprintf(name, len, "%s · %s", rows[i].s.c.number,
			 rows[i].organization);
		/* Used of what was bought: a bank without hours (a term
		 * retainer) shows its use alone. */
		if (rows[i].bought > 0)
			snprintf(note, 80, T(l, "%s de %s h"),
				 hm(rows[i].s.consumed, used),
				 hm(rows[i].bought, total));
		else
			snprintf(note, 80, "%s h", hm(rows[i].s.consumed, used));
		names[i] = name;
		notes[i] = note;
		v[i * 2] = (double)rows[i].s.consumed / 60;
		v[i * 2 + 1] = rows[i].left > 0 ? (double)rows[i].left / 60 : 0;
	}
	c = (struct svg_chart){
		.id = "hours",
		.title = T(l, "Horas consumidas y disponibles por contrato"),
		.desc = T(l, "Una barra por contrato: las horas consumidas y, a "
			  "continuación, las disponibles. La tabla siguiente "
			  "da las mismas cifras en horas y minutos."),
		.groups = names, .ngroups = n, .nbars = 1, .stacks = stacks,
		.nstacks = 2, .values = v, .colors = colors, .unit = "h",
		.notes = notes,
	};
	buf_adds(b, "<figure>");
	if (svg_hbars(b, &c))
		html_printf(b, "<p class=\"err\">%s</p>",
			    T(l, "No se pudo dibujar la gráfica."));
	html_printf(b, "</figure><table id=\"hours-table\"><caption>%s"
		    "</caption><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr>",
		    T(l, "Horas por contrato (h:mm)"), T(l, "Contrato"),
		    T(l, "Cliente"), T(l, "Plan"), T(l, "Estado"),
		    T(l, "Compradas"), stacks[0], T(l, "Ajustes"), stacks[1],
		    T(l, "Vence"), T(l, "Consumo por mes"));
	for (size_t i = 0; i < n; i++) {
		const struct hours_report_row *h = &rows[i];
		char t1[32], t2[32], t3[32], t4[32], end[40];

		app_date_for(app, h->s.c.ends_at, l, end);
		html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s%s%s</td><td>",
			    h->s.c.number, h->organization, h->s.c.plan,
			    h->s.c.state, hm(h->bought, t1),
			    hm(h->s.consumed, t2), hm(h->adjusted, t3),
			    hm(h->left, t4), end, h->expiring ? " · " : "",
			    h->expiring ? T(l, "vence pronto") : "");
		for (size_t m = 0; m < h->nmonths; m++)
			html_printf(b, "%s%s: %s", m ? ", " : "",
				    h->by_month[m].month,
				    hm(h->by_month[m].minutes, t1));
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</table>");
}

static void
reports_page(struct app *app, struct http_req *r, const struct login *who,
	     struct http_res *out)
{
	const char *l = r->lang;
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	int64_t now = (int64_t)time(NULL);
	struct sla_month_report rep;
	struct sp_err err = { 0 };
	struct buf b;
	int status = 200;
	bool ok;

	ok = app_report_sla_months(app, &r->arena, &rep, from, to, now,
				   &err) == 0;
	buf_init(&b, 16 << 20);
	page_head(&b, r, app, T(l, "Informes"), who);
	/* The period: a GET form, so a report has an address to keep. */
	html_printf(&b, "<h1>%s</h1><form method=\"get\" "
		    "action=\"/console/reports\"><label>%s <input "
		    "type=\"month\" name=\"from\" value=\"%s\"></label> "
		    "<label>%s <input type=\"month\" name=\"to\" "
		    "value=\"%s\"></label> <button>%s</button></form>",
		    T(l, "Informes"), T(l, "Desde"),
		    ok ? rep.from : from ? from : "", T(l, "Hasta"),
		    ok ? rep.to : to ? to : "", T(l, "Ver"));
	html_printf(&b, "<h2>%s</h2>", T(l, "Cumplimiento del SLA por "
					 "prioridad y mes (REP-1)"));
	if (!ok) {
		html_printf(&b, "<p class=\"err\">%s</p>", err.msg);
		status = err.code == SP_EINVAL ? 422 : 500;
	} else {
		struct buf text;

		buf_init(&text, 4096);
		buf_printf(&text, T(l, "Tickets creados de %s a %s, por mes de "
				    "creación (zona %s) y prioridad. Abiertos: "
				    "relojes en curso o en pausa que aún no "
				    "vencen. Cumplimiento: cumplidos entre "
				    "cumplidos e incumplidos."), rep.from,
			   rep.to, zone_id(app->zone));
		html_printf(&b, "<p class=\"meta\">%s</p>", text.ptr);
		buf_free(&text);
		for (size_t k = 0; k < sizeof clocks / sizeof clocks[0]; k++)
			sla_clock(&b, app, &r->arena, l, &rep, k);
	}
	hours(&b, app, r, who, now);
	buf_adds(&b, "</main></body></html>");
	page_send(out, status, &b);
}

bool
console_reports(struct app *app, struct http_req *r, struct http_res *out)
{
	struct login who;
	struct buf b;

	if (strcmp(r->path, "/console/reports") != 0)
		return false;
	if (!page_signed_in(app, r, &who, out))
		return true;
	if (strcmp(who.who.kind, "agent") != 0) {
		/* PRIV-2: the provider's figures cover every customer; for a
		 * customer there is no such page. */
		buf_init(&b, 1 << 16);
		page_head(&b, r, app, T(r->lang, "No encontrado"), &who);
		html_printf(&b, "<p>%s</p></main></body></html>",
			    T(r->lang, "No existe esa página."));
		page_send(out, 404, &b);
		return true;
	}
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		buf_init(&b, 1 << 16);
		page_head(&b, r, app, T(r->lang, "Informes"), &who);
		html_printf(&b, "<p>%s</p></main></body></html>",
			    T(r->lang, "Los informes sólo se consultan."));
		page_send(out, 405, &b);
		return true;
	}
	reports_page(app, r, &who, out);
	return true;
}
