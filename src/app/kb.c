/* kb.c — the knowledge base (INT-7) and full-text search. Articles are
 * Markdown, per language, public or internal; agents write them, anyone
 * may read the public ones. Searches are FTS5 queries built here from
 * the words people type, so no FTS syntax ever comes from outside. */
#include "app_internal.h"

#include "../core/topic.h"
#include "../util/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KB_BODY_MAX (64 << 10)
#define KB_TITLE_MAX 200
#define QUERY_MAX 1024
#define STEM_CHARS 6

static bool
is_agent(const struct actor *who)
{
	return strcmp(who->kind, "agent") == 0 ||
	       strcmp(who->kind, "system") == 0;
}

static bool
slug_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 80 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return false;
	return true;
}

static bool
lang_ok(const char *l)
{
	return l && (strcmp(l, "es") == 0 || strcmp(l, "en") == 0);
}

int
app_kb_save(struct app *app, struct kb_row *out, int64_t now,
	    const struct actor *who, const struct kb_input *in,
	    struct sp_err *err)
{
	struct kb_row r = { 0 }, old;
	struct arena a;
	const char *category = in->category && *in->category ? in->category :
			       "general";
	const char *vis = in->visibility ? in->visibility : "public";
	int rc;

	if (!is_agent(who))
		return sp_err_set(err, SP_EINVAL, "actor", "articles are written "
				  "by the provider's agents");
	if (!slug_ok(in->slug))
		return sp_err_set(err, SP_EINVAL, "slug", "a slug is 1 to 80 "
				  "lower-case letters, digits and inner '-', such "
				  "as 'timbrado-cfdi'");
	if (!lang_ok(in->lang))
		return sp_err_set(err, SP_EINVAL, "lang", "lang is es or en");
	if (strcmp(vis, "public") != 0 && strcmp(vis, "internal") != 0)
		return sp_err_set(err, SP_EINVAL, "visibility", "visibility is "
				  "public or internal, not '%s'", vis);
	if (!str_is_id(category, 40))
		return sp_err_set(err, SP_EINVAL, "category", "a category is an "
				  "id of up to 40 characters (a-z, 0-9, _ and -)");
	if ((rc = app__text("title", in->title, true, false, KB_TITLE_MAX, err)) ||
	    (rc = app__text("body", in->body, true, true, KB_BODY_MAX, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	rc = store_kb_get(app->store, &a, &old, app->provider_id, in->slug,
			  in->lang, err);
	if (rc == 0 && in->version == 0) {
		rc = sp_err_set(err, SP_ECONFLICT, "slug", "an article '%s' in "
				"'%s' already exists; edit version %lld of it",
				in->slug, in->lang, (long long)old.version);
	} else if (rc == 0 && in->version != old.version) {
		rc = sp_err_set(err, SP_ECONFLICT, "version", "article '%s' is at "
				"version %lld, not %lld; reload and retry",
				in->slug, (long long)old.version,
				(long long)in->version);
	} else if (rc == SP_ENOTFOUND && in->version != 0) {
		/* Editing what is not there. */
	} else if (rc == SP_ENOTFOUND) {
		sp_err_clear(err);
		rc = 0;
		old.id = 0;
		old.created_at = now;
		old.version = 0;
	}
	if (rc)
		goto fail;
	r.id = old.id;
	r.provider_id = app->provider_id;
	r.slug = in->slug;
	r.lang = in->lang;
	r.category = category;
	r.title = in->title;
	r.body = in->body;
	r.visibility = vis;
	r.author_id = strcmp(who->kind, "agent") == 0 ? who->id : 0;
	r.created_at = old.created_at;
	r.updated_at = now;
	r.version = old.version;
	if ((rc = store_kb_put(app->store, &r, err)) ||
	    (rc = app__event(app, now, who, "kb_article", r.id, 0,
			     old.id ? "updated" : "created", NULL,
			     json_pack("{s:s, s:s, s:s, s:I}", "slug", r.slug,
				       "lang", r.lang, "visibility", vis,
				       "version", (json_int_t)r.version), err)) ||
	    (rc = app__commit(app, err)))
		goto fail;
	if (out) {
		*out = r;
		out->slug = out->lang = out->title = out->body = NULL;
		out->category = out->visibility = NULL; /* the caller's strings */
	}
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_kb_get(struct app *app, struct arena *a, struct kb_row *out,
	   const struct actor *who, const char *slug, const char *lang,
	   struct sp_err *err)
{
	const char *order[2] = { "es", "en" };
	int rc = SP_ENOTFOUND;

	if (lang && !lang_ok(lang))
		return sp_err_set(err, SP_EINVAL, "lang", "lang is es or en");
	if (lang) {
		order[0] = lang;
		order[1] = NULL;
	}
	for (int i = 0; i < 2 && order[i]; i++) {
		sp_err_clear(err);
		rc = store_kb_get(app->store, a, out, app->provider_id, slug,
				  order[i], err);
		if (rc == 0 && strcmp(out->visibility, "public") != 0 &&
		    !is_agent(who))
			rc = sp_err_set(err, SP_ENOTFOUND, "article", "no article "
					"'%s'", slug);
		if (rc != SP_ENOTFOUND)
			break;
	}
	return rc;
}

int
app_kb_list(struct app *app, struct arena *a, struct kb_row **out,
	    size_t *n, const struct actor *who, const char *lang,
	    const char *category, struct sp_err *err)
{
	if (lang && !lang_ok(lang))
		return sp_err_set(err, SP_EINVAL, "lang", "lang is es or en");
	return store_kb_list(app->store, a, out, n, app->provider_id, lang,
			     category, !is_agent(who), err);
}

/* The words of text as an FTS5 query: each one quoted, cut to its
 * first STEM_CHARS characters, as a prefix ("factur"*), joined by AND
 * or OR. Quotes, parentheses and operators in
 * the text only separate words. "" when there are none. */
static void
fts_query(const char *text, bool any, char *out, size_t cap)
{
	size_t len = 0;
	int words = 0;
	const unsigned char *p = (const unsigned char *)(text ? text : "");

	out[0] = '\0';
	while (*p) {
		const unsigned char *w;
		size_t wl;
		int k;

		while (*p && *p < 0x80 && !((*p >= 'a' && *p <= 'z') ||
					    (*p >= 'A' && *p <= 'Z') ||
					    (*p >= '0' && *p <= '9')))
			p++;
		w = p;
		while (*p && (*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			p++;
		wl = (size_t)(p - w);
		if (wl == 0 || wl > 64)
			continue;
		/* A crude stem, as topic.h does: "facturación" also finds
		 * "factura". Cut on a character boundary. */
		for (size_t i = 0, chars = 0; i < wl; i++)
			if ((w[i] & 0xc0) != 0x80 && ++chars > STEM_CHARS) {
				wl = i;
				break;
			}
		k = snprintf(out + len, cap - len, "%s\"%.*s\"*",
			     words ? (any ? " OR " : " ") : "", (int)wl,
			     (const char *)w);
		if (k < 0 || (size_t)k >= cap - len) {
			out[len] = '\0';
			break;
		}
		len += (size_t)k;
		words++;
	}
	/* Broken UTF-8 would make FTS5 fail the query: search nothing. */
	if (!str_utf8_valid(out, len))
		out[0] = '\0';
}

int
app_kb_search(struct app *app, struct arena *a, struct kb_row **out,
	      size_t *n, const struct actor *who, const char *text,
	      const char *lang, bool any_word, int limit, struct sp_err *err)
{
	char q[QUERY_MAX];

	*out = NULL;
	*n = 0;
	if (lang && !lang_ok(lang))
		return sp_err_set(err, SP_EINVAL, "lang", "lang is es or en");
	fts_query(text, any_word, q, sizeof q);
	if (q[0] == '\0')
		return 0;
	return store_kb_search(app->store, a, out, n, app->provider_id, q, lang,
			       !is_agent(who), limit, err);
}

int
app_ticket_search(struct app *app, struct arena *a, struct ticket_row **out,
		  size_t *n, const struct actor *who, const char *text,
		  int limit, struct sp_err *err)
{
	char q[QUERY_MAX];
	int64_t org = 0, contact_only = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (strcmp(who->kind, "anonymous") == 0)
		return sp_err_set(err, SP_ENOTFOUND, "actor", "sign in to search "
				  "tickets");
	if ((rc = app_visible_org(app, who, &org, &contact_only, err)))
		return rc;
	fts_query(text, false, q, sizeof q);
	if (q[0] == '\0')
		return 0;
	return store_ticket_search(app->store, a, out, n, app->provider_id, q,
				   org, contact_only, !is_agent(who), limit, err);
}

/* A ticket's topic, kept by id with a hash of the subject it came from
 * (a changed subject misses). */
#define TOPIC_MEMO 256

struct topic_memo {
	int64_t id;
	uint64_t subject_hash;
	struct topic topic;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static const struct topic *
topic_of_ticket(struct app *app, int64_t id, const char *subject,
		struct topic *scratch)
{
	uint64_t h = fnv1a(subject);
	struct topic_memo *m;

	if (app->topics == NULL)
		app->topics = calloc(TOPIC_MEMO, sizeof *app->topics);
	if (app->topics == NULL) {
		topic_of(scratch, subject);
		return scratch;
	}
	m = &app->topics[(uint64_t)id % TOPIC_MEMO];
	if (m->id != id || m->subject_hash != h) {
		topic_of(&m->topic, subject);
		m->id = id;
		m->subject_hash = h;
	}
	return &m->topic;
}

struct similar {
	struct app *app;
	const struct topic *want;
};

static bool
same_topic(void *ctx, int64_t id, const char *subject)
{
	const struct similar *c = ctx;
	struct topic got;

	return topic_same(c->want, topic_of_ticket(c->app, id, subject, &got));
}

int
app_ticket_similar(struct app *app, struct arena *a, struct ticket_row **out,
		   size_t *n, int64_t now, int64_t organization_id,
		   int64_t contact_id, const char *subject, int64_t exclude_id,
		   struct sp_err *err)
{
	struct topic want;
	struct similar c = { app, &want };

	*out = NULL;
	*n = 0;
	topic_of(&want, subject);
	if (want.n == 0 || (organization_id == 0 && contact_id == 0))
		return 0;
	/* The customer's 20 newest tickets, compared here: searching every
	 * ticket's words instead grew with the history and cost every new
	 * ticket (bench/http.sh: 16x fewer creates a second). Only the
	 * matches' text is copied out. */
	return store_ticket_recent(app->store, a, out, n, app->provider_id,
				   organization_id, contact_id,
				   now - 30 * 86400, exclude_id, 20, same_topic,
				   &c, err);
}
