/* reports.c — the console's reports (REP-1, REP-2): SLA compliance by
 * priority and month, and hours consumed and left per contract, each an
 * inline SVG chart (util/svg.h; the page's CSP forbids inline script,
 * not inline SVG) followed by a table of the same figures for screen
 * readers and print. Agents only: for a customer the page does not
 * exist (PRIV-2). */
#include "pages.h"

#include "../util/html.h"
#include "../util/svg.h"
#include "../zone/zone.h"

#include <string.h>
#include <time.h>

#define EXPIRING_DAYS 30

/* SLA-6: the two clocks, in the order the console shows them. */
static const struct {
	const char *id, *name;
} clocks[] = {
	{ "first-response", "Primera respuesta" },
	{ "resolution", "Resolución" },
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
sla_clock(struct buf *b, struct app *app, struct arena *a,
	  const struct sla_month_report *rep, size_t clock)
{
	static const char *const stacks[] = { "Cumplidos", "Incumplidos",
					      "Abiertos" };
	const struct policy *p = app->policy;
	size_t np = p->npriorities;
	const char **months = arena_calloc(a, rep->nmonths + 1, sizeof *months);
	const char **prios = arena_calloc(a, np + 1, sizeof *prios);
	double *v = arena_calloc(a, rep->nrows * 3 + 1, sizeof *v);
	struct svg_chart c;
	char id[40], title[160];
	struct buf desc, order;

	html_printf(b, "<h3>%s</h3>", clocks[clock].name);
	if (!has_target(app, rep, clock)) {
		html_printf(b, "<p class=\"meta\">%s no fija objetivo de %s.</p>",
			    p->provider.short_name, clocks[clock].name);
		return;
	}
	if (months == NULL || prios == NULL || v == NULL) {
		buf_adds(b, "<p class=\"err\">Sin memoria para el informe.</p>");
		return;
	}
	for (size_t m = 0; m < rep->nmonths; m++)
		months[m] = rep->rows[m * np].month;
	for (size_t i = 0; i < np; i++)
		prios[i] = policy_text(&p->priorities[i].name, "es");
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct sla_figures *f = figures(&rep->rows[i], clock);

		v[i * 3] = f->met;
		v[i * 3 + 1] = f->breached;
		v[i * 3 + 2] = f->running;
	}
	snprintf(id, sizeof id, "sla-%s", clocks[clock].id);
	snprintf(title, sizeof title, "%s: cumplimiento del SLA por prioridad "
		 "y mes, %s a %s", clocks[clock].name, rep->from, rep->to);
	buf_init(&desc, 4096);
	buf_printf(&desc, "Barras agrupadas por mes de creación, una por "
		   "prioridad (");
	for (size_t i = 0; i < np; i++)
		buf_printf(&desc, "%s%s", i ? ", " : "", prios[i]);
	buf_adds(&desc, "); cada barra apila los tickets cumplidos, "
		 "incumplidos y abiertos. La tabla siguiente da las mismas "
		 "cifras.");
	buf_init(&order, 1024);
	buf_adds(&order, "En cada mes, de izquierda a derecha: ");
	for (size_t i = 0; i < np; i++)
		buf_printf(&order, "%s%s", i ? ", " : "", prios[i]);
	c = (struct svg_chart){
		.id = id, .title = title, .desc = desc.ptr, .groups = months,
		.ngroups = rep->nmonths, .bars = prios, .nbars = np,
		.stacks = stacks, .nstacks = 3, .values = v, .unit = "tickets",
		.caption = order.ptr,
	};
	buf_adds(b, "<figure>");
	if (svg_bars(b, &c))
		buf_adds(b, "<p class=\"err\">No se pudo dibujar la "
			 "gráfica.</p>");
	buf_adds(b, "</figure>");
	buf_free(&desc);
	buf_free(&order);
	html_printf(b, "<table id=\"%s-table\"><caption>%s por mes y prioridad "
		    "(minutos hábiles)</caption><tr><th scope=\"col\">Mes</th>"
		    "<th scope=\"col\">Prioridad</th><th scope=\"col\">Tickets"
		    "</th><th scope=\"col\">Cumplidos</th><th scope=\"col\">"
		    "Incumplidos</th><th scope=\"col\">Abiertos</th>"
		    "<th scope=\"col\">Cumplimiento</th><th scope=\"col\">"
		    "Promedio</th><th scope=\"col\">Máximo</th></tr>", id,
		    clocks[clock].name);
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
	static const char *const stacks[] = { "Consumidas", "Disponibles" };
	static const unsigned colors[] = { 0, 2 };
	struct hours_report_row *rows;
	struct svg_chart c;
	struct arena *a = &r->arena;
	const char **names, **notes;
	double *v;
	size_t n;

	html_printf(b, "<h2>Horas por contrato (REP-2)</h2><p class=\"meta\">"
		    "Contratos pagados, con sus horas compradas, consumidas y "
		    "disponibles; se marcan los que vencen en los próximos %d "
		    "días.</p>", EXPIRING_DAYS);
	if (app_report_hours(app, a, &rows, &n, &who->who, NULL, EXPIRING_DAYS,
			     now, NULL)) {
		buf_adds(b, "<p class=\"err\">No se pudieron leer los "
			 "contratos.</p>");
		return;
	}
	if (n == 0) {
		buf_adds(b, "<p>No hay contratos pagados.</p>");
		return;
	}
	names = arena_calloc(a, n, sizeof *names);
	notes = arena_calloc(a, n, sizeof *notes);
	v = arena_calloc(a, n * 2, sizeof *v);
	if (names == NULL || notes == NULL || v == NULL) {
		buf_adds(b, "<p class=\"err\">Sin memoria para el informe.</p>");
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
			snprintf(note, 80, "%s de %s h", hm(rows[i].s.consumed,
							    used),
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
		.title = "Horas consumidas y disponibles por contrato",
		.desc = "Una barra por contrato: las horas consumidas y, a "
			"continuación, las disponibles. La tabla siguiente da "
			"las mismas cifras en horas y minutos.",
		.groups = names, .ngroups = n, .nbars = 1, .stacks = stacks,
		.nstacks = 2, .values = v, .colors = colors, .unit = "h",
		.notes = notes,
	};
	buf_adds(b, "<figure>");
	if (svg_hbars(b, &c))
		buf_adds(b, "<p class=\"err\">No se pudo dibujar la "
			 "gráfica.</p>");
	buf_adds(b, "</figure><table id=\"hours-table\"><caption>Horas por "
		 "contrato (h:mm)</caption><tr><th scope=\"col\">Contrato</th>"
		 "<th scope=\"col\">Cliente</th><th scope=\"col\">Plan</th>"
		 "<th scope=\"col\">Estado</th><th scope=\"col\">Compradas</th>"
		 "<th scope=\"col\">Consumidas</th><th scope=\"col\">Ajustes"
		 "</th><th scope=\"col\">Disponibles</th><th scope=\"col\">"
		 "Vence</th><th scope=\"col\">Consumo por mes</th></tr>");
	for (size_t i = 0; i < n; i++) {
		const struct hours_report_row *h = &rows[i];
		char t1[32], t2[32], t3[32], t4[32], end[32];

		app_time(app, h->s.c.ends_at, end);
		end[10] = '\0'; /* the date */
		html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s%s</td><td>",
			    h->s.c.number, h->organization, h->s.c.plan,
			    h->s.c.state, hm(h->bought, t1),
			    hm(h->s.consumed, t2), hm(h->adjusted, t3),
			    hm(h->left, t4), end, h->expiring ?
			    " · vence pronto" : "");
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
	page_head(&b, r, app, "Informes", who);
	/* The period: a GET form, so a report has an address to keep. */
	html_printf(&b, "<h1>Informes</h1><form method=\"get\" "
		    "action=\"/console/reports\"><label>Desde <input "
		    "type=\"month\" name=\"from\" value=\"%s\"></label> "
		    "<label>Hasta <input type=\"month\" name=\"to\" "
		    "value=\"%s\"></label> <button>Ver</button></form>",
		    ok ? rep.from : from ? from : "",
		    ok ? rep.to : to ? to : "");
	html_printf(&b, "<h2>Cumplimiento del SLA por prioridad y mes "
		    "(REP-1)</h2>");
	if (!ok) {
		html_printf(&b, "<p class=\"err\">%s</p>", err.msg);
		status = err.code == SP_EINVAL ? 422 : 500;
	} else {
		html_printf(&b, "<p class=\"meta\">Tickets creados de %s a %s, "
			    "por mes de creación (zona %s) y prioridad. "
			    "Abiertos: relojes en curso o en pausa que aún no "
			    "vencen. Cumplimiento: cumplidos entre cumplidos e "
			    "incumplidos.</p>", rep.from, rep.to,
			    zone_id(app->zone));
		for (size_t k = 0; k < sizeof clocks / sizeof clocks[0]; k++)
			sla_clock(&b, app, &r->arena, &rep, k);
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
		page_head(&b, r, app, "No encontrado", &who);
		buf_adds(&b, "<p>No existe esa página.</p></main></body>"
			 "</html>");
		page_send(out, 404, &b);
		return true;
	}
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		buf_init(&b, 1 << 16);
		page_head(&b, r, app, "Informes", &who);
		buf_adds(&b, "<p>Los informes sólo se consultan.</p></main>"
			 "</body></html>");
		page_send(out, 405, &b);
		return true;
	}
	reports_page(app, r, &who, out);
	return true;
}
