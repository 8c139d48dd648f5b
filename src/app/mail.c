/* mail.c — email intake: raw first, then threading into tickets, with
 * the loops and noise of real mail recognised (INT-1..5, SLA-3). */
#include "app_internal.h"

#include "../core/folio.h"
#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RAW_MAX_BYTES (25 << 20)

const char *
app_mail_result_name(enum mail_result r)
{
	static const char *const names[] = { "new_ticket", "reply",
		"duplicate", "ignored", "refused", "quarantined" };

	return (unsigned)r <= MAIL_QUARANTINED ? names[r] : "?";
}

int
app_mail_store_raw(struct app *app, int64_t *out_id, bool *duplicate,
		   int64_t now, const void *raw, size_t len, const char *source,
		   struct sp_err *err)
{
	struct raw_mail_row r = { 0 };
	char sha[65];
	int rc;

	if (len == 0)
		return sp_err_set(err, SP_EINVAL, "mail", "the message is empty");
	if (len > RAW_MAX_BYTES)
		return sp_err_set(err, SP_ETOOBIG, "mail", "the message is %zu "
				  "bytes; at most %d are taken", len,
				  RAW_MAX_BYTES);
	app__sha256_hex(sha, raw, len);
	r.provider_id = app->provider_id;
	r.sha256 = sha;
	r.size = (int64_t)len;
	r.data = raw;
	r.source = source ? source : "mail-in";
	r.received_at = now;
	if ((rc = app__begin(app, err)))
		return rc;
	if ((rc = store_raw_mail_add(app->store, out_id, duplicate, &r, err))) {
		app__rollback(app);
		return rc;
	}
	return app__commit(app, err);
}

/* Attachments over the limits are not kept; the agent is told on the
 * ticket so a missing screenshot is not a mystery. */
static int
note_dropped(struct app *app, struct arena *a, int64_t now, int64_t ticket_id,
	     size_t dropped, struct sp_err *err)
{
	struct ticket_row t;
	char note[300];
	int rc;

	if (dropped == 0)
		return 0;
	if ((rc = store_ticket_get(app->store, a, &t, app->provider_id,
				   ticket_id, err)))
		return rc;
	snprintf(note, sizeof note, "%zu adjunto(s) del correo no se guardaron "
		 "por exceder los límites de tamaño o cantidad / %zu email "
		 "attachment(s) were not kept: over the size or count limits.",
		 dropped, dropped);
	return app__message(app, NULL, now, &t, "internal", "system", 0,
			    "email", note, err);
}

static int
finish_raw(struct app *app, int64_t now, int64_t raw_id, const char *state,
	   const char *message_id, int64_t ticket_id, const char *reason,
	   struct sp_err *err)
{
	struct raw_mail_row r = { 0 };

	r.provider_id = app->provider_id;
	r.id = raw_id;
	r.state = state;
	r.message_id = message_id;
	r.ticket_id = ticket_id;
	r.reason = reason;
	r.processed_at = now;
	return store_raw_mail_update(app->store, &r, err);
}

int
app_mail_quarantine(struct app *app, int64_t now, int64_t raw_id,
		    const char *reason, struct sp_err *err)
{
	int rc;

	if ((rc = app__begin(app, err)))
		return rc;
	if ((rc = finish_raw(app, now, raw_id, "quarantined", NULL, 0, reason,
			     err)) ||
	    (rc = app__event(app, now, &app_system, "mail", raw_id, 0,
			     "mail.quarantined", NULL,
			     json_pack("{s:s}", "reason", reason), err))) {
		app__rollback(app);
		return rc;
	}
	return app__commit(app, err);
}

/* The ticket a message continues: the folio in its subject first, then
 * In-Reply-To and References against the Message-IDs we know. */
/* PRIV-2: a ticket threads a sender's message only if it is theirs (their
 * organization's, or theirs alone without one). c NULL: anyone's. */
static bool
sender_owns(const struct contact_row *c, const struct ticket_row *t)
{
	if (c == NULL)
		return true;
	return c->organization_id ? t->organization_id == c->organization_id
				  : t->contact_id == c->id;
}

static int64_t
thread_ticket(struct app *app, struct arena *a, const struct inbound_mail *m,
	      const struct contact_row *c, struct ticket_row *t)
{
	char folio[64];
	int64_t id = 0;

	/* A folio of someone else's ticket is passed over, not trusted:
	 * the headers may still name the sender's own. */
	if (m->subject && app->policy->folio.format &&
	    folio_find(folio, sizeof folio, app->policy->folio.format,
		       m->subject) &&
	    store_ticket_find(app->store, a, t, app->provider_id, folio,
			      NULL) == 0 && sender_owns(c, t))
		return t->id;
	for (size_t i = 0; i <= m->nreferences && id == 0; i++) {
		/* In-Reply-To first, then the references, newest last. */
		const char *ref = i == 0 ? m->in_reply_to :
				  m->references[m->nreferences - i];

		if (ref == NULL)
			continue;
		if (store_message_ticket(app->store, &id, app->provider_id, ref,
					 NULL) || id == 0)
			store_outbox_ticket(app->store, &id, app->provider_id,
					    ref, NULL);
	}
	if (id && store_ticket_get(app->store, a, t, app->provider_id, id,
				   NULL) == 0 && sender_owns(c, t))
		return id;
	return 0;
}

static bool
from_ourselves(const struct app *app, const struct inbound_mail *m)
{
	return m->from_addr && app->policy->provider.email &&
	       strcasecmp(m->from_addr, app->policy->provider.email) == 0;
}

static int
accept_in_tx(struct app *app, struct arena *a, struct mail_outcome *out,
	     int64_t now, int64_t raw_id, const struct inbound_mail *m,
	     struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct contact_row c = { 0 };
	struct ticket_row t;
	struct actor who;
	int64_t seen = 0, tid;
	const char *body;
	char parent[64] = "";
	int rc;

	/* The same Message-ID twice is one message. */
	if (m->message_id &&
	    (rc = store_raw_mail_seen(app->store, &seen, app->provider_id,
				      m->message_id, err)))
		return rc;
	if (seen && seen != raw_id) {
		out->result = MAIL_DUPLICATE;
		snprintf(out->reason, sizeof out->reason, "Message-ID <%s> was "
			 "taken already", m->message_id);
		return finish_raw(app, now, raw_id, "duplicate", m->message_id,
				  0, out->reason, err);
	}
	/* No loops: auto-replies, lists, bounces and our own mail are kept
	 * and never answered. A bounce of one of our messages is noted on
	 * its ticket. */
	if (m->auto_submitted || m->bulk || m->dsn || from_ourselves(app, m) ||
	    app__is_our_message_id(app, m->message_id)) {
		out->result = MAIL_IGNORED;
		snprintf(out->reason, sizeof out->reason, "%s",
			 m->dsn ? "delivery-status report" :
			 m->bulk ? "bulk or list mail" :
			 m->auto_submitted ? "automatic reply" :
			 "our own message came back");
		tid = thread_ticket(app, a, m, NULL, &t);
		if (tid && m->dsn) {
			char note[300];

			snprintf(note, sizeof note, "Un correo a este cliente no "
				 "se entregó / A message to this customer could "
				 "not be delivered (%s).", m->from_addr ?
				 m->from_addr : "mailer-daemon");
			if ((rc = app__message(app, NULL, now, &t, "internal",
					       "system", 0, "email", note, err)))
				return rc;
		}
		return finish_raw(app, now, raw_id, "ignored", m->message_id,
				  tid, out->reason, err);
	}
	if (m->from_addr == NULL || strchr(m->from_addr, '@') == NULL) {
		out->result = MAIL_QUARANTINED;
		snprintf(out->reason, sizeof out->reason, "no sender address");
		return finish_raw(app, now, raw_id, "quarantined", m->message_id,
				  0, out->reason, err);
	}
	/* Who writes: a known contact, or per the pack's rule. */
	if (store_contact_find(app->store, a, &c, app->provider_id,
			       m->from_addr, NULL) != 0) {
		if (p->intake.unknown_sender == UNKNOWN_REPLY_INSTRUCTIONS) {
			char body_i[700], subject[300];

			snprintf(subject, sizeof subject, "Re: %.250s",
				 m->subject ? m->subject : "");
			snprintf(body_i, sizeof body_i, "Su dirección %s no está "
				 "registrada con %s. Para levantar un ticket "
				 "escriba desde la cuenta registrada de su "
				 "empresa o contacte a %s.\n\nYour address is "
				 "not registered with %s; write from your "
				 "company's registered address.", m->from_addr,
				 p->provider.short_name, p->provider.email,
				 p->provider.short_name);
			out->result = MAIL_REFUSED;
			snprintf(out->reason, sizeof out->reason, "unknown "
				 "sender %s", m->from_addr);
			if ((rc = app__notify_address(app, now, 0, "instructions",
						      m->from_addr, m->from_name,
						      subject, body_i,
						      m->message_id, err)))
				return rc;
			return finish_raw(app, now, raw_id, "refused",
					  m->message_id, 0, out->reason, err);
		}
		{
			/* A pending contact with no organization: agents
			 * link it to its customer later. */
			struct contact_input ci = { 0 };
			int64_t id;

			ci.name = m->from_name && *m->from_name ? m->from_name
								: m->from_addr;
			ci.email = m->from_addr;
			if ((rc = app_contact_add(app, &id, now, &app_system, &ci,
						  err)) ||
			    (rc = store_contact_get(app->store, a, &c,
						    app->provider_id, id, err)))
				return rc;
		}
	}
	who = (struct actor){ "contact", c.id };
	body = m->text_trimmed && *m->text_trimmed ? m->text_trimmed :
	       m->text && *m->text ? m->text : m->subject;
	tid = thread_ticket(app, a, m, &c, &t);
	if (tid) {
		enum ticket_state st = (enum ticket_state)lifecycle_state_parse(t.state);
		int64_t deadline = app_reopen_deadline(app, &t);

		if (st == TS_MERGED && t.merged_into &&
		    store_ticket_get(app->store, a, &t, app->provider_id,
				     t.merged_into, NULL) == 0)
			st = (enum ticket_state)lifecycle_state_parse(t.state);
		if (st == TS_CLOSED && now <= deadline &&
		    (rc = app_ticket_act(app, now, &who, t.folio, TA_REOPEN,
					 NULL, err)))
			return rc;
		if ((st == TS_CLOSED && now > deadline) ||
		    (st == TS_RESOLVED && now > deadline)) {
			/* CLO-3: past the window, a new ticket linked to
			 * this one. */
			str_copy(parent, t.folio, sizeof parent);
			tid = 0;
		} else {
			/* SLA-3: a reply ends a wait on the customer. */
			if ((rc = app__reply_email(app, now, &who, t.folio,
						   body ? body : "(sin texto)",
						   m->message_id, err)))
				return rc;
			for (size_t i = 0; i < m->nfiles; i++)
				if ((rc = app_ticket_attach(app, NULL, now, &who,
							    t.folio,
							    m->files[i].filename,
							    m->files[i].mime,
							    m->files[i].data,
							    m->files[i].size,
							    err)))
					return rc;
			if ((rc = note_dropped(app, a, now, t.id,
					       m->dropped_files, err)))
				return rc;
			out->result = MAIL_REPLY;
			str_copy(out->folio, t.folio, sizeof out->folio);
			return finish_raw(app, now, raw_id, "processed",
					  m->message_id, t.id, NULL, err);
		}
	}
	{
		struct ticket_input in = { 0 };
		struct ticket_opened o;
		char subject[400];
		int cat = 0;

		/* INT-2: email must be an official channel, or the pack's
		 * exception for faults in the customer's own email. */
		if (!(p->channels & (1u << CH_EMAIL))) {
			bool exception = false;

			for (size_t i = 0; i < p->nchannel_exceptions; i++)
				if (p->channel_exceptions[i].channel == CH_EMAIL) {
					exception = true;
					cat = p->channel_exceptions[i].category;
				}
			if (!exception) {
				char body_i[600], subj[300];

				snprintf(subj, sizeof subj, "Re: %.250s",
					 m->subject ? m->subject : "");
				snprintf(body_i, sizeof body_i, "%s no recibe "
					 "solicitudes por correo. Levante su "
					 "ticket en el sistema de tickets (INT-2)."
					 "\n\n%s takes requests through its ticket "
					 "system only.", p->provider.short_name,
					 p->provider.short_name);
				out->result = MAIL_REFUSED;
				snprintf(out->reason, sizeof out->reason, "email "
					 "is not an official channel (INT-2)");
				if ((rc = app__notify_address(app, now, 0,
							      "instructions",
							      m->from_addr,
							      m->from_name, subj,
							      body_i,
							      m->message_id, err)))
					return rc;
				return finish_raw(app, now, raw_id, "refused",
						  m->message_id, 0, out->reason,
						  err);
			}
		}
		snprintf(subject, sizeof subject, "%.300s",
			 m->subject && *m->subject ? m->subject : "(sin asunto)");
		{
			/* One line, no control characters. */
			for (char *q = subject; *q; q++)
				if ((unsigned char)*q < 0x20)
					*q = ' ';
		}
		in.contact = c.email;
		in.channel = "email";
		in.category = p->categories[cat].id;
		in.subject = subject;
		in.description = m->text && *m->text ? m->text : NULL;
		in.email_message_id = m->message_id;
		in.parent = parent[0] ? parent : NULL;
		for (size_t i = 0; i < m->nfiles && i < 8; i++)
			in.files[in.nfiles++] = (struct ticket_file){
				m->files[i].filename, m->files[i].mime,
				m->files[i].data, m->files[i].size };
		if ((rc = app_ticket_open(app, &o, now, &who, &in, err)))
			return rc;
		for (size_t i = 8; i < m->nfiles; i++)
			if ((rc = app_ticket_attach(app, NULL, now, &who, o.folio,
						    m->files[i].filename,
						    m->files[i].mime,
						    m->files[i].data,
						    m->files[i].size, err)))
				return rc;
		if ((rc = note_dropped(app, a, now, o.id, m->dropped_files,
				       err)))
			return rc;
		out->result = MAIL_NEW_TICKET;
		str_copy(out->folio, o.folio, sizeof out->folio);
		return finish_raw(app, now, raw_id, "processed", m->message_id,
				  o.id, NULL, err);
	}
}

int
app_mail_accept(struct app *app, struct mail_outcome *out, int64_t now,
		int64_t raw_id, const struct inbound_mail *m,
		struct sp_err *err)
{
	struct raw_mail_row raw;
	struct arena a;
	int rc;

	memset(out, 0, sizeof *out);
	out->raw_id = raw_id;
	arena_init(&a, 0);
	if ((rc = store_begin(app->store, err)))
		goto out;
	app->in_tx = true;
	if ((rc = store_raw_mail_get(app->store, &a, &raw, app->provider_id,
				     raw_id, false, err)))
		goto fail;
	if (strcmp(raw.state, "received") && strcmp(raw.state, "quarantined")) {
		/* Taken before (the MTA delivered it twice): nothing to do. */
		out->result = MAIL_DUPLICATE;
		snprintf(out->reason, sizeof out->reason, "this message was %s "
			 "already", raw.state);
		rc = 0;
		app->in_tx = false;
		store_rollback(app->store);
		goto out;
	}
	if ((rc = accept_in_tx(app, &a, out, now, raw_id, m, err)))
		goto fail;
	if ((rc = app__event(app, now, &app_system, "mail", raw_id, 0,
			     "mail.received", NULL,
			     json_pack("{s:s, s:s?, s:s}", "result",
				       app_mail_result_name(out->result),
				       "message_id", m->message_id, "folio",
				       out->folio), err)))
		goto fail;
	app->in_tx = false;
	rc = store_commit(app->store, err);
	goto out;
fail:
	app->in_tx = false;
	store_rollback(app->store);
out:
	arena_free(&a);
	return rc;
}
