/* app_internal.h — shared between app/ files, not beyond. */
#ifndef SP_APP_INTERNAL_H
#define SP_APP_INTERNAL_H

#include "../util/civil.h"
#include "../util/jw.h"
#include "app.h"

#include <jansson.h>

/* One transaction per use case; inside another one's (app->in_tx) a use
 * case joins it: the outer one commits or rolls back. */
int app__begin(struct app *app, struct sp_err *err);
int app__commit(struct app *app, struct sp_err *err);
void app__rollback(struct app *app);

void app__sha256_hex(char out[65], const void *data, size_t len);

/* Appends an audit event; before/after are consumed (json_decref'd). */
int app__event(struct app *app, int64_t now, const struct actor *who,
	       const char *entity, int64_t entity_id, int64_t ticket_id,
	       const char *action, json_t *before, json_t *after,
	       struct sp_err *err);
/* The same with bodies written by jw (cheaper than json_pack and
 * json_dumps, the same bytes); before/after may be NULL and are freed. */
int app__event_jw(struct app *app, int64_t now, const struct actor *who,
		  const char *entity, int64_t entity_id, int64_t ticket_id,
		  const char *action, struct jw *before, struct jw *after,
		  struct sp_err *err);

/* Checks a text input: present when required, valid UTF-8 without
 * control characters, at most max bytes. */
int app__text(const char *field, const char *value, bool required,
	      bool multiline, size_t max, struct sp_err *err);

/* The instant a window of `d` ends when it starts at `from`;
 * INT64_MAX when it cannot be computed (the calendar's years passed). */
int64_t app__window_end(struct app *app, int64_t from,
			const struct duration *d);

/* The window that runs after work on t is delivered: `usual` (reopen,
 * warranty, auto-close), or windows.project_defects for a ticket in a
 * project category (CLO-5). */
const struct duration *app__delivery_window(struct app *app,
					    const struct ticket_row *t,
					    const struct duration *usual);

/* The instant of the ticket's last state change into `to` from any state
 * in the `from` mask (bits of enum ticket_state; ~0u: any) at or before
 * `until`, read from its events; 0 in *at when there is none. */
int app__last_move(struct app *app, struct arena *a, int64_t ticket_id,
		   unsigned from, enum ticket_state to, int64_t until,
		   int64_t *at, struct sp_err *err);

/* Recomputes a ticket's timers after a change, inside the caller's
 * transaction: cancels the pending ones, adds what is now due. */
int app__schedule(struct app *app, const struct ticket_row *t, int64_t now,
		  struct sp_err *err);
/* The same, also giving the clocks it computed (app_ticket_sla's) and
 * setting *computed; both untouched for a ticket no longer active. */
int app__schedule_sla(struct app *app, const struct ticket_row *t,
		      int64_t now, struct sla_status *out, bool *computed,
		      struct sp_err *err);
/* Adds a message to a ticket, with its event, in the caller's
 * transaction. */
int app__message(struct app *app, int64_t *out_id, int64_t now,
		 const struct ticket_row *t, const char *kind,
		 const char *author_kind, int64_t author_id,
		 const char *channel, const char *body, struct sp_err *err);
/* The same with every column of the message given (an email's
 * Message-ID), and whether the customer is told by email. */
int app__message_ex(struct app *app, int64_t *out_id, int64_t now,
		    const struct ticket_row *t, const struct message_row *m,
		    bool notify, struct sp_err *err);
/* SCH-7: true if text holds a "password: x" style value that
 * notifications would mask. */
bool app__mentions_credentials(const char *text);
/* Queues an email to the ticket's contact (outbox.c): the ticket's folio
 * in the subject, threaded, in the contact's language, credentials
 * masked (SCH-7). `kind`: ack, message, instructions... */
int app__notify_contact(struct app *app, int64_t now,
			const struct ticket_row *t, const char *kind,
			const char *body, struct sp_err *err);
/* The same to contact c, the ticket's, already read by the caller. */
int app__notify_contact_row(struct app *app, int64_t now,
			    const struct ticket_row *t,
			    const struct contact_row *c, const char *kind,
			    const char *body, struct sp_err *err);
/* Queues an email to an address that is not (yet) a ticket's contact. */
int app__notify_address(struct app *app, int64_t now, int64_t ticket_id,
			const char *kind, const char *to_addr,
			const char *to_name, const char *subject,
			const char *body, const char *in_reply_to,
			struct sp_err *err);
/* A customer's reply that arrived as an email (its Message-ID kept). */
int app__reply_email(struct app *app, int64_t now, const struct actor *who,
		     const char *ticket, const char *body,
		     const char *email_message_id, struct sp_err *err);
/* False for an agent or contact switched off (or gone); their language
 * (es, en) into lang when it is not NULL. */
bool app__actor_active(struct app *app, const struct actor *who,
		       char lang[4]);
/* True for a contact with the customer "user" role: their own tickets
 * only (an "admin" sees the organization's). */
bool app__customer_user(const struct contact_row *c);
/* SP_EPERM unless an agent or the system acts. */
int app__staff_only(const struct actor *who, const char *what,
		    struct sp_err *err);
/* SP_EPERM unless the system acts or an active agent whose role is
 * `least` or above (agent < quality_lead < operations_manager < admin);
 * `what` names the act in the message. */
int app__role_at_least(struct app *app, const struct actor *who,
		       enum role least, const char *what, struct sp_err *err);
void app__new_message_id(const struct app *app, char out[160]);
bool app__is_our_message_id(const struct app *app, const char *id);
/* A lifecycle action on a loaded ticket, in the caller's transaction. */
int app__act(struct app *app, struct arena *a, int64_t now,
	     const struct actor *who, struct ticket_row *t,
	     enum ticket_action action, const struct transition_args *args,
	     struct sp_err *err);
/* The contract a new ticket of `org` runs on: its usable contract that
 * ends soonest (0: none). */
int app__ticket_contract(struct app *app, struct arena *a, int64_t org,
			 int64_t now, int64_t *out_id);
/* PLAN-3: the term ended: what is left expires (timer, in the caller's
 * transaction; nothing to do when it already ended otherwise). */
int app__contract_expire(struct app *app, struct arena *a, int64_t now,
			 int64_t contract_id, struct sp_err *err);
/* Quote expiry and invoice delinquency or month-end cancellation. */
int app__document_timer(struct app *app, struct arena *a, const char *kind,
			int64_t id, int64_t now, struct sp_err *err);
/* app_contract_add with the bank given in minutes (a paid quote). */
int app_contract_add_minutes(struct app *app, char out_number[64],
			     int64_t now, const struct actor *who,
			     const struct contract_input *in, int64_t minutes,
			     struct sp_err *err);
/* Reschedules the timers of every active ticket (after a pack reload). */
int app__reschedule_all(struct app *app, int64_t now, struct sp_err *err);
int app__build_calendars(struct app *app, struct sp_err *err);
void app__free_calendars(struct app *app);

#endif
