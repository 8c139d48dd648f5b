/* test_store.c — the SQLite store on real temporary files. */
#include "../src/store/schema.h"
#include "../src/store/store.h"
#include "fixture.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static struct store *
open_new(const char *name)
{
	struct sp_err err = { 0 };
	struct store *s = NULL;

	if (store_open(&s, fx_path(name), true, &err))
		t_fail(__FILE__, __LINE__, "store_open: %s", err.msg);
	return s;
}

static int64_t
add_provider(struct store *s)
{
	struct provider_row p = { 0, "intecnia", "Intecnia", "pack: x",
				  "00", 1 };
	int64_t id = 0;

	store_provider_add(s, &id, &p, NULL);
	return id;
}

static void
test_open_creates_and_migrates(void)
{
	struct store *s = open_new("a.db");

	CHECK(s != NULL);
	CHECK_INT(store_schema_version(s), schema_nmigrations);
	store_close(s);
	/* Opening again finds it migrated and ours. */
	{
		struct sp_err err = { 0 };

		CHECK_INT(store_open(&s, fx_path("a.db"), false, &err), 0);
		CHECK_INT(store_schema_version(s), schema_nmigrations);
		store_close(s);
	}
}

static int
count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Migration 14: CHECK (x IN (...)) becomes x = ... OR x = ..., on a new
 * database and on one from before, and still refuses what it refused. */
static void
test_checks_are_comparisons(void)
{
	static const char in_checks[] = "SELECT count(*) FROM sqlite_schema "
		"WHERE sql LIKE '%CHECK%IN (%'";
	static const char bogus[] = "INSERT INTO timers (provider_id, kind, "
		"due_at, state) VALUES (1, 'x', 1, 'bogus')";
	struct store *s = open_new("chk.db");
	struct sp_err err = { 0 };
	sqlite3 *db;
	char sql[900];

	CHECK(s != NULL);
	store_close(s);
	CHECK_INT(sqlite3_open(fx_path("chk.db"), &db), SQLITE_OK);
	CHECK_INT(count_rows(db, in_checks), 0);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM sqlite_schema WHERE "
			     "sql LIKE '%state = ''pending'' OR state = "
			     "''done'' OR state = ''cancelled''%'"), 1);
	CHECK(sqlite3_exec(db, bogus, NULL, NULL, NULL) != SQLITE_OK);
	/* As a version-13 database had it: the migrations run on open. */
	snprintf(sql, sizeof sql, "PRAGMA writable_schema = ON; "
		 "UPDATE sqlite_schema SET sql = replace(sql, "
		 "'state = ''pending'' OR state = ''done'' OR state = "
		 "''cancelled''', 'state IN (''pending'',    ''done'', "
		 "''cancelled'')') WHERE name = 'timers'; "
		 "PRAGMA schema_version = %d; PRAGMA writable_schema = "
		 "OFF; PRAGMA user_version = 13; "
		 /* and migration 15 undone */
		 "DROP INDEX tickets_org_recent; DROP INDEX "
		 "tickets_contact_recent; CREATE INDEX tickets_org ON tickets "
		 "(organization_id); CREATE INDEX tickets_contact ON tickets "
		 "(contact_id)",
		 count_rows(db, "PRAGMA schema_version") + 1);
	CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(sqlite3_open(fx_path("chk.db"), &db), SQLITE_OK);
	CHECK_INT(count_rows(db, in_checks), 1);
	sqlite3_close(db);
	CHECK_INT(store_open(&s, fx_path("chk.db"), false, &err), 0);
	CHECK_INT(store_schema_version(s), schema_nmigrations);
	store_close(s);
	CHECK_INT(sqlite3_open(fx_path("chk.db"), &db), SQLITE_OK);
	CHECK_INT(count_rows(db, in_checks), 0);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM pragma_integrity_check "
			     "WHERE integrity_check != 'ok'"), 0);
	CHECK(sqlite3_exec(db, bogus, NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
}

static void
test_open_missing_without_create(void)
{
	struct sp_err err = { 0 };
	struct store *s = NULL;

	CHECK_INT(store_open(&s, fx_path("none.db"), false, &err), SP_ENOTFOUND);
	CHECK_HAS(err.msg, "soporte init");
	CHECK(s == NULL);
}

static long
file_size(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static void
test_refuses_foreign_sqlite_and_leaves_it(void)
{
	struct sp_err err = { 0 };
	struct store *s = NULL;
	sqlite3 *db;
	const char *path = fx_path("other.db");
	long before;

	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES (1)",
			       NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = file_size(path);
	CHECK_INT(store_open(&s, path, true, &err), SP_EFORMAT);
	CHECK_HAS(err.msg, "not soporte's");
	CHECK_INT(file_size(path), before);
}

static void
test_refuses_non_sqlite_file(void)
{
	struct sp_err err = { 0 };
	struct store *s = NULL;
	const char *path = fx_path("text.db");
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	fputs("this is not a database, it is a shopping list\n", f);
	fclose(f);
	CHECK_INT(store_open(&s, path, true, &err), SP_EFORMAT);
	CHECK_HAS(err.msg, "not a soporte database");
}

static void
test_locked_database_is_busy(void)
{
	struct sp_err err = { 0 };
	struct store *s = open_new("lock.db");
	sqlite3 *other;

	CHECK(s != NULL);
	CHECK_INT(sqlite3_open(fx_path("lock.db"), &other), SQLITE_OK);
	CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
		  SQLITE_OK);
	store_set_busy_timeout(s, 50);
	CHECK_INT(store_begin(s, &err), SP_EBUSY);
	CHECK_HAS(err.msg, "locked");
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	sp_err_clear(&err);
	CHECK_INT(store_begin(s, &err), 0);
	store_rollback(s);
	store_close(s);
}

static void
test_events_are_append_only(void)
{
	struct store *s = open_new("ev.db");
	struct event_row e = { 0 };
	sqlite3 *db;
	int64_t pid, id = 0;

	CHECK(s != NULL);
	pid = add_provider(s);
	e.provider_id = pid;
	e.entity = "provider";
	e.entity_id = pid;
	e.at = 10;
	e.actor_kind = "system";
	e.action = "provider.created";
	CHECK_INT(store_event_add(s, &id, &e, NULL), 0);
	store_close(s);
	CHECK_INT(sqlite3_open(fx_path("ev.db"), &db), SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE events SET action = 'x'", NULL, NULL,
			   NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL) !=
	      SQLITE_OK);
	sqlite3_close(db);
}

/* INT-1: each period counts from 1, and numbers never repeat. */
static void
test_folio_sequences_per_period(void)
{
	struct store *s = open_new("f.db");
	int64_t pid, a = 0, b = 0, c = 0;

	CHECK(s != NULL);
	pid = add_provider(s);
	CHECK_INT(store_folio_next(s, &a, pid, "2026", NULL), 0);
	CHECK_INT(store_folio_next(s, &b, pid, "2026", NULL), 0);
	CHECK_INT(store_folio_next(s, &c, pid, "2027", NULL), 0);
	CHECK_INT(a, 1);
	CHECK_INT(b, 2);
	CHECK_INT(c, 1);
	store_close(s);
}

static void
test_ticket_update_detects_concurrent_change(void)
{
	struct store *s = open_new("t.db");
	struct ticket_row t = { 0 }, copy;
	struct sp_err err = { 0 };
	struct arena a;
	int64_t pid, id = 0;

	CHECK(s != NULL);
	pid = add_provider(s);
	t.provider_id = pid;
	t.folio = "INT-2026-00001";
	t.channel = "email";
	t.category = "software";
	t.priority = "sev1";
	t.state = "new";
	t.subject = "x";
	t.created_at = t.updated_at = 5;
	CHECK_INT(store_ticket_add(s, &id, &t, NULL), 0);
	arena_init(&a, 0);
	CHECK_INT(store_ticket_get(s, &a, &t, pid, id, NULL), 0);
	copy = t;
	t.state = "open";
	CHECK_INT(store_ticket_update(s, &t, NULL), 0);
	CHECK_INT(t.version, 2);
	copy.state = "closed";
	CHECK_INT(store_ticket_update(s, &copy, &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "changed by someone else");
	CHECK_INT(store_ticket_get(s, &a, &t, pid, id, NULL), 0);
	CHECK_STR(t.state, "open");
	arena_free(&a);
	store_close(s);
}

static void
test_timers_run_once(void)
{
	struct store *s = open_new("tm.db");
	struct timer_row t = { 0 }, *due;
	struct arena a;
	size_t n;
	bool first = false, second = true;
	int64_t pid;

	CHECK(s != NULL);
	pid = add_provider(s);
	t.provider_id = pid;
	t.kind = "auto_close";
	t.due_at = 100;
	CHECK_INT(store_timer_add(s, NULL, &t, NULL), 0);
	arena_init(&a, 0);
	CHECK_INT(store_timer_due(s, &a, &due, &n, pid, 99, 10, NULL), 0);
	CHECK_INT(n, 0);
	CHECK_INT(store_timer_due(s, &a, &due, &n, pid, 100, 10, NULL), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_timer_finish(s, &first, due[0].id, "done", 100, NULL), 0);
	CHECK_INT(store_timer_finish(s, &second, due[0].id, "done", 101, NULL), 0);
	CHECK(first);
	CHECK(!second);
	CHECK_INT(store_timer_due(s, &a, &due, &n, pid, 200, 10, NULL), 0);
	CHECK_INT(n, 0);
	arena_free(&a);
	store_close(s);
}

/* Attachments are stored once by content hash. */
static void
test_blobs_stored_once(void)
{
	struct store *s = open_new("b.db");
	struct ticket_row t = { 0 };
	struct attachment_row r = { 0 };
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t pid, tid = 0;
	const char data[] = "PNGDATA";

	CHECK(s != NULL);
	pid = add_provider(s);
	t = (struct ticket_row){ .provider_id = pid, .folio = "F1",
		.channel = "email", .category = "c", .priority = "p",
		.state = "new", .subject = "s" };
	CHECK_INT(store_ticket_add(s, &tid, &t, NULL), 0);
	r = (struct attachment_row){ .provider_id = pid, .ticket_id = tid,
		.filename = "a.png", .mime = "image/png",
		.sha256 = "abc", .size = 7 };
	CHECK_INT(store_attachment_add(s, NULL, &r, data, NULL), 0);
	r.filename = "b.png";
	CHECK_INT(store_attachment_add(s, NULL, &r, data, NULL), 0);
	store_close(s);
	CHECK_INT(sqlite3_open(fx_path("b.db"), &db), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM blobs),"
				     " (SELECT count(*) FROM attachments)", -1,
				     &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	CHECK_INT(sqlite3_column_int(st, 1), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_foreign_keys_enforced(void)
{
	struct store *s = open_new("fk.db");
	struct contact_row c = { 0 };
	struct sp_err err = { 0 };
	int64_t pid;

	CHECK(s != NULL);
	pid = add_provider(s);
	c.provider_id = pid;
	c.organization_id = 999;
	c.name = "X";
	c.created_at = 1;
	CHECK_INT(store_contact_add(s, NULL, &c, &err), SP_EINVAL);
	CHECK_HAS(err.msg, "does not exist");
	store_close(s);
}

/* A use case inside a larger transaction (an email's intake, a batch of
 * HTTP writes) is a savepoint: undone alone, kept with the rest. */
static void
test_savepoints_undo_their_part_only(void)
{
	struct store *s = open_new("sp.db");
	struct provider_row a = { 0, "a", "A", "pack: a", "00", 1 },
			    b = { 0, "b", "B", "pack: b", "00", 1 },
			    c = { 0, "c", "C", "pack: c", "00", 1 },
			    *rows;
	struct sp_err err = { 0 };
	struct arena ar;
	size_t n = 0;

	CHECK(s != NULL);
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_provider_add(s, NULL, &a, &err), 0);
	/* b, with a nested part, undone: a stays. */
	CHECK_INT(store_savepoint(s, &err), 0);
	CHECK_INT(store_provider_add(s, NULL, &b, &err), 0);
	CHECK_INT(store_savepoint(s, &err), 0);
	CHECK_INT(store_release(s, &err), 0);
	store_rollback_to(s);
	/* c kept; a read transaction inside is no transaction. */
	CHECK_INT(store_savepoint(s, &err), 0);
	CHECK_INT(store_provider_add(s, NULL, &c, &err), 0);
	CHECK(!store_read_begin(s));
	CHECK_INT(store_release(s, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	arena_init(&ar, 0);
	CHECK(store_read_begin(s));
	CHECK_INT(store_provider_list(s, &ar, &rows, &n, &err), 0);
	store_read_end(s, true);
	CHECK_INT(n, 2);
	CHECK_STR(rows[0].pack_id, "a");
	CHECK_STR(rows[1].pack_id, "c");
	arena_free(&ar);
	store_close(s);
}

static size_t
found(struct store *s, int64_t pid, const char *query)
{
	struct ticket_row *rows;
	struct arena a;
	size_t n = 0;

	arena_init(&a, 0);
	if (store_ticket_search(s, &a, &rows, &n, pid, query, 0, 0, false, 10,
				NULL))
		n = 99;
	arena_free(&a);
	return n;
}

/* FTS5 shape, checked by FTS5 itself: every indexed row matches its
 * content table. */
static bool
indexes_intact(const char *name)
{
	sqlite3 *db;
	bool ok;

	if (sqlite3_open(fx_path(name), &db) != SQLITE_OK)
		return false;
	ok = sqlite3_exec(db, "INSERT INTO ticket_fts (ticket_fts, rank) "
			  "VALUES ('integrity-check', 1); INSERT INTO "
			  "message_fts (message_fts, rank) VALUES "
			  "('integrity-check', 1)", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return ok;
}

/* How far search_marks says a table is indexed, read by another
 * connection (what was committed). */
static int
search_mark(const char *name, const char *table)
{
	sqlite3 *db;
	char sql[96];
	int n = -1;

	snprintf(sql, sizeof sql, "SELECT upto FROM search_marks WHERE "
		 "name = '%s'", table);
	if (sqlite3_open(fx_path(name), &db) == SQLITE_OK)
		n = count_rows(db, sql);
	sqlite3_close(db);
	return n;
}

static int
add_subject(struct store *s, int64_t *id, struct ticket_row *t, int n,
	    const char *subject)
{
	char folio[32];

	snprintf(folio, sizeof folio, "INT-2026-%05d", n);
	t->folio = folio;
	t->subject = subject;
	return store_ticket_add(s, id, t, NULL);
}

/* A stored ticket's subject changed, in a transaction of its own; *t
 * is the ticket as written. */
static int
set_subject(struct store *s, struct arena *a, struct ticket_row *t,
	    int64_t pid, int64_t id, const char *subject)
{
	int rc;

	if ((rc = store_ticket_get(s, a, t, pid, id, NULL)) ||
	    (rc = store_begin(s, NULL)))
		return rc;
	t->subject = subject;
	if ((rc = store_ticket_update(s, t, NULL)) == 0)
		return store_commit(s, NULL);
	store_rollback(s);
	return rc;
}

/* Search indexes take new tickets and messages in bulk (INT-7's search;
 * migration 13): a commit indexes them once STORE_SEARCH_TAIL wait,
 * and every search first indexes the rest, so it finds every committed
 * ticket and message at once, whoever committed it. A savepoint undone
 * leaves nothing in them; a subject changed is found by its new words
 * only, before and after indexing. */
static void
test_search_index_at_commit(void)
{
	struct store *s = open_new("fts.db"), *other = NULL;
	struct ticket_row t = { 0 }, got, *rows;
	struct message_row m = { 0 };
	struct sp_err err = { 0 };
	struct arena a;
	int64_t pid, id = 0, undone = 0, id3 = 0;
	size_t n;
	bool began;

	CHECK(s != NULL);
	pid = add_provider(s);
	t.provider_id = pid;
	t.channel = "email";
	t.category = "software";
	t.priority = "sev1";
	t.state = "new";
	t.created_at = t.updated_at = 5;
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_savepoint(s, &err), 0);
	CHECK_INT(add_subject(s, &undone, &t, 1, "Impresora atascada"), 0);
	store_rollback_to(s);
	CHECK_INT(store_savepoint(s, &err), 0);
	CHECK_INT(add_subject(s, &id, &t, 2, "No timbra la factura"), 0);
	m.provider_id = pid;
	m.ticket_id = id;
	m.kind = "public";
	m.author_kind = "system";
	m.body = "El certificado venció";
	m.created_at = 5;
	CHECK_INT(store_message_add(s, NULL, &m, &err), 0);
	CHECK_INT(store_release(s, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	/* Two rows are a short tail: the commit left them for later. */
	CHECK_INT(search_mark("fts.db", "tickets"), 0);
	CHECK_INT(search_mark("fts.db", "messages"), 0);
	/* The search indexes them first; the undone ticket's id went to
	 * the kept one, indexed once. */
	CHECK(undone == id);
	CHECK_INT(found(s, pid, "timbra"), 1);
	CHECK_INT(found(s, pid, "certificado"), 1);
	CHECK_INT(found(s, pid, "impresora"), 0);
	CHECK_INT(search_mark("fts.db", "tickets"), (int)id);
	CHECK(indexes_intact("fts.db"));
	/* A subject changed before its ticket was indexed: its new words. */
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(add_subject(s, &id3, &t, 3, "Lector de códigos"), 0);
	CHECK_INT(store_commit(s, &err), 0);
	arena_init(&a, 0);
	CHECK_INT(set_subject(s, &a, &got, pid, id3, "Escáner roto"), 0);
	CHECK_INT(found(s, pid, "lector"), 0);
	CHECK_INT(found(s, pid, "escaner"), 1);
	/* A subject changed after indexing replaces the old one's words. */
	CHECK_INT(set_subject(s, &a, &got, pid, id, "Nómina sin timbrar"), 0);
	CHECK_INT(found(s, pid, "nomina"), 1);
	CHECK_INT(found(s, pid, "factura"), 0);
	/* Updates that keep the subject leave the index as it is. */
	got.state = "open";
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_ticket_update(s, &got, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(found(s, pid, "nomina"), 1);
	CHECK(indexes_intact("fts.db"));
	/* Inside a write transaction a search finds what it wrote; undone,
	 * the indexing is undone with it. */
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(add_subject(s, NULL, &t, 4, "Teclado mojado"), 0);
	CHECK_INT(found(s, pid, "teclado"), 1);
	store_rollback(s);
	CHECK_INT(found(s, pid, "teclado"), 0);
	CHECK(indexes_intact("fts.db"));
	/* Inside a read transaction it cannot write: refused, not stale. */
	began = store_read_begin(s);
	CHECK(began);
	CHECK_INT(store_ticket_search(s, &a, &rows, &n, pid, "nomina", 0, 0,
				      false, 10, &err), SP_EINVAL);
	store_read_end(s, began);
	/* Another connection's (another process's) commit is found too. */
	CHECK_INT(store_open(&other, fx_path("fts.db"), false, &err), 0);
	CHECK_INT(store_begin(other, &err), 0);
	CHECK_INT(add_subject(other, NULL, &t, 5, "Monitor quemado"), 0);
	CHECK_INT(store_commit(other, &err), 0);
	store_close(other);
	CHECK_INT(found(s, pid, "monitor"), 1);
	/* A tail of STORE_SEARCH_TAIL is indexed by the commit itself. */
	CHECK_INT(store_begin(s, &err), 0);
	for (int i = 0; i < STORE_SEARCH_TAIL; i++)
		CHECK_INT(add_subject(s, &id, &t, 10 + i, "Pantalla negra"), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(search_mark("fts.db", "tickets"), (int)id);
	CHECK_INT(found(s, pid, "pantalla"), 10);
	CHECK(indexes_intact("fts.db"));
	arena_free(&a);
	store_close(s);
}

/* INT-4's candidates: of the organization's 20 newest tickets (not 20
 * newest active ones: the cost stays bounded), the active ones of the
 * provider opened since `since`, newest first, but the one excluded and
 * those keep() turns down. */
static bool
keep_odd(void *ctx, int64_t id, const char *subject)
{
	(void)ctx;
	return subject[0] == 'S' && id % 2 == 1;
}

static void
test_recent_candidates_int4(void)
{
	static const char *const states[] = { "new", "closed", "open",
		"merged", "new" };
	struct store *s = open_new("recent.db");
	struct org_row o = { 0, 0, "Ferretería", NULL, 1 };
	struct ticket_row t = { 0 }, *got;
	struct sp_err err = { 0 };
	struct arena a;
	size_t n;
	int64_t pid, first = 0, id;
	char folio[32];

	CHECK(s != NULL);
	pid = o.provider_id = add_provider(s);
	CHECK_INT(store_org_add(s, &o.id, &o, &err), 0);
	t.provider_id = pid;
	t.organization_id = o.id;
	t.channel = "email";
	t.category = "software";
	t.priority = "sev1";
	t.subject = "Sin timbrar";
	arena_init(&a, 0);
	/* 25 tickets, at 100, 200, ...: states in turn. */
	for (int i = 0; i < 25; i++) {
		snprintf(folio, sizeof folio, "INT-2026-%05d", i + 1);
		t.folio = folio;
		t.state = states[i % 5];
		t.created_at = t.updated_at = 100 * (i + 1);
		CHECK_INT(store_ticket_add(s, &id, &t, &err), 0);
		if (first == 0)
			first = id;
	}
	/* The newest 20 are ids first+5 .. first+24; 12 of them active. */
	CHECK_INT(store_ticket_recent(s, &a, &got, &n, pid, o.id, 0, 0, 0, 20,
				      NULL, NULL, &err), 0);
	CHECK_INT(n, 12);
	CHECK(n && got[0].id == first + 24 && got[n - 1].id == first + 5);
	CHECK_STR(n ? got[0].folio : "", "INT-2026-00025");
	CHECK_STR(n ? got[0].subject : "", "Sin timbrar");
	CHECK_STR(n ? got[0].state : "", "new");
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(got[i].state, "closed") != 0 &&
		      strcmp(got[i].state, "merged") != 0);
	/* Opened since 2000 (the 20th on), but the newest. */
	CHECK_INT(store_ticket_recent(s, &a, &got, &n, pid, o.id, 0, 2000,
				      first + 24, 20, NULL, NULL, &err), 0);
	CHECK_INT(n, 3);
	CHECK(n == 3 && got[0].id == first + 22 && got[1].id == first + 20 &&
	      got[2].id == first + 19);
	/* What keep() turns down is left out. */
	CHECK_INT(store_ticket_recent(s, &a, &got, &n, pid, o.id, 0, 0, 0, 20,
				      keep_odd, NULL, &err), 0);
	for (size_t i = 0; i < n; i++)
		CHECK(got[i].id % 2 == 1);
	CHECK(n > 0 && n < 12);
	/* Another provider's view finds none; no limit, none. */
	CHECK_INT(store_ticket_recent(s, &a, &got, &n, pid + 1, o.id, 0, 0, 0,
				      20, NULL, NULL, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(store_ticket_recent(s, &a, &got, &n, pid, o.id, 0, 0, 0, -1,
				      NULL, NULL, &err), 0);
	CHECK_INT(n, 0);
	arena_free(&a);
	store_close(s);
}

const struct test store_tests[] = {
	{ "int4_recent_candidates", test_recent_candidates_int4 },
	{ "int7_search_index_at_commit", test_search_index_at_commit },
	{ "savepoints_undo_their_part_only", test_savepoints_undo_their_part_only },
	{ "open_creates_and_migrates", test_open_creates_and_migrates },
	{ "checks_are_comparisons", test_checks_are_comparisons },
	{ "open_missing_without_create", test_open_missing_without_create },
	{ "refuses_foreign_sqlite_and_leaves_it", test_refuses_foreign_sqlite_and_leaves_it },
	{ "refuses_non_sqlite_file", test_refuses_non_sqlite_file },
	{ "locked_database_is_busy", test_locked_database_is_busy },
	{ "events_are_append_only", test_events_are_append_only },
	{ "int1_folio_sequences_per_period", test_folio_sequences_per_period },
	{ "ticket_update_detects_concurrent_change", test_ticket_update_detects_concurrent_change },
	{ "timers_run_once", test_timers_run_once },
	{ "blobs_stored_once", test_blobs_stored_once },
	{ "foreign_keys_enforced", test_foreign_keys_enforced },
	{ 0 },
};
