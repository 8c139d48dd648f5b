/* kb_pages.c — the knowledge base on the web (INT-7): /kb lists and
 * searches the articles anyone may read, before signing in; agents also
 * see internal ones and write them at /console/kb/...; /console/suggest
 * answers the new-ticket form's script with articles and likely
 * duplicates (INT-4) as the subject is typed. */
#include "pages.h"

#include "../util/html.h"
#include "../util/i18n.h"
#include "../util/markdown.h"
#include "../util/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool
is_agent(const struct login *who)
{
	return who && strcmp(who->who.kind, "agent") == 0;
}

static void
article_link(struct buf *b, const struct kb_row *k)
{
	buf_adds(b, "<a href=\"/kb/");
	html_url_part(b, k->slug);
	buf_adds(b, "?lang=");
	html_url_part(b, k->lang);
	html_printf(b, "\">%s</a>", k->title);
}

static void
list_page(struct app *app, struct http_req *r, const struct login *who,
	  struct http_res *out)
{
	const char *l = r->lang;
	const char *q = http_query(r, "q");
	struct sp_err err = { 0 };
	struct kb_row *k = NULL;
	struct buf b;
	size_t n = 0;
	int rc;

	if (q && *q)
		rc = app_kb_search(app, &r->arena, &k, &n, &r->who, q, NULL,
				   false, 50, &err);
	else
		rc = app_kb_list(app, &r->arena, &k, &n, &r->who, NULL, NULL, &err);
	buf_init(&b, 4 << 20);
	page_head(&b, r, app, T(l, "Base de conocimiento"), who);
	html_printf(&b, "<h1>%s</h1><form method=\"get\" action=\"/kb\">"
		    "<input name=\"q\" type=\"search\" size=\"40\" value=\"%s\" "
		    "aria-label=\"%s\"> <button>%s</button></form>",
		    T(l, "Base de conocimiento"), q ? q : "", T(l, "Buscar"),
		    T(l, "Buscar"));
	if (is_agent(who))
		html_printf(&b, "<p><a href=\"/console/kb/new\">%s</a></p>",
			    T(l, "Nuevo artículo"));
	if (rc)
		html_printf(&b, "<p class=\"err\">%s</p>", err.msg);
	else if (n == 0)
		html_printf(&b, "<p>%s</p>", q && *q ?
			    T(l, "Ningún artículo tiene esas palabras.") :
			    T(l, "Aún no hay artículos."));
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || (!(q && *q) &&
			       strcmp(k[i].category, k[i - 1].category) != 0))
		{
			if (i)
				buf_adds(&b, "</ul>");
			html_printf(&b, "<h2>%s</h2><ul>", q && *q ?
				    T(l, "Resultados") : k[i].category);
		}
		buf_adds(&b, "<li>");
		article_link(&b, &k[i]);
		html_printf(&b, " <span class=\"meta\">%s%s%s</span><br><span "
			    "class=\"meta\">", k[i].lang,
			    strcmp(k[i].visibility, "internal") == 0 ? " · " : "",
			    strcmp(k[i].visibility, "internal") == 0 ?
			    T(l, "interno") : "");
		markdown_excerpt(&b, k[i].body, strlen(k[i].body), 160);
		buf_adds(&b, "</span></li>");
	}
	buf_adds(&b, n ? "</ul></main></body></html>" : "</main></body></html>");
	page_send(out, 200, &b);
}

static void
article_page(struct app *app, struct http_req *r, const struct login *who,
	     const char *slug, struct http_res *out)
{
	const char *l = r->lang;
	struct sp_err err = { 0 };
	struct kb_row k;
	struct buf b;
	char when[40];

	buf_init(&b, 4 << 20);
	if (app_kb_get(app, &r->arena, &k, &r->who, slug, http_query(r, "lang"),
		       &err)) {
		page_head(&b, r, app, T(l, "No encontrado"), who);
		html_printf(&b, "<p>%s <a href=\"/kb\">%s</a></p></main></body>"
			    "</html>", T(l, "No existe ese artículo."),
			    T(l, "Ver todos"));
		page_send(out, err.code == SP_EINVAL ? 422 : 404, &b);
		return;
	}
	page_head(&b, r, app, k.title, who);
	html_printf(&b, "<article lang=\"%s\"><h1>%s</h1><p class=\"meta\">%s · "
		    "%s%s%s · %s %s</p>", k.lang, k.title, k.category, k.lang,
		    strcmp(k.visibility, "internal") == 0 ? " · " : "",
		    strcmp(k.visibility, "internal") == 0 ? T(l, "interno") : "",
		    T(l, "actualizado"),
		    app_time_for(app, k.updated_at, l, when));
	markdown_html(&b, k.body, strlen(k.body));
	html_printf(&b, "</article><p><a href=\"/kb\">%s</a>",
		    T(l, "Todos los artículos"));
	if (is_agent(who)) {
		buf_adds(&b, " · <a href=\"/console/kb/edit/");
		html_url_part(&b, k.slug);
		buf_adds(&b, "?lang=");
		html_url_part(&b, k.lang);
		html_printf(&b, "\">%s</a>", T(l, "Editar"));
	}
	buf_adds(&b, "</p></main></body></html>");
	page_send(out, 200, &b);
}

/* The editor: empty for a new article, filled from the stored one (or
 * from what was posted, after an error). */
static void
editor_page(struct app *app, struct http_req *r, const struct login *who,
	    const struct kb_row *k, const char *error, struct http_res *out)
{
	const char *l = r->lang;
	const char *title;
	struct buf b;

	buf_init(&b, 4 << 20);
	title = k->id ? T(l, "Editar artículo") : T(l, "Nuevo artículo");
	page_head(&b, r, app, title, who);
	html_printf(&b, "<h1>%s</h1>", title);
	if (error)
		html_printf(&b, "<p class=\"err\">%s</p>", error);
	html_printf(&b, "<form method=\"post\" action=\"/console/kb/save\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
		    "<p><label>%s<br><input name=\"slug\" "
		    "required pattern=\"[a-z0-9-]+\" maxlength=\"80\" value=\"%s\""
		    "%s></label></p><p><label>%s<br><select name=\"lang\">"
		    "<option value=\"es\"%s>español</option><option value=\"en\""
		    "%s>English</option></select></label></p>"
		    "<p><label>%s<br><input name=\"category\" "
		    "maxlength=\"40\" value=\"%s\"></label></p>"
		    "<p><label>%s<br><input name=\"title\" required "
		    "maxlength=\"200\" size=\"70\" value=\"%s\"></label></p>"
		    "<p><label><input type=\"checkbox\" name=\"internal\" "
		    "value=\"1\"%s> %s</label></p>"
		    "<p><label>%s<br><textarea name=\"body\" "
		    "required rows=\"16\">%s</textarea></label></p>"
		    "<p><button>%s</button></p></form></main></body></html>",
		    who->csrf, (long long)k->version,
		    T(l, "Identificador (slug)"), k->slug ? k->slug : "",
		    k->id ? " readonly" : "", T(l, "Idioma"),
		    k->lang && strcmp(k->lang, "en") == 0 ? "" : " selected",
		    k->lang && strcmp(k->lang, "en") == 0 ? " selected" : "",
		    T(l, "Categoría"), k->category ? k->category : "general",
		    T(l, "Título"), k->title ? k->title : "",
		    k->visibility && strcmp(k->visibility, "internal") == 0 ?
		    " checked" : "", T(l, "Interno (solo agentes)"),
		    T(l, "Texto (Markdown)"), k->body ? k->body : "",
		    T(l, "Guardar"));
	page_send(out, error ? 422 : 200, &b);
}

static void
editor_post(struct app *app, struct http_req *r, const struct login *who,
	    struct http_res *out)
{
	struct sp_err err = { 0 };
	struct kb_input in = { 0 };
	struct kb_row k = { 0 };
	int64_t version = 0;
	const char *v = http_form(r, "version");
	struct buf u;
	char back[300];

	if (!page_csrf_ok(r, who, out))
		return;
	/* A forged or garbled version is refused, not read as 0 (new). */
	if (v && *v && str_to_i64(&version, v, 0, INT64_MAX)) {
		struct buf b;

		buf_init(&b, 1 << 16);
		page_head(&b, r, app, T(r->lang, "No se pudo"), who);
		html_printf(&b, "<p class=\"err\">%s</p></main></body></html>",
			    T(r->lang, "La versión del artículo no es un número."));
		page_send(out, 422, &b);
		return;
	}
	in.slug = http_form(r, "slug");
	in.lang = http_form(r, "lang");
	in.category = http_form(r, "category");
	in.title = http_form(r, "title");
	in.body = http_form(r, "body");
	in.visibility = http_form(r, "internal") ? "internal" : "public";
	in.version = version > 0 ? version : 0;
	if (app_kb_save(app, NULL, (int64_t)time(NULL), &who->who, &in, &err)) {
		k.id = in.version ? 1 : 0; /* an edit keeps its slug */
		k.version = in.version;
		k.slug = in.slug;
		k.lang = in.lang;
		k.category = in.category;
		k.title = in.title;
		k.body = in.body;
		k.visibility = in.visibility;
		editor_page(app, r, who, &k, err.msg, out);
		return;
	}
	buf_init(&u, 300);
	buf_adds(&u, "/kb/");
	html_url_part(&u, in.slug);
	buf_adds(&u, "?lang=");
	html_url_part(&u, in.lang);
	snprintf(back, sizeof back, "%s", u.ptr);
	buf_free(&u);
	page_redirect(out, back);
}

/* JSON for suggest.js: a few articles on any word of the subject
 * (INT-7) and, for a customer, its open tickets on the same topic
 * (INT-4). */
static void
suggest(struct app *app, struct http_req *r, const struct login *who,
	struct http_res *out)
{
	const char *q = http_query(r, "q");
	struct kb_row *k;
	struct ticket_row *t = NULL;
	size_t nk = 0, nt = 0;
	json_t *arts = json_array(), *tix = json_array(), *j;
	struct buf u;

	if (q && strlen(q) <= 300) {
		app_kb_search(app, &r->arena, &k, &nk, &who->who, q, NULL, true,
			      5, NULL);
		if (strcmp(who->who.kind, "contact") == 0) {
			int64_t org = 0, only = 0;

			if (app_visible_org(app, &who->who, &org, &only, NULL) == 0)
				app_ticket_similar(app, &r->arena, &t, &nt,
						   (int64_t)time(NULL), org,
						   org ? 0 : who->who.id, q, 0,
						   NULL);
		}
	}
	buf_init(&u, 1024);
	for (size_t i = 0; i < nk; i++) {
		buf_reset(&u);
		buf_adds(&u, "/kb/");
		html_url_part(&u, k[i].slug);
		buf_adds(&u, "?lang=");
		html_url_part(&u, k[i].lang);
		json_array_append_new(arts, json_pack("{s:s, s:s}", "title",
						      k[i].title, "url", u.ptr));
	}
	for (size_t i = 0; i < nt && i < 5; i++) {
		char title[400];

		buf_reset(&u);
		buf_adds(&u, "/console/t/");
		html_url_part(&u, t[i].folio);
		snprintf(title, sizeof title, "%s · %s", t[i].folio, t[i].subject);
		json_array_append_new(tix, json_pack("{s:s, s:s}", "title", title,
						     "url", u.ptr));
	}
	buf_free(&u);
	out->status = 200;
	out->type = "application/json";
	j = json_pack("{s:o, s:o}", "articles", arts, "tickets", tix);
	out->body = json_dumps(j, JSON_COMPACT);
	out->len = out->body ? strlen(out->body) : 0;
	json_decref(j);
}

bool
kb_pages_handle(struct app *app, struct http_req *r, struct http_res *out)
{
	const char *p = r->path;
	struct login who;
	bool in;
	char slug[96];

	if (strcmp(p, "/kb") == 0) {
		in = page_session(app, r, &who);
		list_page(app, r, in ? &who : NULL, out);
		return true;
	}
	if (sscanf(p, "/kb/%95[^/]", slug) == 1 && strchr(p + 4, '/') == NULL) {
		in = page_session(app, r, &who);
		article_page(app, r, in ? &who : NULL, slug, out);
		return true;
	}
	if (strcmp(p, "/console/suggest") == 0) {
		if (page_signed_in(app, r, &who, out))
			suggest(app, r, &who, out);
		return true;
	}
	if (strncmp(p, "/console/kb/", 12) != 0)
		return false;
	if (!page_signed_in(app, r, &who, out))
		return true;
	if (!is_agent(&who)) {
		page_redirect(out, "/kb");
		return true;
	}
	if (strcmp(p, "/console/kb/new") == 0) {
		struct kb_row k = { 0 };

		editor_page(app, r, &who, &k, NULL, out);
		return true;
	}
	if (strcmp(p, "/console/kb/save") == 0 && strcmp(r->method, "POST") == 0) {
		editor_post(app, r, &who, out);
		return true;
	}
	if (sscanf(p, "/console/kb/edit/%95[^/]", slug) == 1) {
		struct kb_row k;

		if (app_kb_get(app, &r->arena, &k, &who.who, slug,
			       http_query(r, "lang"), NULL)) {
			page_redirect(out, "/kb");
			return true;
		}
		editor_page(app, r, &who, &k, NULL, out);
		return true;
	}
	return false;
}
