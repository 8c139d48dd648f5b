/* store.h — persistence behind one interface. store_sqlite.c implements it
 * on one SQLite file; a PostgreSQL backend can follow behind the same
 * functions. Every row belongs to a provider. Strings in returned rows are
 * allocated in the caller's arena; the caller owns the arena. */
#ifndef SP_STORE_H
#define SP_STORE_H

#include "../util/arena.h"
#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Opens (creating if absent) and migrates the database at `path`. A file
 * that is not a soporte database, or one from a newer soporte, is
 * refused with SP_EFORMAT; a locked one with SP_EBUSY. */
int store_open(struct store **out, const char *path, bool create,
	       struct sp_err *err);
void store_close(struct store *s);
/* How long a write waits for another process's lock (default 5 s). */
void store_set_busy_timeout(struct store *s, int ms);
int store_schema_version(struct store *s);

/* One transaction per use case. begin takes the write lock at once
 * (BEGIN IMMEDIATE) so two writers never deadlock half-way. A commit
 * also puts the new tickets and messages into the search indexes once
 * STORE_SEARCH_TAIL of either wait; fewer wait for the next search
 * (store_ticket_search). */
#define STORE_SEARCH_TAIL 256
int store_begin(struct store *s, struct sp_err *err);
int store_commit(struct store *s, struct sp_err *err);
void store_rollback(struct store *s);
/* Inside a transaction: a part that can be undone alone (a use case that
 * joins a larger transaction). Savepoints nest; release and rollback_to
 * end the innermost. release undoes the part when it fails. */
int store_savepoint(struct store *s, struct sp_err *err);
int store_release(struct store *s, struct sp_err *err);
void store_rollback_to(struct store *s);
/* A read-only transaction around several queries: one snapshot, and the
 * locks taken once rather than per query. Inside an open transaction it
 * does nothing and returns false; store_read_end ends what began. A
 * failure to begin is not an error: the queries run on their own. */
bool store_read_begin(struct store *s);
void store_read_end(struct store *s, bool began);
/* Changes whenever the data may have: a commit by another connection
 * (PRAGMA data_version) or any write on this one. Read inside a read
 * transaction, equal values mean the same data, so what was read under
 * one may be kept and given again under the other. */
struct store_generation {
	int64_t data_version, changes;
};
int store_generation(struct store *s, struct store_generation *out,
		     struct sp_err *err);
bool store_generation_same(const struct store_generation *a,
			   const struct store_generation *b);
/* The most SQLite keeps of the file in memory for this connection (2 MiB
 * by default); the kernel's page cache holds the rest. */
int store_set_cache(struct store *s, int kib, struct sp_err *err);
/* WAL with synchronous=NORMAL (the default) syncs at checkpoints only: a
 * commit survives a crash of soporte, not of the machine. Durable
 * (synchronous=FULL) syncs the log at every commit. */
int store_set_durable(struct store *s, bool durable, struct sp_err *err);
/* A commit that leaves more than `pages` in the log copies them into
 * the database file (SQLite's default: 1000). */
int store_set_checkpoint(struct store *s, int pages, struct sp_err *err);

struct provider_row {
	int64_t id;
	const char *pack_id, *name, *pack_text, *pack_sha256;
	int64_t loaded_at;
};

int store_provider_add(struct store *s, int64_t *out_id,
		       const struct provider_row *p, struct sp_err *err);
int store_provider_update(struct store *s, const struct provider_row *p,
			  struct sp_err *err);
int store_provider_get(struct store *s, struct arena *a,
		       struct provider_row *out, int64_t id, const char *pack_id,
		       struct sp_err *err);
int store_provider_list(struct store *s, struct arena *a,
			struct provider_row **out, size_t *n,
			struct sp_err *err);

struct org_row {
	int64_t id, provider_id;
	const char *name, *tax_id;
	int64_t created_at;
};

struct contact_row {
	int64_t id, provider_id, organization_id; /* 0: none */
	const char *name, *surname, *phone, *address, *email, *lang;
	int64_t created_at;
	bool active;          /* false: may not sign in or use tokens */
	const char *role;     /* admin: the organization; user: own tickets */
};

struct agent_row {
	int64_t id, provider_id;
	const char *name, *email, *role;
	bool active;
	int64_t created_at;
	const char *lang;     /* es, en: the console's language */
};

struct product_row {
	int64_t id, provider_id;
	const char *code, *name, *end_of_life; /* YYYY-MM-DD or NULL */
	int64_t created_at;
};

int store_org_add(struct store *s, int64_t *out_id, const struct org_row *r,
		  struct sp_err *err);
int store_org_get(struct store *s, struct arena *a, struct org_row *out,
		  int64_t provider_id, int64_t id, struct sp_err *err);
/* By id when `key` is a number, else by exact name. */
int store_org_find(struct store *s, struct arena *a, struct org_row *out,
		   int64_t provider_id, const char *key, struct sp_err *err);
int store_org_list(struct store *s, struct arena *a, struct org_row **out,
		   size_t *n, int64_t provider_id, struct sp_err *err);

int store_contact_add(struct store *s, int64_t *out_id,
		      const struct contact_row *r, struct sp_err *err);
/* Writes every editable column of r (by id): organization, names,
 * phone, address, email, lang, active. */
int store_contact_update(struct store *s, const struct contact_row *r,
			 struct sp_err *err);
int store_contact_get(struct store *s, struct arena *a,
		      struct contact_row *out, int64_t provider_id, int64_t id,
		      struct sp_err *err);
/* By id when `key` is a number, else by email (case-insensitive). */
int store_contact_find(struct store *s, struct arena *a,
		       struct contact_row *out, int64_t provider_id,
		       const char *key, struct sp_err *err);
int store_contact_list(struct store *s, struct arena *a,
		       struct contact_row **out, size_t *n, int64_t provider_id,
		       int64_t organization_id, struct sp_err *err);

int store_agent_add(struct store *s, int64_t *out_id,
		    const struct agent_row *r, struct sp_err *err);
/* Writes name, email, role and active (by id). */
int store_agent_update(struct store *s, const struct agent_row *r,
		       struct sp_err *err);
int store_agent_get(struct store *s, struct arena *a, struct agent_row *out,
		    int64_t provider_id, int64_t id, struct sp_err *err);
int store_agent_find(struct store *s, struct arena *a, struct agent_row *out,
		     int64_t provider_id, const char *key, struct sp_err *err);
int store_agent_list(struct store *s, struct arena *a,
		     struct agent_row **out, size_t *n, int64_t provider_id,
		     struct sp_err *err);

int store_product_add(struct store *s, int64_t *out_id,
		      const struct product_row *r, struct sp_err *err);
int store_product_get(struct store *s, struct arena *a,
		      struct product_row *out, int64_t provider_id, int64_t id,
		      struct sp_err *err);
int store_product_find(struct store *s, struct arena *a,
		       struct product_row *out, int64_t provider_id,
		       const char *key, struct sp_err *err);
int store_product_list(struct store *s, struct arena *a,
		       struct product_row **out, size_t *n,
		       int64_t provider_id, struct sp_err *err);

/* The next number of a folio sequence, starting at 1 per period. */
int store_folio_next(struct store *s, int64_t *out_seq, int64_t provider_id,
		     const char *period, struct sp_err *err);

struct ticket_row {
	int64_t id, provider_id;
	const char *folio;
	int64_t organization_id, contact_id, product_id; /* 0: none */
	const char *channel, *category, *priority, *state, *subject;
	int64_t assignee_id;  /* 0: unassigned */
	int64_t contract_id;  /* 0: none */
	int64_t merged_into;  /* 0: not merged */
	int64_t parent_id;    /* a reopened fault's earlier ticket (CLO-3) */
	const char *fields;   /* JSON object of the pack's extra fields (INT-3) */
	int64_t created_at, updated_at;
	int64_t resolved_at, closed_at; /* 0: not yet */
	int64_t version;      /* bumped by every update; optimistic locking */
};

int store_ticket_add(struct store *s, int64_t *out_id,
		     const struct ticket_row *t, struct sp_err *err);
int store_ticket_get(struct store *s, struct arena *a, struct ticket_row *out,
		     int64_t provider_id, int64_t id, struct sp_err *err);
/* By folio, or by id when `key` is a number. */
int store_ticket_find(struct store *s, struct arena *a,
		      struct ticket_row *out, int64_t provider_id,
		      const char *key, struct sp_err *err);
/* Writes every mutable column when the stored version equals t->version,
 * then bumps it (t->version is updated); SP_ECONFLICT otherwise. */
int store_ticket_update(struct store *s, struct ticket_row *t,
			struct sp_err *err);

struct ticket_filter {
	const char *state;   /* NULL: any */
	bool active_only;    /* neither closed nor merged */
	int64_t organization_id, assignee_id, contact_id; /* 0: any */
	int64_t after_id;    /* cursor: rows with id > after_id */
	int64_t created_from, created_to; /* [from, to); 0: unbounded */
	int limit;           /* 0: 1000 */
};

int store_ticket_list(struct store *s, struct arena *a,
		      struct ticket_row **out, size_t *n, int64_t provider_id,
		      const struct ticket_filter *f, struct sp_err *err);

struct message_row {
	int64_t id, provider_id, ticket_id;
	const char *kind;        /* public, internal, system */
	const char *author_kind; /* agent, contact, system */
	int64_t author_id;
	const char *channel;
	const char *body;
	const char *email_message_id; /* RFC 5322 Message-ID or NULL */
	int64_t created_at;
};

int store_message_add(struct store *s, int64_t *out_id,
		      const struct message_row *m, struct sp_err *err);
int store_message_list(struct store *s, struct arena *a,
		       struct message_row **out, size_t *n, int64_t ticket_id,
		       struct sp_err *err);

struct attachment_row {
	int64_t id, provider_id, ticket_id, message_id;
	const char *filename, *mime, *sha256;
	int64_t size, created_at;
};

/* Stores content once per SHA-256 (hex, 64 chars) and adds the
 * attachment row pointing to it. */
int store_attachment_add(struct store *s, int64_t *out_id,
			 const struct attachment_row *r, const void *data,
			 struct sp_err *err);
int store_attachment_list(struct store *s, struct arena *a,
			  struct attachment_row **out, size_t *n,
			  int64_t ticket_id, struct sp_err *err);
int store_blob_get(struct store *s, struct arena *a, const void **out,
		   int64_t *size, const char *sha256, struct sp_err *err);

/* The append-only audit log. before/after are JSON texts (or NULL). */
struct event_row {
	int64_t id, provider_id;
	int64_t ticket_id; /* 0: not about a ticket */
	const char *entity; /* ticket, organization, contact, agent, ... */
	int64_t entity_id;
	int64_t at;
	const char *actor_kind; /* agent, contact, system */
	int64_t actor_id;
	const char *action;
	const char *before, *after;
};

int store_event_add(struct store *s, int64_t *out_id,
		    const struct event_row *e, struct sp_err *err);
int store_event_list(struct store *s, struct arena *a,
		     struct event_row **out, size_t *n, int64_t provider_id,
		     int64_t ticket_id, struct sp_err *err);

struct timer_row {
	int64_t id, provider_id, ticket_id;
	const char *kind;
	int64_t due_at;
	const char *payload; /* JSON or NULL */
	const char *state;   /* pending, done, cancelled */
};

/* Adds a pending timer; the same (ticket, kind, due_at) twice is one: a
 * cancelled one comes back, a done one stays done (it ran), and then
 * *written (when not NULL) is false. */
int store_timer_add(struct store *s, bool *written,
		    const struct timer_row *t, struct sp_err *err);
/* A provider's pending timers due at or before `now`, oldest first. */
int store_timer_due(struct store *s, struct arena *a, struct timer_row **out,
		    size_t *n, int64_t provider_id, int64_t now, int limit,
		    struct sp_err *err);
/* Marks a pending timer done; *claimed is false if another run already
 * did (so a timer's effect happens once). */
int store_timer_finish(struct store *s, bool *claimed, int64_t id,
		       const char *state, int64_t now, struct sp_err *err);
/* Cancels the pending timers of a ticket of one kind (NULL: every kind). */
int store_timer_cancel(struct store *s, int64_t ticket_id, const char *kind,
		       struct sp_err *err);
int store_timer_list(struct store *s, struct arena *a, struct timer_row **out,
		     size_t *n, int64_t ticket_id, struct sp_err *err);

/* ---- contracts, attendances, ledger ------------------------------- */

struct contract_row {
	int64_t id, provider_id, organization_id;
	const char *number, *plan, *kind;
	int64_t bank_minutes;   /* 0: no bank (per event, retainer by term) */
	int64_t starts_at, ends_at;
	int64_t price_centavos; /* -1: not set */
	const char *state;
	int64_t overage_minutes; /* authorised overdraw */
	const char *products;    /* JSON list of product codes; NULL: all */
	int64_t office_minutes, onsite_minutes;
	int64_t paid_at;
	const char *payment_ref;
	int64_t created_at, version;
	int64_t balance_minutes, consumed_minutes; /* kept with the ledger */
};

int store_contract_add(struct store *s, int64_t *out_id,
		       const struct contract_row *c, struct sp_err *err);
int store_contract_get(struct store *s, struct arena *a,
		       struct contract_row *out, int64_t provider_id,
		       int64_t id, struct sp_err *err);
/* By number, or by id when `key` is a number. */
int store_contract_find(struct store *s, struct arena *a,
			struct contract_row *out, int64_t provider_id,
			const char *key, struct sp_err *err);
/* An organization's contracts (0: every organization's), the soonest
 * to end first. */
int store_contract_list(struct store *s, struct arena *a,
			struct contract_row **out, size_t *n,
			int64_t provider_id, int64_t organization_id,
			struct sp_err *err);
/* state, overage, paid_at, payment_ref when the version matches. */
int store_contract_update(struct store *s, struct contract_row *c,
			  struct sp_err *err);
int store_contract_next_number(struct store *s, int64_t *out_seq,
			       int64_t provider_id, int year,
			       struct sp_err *err);

struct attendance_row {
	int64_t id, provider_id, ticket_id, organization_id, agent_id;
	int64_t start_at, minutes;
	const char *modality;
	bool warranty, quick_question;
	int64_t debit_minutes;
	const char *steps; /* JSON */
	int64_t created_at;
};

int store_attendance_add(struct store *s, int64_t *out_id,
			 const struct attendance_row *r, struct sp_err *err);
int store_attendance_list(struct store *s, struct arena *a,
			  struct attendance_row **out, size_t *n,
			  int64_t ticket_id, struct sp_err *err);
int store_attendance_get(struct store *s, struct arena *a,
			 struct attendance_row *out, int64_t provider_id,
			 int64_t id, struct sp_err *err);
/* Free quick questions an organization used in [from, to) (BILL-5). */
int store_quick_questions(struct store *s, int *out, int64_t organization_id,
			  int64_t from, int64_t to, struct sp_err *err);

struct ledger_row {
	int64_t id, provider_id, contract_id;
	const char *kind;
	int64_t minutes; /* + adds to the balance, - takes from it */
	int64_t at, attendance_id;
	const char *actor_kind;
	int64_t actor_id;
	const char *reason;
};

int store_ledger_add(struct store *s, int64_t *out_id,
		     const struct ledger_row *r, struct sp_err *err);
int store_ledger_list(struct store *s, struct arena *a,
		      struct ledger_row **out, size_t *n, int64_t contract_id,
		      struct sp_err *err);
/* The balance is the sum of the entries (kept beside them by a trigger
 * in the same transaction; the tests check the two agree). */
int store_ledger_balance(struct store *s, int64_t *out, int64_t contract_id,
			 struct sp_err *err);
/* Minutes debited so far (a positive number). */
int store_ledger_consumed(struct store *s, int64_t *out, int64_t contract_id,
			  struct sp_err *err);

/* ---- quotes and invoices ------------------------------------------ */

struct quote_row {
	int64_t id, provider_id;
	const char *number;
	int64_t organization_id, ticket_id; /* ticket: 0 none */
	const char *kind;   /* quote (per event, BILL-7), estimate (BILL-8) */
	int64_t minutes, subtotal_centavos, iva_centavos;
	const char *description, *state;
	int64_t valid_until, decided_at;
	const char *decided_by_kind;
	int64_t decided_by_id;
	const char *decided_channel, *payment_ref;
	int64_t contract_id, created_at, version;
};

int store_quote_add(struct store *s, int64_t *out_id,
		    const struct quote_row *q, struct sp_err *err);
int store_quote_find(struct store *s, struct arena *a, struct quote_row *out,
		     int64_t provider_id, const char *key, struct sp_err *err);
/* A ticket's quotes (ticket_id) or an organization's (org_id). */
int store_quote_list(struct store *s, struct arena *a, struct quote_row **out,
		     size_t *n, int64_t provider_id, int64_t ticket_id,
		     int64_t organization_id, struct sp_err *err);
/* state, decision, payment_ref, contract_id when the version matches. */
int store_quote_update(struct store *s, struct quote_row *q,
		       struct sp_err *err);

struct invoice_row {
	int64_t id, provider_id;
	const char *number;
	int64_t organization_id, contract_id;
	const char *concept;
	int64_t subtotal_centavos, iva_centavos;
	const char *state;
	int64_t issued_at, paid_at;
	const char *payment_ref, *cfdi_uuid;
	int64_t created_at, version;
};

int store_invoice_add(struct store *s, int64_t *out_id,
		      const struct invoice_row *r, struct sp_err *err);
int store_invoice_find(struct store *s, struct arena *a,
		       struct invoice_row *out, int64_t provider_id,
		       const char *key, struct sp_err *err);
int store_invoice_list(struct store *s, struct arena *a,
		       struct invoice_row **out, size_t *n, int64_t provider_id,
		       int64_t organization_id, struct sp_err *err);
/* state, paid_at, payment_ref, cfdi_uuid when the version matches. */
int store_invoice_update(struct store *s, struct invoice_row *r,
			 struct sp_err *err);
/* The next number of a document kind ("quote", "invoice") in a year. */
int store_document_next(struct store *s, int64_t *out_seq,
			int64_t provider_id, const char *kind, int year,
			struct sp_err *err);

/* ---- email --------------------------------------------------------- */

struct raw_mail_row {
	int64_t id, provider_id;
	const char *sha256;
	int64_t size;
	const void *data;
	const char *source;
	int64_t received_at;
	const char *state, *message_id;
	int64_t ticket_id;
	const char *reason;
	int64_t processed_at;
};

/* Stores the bytes once per SHA-256; *duplicate when they were there. */
int store_raw_mail_add(struct store *s, int64_t *out_id, bool *duplicate,
		       const struct raw_mail_row *r, struct sp_err *err);
int store_raw_mail_get(struct store *s, struct arena *a,
		       struct raw_mail_row *out, int64_t provider_id,
		       int64_t id, bool with_data, struct sp_err *err);
/* state, message_id, ticket_id, reason, processed_at. */
int store_raw_mail_update(struct store *s, const struct raw_mail_row *r,
			  struct sp_err *err);
/* A provider's raw messages in one state (NULL: all), newest first. */
int store_raw_mail_list(struct store *s, struct arena *a,
			struct raw_mail_row **out, size_t *n,
			int64_t provider_id, const char *state, int limit,
			struct sp_err *err);
/* A processed message with this Message-ID (0 when none). */
int store_raw_mail_seen(struct store *s, int64_t *out_id, int64_t provider_id,
			const char *message_id, struct sp_err *err);

struct outbox_row {
	int64_t id, provider_id, ticket_id;
	const char *kind, *to_addr, *to_name, *subject, *body;
	const char *message_id, *in_reply_to, *refs;
	const char *state;
	int64_t attempts, next_at;
	const char *last_error;
	int64_t created_at, sent_at;
};

int store_outbox_add(struct store *s, int64_t *out_id,
		     const struct outbox_row *r, struct sp_err *err);
int store_outbox_due(struct store *s, struct arena *a, struct outbox_row **out,
		     size_t *n, int64_t provider_id, int64_t now, int limit,
		     struct sp_err *err);
/* state, attempts, next_at, last_error, sent_at. */
int store_outbox_update(struct store *s, const struct outbox_row *r,
			struct sp_err *err);
int store_outbox_get(struct store *s, struct arena *a, struct outbox_row *out,
		     int64_t provider_id, int64_t id, struct sp_err *err);
int store_outbox_list(struct store *s, struct arena *a,
		      struct outbox_row **out, size_t *n, int64_t provider_id,
		      int64_t ticket_id, struct sp_err *err);
/* The ticket an outbound Message-ID belongs to (0: none). */
int store_outbox_ticket(struct store *s, int64_t *out_ticket,
			int64_t provider_id, const char *message_id,
			struct sp_err *err);
/* Messages queued to an address since `since` (rate limits). */
int store_outbox_count_to(struct store *s, int *out, int64_t provider_id,
			  const char *to_addr, const char *kind,
			  int64_t since, struct sp_err *err);
/* The thread of a ticket's emails: the customer's last Message-ID and
 * our first one (NULL when none), two indexed lookups. */
int store_ticket_thread(struct store *s, struct arena *a,
			const char **last_inbound, const char **first_outbound,
			int64_t ticket_id, struct sp_err *err);
/* The ticket an inbound Message-ID was added to (0: none). */
int store_message_ticket(struct store *s, int64_t *out_ticket,
			 int64_t provider_id, const char *message_id,
			 struct sp_err *err);

/* ---- API tokens ---------------------------------------------------- */

struct token_row {
	int64_t id, provider_id;
	const char *actor_kind;
	int64_t actor_id;
	const char *name, *sha256;
	int64_t created_at, last_used_at, revoked_at;
};

int store_token_add(struct store *s, int64_t *out_id,
		    const struct token_row *t, struct sp_err *err);
/* A live (not revoked) token by its hash, of any provider. */
int store_token_find(struct store *s, struct arena *a, struct token_row *out,
		     const char *sha256, struct sp_err *err);

/* ---- people signing in --------------------------------------------- */

/* Sets (hash) or reads the password hash of an agent or contact. */
int store_password_set(struct store *s, const char *kind, int64_t id,
		       const char *hash, struct sp_err *err);
int store_password_get(struct store *s, struct arena *a, const char **hash,
		       const char *kind, int64_t id, struct sp_err *err);

struct session_row {
	int64_t id, provider_id;
	const char *sha256, *actor_kind;
	int64_t actor_id;
	const char *csrf;
	int64_t created_at, expires_at;
};

int store_session_add(struct store *s, const struct session_row *r,
		      struct sp_err *err);
int store_session_find(struct store *s, struct arena *a,
		       struct session_row *out, const char *sha256,
		       struct sp_err *err);
int store_session_delete(struct store *s, const char *sha256,
			 struct sp_err *err);
int store_login_failure(struct store *s, int64_t provider_id,
			const char *email, int64_t at, struct sp_err *err);
int store_login_failures(struct store *s, int *out, int64_t provider_id,
			 const char *email, int64_t since, struct sp_err *err);

/* ---- knowledge base and search (INT-7) ---------------------------- */

struct kb_row {
	int64_t id, provider_id;
	const char *slug, *lang, *category, *title, *body; /* body: Markdown */
	const char *visibility;  /* public, internal */
	int64_t author_id;       /* 0: none */
	int64_t created_at, updated_at, version;
};

/* Inserts (id 0) or updates by id when the version still matches
 * (SP_ECONFLICT otherwise); r->id and r->version follow. A second
 * article with the same slug and language is SP_ECONFLICT. */
int store_kb_put(struct store *s, struct kb_row *r, struct sp_err *err);
int store_kb_get(struct store *s, struct arena *a, struct kb_row *out,
		 int64_t provider_id, const char *slug, const char *lang,
		 struct sp_err *err);
/* By category and title; lang and category NULL: all. */
int store_kb_list(struct store *s, struct arena *a, struct kb_row **out,
		  size_t *n, int64_t provider_id, const char *lang,
		  const char *category, bool public_only, struct sp_err *err);
/* The best matches of an FTS5 query, title weighing more than body. */
int store_kb_search(struct store *s, struct arena *a, struct kb_row **out,
		    size_t *n, int64_t provider_id, const char *fts_query,
		    const char *lang, bool public_only, int limit,
		    struct sp_err *err);
/* Tickets whose subject or messages match an FTS5 query, most recently
 * updated first; organization_id and contact_id 0: any; public_only leaves internal
 * notes out of what is searched (a customer's search). It first indexes
 * the tickets and messages not yet indexed, so it finds every one
 * committed (and, inside a write transaction, its own): a write, in a
 * transaction of its own or in the open write transaction. Inside a
 * read transaction (store_read_begin) it refuses with SP_EINVAL. */
int store_ticket_search(struct store *s, struct arena *a,
			struct ticket_row **out, size_t *n,
			int64_t provider_id, const char *fts_query,
			int64_t organization_id, int64_t contact_id,
			bool public_only, int limit, struct sp_err *err);
/* Tells store_ticket_recent whether to keep a candidate; `subject` is
 * lent for the call only. */
typedef bool store_recent_keep(void *ctx, int64_t id, const char *subject);
/* Of the organization's (or, when it is 0, the contact's) newest
 * `limit` tickets, the active ones (not closed or merged) opened since
 * `since`, newest first, but exclude_id, and of those the ones keep()
 * keeps (keep NULL: all): the candidates of a duplicate (INT-4). Only
 * id, provider, folio, the organization or contact asked for, state,
 * subject and created_at are filled. */
int store_ticket_recent(struct store *s, struct arena *a,
			struct ticket_row **out, size_t *n,
			int64_t provider_id, int64_t organization_id,
			int64_t contact_id, int64_t since, int64_t exclude_id,
			int limit, store_recent_keep *keep, void *ctx,
			struct sp_err *err);

/* Counts for /metrics. */
struct store_stats {
	int64_t timers_pending, outbox_pending, outbox_failed, tickets_active,
		sla_breaches, raw_quarantined;
};
int store_stats(struct store *s, struct store_stats *out, int64_t provider_id,
		struct sp_err *err);

#endif
