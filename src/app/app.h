/* app.h — the use cases. Each is one transaction: validate, apply core
 * rules, persist, append the audit event. CLI, HTTP and mail all call
 * these; none writes around them. Every function takes `now` (Unix
 * seconds) so behaviour never depends on when it runs. */
#ifndef SP_APP_H
#define SP_APP_H

#include "../core/lifecycle.h"
#include "../core/policy.h"
#include "../store/store.h"
#include "../util/arena.h"
#include "../util/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/billing.h"
#include "../core/sla.h"

struct zone;

struct app {
	struct store *store;
	struct policy *policy; /* the provider's pack, as stored */
	int64_t provider_id;
	struct zone *zone;     /* the SLA calendar's zone */
	/* The provider's clocks: opening hours, all hours of business
	 * days, natural time (SLA-1, SLA-2). */
	struct bizcal *cal_business, *cal_weekdays, *cal_natural;
	struct sla_calendars cals;
	struct bizcal **cal_after_hours; /* one per pack window (BILL-4) */
	size_t ncal_after_hours;
	/* Set while one use case runs others inside its transaction (an
	 * email's intake) or a batch's transaction is open: they join it,
	 * each in its own savepoint, instead of opening their own. */
	bool in_tx;
	/* Between app_batch_begin and app_batch_commit; the transaction
	 * begins with the first use case that writes. */
	bool batch;
	/* The pack, zone and calendars are shared with another app of the
	 * same process (app_open_sibling), so never replaced; borrowed:
	 * the other one frees them. */
	bool shared, borrowed;
	/* The topic words of subjects the duplicate check read (INT-4):
	 * the same customer's newest tickets are compared at each new one.
	 * kb.c's; NULL until used. */
	struct topic_memo *topics;
};

/* Who acts: an agent, a customer contact, or the system (timers). */
struct actor {
	const char *kind; /* "agent", "contact", "system" */
	int64_t id;       /* 0 for system */
};

extern const struct actor app_system;

/* Reads policies/ID.yaml (the directory from `policies_dir`) and checks
 * it; every problem goes to `report`. */
int app_pack_read(char **out_text, size_t *out_len, const char *policies_dir,
		  const char *pack_id, struct sp_err *err);

/* Creates the database if needed and adds the provider from its pack.
 * SP_ECONFLICT if the provider is there already. */
int app_init(const char *db_path, const char *policies_dir,
	     const char *pack_id, int64_t now, struct policy_report *report,
	     struct sp_err *err);
/* Replaces a provider's stored pack with the file's current text after
 * checking it (existing tickets keep their history; SLA-driven figures
 * are recomputed from events). */
int app_pack_reload(struct app *app, const char *policies_dir, int64_t now,
		    struct policy_report *report, struct sp_err *err);

/* Group commit (soporte serve): the use cases run between begin and
 * commit share one transaction, so one commit, and one sync of the log,
 * serves them all. It begins (BEGIN IMMEDIATE, the write lock) with the
 * first use case that writes, and each is a savepoint within it: one
 * that fails undoes only its own writes. Nothing is durable, nor may be
 * reported done, before app_batch_commit returns 0; when it fails, none
 * of the batch was kept. */
int app_batch_begin(struct app *app, struct sp_err *err);
int app_batch_commit(struct app *app, struct sp_err *err);

/* Opens an existing database and the provider `pack_id` (NULL: the only
 * one, an error if there are several). */
int app_open(struct app **out, const char *db_path, const char *pack_id,
	     struct sp_err *err);
/* A second connection to first's provider, for another thread (soporte
 * serve's timers): its own database connection, first's pack and
 * calendars, read by both and changed by neither (app_pack_reload
 * refuses on either). first must outlive it. */
int app_open_sibling(struct app **out, struct app *first,
		     const char *db_path, struct sp_err *err);
void app_close(struct app *app);

/* ---- directory ---------------------------------------------------- */

int app_org_add(struct app *app, int64_t *out_id, int64_t now,
		const struct actor *who, const char *name, const char *tax_id,
		struct sp_err *err);

struct contact_input {
	const char *organization; /* id or exact name; NULL: none */
	const char *name, *surname, *phone, *address, *email, *lang;
};
int app_contact_add(struct app *app, int64_t *out_id, int64_t now,
		    const struct actor *who, const struct contact_input *in,
		    struct sp_err *err);

int app_agent_add(struct app *app, int64_t *out_id, int64_t now,
		  const struct actor *who, const char *name, const char *email,
		  const char *role, struct sp_err *err);

/* Changes what is given (NULL: unchanged; "" clears an optional field;
 * organization "" leaves it) and switches a person on or off (active
 * 1 or 0; -1 unchanged). Someone switched off keeps their history but
 * can no longer sign in or use an API token. Staff only. */
int app_contact_set(struct app *app, int64_t now, const struct actor *who,
		    const char *key, const struct contact_input *in,
		    const char *role, int active, struct sp_err *err);
int app_agent_set(struct app *app, int64_t now, const struct actor *who,
		  const char *key, const char *name, const char *email,
		  const char *role, const char *lang, int active,
		  struct sp_err *err);

int app_product_add(struct app *app, int64_t *out_id, int64_t now,
		    const struct actor *who, const char *code, const char *name,
		    const char *end_of_life, struct sp_err *err);

/* ---- tickets ------------------------------------------------------ */

#define APP_MAX_FIELDS 16

struct ticket_input {
	const char *contact;  /* id or email: who asks */
	const char *channel;  /* one of the pack's channels */
	const char *category; /* NULL: the pack's first category */
	const char *priority; /* NULL: the pack's default */
	const char *product;  /* id or code; NULL: none */
	const char *parent;   /* folio of an earlier ticket this follows */
	const char *email_message_id; /* the request arrived as this email */
	const char *subject;
	const char *description;
	/* The pack's extra required fields (INT-3): module, system, ... */
	const char *field_names[APP_MAX_FIELDS];
	const char *field_values[APP_MAX_FIELDS];
	int nfields;
	/* Files that come with the request (INT-3 screenshots), stored in
	 * the same transaction as the ticket. */
	struct ticket_file {
		const char *filename, *mime;
		const void *data;
		size_t size;
	} files[8];
	int nfiles;
};

/* The outcome of opening a ticket, for the caller to tell the person. */
struct ticket_opened {
	int64_t id;
	char folio[64];
	char state[32];
	char missing[256]; /* INT-3: required items missing, comma-separated */
	bool out_of_scope; /* INT-6 */
};

int app_ticket_open(struct app *app, struct ticket_opened *out, int64_t now,
		    const struct actor *who, const struct ticket_input *in,
		    struct sp_err *err);

/* A public reply (agent or customer) or an internal note (agents only).
 * Moves the state as lifecycle.h says (an agent's reply opens a new
 * ticket; a customer's ends a wait on them, SLA-3). */
int app_ticket_reply(struct app *app, int64_t now, const struct actor *who,
		     const char *ticket, const char *body, bool internal,
		     struct sp_err *err);

/* A customer's message on a ticket: a reply while it can take one; past
 * the reopen window (CLO-3) a new ticket linked to it, whose folio is in
 * out->folio (empty when it was a plain reply). */
int app_ticket_follow_up(struct app *app, struct ticket_opened *out,
			 int64_t now, const struct actor *who,
			 const char *ticket, const char *body,
			 struct sp_err *err);

struct transition_args {
	const char *reason;   /* shown in the system message; may be NULL */
	const char *target;   /* merge: the ticket to merge into */
	const char *agent;    /* assign: id or email */
	int64_t expect_version; /* 0: any; else refuse if changed (ETag) */
};

int app_ticket_act(struct app *app, int64_t now, const struct actor *who,
		   const char *ticket, enum ticket_action action,
		   const struct transition_args *args, struct sp_err *err);
/* Whether `who` may take `action` on t now, as app_ticket_act would
 * decide it from the ticket's state and the actor's kind (a customer
 * confirms or reopens; the lifecycle, with the reopen window, does the
 * rest): for pages, to offer only what would be accepted. Reads
 * nothing. */
bool app_ticket_can(struct app *app, const struct ticket_row *t,
		    const struct actor *who, enum ticket_action action,
		    int64_t now);

/* SLA-5: a customer may ask for a higher priority; agents set any. */
int app_ticket_set_priority(struct app *app, int64_t now,
			    const struct actor *who, const char *ticket,
			    const char *priority, const char *reason,
			    struct sp_err *err);

/* Everything about a ticket, for showing it. Rows live in `a`. */
struct ticket_view {
	struct ticket_row t;
	struct message_row *messages;
	size_t nmessages;
	struct event_row *events;
	size_t nevents;
	struct attachment_row *attachments;
	size_t nattachments;
	struct timer_row *timers;
	size_t ntimers;
	const char *contact_name, *contact_email, *organization_name,
		*assignee_name, *product_name;
};

int app_ticket_view(struct app *app, struct arena *a, struct ticket_view *out,
		    const char *ticket, struct sp_err *err);
/* As seen by `who`: a customer sees only its organization's tickets
 * (PRIV-2), without internal notes or the audit log. */
int app_ticket_view_as(struct app *app, struct arena *a,
		       struct ticket_view *out, const char *ticket,
		       const struct actor *who, struct sp_err *err);
/* The organization whose tickets `who` may list: 0 for agents and the
 * system (all), the contact's own otherwise (PRIV-2). SP_ENOTFOUND for
 * a contact without one (it sees only its own tickets: *contact_only). */
int app_visible_org(struct app *app, const struct actor *who, int64_t *org,
		    int64_t *contact_only, struct sp_err *err);

/* ---- knowledge base and search (kb.c) ------------------------------ */

/* An article, written or changed by an agent. version 0: a new one;
 * otherwise the version being edited (SP_ECONFLICT when it moved on). */
struct kb_input {
	const char *slug;       /* a-z, 0-9 and '-' */
	const char *lang;       /* es, en */
	const char *category;   /* NULL: "general" */
	const char *title;
	const char *body;       /* Markdown, at most 64 KiB */
	const char *visibility; /* public (NULL), internal */
	int64_t version;
};

int app_kb_save(struct app *app, struct kb_row *out, int64_t now,
		const struct actor *who, const struct kb_input *in,
		struct sp_err *err);
/* One article as `who` may read it: internal ones are for agents only
 * (SP_ENOTFOUND otherwise, as if absent). lang NULL: Spanish, else
 * English. */
int app_kb_get(struct app *app, struct arena *a, struct kb_row *out,
	       const struct actor *who, const char *slug, const char *lang,
	       struct sp_err *err);
int app_kb_list(struct app *app, struct arena *a, struct kb_row **out,
		size_t *n, const struct actor *who, const char *lang,
		const char *category, struct sp_err *err);
/* Articles matching the words of `text` (all of them; with any_word,
 * any of them, best first: suggestions while a subject is typed, INT-7). */
int app_kb_search(struct app *app, struct arena *a, struct kb_row **out,
		  size_t *n, const struct actor *who, const char *text,
		  const char *lang, bool any_word, int limit,
		  struct sp_err *err);
/* Tickets `who` may see whose subject or messages hold every word of
 * `text` (a customer: its organization's, without internal notes). */
int app_ticket_search(struct app *app, struct arena *a,
		      struct ticket_row **out, size_t *n,
		      const struct actor *who, const char *text, int limit,
		      struct sp_err *err);
/* INT-4: of the organization's (or, without one, the contact's) 20
 * newest tickets, the active ones of the last 30 days on the same topic
 * as `subject`, newest first; exclude_id 0: none. */
int app_ticket_similar(struct app *app, struct arena *a,
		       struct ticket_row **out, size_t *n, int64_t now,
		       int64_t organization_id, int64_t contact_id,
		       const char *subject, int64_t exclude_id,
		       struct sp_err *err);

/* ---- JSON views (view.c), shared by the CLI and the API ----------- */

/* ISO 8601 in the provider's zone; "-" for 0. */
const char *app_time(struct app *app, int64_t t, char out[32]);
/* For people on a page: the provider's wall clock at t as lang ("es",
 * "en") writes it (util/i18n.h); "—" for 0. app_date_for: the date
 * alone. */
const char *app_time_for(struct app *app, int64_t t, const char *lang,
			 char out[40]);
const char *app_date_for(struct app *app, int64_t t, const char *lang,
			 char out[40]);
/* A ticket with its messages, events, attachments, timers and SLA. */
json_t *app_ticket_json(struct app *app, const struct ticket_view *v,
			int64_t now);
json_t *app_clock_json(struct app *app, const struct sla_clock *k);

/* The last instant a resolved or closed ticket may be reopened (CLO-3),
 * INT64_MAX when the pack sets no window. */
int64_t app_reopen_deadline(struct app *app, const struct ticket_row *t);

/* Adds an attachment to a ticket; content stored once per SHA-256. */
#define APP_ATTACHMENT_MAX (10 << 20)
/* One attachment of a ticket, with its bytes (in a), as `who` may see
 * it: SP_ENOTFOUND for a foreign ticket exactly as for a missing one
 * (PRIV-2). */
int app_ticket_attachment(struct app *app, struct arena *a,
			  struct attachment_row *out, const void **data,
			  int64_t *size, const char *ticket, int64_t id,
			  const struct actor *who, struct sp_err *err);
int app_ticket_attach(struct app *app, int64_t *out_id, int64_t now,
		      const struct actor *who, const char *ticket,
		      const char *filename, const char *mime, const void *data,
		      size_t size, struct sp_err *err);

/* ---- SLA (sla.c) ---------------------------------------------------- */

/* A ticket's SLA clocks at `now`, from its event log (SLA-2, SLA-3). */
int app_ticket_sla(struct app *app, struct sla_status *out,
		   const struct ticket_row *t, int64_t now, struct sp_err *err);

/* SLA-5: raises the escalation level one step up the pack's ladder; a
 * customer may ask where the pack allows it. */
int app_ticket_escalate(struct app *app, int64_t now, const struct actor *who,
			const char *ticket, const char *reason,
			struct sp_err *err);
/* The current escalation level (0: the assigned agent). */
int app_escalation_level(struct app *app, int64_t ticket_id);

/* Runs the timers due at `now` (SLA warnings and breaches, escalations,
 * auto-accept, auto-close, contact attempts). Running it twice, or two
 * at once, has the effect of running it once. */
struct tick_report {
	int run, skipped, failed;
};
int app_tick(struct app *app, struct tick_report *out, int64_t now,
	     struct sp_err *err);

/* SLA-4: active tickets in the order the pack's queue says. */
struct queue_item {
	struct ticket_row t;
	struct sla_status sla;
	int plan_rank;
	int64_t due;       /* the nearest running due instant; 0: none */
	int64_t remaining; /* seconds left on that clock, in its own time */
	int warn;          /* 0 fine, 1 warned, 2 breached */
	int escalation;
	const struct sla_def *order; /* the pack's queue keys */
};
int app_queue(struct app *app, struct arena *a, struct queue_item **out,
	      size_t *n, int64_t now, struct sp_err *err);

/* ---- contracts and hour banks (contract.c) -------------------------- */

struct contract_input {
	const char *organization; /* id or name */
	const char *plan;         /* the pack's plan id */
	int hours;                /* 0: the plan's (first) size */
	int term_months;          /* 0: the plan's (first) term */
	int64_t starts_at;        /* 0: now */
	int64_t price_centavos;   /* -1: the plan's list price */
	const char *products;     /* JSON list of product codes; NULL: all */
};

/* A contract for an organization from its pack's plan (PLAN-1, PLAN-2),
 * pending payment until app_contract_pay. Its number goes to out. */
int app_contract_add(struct app *app, char out_number[64], int64_t now,
		     const struct actor *who, const struct contract_input *in,
		     struct sp_err *err);
/* Payment or purchase order received: the contract becomes active and
 * its hours are bought into the ledger (BILL-7). */
int app_contract_pay(struct app *app, int64_t now, const struct actor *who,
		     const char *contract, const char *reference,
		     struct sp_err *err);
/* BILL-12: cancellation within the pack's window after payment, before
 * any consumption; the refund (centavos, IVA apart) goes to out. */
int app_contract_cancel(struct app *app, int64_t *out_refund, int64_t now,
			const struct actor *who, const char *contract,
			const char *reason, struct sp_err *err);
/* A correction of the balance, with its reason and author. */
int app_contract_adjust(struct app *app, int64_t now, const struct actor *who,
			const char *contract, int64_t minutes,
			const char *reason, struct sp_err *err);
/* Authorises the balance to go this many minutes below zero. */
int app_contract_allow_overage(struct app *app, int64_t now,
			       const struct actor *who, const char *contract,
			       int64_t minutes, const char *reason,
			       struct sp_err *err);

struct contract_status {
	struct contract_row c;
	int64_t balance;  /* minutes; bank contracts */
	int64_t consumed; /* minutes debited */
	bool usable;      /* service may be given on it now (PLAN-3) */
	const char *why;  /* why not, for people */
};
int app_contract_status(struct app *app, struct arena *a,
			struct contract_status *out, const char *contract,
			int64_t now, struct sp_err *err);
int app_contract_list(struct app *app, struct arena *a,
		      struct contract_status **out, size_t *n,
		      const char *organization, int64_t now,
		      struct sp_err *err);

struct attendance_input {
	const char *ticket;
	int64_t start;
	int64_t minutes;
	const char *modality;
	bool warranty;
};

struct attendance_logged {
	int64_t id;
	struct bill_result bill;
	int64_t balance_after; /* over the contracts drawn; -1: no bank */
	char contracts[128];   /* numbers drawn from */
};

/* BILL-1..9: logs an attendance, debits it from the organization's
 * usable banks oldest-expiring first, and leaves the consumption report
 * on the ticket. Without a valid contract or enough hours it refuses
 * (PLAN-3, BILL-7): the agent offers a quote or a renewal. */
int app_attendance_log(struct app *app, struct attendance_logged *out,
		       int64_t now, const struct actor *who,
		       const struct attendance_input *in, struct sp_err *err);

struct attendance_preview {
	bool computed;          /* bill holds the debit, even when refused */
	struct bill_result bill;
	const char *plan;       /* the plan it is computed under */
	char folio[64];
	int64_t balance_before; /* over the usable banks; -1: no bank */
	int64_t balance_after;  /* once debited; -1: no bank or refused */
	char contracts[128];    /* the banks it would be drawn from */
};

/* What app_attendance_log would debit for the same input, by the same
 * checks and steps (BILL-1..8), storing nothing. Returns what the log
 * would refuse with; out->computed says whether the debit was worked
 * out first (a refusal for an estimate, BILL-8, or for hours, BILL-7,
 * comes after it). */
int app_attendance_preview(struct app *app, struct attendance_preview *out,
			   int64_t now, const struct actor *who,
			   const struct attendance_input *in,
			   struct sp_err *err);

/* ---- quotes and invoices (document.c) ------------------------------- */

struct quote_input {
	const char *organization; /* id or name; or taken from the ticket */
	const char *ticket;       /* folio; NULL: not about one ticket */
	const char *kind;         /* "quote" (BILL-7) or "estimate" (BILL-8) */
	int64_t minutes;          /* the hours it covers, in minutes */
	int64_t subtotal_centavos; /* IVA apart (BILL-10) */
	const char *description;
};

#define QUOTE_VALID_DAYS 30

/* Sends a quote or an estimate to the customer (a message on its
 * ticket); valid QUOTE_VALID_DAYS natural days. */
int app_quote_create(struct app *app, char out_number[64], int64_t now,
		     const struct actor *who, const struct quote_input *in,
		     struct sp_err *err);
/* The customer's answer, with who, when and through which channel
 * (BILL-7, BILL-8). An agent may record it on the customer's behalf. */
int app_quote_decide(struct app *app, int64_t now, const struct actor *who,
		     const char *quote, bool approve, const char *channel,
		     struct sp_err *err);
/* BILL-7: payment proof or purchase order for an approved quote: a
 * per-event contract with its hours, active at once. */
int app_quote_pay(struct app *app, char out_contract[64], int64_t now,
		  const struct actor *who, const char *quote,
		  const char *reference, struct sp_err *err);

/* BILL-10, BILL-11: an invoice in centavos, IVA apart; delinquent after
 * the pack's days (PLAN-4: the customer's contracts are suspended);
 * cancelled when unpaid at the end of its month where the pack says. */
int app_invoice_issue(struct app *app, char out_number[64], int64_t now,
		      const struct actor *who, const char *organization,
		      const char *contract, const char *concept,
		      int64_t subtotal_centavos, const char *cfdi_uuid,
		      struct sp_err *err);
int app_invoice_pay(struct app *app, int64_t now, const struct actor *who,
		    const char *invoice, const char *reference,
		    struct sp_err *err);
/* IVA of a subtotal at the pack's rate, rounded half up to a centavo. */
int64_t app_iva(const struct app *app, int64_t subtotal_centavos);
/* Whether an organization owes an invoice past its days (PLAN-4). */
bool app_org_delinquent(struct app *app, int64_t organization_id);

/* ---- what each actor may see (visible.c) --------------------------- */

/* PRIV-2: agents and the system see every row; a customer contact sees
 * only its own organization's (a contact without one: no contracts or
 * documents), and another organization's row or filter answers
 * SP_ENOTFOUND, exactly like a missing one. Rows live in `a`. */
int app_org_list_as(struct app *app, struct arena *a, struct org_row **out,
		    size_t *n, const struct actor *who, struct sp_err *err);
int app_org_get_as(struct app *app, struct arena *a, struct org_row *out,
		   const char *organization, const struct actor *who,
		   struct sp_err *err);
/* organization NULL: every contact `who` may see. */
int app_contact_list_as(struct app *app, struct arena *a,
			struct contact_row **out, size_t *n,
			const char *organization, const struct actor *who,
			struct sp_err *err);
int app_contract_status_as(struct app *app, struct arena *a,
			   struct contract_status *out, const char *contract,
			   int64_t now, const struct actor *who,
			   struct sp_err *err);
int app_contract_list_as(struct app *app, struct arena *a,
			 struct contract_status **out, size_t *n,
			 const char *organization, int64_t now,
			 const struct actor *who, struct sp_err *err);
int app_quote_get_as(struct app *app, struct arena *a, struct quote_row *out,
		     const char *quote, const struct actor *who,
		     struct sp_err *err);
/* ticket, organization: NULL for any. */
int app_quote_list_as(struct app *app, struct arena *a,
		      struct quote_row **out, size_t *n, const char *ticket,
		      const char *organization, const struct actor *who,
		      struct sp_err *err);
int app_invoice_get_as(struct app *app, struct arena *a,
		       struct invoice_row *out, const char *invoice,
		       const struct actor *who, struct sp_err *err);
int app_invoice_list_as(struct app *app, struct arena *a,
			struct invoice_row **out, size_t *n,
			const char *organization, const struct actor *who,
			struct sp_err *err);

/* BILL-9: a contract's ledger, oldest first, with the balance after each
 * row and, for a debit, the attendance behind it (its steps: the
 * factors applied) and its ticket. Check who may see `c` first. */
struct ledger_entry {
	struct ledger_row l;
	int64_t balance;        /* minutes, after this row */
	bool has_attendance;
	struct attendance_row at;
	const char *folio;      /* the attendance's ticket; NULL: unknown */
};
int app_contract_ledger(struct app *app, struct arena *a,
			struct ledger_entry **out, size_t *n,
			const struct contract_row *c, struct sp_err *err);

/* ---- email (mail.c) ------------------------------------------------ */

/* A parsed inbound message, as mail/ hands it over: plain data, every
 * text UTF-8. */
struct inbound_file {
	const char *filename, *mime;
	const void *data;
	size_t size;
	bool inline_image;
};

struct inbound_mail {
	const char *message_id;     /* without <> ; NULL if absent */
	const char *in_reply_to;
	const char **references;
	size_t nreferences;
	const char *from_addr, *from_name;
	const char *subject;
	const char *text;           /* the whole text, quotes kept */
	const char *text_trimmed;   /* the new part, for display */
	int64_t date;               /* 0: unknown */
	bool auto_submitted;        /* Auto-Submitted, X-Autoreply... */
	bool bulk;                  /* Precedence bulk/junk/list, List-Id */
	bool dsn;                   /* a delivery-status report */
	struct inbound_file *files;
	size_t nfiles;
	size_t dropped_files;       /* over the size or count limits */
};

enum mail_result {
	MAIL_NEW_TICKET,  /* opened a ticket */
	MAIL_REPLY,       /* added to an existing ticket */
	MAIL_DUPLICATE,   /* the same Message-ID was taken before */
	MAIL_IGNORED,     /* auto-reply, bulk or bounce: kept, not answered */
	MAIL_REFUSED,     /* unknown sender or channel: answered, no ticket */
	MAIL_QUARANTINED, /* could not be understood: kept for agents */
};

struct mail_outcome {
	enum mail_result result;
	char folio[64];
	char reason[600];
	int64_t raw_id;
};

/* Nothing lost: the raw bytes are committed first, before any parsing.
 * The same bytes twice are stored once (*duplicate). */
int app_mail_store_raw(struct app *app, int64_t *out_id, bool *duplicate,
		       int64_t now, const void *raw, size_t len,
		       const char *source, struct sp_err *err);
/* Threads a parsed message into a ticket (folio in the subject, then
 * In-Reply-To/References), or opens one; acknowledgements and
 * instructions go to the outbox in the same transaction. */
int app_mail_accept(struct app *app, struct mail_outcome *out, int64_t now,
		    int64_t raw_id, const struct inbound_mail *m,
		    struct sp_err *err);
/* A message that could not be parsed waits for an agent. */
int app_mail_quarantine(struct app *app, int64_t now, int64_t raw_id,
			const char *reason, struct sp_err *err);
const char *app_mail_result_name(enum mail_result r);

/* ---- the outbox (outbox.c) ---------------------------------------- */

struct outbox_row;
/* Pending messages due at `now`, oldest first (the sender's work). */
int app_outbox_due(struct app *app, struct arena *a, struct outbox_row **out,
		   size_t *n, int64_t now, int limit, struct sp_err *err);
/* After a send attempt: sent, or failed with a retry after back-off
 * (1, 5, 30 min, 2 h, 6 h; then given up). */
int app_outbox_done(struct app *app, int64_t now, int64_t id, bool sent,
		    const char *error, struct sp_err *err);

/* ---- API tokens (token.c) ----------------------------------------- */

/* Creates a token acting as an agent or a contact (kind, key = id or
 * email); the token is in out_token and is not kept: only its SHA-256. */
int app_token_create(struct app *app, char out_token[80], int64_t now,
		     const struct actor *who, const char *kind,
		     const char *key, const char *name, struct sp_err *err);
/* Who a presented token acts as; SP_ENOTFOUND if unknown or revoked. */
int app_token_check(struct app *app, struct actor *out, const char *token,
		    struct sp_err *err);

/* ---- signing in (login.c) ------------------------------------------ */

struct login {
	struct actor who;
	char cookie[80]; /* the session cookie (kept only as its SHA-256) */
	char csrf[64];   /* the session's CSRF token, in every form */
	char lang[4];    /* es, en: the person's language */
};

/* Sets the argon2id hash of an agent's or contact's password. */
int app_password_set(struct app *app, int64_t now, const struct actor *who,
		     const char *kind, const char *key, const char *password,
		     struct sp_err *err);
/* A new session for a right email and password; at most 5 failures per
 * address in 15 minutes (SP_EBUSY after). */
int app_login(struct app *app, struct login *out, int64_t now,
	      const char *email, const char *password, struct sp_err *err);
/* Who a session cookie belongs to, and its CSRF token. */
int app_session(struct app *app, struct login *out, int64_t now,
		const char *cookie, struct sp_err *err);
int app_logout(struct app *app, const char *cookie, struct sp_err *err);

/* ---- reports (report.c) ------------------------------------------- */

/* SLA-6, REP-1: compliance of the tickets created in [from, to), per
 * priority and agent. Figures in business minutes of each clock. */
struct sla_figures {
	int tickets;        /* with this clock's target */
	int met, breached, running; /* running: open and in time (or paused) */
	int stopped;        /* clocks that stopped, with a target or not */
	int64_t total_minutes;      /* business minutes over those */
	int64_t max_minutes;
};

struct sla_report_row {
	const char *priority; /* id */
	int priority_index;   /* in the pack's order */
	const char *agent;    /* assignee's name; "-" unassigned; "*" all */
	int tickets;
	struct sla_figures first_response, resolution;
};

int app_report_sla(struct app *app, struct arena *a,
		   struct sla_report_row **out, size_t *n, int64_t from,
		   int64_t to, int64_t now, struct sp_err *err);

#define APP_REPORT_MONTHS_DEFAULT 6
#define APP_REPORT_MONTHS_MAX 24

/* REP-1, SLA-6: the same figures per month of creation and priority. */
struct sla_month_row {
	char month[8];        /* "YYYY-MM", the provider's zone */
	const char *priority; /* id */
	int priority_index;   /* in the pack's order */
	int tickets;
	struct sla_figures first_response, resolution;
};

struct sla_month_report {
	char from[8], to[8];  /* the months covered, defaults resolved */
	size_t nmonths;
	/* Every month times every priority, zeros included, month by month
	 * in the pack's priority order: rows[m * npriorities + p]. */
	struct sla_month_row *rows;
	size_t nrows;
};

/* The months are "YYYY-MM" on the provider's wall clock, both included.
 * NULL or empty `to`: the month of `now`; `from`: the
 * APP_REPORT_MONTHS_DEFAULT months up to `to`. SP_EINVAL naming "from"
 * or "to" for a bad month, a reversed period or more than
 * APP_REPORT_MONTHS_MAX months. */
int app_report_sla_months(struct app *app, struct arena *a,
			  struct sla_month_report *out, const char *from,
			  const char *to, int64_t now, struct sp_err *err);

/* REP-2: hours bought, consumed and left per contract, consumption by
 * month, and whether its term ends soon. Minutes throughout. */
struct hours_month {
	char month[8];   /* "YYYY-MM" of the debits, the provider's zone */
	int64_t minutes; /* debited that month */
};

struct hours_report_row {
	struct contract_status s; /* s.consumed: every debit */
	const char *organization; /* its name */
	int64_t bought;   /* purchases into the ledger */
	int64_t adjusted; /* adjustments, refunds and expiries, signed */
	int64_t left;     /* the balance; 0 for a contract without a bank */
	bool expiring;    /* active or suspended, ending within the days */
	struct hours_month *by_month; /* oldest first; months with debits */
	size_t nmonths;
};

#define APP_REPORT_EXPIRING_MAX 3650
/* Contracts neither pending payment nor cancelled, soonest-ending
 * first; `organization` (id or exact name; NULL: all) narrows them.
 * PRIV-2: a customer (`who` a contact) gets only its own organization's,
 * and another organization is SP_ENOTFOUND, like a missing one. */
int app_report_hours(struct app *app, struct arena *a,
		     struct hours_report_row **out, size_t *n,
		     const struct actor *who, const char *organization,
		     int expiring_days, int64_t now, struct sp_err *err);

/* The reports as JSON, the same for the CLI and the API. */
json_t *app_sla_figures_json(const struct sla_figures *f);
json_t *app_sla_months_json(struct app *app,
			    const struct sla_month_report *rep);
json_t *app_hours_row_json(struct app *app, const struct hours_report_row *r);

#endif
