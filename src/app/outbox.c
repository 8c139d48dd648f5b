/* outbox.c — emails to customers, queued in the transaction of the change
 * they tell about (INT-5, CLO-1, CLO-2, BILL-9, SLA-5); mail/ sends them. */
#include "app_internal.h"

#include "../util/buf.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Auto-replies to one address per hour, at most: two auto-responders
 * must never talk to each other for long. */
#define AUTO_REPLIES_PER_HOUR 5

static const char *
domain_of(const struct app *app)
{
	const char *at = app->policy->provider.email ?
		strchr(app->policy->provider.email, '@') : NULL;

	return at ? at + 1 : "soporte.invalid";
}

/* <soporte.PACK.RANDOM@domain>: unique, and recognisably ours when it
 * comes back in In-Reply-To or a bounce. */
void
app__new_message_id(const struct app *app, char out[160])
{
	unsigned char r[12];
	char hex[25];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(out, 160, "soporte.%s.%s@%s", app->policy->id, hex,
		 domain_of(app));
}

bool
app__is_our_message_id(const struct app *app, const char *id)
{
	char prefix[64];

	snprintf(prefix, sizeof prefix, "soporte.%s.", app->policy->id);
	return id && strncmp(id, prefix, strlen(prefix)) == 0;
}

/* SCH-7: credentials a customer sent are never echoed: any "password:
 * x" style value is masked in what we send. */
static void
redact(struct buf *out, const char *in)
{
	const char *start = in;

	static const char *const keys[] = { "password", "contraseña",
		"contrasena", "clave", "pwd", "passwd", "pass", "pin",
		"token", NULL };

	while (*in) {
		bool hit = false;

		for (const char *const *k = keys; *k && !hit; k++) {
			size_t n = strlen(*k);
			const char *p = in + n;

			if (strncasecmp(in, *k, n) != 0)
				continue;
			/* A word of its own: "spin: 3" is not a PIN. */
			if (in > start && isalnum((unsigned char)in[-1]))
				continue;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != ':' && *p != '=')
				continue;
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			buf_add(out, in, (size_t)(p - in));
			buf_adds(out, "********");
			while (*p && !isspace((unsigned char)*p))
				p++;
			in = p;
			hit = true;
		}
		if (!hit)
			buf_addc(out, *in++);
	}
}

/* The thread an email about this ticket continues: the customer's own
 * last Message-ID if it wrote by email, else our first one. */
static void
thread_of(struct app *app, struct arena *a, const struct ticket_row *t,
	  const char **in_reply_to, struct buf *refs)
{
	const char *last_in = NULL, *first_out = NULL;

	*in_reply_to = NULL;
	if (store_ticket_thread(app->store, a, &last_in, &first_out, t->id,
				NULL))
		return;
	*in_reply_to = last_in ? last_in : first_out;
	if (first_out)
		buf_printf(refs, "<%s>", first_out);
	if (last_in)
		buf_printf(refs, "%s<%s>", refs->len ? " " : "", last_in);
}

bool
app__mentions_credentials(const char *text)
{
	struct buf b;
	bool hit;

	if (text == NULL)
		return false;
	buf_init(&b, 1 << 20);
	redact(&b, text);
	hit = b.ptr && strcmp(b.ptr, text) != 0;
	buf_free(&b);
	return hit;
}

int
app__notify_address(struct app *app, int64_t now, int64_t ticket_id,
		    const char *kind, const char *to_addr, const char *to_name,
		    const char *subject, const char *body,
		    const char *in_reply_to, struct sp_err *err)
{
	struct outbox_row r = { 0 };
	struct buf clean, sub;
	char mid[160];
	int rc;

	if (to_addr == NULL || strchr(to_addr, '@') == NULL ||
	    strpbrk(to_addr, "\r\n") || strpbrk(subject, "\r\n"))
		return 0; /* nowhere to write to; nothing to queue */
	if (strcmp(kind, "ack") == 0 || strcmp(kind, "instructions") == 0) {
		int recent = 0;

		if ((rc = store_outbox_count_to(app->store, &recent,
						app->provider_id, to_addr, kind,
						now - 3600, err)))
			return rc;
		if (recent >= AUTO_REPLIES_PER_HOUR)
			return 0;
	}
	buf_init(&clean, 1 << 20);
	redact(&clean, body);
	app__new_message_id(app, mid);
	r.provider_id = app->provider_id;
	r.ticket_id = ticket_id;
	r.kind = kind;
	r.to_addr = to_addr;
	r.to_name = to_name;
	buf_init(&sub, 4096);
	redact(&sub, subject);
	r.subject = sub.ptr;
	r.body = clean.ptr;
	r.message_id = mid;
	r.in_reply_to = in_reply_to;
	r.refs = in_reply_to;
	r.next_at = now;
	r.created_at = now;
	rc = store_outbox_add(app->store, NULL, &r, err);
	buf_free(&sub);
	buf_free(&clean);
	return rc;
}

int
app__notify_contact(struct app *app, int64_t now, const struct ticket_row *t,
		    const char *kind, const char *body, struct sp_err *err)
{
	struct contact_row c;
	struct arena a;
	int rc = 0;

	if (t->contact_id == 0)
		return 0;
	arena_init(&a, 0);
	if (store_contact_get(app->store, &a, &c, app->provider_id,
			      t->contact_id, NULL) == 0)
		rc = app__notify_contact_row(app, now, t, &c, kind, body, err);
	arena_free(&a);
	return rc;
}

int
app__notify_contact_row(struct app *app, int64_t now,
			const struct ticket_row *t, const struct contact_row *c,
			const char *kind, const char *body, struct sp_err *err)
{
	struct outbox_row r = { 0 };
	struct arena a;
	struct buf refs, clean;
	char subject[400], mid[160];
	const char *irt;
	int rc;

	if (c->email == NULL)
		return 0;
	if (strcmp(kind, "ack") == 0) {
		int recent = 0;

		if ((rc = store_outbox_count_to(app->store, &recent,
						app->provider_id, c->email,
						kind, now - 3600, err)))
			return rc;
		if (recent >= AUTO_REPLIES_PER_HOUR)
			return 0;
	}
	arena_init(&a, 0);
	buf_init(&refs, 4096);
	buf_init(&clean, 1 << 20);
	thread_of(app, &a, t, &irt, &refs);
	/* INT-1: the folio in every message, where replies keep it;
	 * SCH-7: credentials masked in the subject too. */
	{
		struct buf sub;

		buf_init(&sub, 4096);
		redact(&sub, t->subject);
		snprintf(subject, sizeof subject, "[%s] %.300s", t->folio,
			 sub.ptr);
		buf_free(&sub);
	}
	redact(&clean, body);
	app__new_message_id(app, mid);
	r.provider_id = app->provider_id;
	r.ticket_id = t->id;
	r.kind = kind;
	r.to_addr = c->email;
	r.to_name = c->name;
	r.subject = subject;
	r.body = clean.ptr;
	r.message_id = mid;
	r.in_reply_to = irt;
	r.refs = refs.len ? refs.ptr : NULL;
	r.next_at = now;
	r.created_at = now;
	rc = store_outbox_add(app->store, NULL, &r, err);
	buf_free(&refs);
	buf_free(&clean);
	arena_free(&a);
	return rc;
}

int
app_outbox_due(struct app *app, struct arena *a, struct outbox_row **out,
	       size_t *n, int64_t now, int limit, struct sp_err *err)
{
	return store_outbox_due(app->store, a, out, n, app->provider_id, now,
				limit, err);
}

int
app_outbox_done(struct app *app, int64_t now, int64_t id, bool sent,
		const char *error, struct sp_err *err)
{
	static const int64_t backoff[] = { 60, 300, 1800, 7200, 21600 };
	struct outbox_row r;
	struct arena a;
	int rc;

	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_outbox_get(app->store, &a, &r, app->provider_id, id,
				   err)))
		goto fail;
	r.attempts++;
	if (sent) {
		r.state = "sent";
		r.sent_at = now;
		r.last_error = NULL;
	} else {
		r.last_error = error;
		if (r.attempts > (int64_t)(sizeof backoff / sizeof backoff[0])) {
			r.state = "failed";
		} else {
			r.next_at = now + backoff[r.attempts - 1];
		}
	}
	if ((rc = store_outbox_update(app->store, &r, err)) ||
	    (rc = app__event(app, now, &app_system, "outbox", r.id, r.ticket_id,
			     sent ? "mail.sent" : "mail.failed", NULL,
			     json_pack("{s:s, s:s, s:I, s:s?}", "to", r.to_addr,
				       "kind", r.kind, "attempts",
				       (json_int_t)r.attempts, "error", error),
			     err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}
