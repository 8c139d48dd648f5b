#include "schema.h"

/* Portable SQL (no SQLite-only tricks besides triggers) so a PostgreSQL
 * backend can replay the same shape. Instants are Unix seconds (UTC). */
const char *const schema_migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE providers ("
	"  id INTEGER PRIMARY KEY,"
	"  pack_id TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  pack_text TEXT NOT NULL,"
	"  pack_sha256 TEXT NOT NULL,"
	"  loaded_at INTEGER NOT NULL);"

	"CREATE TABLE organizations ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  name TEXT NOT NULL,"
	"  tax_id TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (provider_id, name));"

	/* PRIV-1: the personal data kept, and no more. */
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  organization_id INTEGER REFERENCES organizations(id),"
	"  name TEXT NOT NULL,"
	"  surname TEXT,"
	"  phone TEXT,"
	"  address TEXT,"
	"  email TEXT COLLATE NOCASE,"
	"  lang TEXT NOT NULL DEFAULT 'es',"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (provider_id, email));"

	"CREATE TABLE agents ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  role TEXT NOT NULL CHECK (role IN ('agent', 'quality_lead',"
	"    'operations_manager', 'admin')),"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (provider_id, email));"

	/* INT-6: products the provider supplied, with end of life. */
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  end_of_life TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (provider_id, code));"

	"CREATE TABLE folio_counters ("
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  period TEXT NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  PRIMARY KEY (provider_id, period));"

	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  folio TEXT NOT NULL,"
	"  organization_id INTEGER REFERENCES organizations(id),"
	"  contact_id INTEGER REFERENCES contacts(id),"
	"  product_id INTEGER REFERENCES products(id),"
	"  channel TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  priority TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  assignee_id INTEGER REFERENCES agents(id),"
	"  contract_id INTEGER,"
	"  merged_into INTEGER REFERENCES tickets(id),"
	"  parent_id INTEGER REFERENCES tickets(id),"
	"  fields TEXT NOT NULL DEFAULT '{}',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  resolved_at INTEGER,"
	"  closed_at INTEGER,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  UNIQUE (provider_id, folio));"
	"CREATE INDEX tickets_state ON tickets (provider_id, state, id);"
	"CREATE INDEX tickets_org ON tickets (organization_id);"

	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('public', 'internal', 'system')),"
	"  author_kind TEXT NOT NULL CHECK (author_kind IN ('agent', 'contact',"
	"    'system')),"
	"  author_id INTEGER,"
	"  channel TEXT,"
	"  body TEXT NOT NULL,"
	"  email_message_id TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX messages_ticket ON messages (ticket_id, id);"
	"CREATE UNIQUE INDEX messages_email_id ON messages"
	"  (provider_id, email_message_id);"

	/* Attachments are stored once by content hash. */
	"CREATE TABLE blobs ("
	"  sha256 TEXT PRIMARY KEY,"
	"  size INTEGER NOT NULL,"
	"  data BLOB NOT NULL);"
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  message_id INTEGER REFERENCES messages(id),"
	"  filename TEXT NOT NULL,"
	"  mime TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  size INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX attachments_ticket ON attachments (ticket_id);"

	/* The audit log: append-only, enforced by the database itself. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor_kind TEXT NOT NULL,"
	"  actor_id INTEGER,"
	"  action TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT);"
	"CREATE INDEX events_ticket ON events (ticket_id, id);"
	"CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_append_only_d BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"

	"CREATE TABLE timers ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  kind TEXT NOT NULL,"
	"  due_at INTEGER NOT NULL,"
	"  payload TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'done', 'cancelled')),"
	"  finished_at INTEGER,"
	"  UNIQUE (ticket_id, kind, due_at));"
	"CREATE INDEX timers_due ON timers (state, due_at);",

	/* 2: contracts and hour banks (PLAN-, BILL-). Minutes, not hours:
	 * debits round to minutes (BILL-2); money in centavos (BILL-10). */
	"CREATE TABLE contracts ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  organization_id INTEGER NOT NULL REFERENCES organizations(id),"
	"  number TEXT NOT NULL,"
	"  plan TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  bank_minutes INTEGER,"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER NOT NULL,"
	"  price_centavos INTEGER,"
	"  state TEXT NOT NULL CHECK (state IN ('pending_payment', 'active',"
	"    'exhausted', 'expired', 'suspended', 'cancelled')),"
	"  overage_minutes INTEGER NOT NULL DEFAULT 0,"
	"  products TEXT,"
	"  office_minutes INTEGER NOT NULL DEFAULT 0,"
	"  onsite_minutes INTEGER NOT NULL DEFAULT 0,"
	"  paid_at INTEGER,"
	"  payment_ref TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  UNIQUE (provider_id, number));"
	"CREATE INDEX contracts_org ON contracts (organization_id, state, ends_at);"

	"CREATE TABLE attendances ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  organization_id INTEGER REFERENCES organizations(id),"
	"  agent_id INTEGER REFERENCES agents(id),"
	"  start_at INTEGER NOT NULL,"
	"  minutes INTEGER NOT NULL,"
	"  modality TEXT NOT NULL,"
	"  warranty INTEGER NOT NULL DEFAULT 0,"
	"  quick_question INTEGER NOT NULL DEFAULT 0,"
	"  debit_minutes INTEGER NOT NULL,"
	"  steps TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX attendances_ticket ON attendances (ticket_id);"
	"CREATE INDEX attendances_org ON attendances (organization_id, start_at);"

	/* The ledger: every change to a balance, append-only. */
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  contract_id INTEGER NOT NULL REFERENCES contracts(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('purchase', 'debit',"
	"    'adjustment', 'refund', 'expiry')),"
	"  minutes INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  attendance_id INTEGER REFERENCES attendances(id),"
	"  actor_kind TEXT NOT NULL,"
	"  actor_id INTEGER,"
	"  reason TEXT);"
	"CREATE INDEX ledger_contract ON ledger (contract_id, id);"
	"CREATE TRIGGER ledger_append_only_u BEFORE UPDATE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"CREATE TRIGGER ledger_append_only_d BEFORE DELETE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"CREATE TABLE contract_counters ("
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  year INTEGER NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  PRIMARY KEY (provider_id, year));",

	/* 3: quotes (BILL-7, BILL-8) and invoices (BILL-10, BILL-11). */
	"CREATE TABLE quotes ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  number TEXT NOT NULL,"
	"  organization_id INTEGER NOT NULL REFERENCES organizations(id),"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('quote', 'estimate')),"
	"  minutes INTEGER NOT NULL,"
	"  subtotal_centavos INTEGER NOT NULL,"
	"  iva_centavos INTEGER NOT NULL,"
	"  description TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('sent', 'approved',"
	"    'rejected', 'expired', 'paid')),"
	"  valid_until INTEGER NOT NULL,"
	"  decided_at INTEGER,"
	"  decided_by_kind TEXT,"
	"  decided_by_id INTEGER,"
	"  decided_channel TEXT,"
	"  payment_ref TEXT,"
	"  contract_id INTEGER REFERENCES contracts(id),"
	"  created_at INTEGER NOT NULL,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  UNIQUE (provider_id, number));"
	"CREATE INDEX quotes_ticket ON quotes (ticket_id, state);"

	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  number TEXT NOT NULL,"
	"  organization_id INTEGER NOT NULL REFERENCES organizations(id),"
	"  contract_id INTEGER REFERENCES contracts(id),"
	"  concept TEXT NOT NULL,"
	"  subtotal_centavos INTEGER NOT NULL,"
	"  iva_centavos INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('issued', 'paid',"
	"    'delinquent', 'cancelled')),"
	"  issued_at INTEGER NOT NULL,"
	"  paid_at INTEGER,"
	"  payment_ref TEXT,"
	"  cfdi_uuid TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  UNIQUE (provider_id, number));"
	"CREATE INDEX invoices_org ON invoices (organization_id, state);"
	"CREATE TABLE document_counters ("
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  kind TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  PRIMARY KEY (provider_id, kind, year));",

	/* 4: email. The raw message first, so nothing is ever lost; the
	 * outbox is written in the same transaction as the change it tells
	 * about, and sent later with retries. */
	"CREATE TABLE raw_mail ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  data BLOB NOT NULL,"
	"  source TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('received', 'processed',"
	"    'duplicate', 'ignored', 'refused', 'quarantined')),"
	"  message_id TEXT,"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  reason TEXT,"
	"  processed_at INTEGER,"
	"  UNIQUE (provider_id, sha256));"
	"CREATE INDEX raw_mail_state ON raw_mail (provider_id, state);"
	"CREATE INDEX raw_mail_message_id ON raw_mail (provider_id, message_id);"

	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  kind TEXT NOT NULL,"
	"  to_addr TEXT NOT NULL,"
	"  to_name TEXT,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  message_id TEXT NOT NULL,"
	"  in_reply_to TEXT,"
	"  refs TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  UNIQUE (provider_id, message_id));"
	"CREATE INDEX outbox_due ON outbox (state, next_at);"
	"CREATE INDEX outbox_to ON outbox (provider_id, to_addr, created_at);",

	/* 5: a contract's balance kept beside its ledger by the database
	 * itself, so a debit reads one row instead of summing the history;
	 * the ledger stays the record and the sum stays equal (tested). */
	"ALTER TABLE contracts ADD COLUMN balance_minutes INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE contracts ADD COLUMN consumed_minutes INTEGER NOT NULL "
	"  DEFAULT 0;"
	"UPDATE contracts SET"
	"  balance_minutes = (SELECT coalesce(sum(minutes), 0) FROM ledger"
	"    WHERE contract_id = contracts.id),"
	"  consumed_minutes = (SELECT coalesce(-sum(minutes), 0) FROM ledger"
	"    WHERE contract_id = contracts.id AND kind = 'debit');"
	"CREATE TRIGGER ledger_balance AFTER INSERT ON ledger BEGIN"
	"  UPDATE contracts SET"
	"    balance_minutes = balance_minutes + NEW.minutes,"
	"    consumed_minutes = consumed_minutes +"
	"      CASE WHEN NEW.kind = 'debit' THEN -NEW.minutes ELSE 0 END"
	"  WHERE id = NEW.contract_id;"
	"END;"
	"CREATE INDEX outbox_ticket ON outbox (ticket_id, id);"
	"CREATE INDEX messages_email ON messages (ticket_id, email_message_id);",

	/* 6: API tokens for integrations: stored as their SHA-256 only;
	 * the token itself is shown once. */
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent', 'contact')),"
	"  actor_id INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  last_used_at INTEGER,"
	"  revoked_at INTEGER);",

	/* 7: people sign in: argon2id password hashes, sessions kept as the
	 * SHA-256 of their cookie, each with its CSRF token, and failed
	 * logins for throttling. */
	"ALTER TABLE agents ADD COLUMN password_hash TEXT;"
	"ALTER TABLE contacts ADD COLUMN password_hash TEXT;"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  actor_kind TEXT NOT NULL,"
	"  actor_id INTEGER NOT NULL,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL);"
	"CREATE TABLE login_failures ("
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_email ON login_failures (provider_id, email, at);",

	/* 8: the knowledge base (INT-7), Markdown articles per language,
	 * public or internal; full-text indexes (FTS5) over articles, ticket
	 * subjects and messages, kept by the database itself. Accents are
	 * folded so "facturación" finds "facturacion". */
	"CREATE TABLE kb_articles ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id INTEGER NOT NULL REFERENCES providers(id),"
	"  slug TEXT NOT NULL,"
	"  lang TEXT NOT NULL CHECK (lang IN ('es', 'en')),"
	"  category TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),"
	"  author_id INTEGER REFERENCES agents(id),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  UNIQUE (provider_id, slug, lang));"
	"CREATE VIRTUAL TABLE kb_fts USING fts5(title, body,"
	"  content='kb_articles', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER kb_fts_i AFTER INSERT ON kb_articles BEGIN"
	"  INSERT INTO kb_fts (rowid, title, body)"
	"    VALUES (NEW.id, NEW.title, NEW.body);"
	"END;"
	"CREATE TRIGGER kb_fts_u AFTER UPDATE ON kb_articles BEGIN"
	"  INSERT INTO kb_fts (kb_fts, rowid, title, body)"
	"    VALUES ('delete', OLD.id, OLD.title, OLD.body);"
	"  INSERT INTO kb_fts (rowid, title, body)"
	"    VALUES (NEW.id, NEW.title, NEW.body);"
	"END;"
	"CREATE TRIGGER kb_fts_d AFTER DELETE ON kb_articles BEGIN"
	"  INSERT INTO kb_fts (kb_fts, rowid, title, body)"
	"    VALUES ('delete', OLD.id, OLD.title, OLD.body);"
	"END;"
	"CREATE VIRTUAL TABLE ticket_fts USING fts5(subject,"
	"  content='tickets', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild');"
	"CREATE TRIGGER ticket_fts_i AFTER INSERT ON tickets BEGIN"
	"  INSERT INTO ticket_fts (rowid, subject) VALUES (NEW.id, NEW.subject);"
	"END;"
	"CREATE TRIGGER ticket_fts_u AFTER UPDATE OF subject ON tickets BEGIN"
	"  INSERT INTO ticket_fts (ticket_fts, rowid, subject)"
	"    VALUES ('delete', OLD.id, OLD.subject);"
	"  INSERT INTO ticket_fts (rowid, subject) VALUES (NEW.id, NEW.subject);"
	"END;"
	"CREATE VIRTUAL TABLE message_fts USING fts5(body,"
	"  content='messages', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO message_fts (message_fts) VALUES ('rebuild');"
	"CREATE TRIGGER message_fts_i AFTER INSERT ON messages BEGIN"
	"  INSERT INTO message_fts (rowid, body) VALUES (NEW.id, NEW.body);"
	"END;",

	/* 9: a contact who left the customer is switched off, not deleted:
	 * their tickets keep their author; they can no longer sign in. */
	"ALTER TABLE contacts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;",

	/* 10: the language an agent reads the console in (contacts have
	 * theirs since 1). */
	("ALTER TABLE agents ADD COLUMN lang TEXT NOT NULL DEFAULT 'es' CHECK"
	 "  (lang IN ('es', 'en'));"),

	/* 11: customer roles. An admin sees the whole organization (PRIV-2),
	 * as every contact did before; a user sees only their own tickets,
	 * and none of the contracts, quotes or invoices. */
	("ALTER TABLE contacts ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'"
	 "  CHECK (role IN ('user', 'admin'));"),

	/* 12: a contact's newest tickets, read on every new one for the
	 * duplicate check (INT-4), as tickets_org gives an organization's
	 * (an index ends in the rowid: newest first, no sort). */
	"CREATE INDEX tickets_contact ON tickets (contact_id);",

	/* 13: tickets and messages reach their search indexes when their
	 * transaction commits (store_commit), not by a trigger on each
	 * insert: FTS5 writes its pending terms out at every savepoint,
	 * so under group commit each request of a batch made its own
	 * index segment, and then merged them. search_marks holds the
	 * highest id indexed (ids only grow: rows are never deleted). A
	 * subject is re-indexed only when it changes, and only once it
	 * has been indexed at all. */
	"CREATE TABLE search_marks ("
	"  name TEXT PRIMARY KEY,"
	"  upto INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO search_marks (name, upto) VALUES"
	"  ('tickets', (SELECT coalesce(max(id), 0) FROM tickets)),"
	"  ('messages', (SELECT coalesce(max(id), 0) FROM messages));"
	"DROP TRIGGER ticket_fts_i;"
	"DROP TRIGGER message_fts_i;"
	"DROP TRIGGER ticket_fts_u;"
	"CREATE TRIGGER ticket_fts_u AFTER UPDATE OF subject ON tickets"
	"  WHEN OLD.subject IS NOT NEW.subject AND OLD.id <="
	"    (SELECT upto FROM search_marks WHERE name = 'tickets') BEGIN"
	"  INSERT INTO ticket_fts (ticket_fts, rowid, subject)"
	"    VALUES ('delete', OLD.id, OLD.subject);"
	"  INSERT INTO ticket_fts (rowid, subject) VALUES (NEW.id, NEW.subject);"
	"END;",

	/* 14: CHECK constraints as comparisons (schema.h). */
	SCHEMA_STEP_CHECKS_AS_COMPARISONS,

	/* 15: an organization's and a contact's tickets, newest first, with
	 * what the duplicate check reads of them (INT-4, at every new
	 * ticket): from the index alone, 20 entries side by side, instead
	 * of 20 rows looked up one by one. They replace the narrower
	 * tickets_org and tickets_contact, which served the same lookups. */
	"CREATE INDEX tickets_org_recent ON tickets (organization_id, id,"
	"  provider_id, created_at, state, contact_id, folio, subject);"
	"CREATE INDEX tickets_contact_recent ON tickets (contact_id, id,"
	"  provider_id, created_at, state, organization_id, folio, subject);"
	"DROP INDEX tickets_org;"
	"DROP INDEX tickets_contact;",

	/* 16: only messages that came by email have a Message-ID, and only
	 * those are looked up by it (threading, a mail seen twice): the
	 * two indexes on it hold just those, so a ticket opened on the
	 * web or by the API writes neither (two of a batch's ~57 pages,
	 * bench/http.sh). Uniqueness is unchanged: NULLs never clashed. */
	"DROP INDEX messages_email_id;"
	"CREATE UNIQUE INDEX messages_email_id ON messages"
	"  (provider_id, email_message_id) WHERE email_message_id IS NOT NULL;"
	"DROP INDEX messages_email;"
	"CREATE INDEX messages_email ON messages (ticket_id, email_message_id)"
	"  WHERE email_message_id IS NOT NULL;",
};

const size_t schema_nmigrations =
	sizeof schema_migrations / sizeof schema_migrations[0];
