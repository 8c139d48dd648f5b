/* store_sqlite.c — store.h on one SQLite file: WAL, foreign keys, a busy
 * timeout, migrations at open, prepared statements cached per handle. */
#include "store.h"

#include "../util/buf.h"
#include "../util/str.h"
#include "schema.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STMT_CACHE 96
#define BUSY_TIMEOUT_MS 5000

struct store {
	sqlite3 *db;
	char path[4096];
	struct {
		const char *sql; /* identity: the SQL constants are static */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
	int ncache;
};

/* ---- errors -------------------------------------------------------- */

static int
db_error(struct store *s, int rc, const char *what, struct sp_err *err)
{
	int base = rc & 0xff;
	const char *m = sqlite3_errmsg(s->db);

	switch (base) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sp_err_set(err, SP_EBUSY, what, "the database %s is "
				  "locked by another process; try again",
				  s->path);
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
			/* "UNIQUE constraint failed: contacts.provider_id,
			 * contacts.email": the last column is the one a
			 * person chose; name it, not the table's insides. */
			const char *col = strrchr(m, '.');

			if (col && col[1] && strcmp(col + 1, "provider_id"))
				return sp_err_set(err, SP_ECONFLICT, col + 1,
						  "a %s with this %s already "
						  "exists", what, col + 1);
			return sp_err_set(err, SP_ECONFLICT, what,
					  "%s already exists", what);
		}
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return sp_err_set(err, SP_EINVAL, what,
					  "%s refers to a record that does not "
					  "exist", what);
		return sp_err_set(err, SP_EINVAL, what, "%s: %s", what, m);
	case SQLITE_FULL:
		return sp_err_set(err, SP_EIO, what, "the disk holding %s is "
				  "full", s->path);
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return sp_err_set(err, SP_EFORMAT, what, "%s is not a soporte "
				  "database or is damaged (%s)", s->path, m);
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return sp_err_set(err, SP_EIO, what, "cannot write %s: %s",
				  s->path, m);
	default:
		return sp_err_set(err, SP_EIO, what, "database error on %s: %s",
				  what, m);
	}
}

/* ---- statements ---------------------------------------------------- */

static int
prep(struct store *s, sqlite3_stmt **out, const char *sql, struct sp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			*out = s->cache[i].st;
			return 0;
		}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
				NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, "query", err);
	if (s->ncache < STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	}
	*out = st;
	return 0;
}

static void
done(struct store *s, sqlite3_stmt *st)
{
	bool cached = false;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].st == st)
			cached = true;
	if (!cached)
		sqlite3_finalize(st);
}

/* Binds parameters from a format: t = text (NULL binds NULL), i = int64,
 * I = int64 id where 0 binds NULL, b = bool. */
static void
bindf(sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int i = 1;

	va_start(ap, fmt);
	for (; *fmt; fmt++, i++) {
		switch (*fmt) {
		case 't': {
			const char *v = va_arg(ap, const char *);

			if (v)
				sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i);
			break;
		}
		case 'i':
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);

			if (v)
				sqlite3_bind_int64(st, i, v);
			else
				sqlite3_bind_null(st, i);
			break;
		}
		case 'b':
			sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		}
	}
	va_end(ap);
}

static const char *
col_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? arena_strdup(a, (const char *)t) : NULL;
}

static int64_t
col_i64(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* Runs a write; *out_id gets the new rowid when not NULL. */
static int
run_write(struct store *s, sqlite3_stmt *st, int64_t *out_id,
	  const char *what, struct sp_err *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), what, err);
		done(s, st);
		return rc;
	}
	if (out_id)
		*out_id = sqlite3_last_insert_rowid(s->db);
	done(s, st);
	return 0;
}

static int
run_scalar(struct store *s, sqlite3_stmt *st, int64_t *out, const char *what,
	   struct sp_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = db_error(s, sqlite3_extended_errcode(s->db), what, err);
	}
	done(s, st);
	return rc;
}

typedef void (*fill_fn)(struct arena *a, sqlite3_stmt *st, void *row);

static int
run_one(struct store *s, sqlite3_stmt *st, struct arena *a, fill_fn fill,
	void *row, const char *what, const char *key, struct sp_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		fill(a, st, row);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sp_err_set(err, SP_ENOTFOUND, what, "no %s '%s'", what,
				key);
	} else {
		rc = db_error(s, sqlite3_extended_errcode(s->db), what, err);
	}
	done(s, st);
	return rc;
}

static int
run_many(struct store *s, sqlite3_stmt *st, struct arena *a, fill_fn fill,
	 size_t size, void **out, size_t *n, const char *what,
	 struct sp_err *err)
{
	size_t cap = 16, cnt = 0;
	char *rows = arena_calloc(a, cap, size);
	int rc;

	while (rows && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			char *bigger = arena_calloc(a, cap * 2, size);

			if (bigger)
				memcpy(bigger, rows, cap * size);
			rows = bigger;
			cap *= 2;
			if (rows == NULL)
				break;
		}
		fill(a, st, rows + cnt * size);
		cnt++;
	}
	if (rows == NULL) {
		done(s, st);
		return sp_err_set(err, SP_ENOMEM, what, "out of memory "
				  "listing %s", what);
	}
	if (rc != SQLITE_DONE) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), what, err);
		done(s, st);
		return rc;
	}
	done(s, st);
	*out = rows;
	*n = cnt;
	return 0;
}

static bool
is_number(const char *key, int64_t *id)
{
	return str_to_i64(id, key, 1, INT64_MAX) == 0;
}

/* ---- open, migrate, transactions ---------------------------------- */

static int
exec(struct store *s, const char *sql, const char *what, struct sp_err *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0
			       : db_error(s, sqlite3_extended_errcode(s->db),
					  what, err);
}

static int
pragma_int(struct store *s, const char *sql, int *out, struct sp_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return db_error(s, sqlite3_extended_errcode(s->db), "pragma",
				err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else if (rc != SQLITE_DONE) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "pragma", err);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Reads only: a file that is not ours must leave here unchanged (even
 * switching it to WAL would rewrite its header). */
static int
check_ours(struct store *s, struct sp_err *err)
{
	int version = 0, appid = 0, tables = 0, rc;

	if ((rc = pragma_int(s, "PRAGMA application_id", &appid, err)) ||
	    (rc = pragma_int(s, "PRAGMA user_version", &version, err)) ||
	    (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables,
			     err)))
		return rc;
	if (appid != SCHEMA_APPLICATION_ID && (appid != 0 || tables > 0))
		return sp_err_set(err, SP_EFORMAT, "db", "%s is an SQLite "
				  "database but not soporte's; refusing to "
				  "touch it", s->path);
	if (version > (int)schema_nmigrations)
		return sp_err_set(err, SP_EFORMAT, "db", "%s has schema "
				  "version %d, newer than this soporte "
				  "knows (%zu); upgrade soporte", s->path,
				  version, schema_nmigrations);
	return 0;
}

/* One SQL string literal at *p ('...', '' inside), copied to out; *p
 * moves past it. False when *p is not at one. */
static bool
copy_literal(const char **p, struct buf *out)
{
	const char *q = *p;

	if (*q != '\'')
		return false;
	for (q++; *q; q++)
		if (*q == '\'' && q[1] != '\'')
			break;
		else if (*q == '\'')
			q++;
	if (*q != '\'')
		return false;
	buf_add(out, *p, (size_t)(q + 1 - *p));
	*p = q + 1;
	return true;
}

/* "CHECK  (col IN ('a',  'b'))" at p as "CHECK (col = 'a' OR col = 'b')"
 * appended to out; returns the end of what it replaced, or NULL (and
 * out as it was) when p is not at such a constraint. */
static const char *
check_as_comparisons(const char *p, struct buf *out)
{
	size_t mark = out->len, col;
	const char *name;

	if (strncmp(p, "CHECK", 5) != 0)
		return NULL;
	for (p += 5; *p == ' '; p++)
		;
	if (*p++ != '(')
		return NULL;
	name = p;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	col = (size_t)(p - name);
	if (col == 0 || strncmp(p, " IN (", 5) != 0)
		return NULL;
	p += 5;
	buf_adds(out, "CHECK (");
	for (bool first = true;; first = false) {
		while (*p == ' ')
			p++;
		if (!first)
			buf_adds(out, " OR ");
		buf_add(out, name, col);
		buf_adds(out, " = ");
		if (!copy_literal(&p, out))
			break;
		while (*p == ' ')
			p++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (strncmp(p, "))", 2) != 0)
			break;
		buf_addc(out, ')');
		return out->oom ? NULL : p + 2;
	}
	out->len = mark;
	out->ptr[mark] = '\0';
	return NULL;
}

/* SCHEMA_STEP_CHECKS_AS_COMPARISONS, as SQLite documents changing a
 * CHECK constraint in place (lang_altertable.html, "other kinds of
 * table schema changes"): the tables' SQL in sqlite_schema rewritten
 * under writable_schema, and schema_version bumped so that every
 * connection reads it again. Runs inside the migration's transaction. */
static int
step_checks_as_comparisons(struct store *s, struct sp_err *err)
{
	static const char list[] = "SELECT name, sql FROM sqlite_schema WHERE "
		"type = 'table' AND sql LIKE '%CHECK (% IN (%'";
	sqlite3_stmt *st, *up = NULL;
	int rc, version = 0;
	char bump[64];

	if ((rc = pragma_int(s, "PRAGMA schema_version", &version, err)) ||
	    (rc = exec(s, "PRAGMA writable_schema = ON", "migration", err)))
		return rc;
	if (sqlite3_prepare_v2(s->db, list, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE sqlite_schema SET sql = ?1 "
			       "WHERE type = 'table' AND name = ?2", -1, &up,
			       NULL) != SQLITE_OK) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "migration",
			      err);
		goto out;
	}
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 1), *end;
		struct buf sql;

		buf_init(&sql, BUF_MAX_DEFAULT);
		while (*p) {
			if ((end = check_as_comparisons(p, &sql)))
				p = end;
			else
				buf_addc(&sql, *p++);
		}
		if (sql.oom)
			rc = sp_err_set(err, SP_ENOMEM, "migration",
					"out of memory");
		else {
			sqlite3_bind_text(up, 1, sql.ptr, (int)sql.len,
					  SQLITE_TRANSIENT);
			sqlite3_bind_value(up, 2, sqlite3_column_value(st, 0));
			if (sqlite3_step(up) != SQLITE_DONE)
				rc = db_error(s, sqlite3_extended_errcode(s->db),
					      "migration", err);
			sqlite3_reset(up);
		}
		buf_free(&sql);
	}
	snprintf(bump, sizeof bump, "PRAGMA schema_version = %d", version + 1);
	if (rc == 0)
		rc = exec(s, bump, "migration", err);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	if (exec(s, "PRAGMA writable_schema = OFF", "migration",
		 rc ? NULL : err) && rc == 0)
		rc = SP_EIO;
	return rc;
}

static int
migrate(struct store *s, struct sp_err *err)
{
	int version = 0, rc;

	if ((rc = pragma_int(s, "PRAGMA user_version", &version, err)))
		return rc;
	if (version > (int)schema_nmigrations)
		return sp_err_set(err, SP_EFORMAT, "db", "%s has schema "
				  "version %d, newer than this soporte "
				  "knows (%zu); upgrade soporte", s->path,
				  version, schema_nmigrations);
	if (version == (int)schema_nmigrations)
		return 0;
	if ((rc = exec(s, "BEGIN IMMEDIATE", "migration", err)))
		return rc;
	/* Re-read under the lock: another process may have migrated. */
	if ((rc = pragma_int(s, "PRAGMA user_version", &version, err)))
		goto fail;
	for (size_t i = (size_t)version; i < schema_nmigrations; i++) {
		char set[64];

		if ((rc = strcmp(schema_migrations[i],
				 SCHEMA_STEP_CHECKS_AS_COMPARISONS) == 0
				  ? step_checks_as_comparisons(s, err)
				  : exec(s, schema_migrations[i], "migration",
					 err)))
			goto fail;
		snprintf(set, sizeof set, "PRAGMA user_version = %zu", i + 1);
		if ((rc = exec(s, set, "migration", err)))
			goto fail;
	}
	{
		char set[64];

		snprintf(set, sizeof set, "PRAGMA application_id = %d",
			 SCHEMA_APPLICATION_ID);
		if ((rc = exec(s, set, "migration", err)))
			goto fail;
	}
	return exec(s, "COMMIT", "migration", err);
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
store_open(struct store **out, const char *path, bool create,
	   struct sp_err *err)
{
	struct store *s;
	struct stat sb;
	int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (path == NULL || *path == '\0')
		return sp_err_set(err, SP_EINVAL, "db", "no database path "
				  "given (use --db PATH)");
	if (stat(path, &sb) != 0) {
		if (!create)
			return sp_err_set(err, SP_ENOTFOUND, "db", "no "
					  "database at %s; create one with "
					  "'soporte init --pack ID'", path);
		flags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(sb.st_mode)) {
		return sp_err_set(err, SP_EINVAL, "db", "%s is not a regular "
				  "file", path);
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return sp_err_set(err, SP_ENOMEM, "db", "out of memory");
	str_copy(s->path, path, sizeof s->path);
	/* SQLite counts every allocation under a global mutex for
	 * sqlite3_status(), which soporte never reads: 7 % of a ticket's
	 * creation in soporte serve. Only possible before the first open;
	 * later calls fail harmlessly. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = sp_err_set(err, SP_EIO, "db", "cannot open %s: %s", path,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if ((rc = check_ours(s, err)) ||
	    (rc = exec(s, "PRAGMA foreign_keys = ON", "db", err)) ||
	    (rc = exec(s, "PRAGMA journal_mode = WAL", "db", err)) ||
	    (rc = exec(s, "PRAGMA synchronous = NORMAL", "db", err)) ||
	    /* Savepoints (a use case inside a batch or an email's intake)
	     * journal the pages they change; past 64 KiB SQLite wrote that
	     * to a temporary file, thousands of writes a second under load.
	     * In memory it is as large as one use case's pages. */
	    (rc = exec(s, "PRAGMA temp_store = MEMORY", "db", err)) ||
	    (rc = migrate(s, err))) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close(s->db);
	free(s);
}

void
store_set_busy_timeout(struct store *s, int ms)
{
	sqlite3_busy_timeout(s->db, ms);
}

int
store_schema_version(struct store *s)
{
	int v = -1;

	pragma_int(s, "PRAGMA user_version", &v, NULL);
	return v;
}

int
store_begin(struct store *s, struct sp_err *err)
{
	return exec(s, "BEGIN IMMEDIATE", "transaction", err);
}

/* New tickets and messages reach the search indexes in bulk (migration
 * 13 says why not by trigger): at a commit once STORE_SEARCH_TAIL of
 * either wait above the high-water marks of search_marks, and before
 * any search (index_tail). Indexing each commit's few rows (a batch of
 * ~32 creates) cost 40k instructions a create and made a small index
 * segment each time, for FTS5 to merge; 256 rows at once, 21k. */

/* How far the newest ticket or message is above its mark: an upper
 * bound of the rows not yet indexed (ids only grow). */
static int
search_tail(struct store *s, int64_t *out, struct sp_err *err)
{
	static const char sql[] = "SELECT max("
		"(SELECT coalesce(max(id), 0) FROM tickets) - "
		"(SELECT upto FROM search_marks WHERE name = 'tickets'), "
		"(SELECT coalesce(max(id), 0) FROM messages) - "
		"(SELECT upto FROM search_marks WHERE name = 'messages'))";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	return rc ? rc : run_scalar(s, st, out, "search index", err);
}

/* The rows above the marks go into the search indexes, in the open
 * write transaction. With no new row each statement is one lookup. */
static int
index_new_rows(struct store *s, struct sp_err *err)
{
	static const char *const sql[] = {
		"INSERT INTO ticket_fts (rowid, subject) SELECT id, subject "
		"FROM tickets WHERE id > (SELECT upto FROM search_marks "
		"WHERE name = 'tickets')",
		"UPDATE search_marks SET upto = (SELECT max(id) FROM tickets) "
		"WHERE name = 'tickets' AND upto < (SELECT max(id) FROM tickets)",
		"INSERT INTO message_fts (rowid, body) SELECT id, body "
		"FROM messages WHERE id > (SELECT upto FROM search_marks "
		"WHERE name = 'messages')",
		"UPDATE search_marks SET upto = (SELECT max(id) FROM messages) "
		"WHERE name = 'messages' AND upto < (SELECT max(id) FROM messages)",
	};
	sqlite3_stmt *st;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++)
		if ((rc = prep(s, &st, sql[i], err)) == 0)
			rc = run_write(s, st, NULL, "search index", err);
	return rc;
}

/* Before a search, so that it finds every committed ticket and message:
 * the tail goes into the indexes, which takes a write transaction. On
 * its own (autocommit) one of its own; inside a write transaction, that
 * one (what it wrote is found, and its indexing kept or undone with
 * it). Inside a read transaction, never: its snapshot may be too old to
 * write from, and its caller asked for no writes. */
static int
index_tail(struct store *s, struct sp_err *err)
{
	int64_t tail = 0;
	int rc;

	if (!sqlite3_get_autocommit(s->db)) {
		if (sqlite3_txn_state(s->db, "main") != SQLITE_TXN_WRITE)
			return sp_err_set(err, SP_EINVAL, "search", "a search "
					  "indexes what was committed before "
					  "it: not inside a read transaction");
		return index_new_rows(s, err);
	}
	if ((rc = search_tail(s, &tail, err)) || tail <= 0)
		return rc;
	if ((rc = store_begin(s, err)))
		return rc;
	if ((rc = index_new_rows(s, err)) == 0)
		rc = exec(s, "COMMIT", "commit", err);
	if (rc)
		store_rollback(s);
	return rc;
}

int
store_commit(struct store *s, struct sp_err *err)
{
	int64_t tail = 0;
	int rc = search_tail(s, &tail, err);

	if (rc == 0 && tail >= STORE_SEARCH_TAIL)
		rc = index_new_rows(s, err);
	if (rc == 0)
		rc = exec(s, "COMMIT", "commit", err);

	if (rc)
		store_rollback(s);
	return rc;
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Statements run often enough to keep prepared (per request). */
static int
run_sql(struct store *s, const char *sql, const char *what,
	struct sp_err *err)
{
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	return rc ? rc : run_write(s, st, NULL, what, err);
}

int
store_savepoint(struct store *s, struct sp_err *err)
{
	static const char sql[] = "SAVEPOINT sp";

	return run_sql(s, sql, "transaction", err);
}

int
store_release(struct store *s, struct sp_err *err)
{
	static const char sql[] = "RELEASE sp";
	int rc = run_sql(s, sql, "commit", err);

	if (rc)
		store_rollback_to(s);
	return rc;
}

void
store_rollback_to(struct store *s)
{
	static const char undo[] = "ROLLBACK TO sp", release[] = "RELEASE sp";

	/* ROLLBACK TO keeps the savepoint open; RELEASE ends it. */
	if (run_sql(s, undo, "rollback", NULL) == 0)
		run_sql(s, release, "rollback", NULL);
}

bool
store_read_begin(struct store *s)
{
	static const char sql[] = "BEGIN";

	if (!sqlite3_get_autocommit(s->db))
		return false;
	return run_sql(s, sql, "transaction", NULL) == 0;
}

void
store_read_end(struct store *s, bool began)
{
	static const char sql[] = "COMMIT";

	if (began && run_sql(s, sql, "commit", NULL))
		store_rollback(s);
}

int
store_generation(struct store *s, struct store_generation *out,
		 struct sp_err *err)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "query", err);
		done(s, st);
		return rc;
	}
	out->data_version = sqlite3_column_int64(st, 0);
	out->changes = sqlite3_total_changes64(s->db);
	done(s, st);
	return 0;
}

bool
store_generation_same(const struct store_generation *a,
		      const struct store_generation *b)
{
	return a->data_version == b->data_version && a->changes == b->changes;
}

int
store_set_cache(struct store *s, int kib, struct sp_err *err)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
	return exec(s, sql, "db", err);
}

int
store_set_checkpoint(struct store *s, int pages, struct sp_err *err)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", pages);
	return exec(s, sql, "db", err);
}

int
store_set_durable(struct store *s, bool durable, struct sp_err *err)
{
	return exec(s, durable ? "PRAGMA synchronous = FULL" :
		    "PRAGMA synchronous = NORMAL", "db", err);
}

/* ---- providers ----------------------------------------------------- */

#define PROVIDER_COLS "id, pack_id, name, pack_text, pack_sha256, loaded_at"

static void
fill_provider(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct provider_row *r = row;

	r->id = col_i64(st, 0);
	r->pack_id = col_text(a, st, 1);
	r->name = col_text(a, st, 2);
	r->pack_text = col_text(a, st, 3);
	r->pack_sha256 = col_text(a, st, 4);
	r->loaded_at = col_i64(st, 5);
}

int
store_provider_add(struct store *s, int64_t *out_id,
		   const struct provider_row *p, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO providers (pack_id, name, "
		"pack_text, pack_sha256, loaded_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tttti", p->pack_id, p->name, p->pack_text,
	      p->pack_sha256, p->loaded_at);
	return run_write(s, st, out_id, "provider", err);
}

int
store_provider_update(struct store *s, const struct provider_row *p,
		      struct sp_err *err)
{
	static const char sql[] = "UPDATE providers SET name = ?, "
		"pack_text = ?, pack_sha256 = ?, loaded_at = ? WHERE id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tttii", p->name, p->pack_text, p->pack_sha256,
	      p->loaded_at, p->id);
	return run_write(s, st, NULL, "provider", err);
}

int
store_provider_get(struct store *s, struct arena *a, struct provider_row *out,
		   int64_t id, const char *pack_id, struct sp_err *err)
{
	static const char by_id[] = "SELECT " PROVIDER_COLS
		" FROM providers WHERE id = ?";
	static const char by_pack[] = "SELECT " PROVIDER_COLS
		" FROM providers WHERE pack_id = ?";
	sqlite3_stmt *st;
	char key[32];
	int rc = prep(s, &st, pack_id ? by_pack : by_id, err);

	if (rc)
		return rc;
	if (pack_id)
		bindf(st, "t", pack_id);
	else
		bindf(st, "i", id);
	snprintf(key, sizeof key, "%lld", (long long)id);
	return run_one(s, st, a, fill_provider, out, "provider",
		       pack_id ? pack_id : key, err);
}

int
store_provider_list(struct store *s, struct arena *a,
		    struct provider_row **out, size_t *n, struct sp_err *err)
{
	static const char sql[] = "SELECT " PROVIDER_COLS
		" FROM providers ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	return run_many(s, st, a, fill_provider, sizeof **out, (void **)out,
			n, "providers", err);
}

/* ---- directory: organizations, contacts, agents, products ---------- */

/* A lookup by id when the key is a number, else by the given column. */
static int
find_by_key(struct store *s, struct arena *a, const char *by_id,
	    const char *by_key, fill_fn fill, void *row, int64_t provider_id,
	    const char *key, const char *what, struct sp_err *err)
{
	sqlite3_stmt *st;
	int64_t id;
	bool num = is_number(key, &id);
	int rc = prep(s, &st, num ? by_id : by_key, err);

	if (rc)
		return rc;
	if (num)
		bindf(st, "ii", provider_id, id);
	else
		bindf(st, "it", provider_id, key);
	return run_one(s, st, a, fill, row, what, key, err);
}

static int
get_by_id(struct store *s, struct arena *a, const char *sql, fill_fn fill,
	  void *row, int64_t provider_id, int64_t id, const char *what,
	  struct sp_err *err)
{
	sqlite3_stmt *st;
	char key[32];
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ii", provider_id, id);
	snprintf(key, sizeof key, "%lld", (long long)id);
	return run_one(s, st, a, fill, row, what, key, err);
}

static int
list_by_provider(struct store *s, struct arena *a, const char *sql,
		 fill_fn fill, size_t size, void **out, size_t *n,
		 int64_t provider_id, const char *what, struct sp_err *err)
{
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", provider_id);
	return run_many(s, st, a, fill, size, out, n, what, err);
}

#define ORG_COLS "id, provider_id, name, tax_id, created_at"

static void
fill_org(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct org_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->name = col_text(a, st, 2);
	r->tax_id = col_text(a, st, 3);
	r->created_at = col_i64(st, 4);
}

int
store_org_add(struct store *s, int64_t *out_id, const struct org_row *r,
	      struct sp_err *err)
{
	static const char sql[] = "INSERT INTO organizations (provider_id, "
		"name, tax_id, created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itti", r->provider_id, r->name, r->tax_id, r->created_at);
	return run_write(s, st, out_id, "organization", err);
}

int
store_org_get(struct store *s, struct arena *a, struct org_row *out,
	      int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " ORG_COLS " FROM organizations "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_org, out, provider_id, id,
			 "organization", err);
}

int
store_org_find(struct store *s, struct arena *a, struct org_row *out,
	       int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " ORG_COLS " FROM organizations "
		"WHERE provider_id = ? AND id = ?";
	static const char by_name[] = "SELECT " ORG_COLS " FROM "
		"organizations WHERE provider_id = ? AND name = ?";

	return find_by_key(s, a, by_id, by_name, fill_org, out, provider_id,
			   key, "organization", err);
}

int
store_org_list(struct store *s, struct arena *a, struct org_row **out,
	       size_t *n, int64_t provider_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " ORG_COLS " FROM organizations "
		"WHERE provider_id = ? ORDER BY name";

	return list_by_provider(s, a, sql, fill_org, sizeof **out,
				(void **)out, n, provider_id, "organizations",
				err);
}

#define CONTACT_COLS "id, provider_id, organization_id, name, surname, " \
	"phone, address, email, lang, created_at, active, role"

static void
fill_contact(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct contact_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->organization_id = col_i64(st, 2);
	r->name = col_text(a, st, 3);
	r->surname = col_text(a, st, 4);
	r->phone = col_text(a, st, 5);
	r->address = col_text(a, st, 6);
	r->email = col_text(a, st, 7);
	r->lang = col_text(a, st, 8);
	r->created_at = col_i64(st, 9);
	r->active = col_i64(st, 10) != 0;
	r->role = col_text(a, st, 11);
}

int
store_contact_update(struct store *s, const struct contact_row *r,
		     struct sp_err *err)
{
	static const char sql[] = "UPDATE contacts SET organization_id = ?, "
		"name = ?, surname = ?, phone = ?, address = ?, email = ?, "
		"lang = ?, active = ?, role = ? WHERE provider_id = ? AND id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "Ittttttbtii", r->organization_id, r->name, r->surname,
	      r->phone, r->address, r->email, r->lang, (int)r->active,
	      r->role ? r->role : "admin", r->provider_id, r->id);
	return run_write(s, st, NULL, "contact", err);
}

int
store_contact_add(struct store *s, int64_t *out_id,
		  const struct contact_row *r, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO contacts (provider_id, "
		"organization_id, name, surname, phone, address, email, lang, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iItttttti", r->provider_id, r->organization_id,
	      r->name, r->surname, r->phone, r->address, r->email,
	      r->lang ? r->lang : "es", r->created_at);
	return run_write(s, st, out_id, "contact", err);
}

int
store_contact_get(struct store *s, struct arena *a, struct contact_row *out,
		  int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " CONTACT_COLS " FROM contacts "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_contact, out, provider_id, id,
			 "contact", err);
}

int
store_contact_find(struct store *s, struct arena *a, struct contact_row *out,
		   int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " CONTACT_COLS " FROM contacts "
		"WHERE provider_id = ? AND id = ?";
	static const char by_email[] = "SELECT " CONTACT_COLS " FROM "
		"contacts WHERE provider_id = ? AND email = ?";

	return find_by_key(s, a, by_id, by_email, fill_contact, out,
			   provider_id, key, "contact", err);
}

int
store_contact_list(struct store *s, struct arena *a, struct contact_row **out,
		   size_t *n, int64_t provider_id, int64_t organization_id,
		   struct sp_err *err)
{
	static const char sql[] = "SELECT " CONTACT_COLS " FROM contacts "
		"WHERE provider_id = ? AND (?2 IS NULL OR organization_id = ?2)"
		" ORDER BY surname, name";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iI", provider_id, organization_id);
	return run_many(s, st, a, fill_contact, sizeof **out, (void **)out, n,
			"contacts", err);
}

#define AGENT_COLS "id, provider_id, name, email, role, active, created_at, lang"

static void
fill_agent(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct agent_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->name = col_text(a, st, 2);
	r->email = col_text(a, st, 3);
	r->role = col_text(a, st, 4);
	r->active = col_i64(st, 5) != 0;
	r->created_at = col_i64(st, 6);
	r->lang = col_text(a, st, 7);
}

int
store_agent_update(struct store *s, const struct agent_row *r,
		   struct sp_err *err)
{
	static const char sql[] = "UPDATE agents SET name = ?, email = ?, "
		"role = ?, active = ?, lang = ? WHERE provider_id = ? AND id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tttbtii", r->name, r->email, r->role, (int)r->active,
	      r->lang ? r->lang : "es", r->provider_id, r->id);
	return run_write(s, st, NULL, "agent", err);
}

int
store_agent_add(struct store *s, int64_t *out_id, const struct agent_row *r,
		struct sp_err *err)
{
	static const char sql[] = "INSERT INTO agents (provider_id, name, "
		"email, role, active, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, "
		"?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itttbit", r->provider_id, r->name, r->email, r->role,
	      (int)r->active, r->created_at, r->lang ? r->lang : "es");
	return run_write(s, st, out_id, "agent", err);
}

int
store_agent_get(struct store *s, struct arena *a, struct agent_row *out,
		int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " AGENT_COLS " FROM agents "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_agent, out, provider_id, id, "agent",
			 err);
}

int
store_agent_find(struct store *s, struct arena *a, struct agent_row *out,
		 int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " AGENT_COLS " FROM agents "
		"WHERE provider_id = ? AND id = ?";
	static const char by_email[] = "SELECT " AGENT_COLS " FROM agents "
		"WHERE provider_id = ? AND email = ?";

	return find_by_key(s, a, by_id, by_email, fill_agent, out,
			   provider_id, key, "agent", err);
}

int
store_agent_list(struct store *s, struct arena *a, struct agent_row **out,
		 size_t *n, int64_t provider_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " AGENT_COLS " FROM agents "
		"WHERE provider_id = ? ORDER BY name";

	return list_by_provider(s, a, sql, fill_agent, sizeof **out,
				(void **)out, n, provider_id, "agents", err);
}

#define PRODUCT_COLS "id, provider_id, code, name, end_of_life, created_at"

static void
fill_product(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct product_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->code = col_text(a, st, 2);
	r->name = col_text(a, st, 3);
	r->end_of_life = col_text(a, st, 4);
	r->created_at = col_i64(st, 5);
}

int
store_product_add(struct store *s, int64_t *out_id,
		  const struct product_row *r, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO products (provider_id, code, "
		"name, end_of_life, created_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ittti", r->provider_id, r->code, r->name, r->end_of_life,
	      r->created_at);
	return run_write(s, st, out_id, "product", err);
}

int
store_product_get(struct store *s, struct arena *a, struct product_row *out,
		  int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " PRODUCT_COLS " FROM products "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_product, out, provider_id, id,
			 "product", err);
}

int
store_product_find(struct store *s, struct arena *a, struct product_row *out,
		   int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " PRODUCT_COLS " FROM products "
		"WHERE provider_id = ? AND id = ?";
	static const char by_code[] = "SELECT " PRODUCT_COLS " FROM products "
		"WHERE provider_id = ? AND code = ?";

	return find_by_key(s, a, by_id, by_code, fill_product, out,
			   provider_id, key, "product", err);
}

int
store_product_list(struct store *s, struct arena *a, struct product_row **out,
		   size_t *n, int64_t provider_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " PRODUCT_COLS " FROM products "
		"WHERE provider_id = ? ORDER BY code";

	return list_by_provider(s, a, sql, fill_product, sizeof **out,
				(void **)out, n, provider_id, "products", err);
}

/* ---- folios -------------------------------------------------------- */

int
store_folio_next(struct store *s, int64_t *out_seq, int64_t provider_id,
		 const char *period, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO folio_counters (provider_id, "
		"period, last) VALUES (?, ?, 1) ON CONFLICT (provider_id, "
		"period) DO UPDATE SET last = last + 1 RETURNING last";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "it", provider_id, period);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "folio", err);
		done(s, st);
		return rc;
	}
	*out_seq = col_i64(st, 0);
	/* Step to completion so the statement's write is finished. */
	sqlite3_step(st);
	done(s, st);
	return 0;
}

/* ---- tickets ------------------------------------------------------- */

#define TICKET_COLS "id, provider_id, folio, organization_id, contact_id, " \
	"product_id, channel, category, priority, state, subject, "          \
	"assignee_id, contract_id, merged_into, parent_id, fields, "          \
	"created_at, updated_at, resolved_at, closed_at, version"

static void
fill_ticket(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct ticket_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->folio = col_text(a, st, 2);
	r->organization_id = col_i64(st, 3);
	r->contact_id = col_i64(st, 4);
	r->product_id = col_i64(st, 5);
	r->channel = col_text(a, st, 6);
	r->category = col_text(a, st, 7);
	r->priority = col_text(a, st, 8);
	r->state = col_text(a, st, 9);
	r->subject = col_text(a, st, 10);
	r->assignee_id = col_i64(st, 11);
	r->contract_id = col_i64(st, 12);
	r->merged_into = col_i64(st, 13);
	r->parent_id = col_i64(st, 14);
	r->fields = col_text(a, st, 15);
	r->created_at = col_i64(st, 16);
	r->updated_at = col_i64(st, 17);
	r->resolved_at = col_i64(st, 18);
	r->closed_at = col_i64(st, 19);
	r->version = col_i64(st, 20);
}

int
store_ticket_add(struct store *s, int64_t *out_id, const struct ticket_row *t,
		 struct sp_err *err)
{
	static const char sql[] = "INSERT INTO tickets (provider_id, folio, "
		"organization_id, contact_id, product_id, channel, category, "
		"priority, state, subject, assignee_id, contract_id, parent_id, "
		"fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itIIItttttIIItii", t->provider_id, t->folio,
	      t->organization_id, t->contact_id, t->product_id, t->channel,
	      t->category, t->priority, t->state, t->subject, t->assignee_id,
	      t->contract_id, t->parent_id, t->fields ? t->fields : "{}",
	      t->created_at, t->updated_at);
	return run_write(s, st, out_id, "ticket", err);
}

int
store_ticket_get(struct store *s, struct arena *a, struct ticket_row *out,
		 int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " TICKET_COLS " FROM tickets "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_ticket, out, provider_id, id,
			 "ticket", err);
}

int
store_ticket_find(struct store *s, struct arena *a, struct ticket_row *out,
		  int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " TICKET_COLS " FROM tickets "
		"WHERE provider_id = ? AND id = ?";
	static const char by_folio[] = "SELECT " TICKET_COLS " FROM tickets "
		"WHERE provider_id = ? AND folio = ?";

	return find_by_key(s, a, by_id, by_folio, fill_ticket, out,
			   provider_id, key, "ticket", err);
}

int
store_ticket_update(struct store *s, struct ticket_row *t, struct sp_err *err)
{
	static const char sql[] = "UPDATE tickets SET organization_id = ?, "
		"contact_id = ?, product_id = ?, channel = ?, category = ?, "
		"priority = ?, state = ?, subject = ?, assignee_id = ?, "
		"contract_id = ?, merged_into = ?, parent_id = ?, fields = ?, "
		"updated_at = ?, resolved_at = ?, closed_at = ?, "
		"version = version + 1 WHERE provider_id = ? AND id = ? AND "
		"version = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "IIIttttt" "IIIIt" "iIIiii", t->organization_id,
	      t->contact_id, t->product_id, t->channel, t->category,
	      t->priority, t->state, t->subject, t->assignee_id,
	      t->contract_id, t->merged_into, t->parent_id,
	      t->fields ? t->fields : "{}", t->updated_at, t->resolved_at,
	      t->closed_at, t->provider_id, t->id, t->version);
	if ((rc = run_write(s, st, NULL, "ticket", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sp_err_set(err, SP_ECONFLICT, "version", "ticket %s "
				  "was changed by someone else since it was "
				  "read (version %lld); reload and retry",
				  t->folio ? t->folio : "?",
				  (long long)t->version);
	t->version++;
	return 0;
}

int
store_ticket_list(struct store *s, struct arena *a, struct ticket_row **out,
		  size_t *n, int64_t provider_id, const struct ticket_filter *f,
		  struct sp_err *err)
{
	static const char sql[] = "SELECT " TICKET_COLS " FROM tickets "
		"WHERE provider_id = ?1 AND (?2 IS NULL OR state = ?2) "
		"AND (?3 = 0 OR state NOT IN ('closed', 'merged')) "
		"AND (?4 IS NULL OR organization_id = ?4) "
		"AND (?5 IS NULL OR assignee_id = ?5) "
		"AND id > ?6 AND (?8 = 0 OR created_at >= ?8) "
		"AND (?9 = 0 OR created_at < ?9) "
		"AND (?10 IS NULL OR contact_id = ?10) ORDER BY id LIMIT ?7";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itbIIiiiiI", provider_id, f->state, (int)f->active_only,
	      f->organization_id, f->assignee_id, f->after_id,
	      (int64_t)(f->limit > 0 ? f->limit : 1000), f->created_from,
	      f->created_to, f->contact_id);
	return run_many(s, st, a, fill_ticket, sizeof **out, (void **)out, n,
			"tickets", err);
}

/* ---- messages and attachments ------------------------------------- */

#define MESSAGE_COLS "id, provider_id, ticket_id, kind, author_kind, " \
	"author_id, channel, body, email_message_id, created_at"

static void
fill_message(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct message_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->kind = col_text(a, st, 3);
	r->author_kind = col_text(a, st, 4);
	r->author_id = col_i64(st, 5);
	r->channel = col_text(a, st, 6);
	r->body = col_text(a, st, 7);
	r->email_message_id = col_text(a, st, 8);
	r->created_at = col_i64(st, 9);
}

int
store_message_add(struct store *s, int64_t *out_id,
		  const struct message_row *m, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO messages (provider_id, "
		"ticket_id, kind, author_kind, author_id, channel, body, "
		"email_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iittIttti", m->provider_id, m->ticket_id, m->kind,
	      m->author_kind, m->author_id, m->channel, m->body,
	      m->email_message_id, m->created_at);
	return run_write(s, st, out_id, "message", err);
}

int
store_message_list(struct store *s, struct arena *a, struct message_row **out,
		   size_t *n, int64_t ticket_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " MESSAGE_COLS " FROM messages "
		"WHERE ticket_id = ? ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", ticket_id);
	return run_many(s, st, a, fill_message, sizeof **out, (void **)out, n,
			"messages", err);
}

#define ATTACHMENT_COLS "id, provider_id, ticket_id, message_id, filename, " \
	"mime, sha256, size, created_at"

static void
fill_attachment(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct attachment_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->message_id = col_i64(st, 3);
	r->filename = col_text(a, st, 4);
	r->mime = col_text(a, st, 5);
	r->sha256 = col_text(a, st, 6);
	r->size = col_i64(st, 7);
	r->created_at = col_i64(st, 8);
}

int
store_attachment_add(struct store *s, int64_t *out_id,
		     const struct attachment_row *r, const void *data,
		     struct sp_err *err)
{
	static const char blob_sql[] = "INSERT INTO blobs (sha256, size, data)"
		" VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING";
	static const char sql[] = "INSERT INTO attachments (provider_id, "
		"ticket_id, message_id, filename, mime, sha256, size, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, blob_sql, err);

	if (rc)
		return rc;
	bindf(st, "ti", r->sha256, r->size);
	sqlite3_bind_blob64(st, 3, data, (sqlite3_uint64)r->size,
			    SQLITE_STATIC);
	if ((rc = run_write(s, st, NULL, "attachment", err)))
		return rc;
	if ((rc = prep(s, &st, sql, err)))
		return rc;
	bindf(st, "iiIttti" "i", r->provider_id, r->ticket_id, r->message_id,
	      r->filename, r->mime, r->sha256, r->size, r->created_at);
	return run_write(s, st, out_id, "attachment", err);
}

int
store_attachment_list(struct store *s, struct arena *a,
		      struct attachment_row **out, size_t *n,
		      int64_t ticket_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " ATTACHMENT_COLS " FROM "
		"attachments WHERE ticket_id = ? ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", ticket_id);
	return run_many(s, st, a, fill_attachment, sizeof **out, (void **)out,
			n, "attachments", err);
}

int
store_blob_get(struct store *s, struct arena *a, const void **out,
	       int64_t *size, const char *sha256, struct sp_err *err)
{
	static const char sql[] = "SELECT data, size FROM blobs WHERE "
		"sha256 = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);
	void *copy;

	if (rc)
		return rc;
	bindf(st, "t", sha256);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ?
			sp_err_set(err, SP_ENOTFOUND, "attachment", "no "
				   "stored content %s", sha256) :
			db_error(s, sqlite3_extended_errcode(s->db), "blob",
				 err);
		done(s, st);
		return rc;
	}
	*size = sqlite3_column_bytes(st, 0);
	copy = arena_alloc(a, (size_t)*size + 1);
	if (copy && *size)
		memcpy(copy, sqlite3_column_blob(st, 0), (size_t)*size);
	done(s, st);
	if (copy == NULL)
		return sp_err_set(err, SP_ENOMEM, "attachment", "out of memory");
	*out = copy;
	return 0;
}

/* ---- events -------------------------------------------------------- */

#define EVENT_COLS "id, provider_id, ticket_id, entity, entity_id, at, " \
	"actor_kind, actor_id, action, before, after"

static void
fill_event(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct event_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->entity = col_text(a, st, 3);
	r->entity_id = col_i64(st, 4);
	r->at = col_i64(st, 5);
	r->actor_kind = col_text(a, st, 6);
	r->actor_id = col_i64(st, 7);
	r->action = col_text(a, st, 8);
	r->before = col_text(a, st, 9);
	r->after = col_text(a, st, 10);
}

int
store_event_add(struct store *s, int64_t *out_id, const struct event_row *e,
		struct sp_err *err)
{
	static const char sql[] = "INSERT INTO events (provider_id, "
		"ticket_id, entity, entity_id, at, actor_kind, actor_id, "
		"action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iItiitItt" "t", e->provider_id, e->ticket_id, e->entity,
	      e->entity_id, e->at, e->actor_kind, e->actor_id, e->action,
	      e->before, e->after);
	return run_write(s, st, out_id, "event", err);
}

int
store_event_list(struct store *s, struct arena *a, struct event_row **out,
		 size_t *n, int64_t provider_id, int64_t ticket_id,
		 struct sp_err *err)
{
	static const char by_ticket[] = "SELECT " EVENT_COLS " FROM events "
		"WHERE provider_id = ? AND ticket_id = ? ORDER BY id";
	static const char all[] = "SELECT " EVENT_COLS " FROM events "
		"WHERE provider_id = ? ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, ticket_id ? by_ticket : all, err);

	if (rc)
		return rc;
	if (ticket_id)
		bindf(st, "ii", provider_id, ticket_id);
	else
		bindf(st, "i", provider_id);
	return run_many(s, st, a, fill_event, sizeof **out, (void **)out, n,
			"events", err);
}

/* ---- timers -------------------------------------------------------- */

#define TIMER_COLS "id, provider_id, ticket_id, kind, due_at, payload, state"

static void
fill_timer(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct timer_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->kind = col_text(a, st, 3);
	r->due_at = col_i64(st, 4);
	r->payload = col_text(a, st, 5);
	r->state = col_text(a, st, 6);
}

int
store_timer_add(struct store *s, bool *written, const struct timer_row *t,
		struct sp_err *err)
{
	static const char sql[] = "INSERT INTO timers (provider_id, ticket_id,"
		" kind, due_at, payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
		"(ticket_id, kind, due_at) DO UPDATE SET state = 'pending', "
		"payload = excluded.payload WHERE state = 'cancelled'";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iItit", t->provider_id, t->ticket_id, t->kind, t->due_at,
	      t->payload);
	if ((rc = run_write(s, st, NULL, "timer", err)))
		return rc;
	if (written)
		*written = sqlite3_changes(s->db) > 0;
	return 0;
}

int
store_timer_due(struct store *s, struct arena *a, struct timer_row **out,
		size_t *n, int64_t provider_id, int64_t now, int limit,
		struct sp_err *err)
{
	static const char sql[] = "SELECT " TIMER_COLS " FROM timers WHERE "
		"state = 'pending' AND due_at <= ? AND provider_id = ? "
		"ORDER BY due_at, id LIMIT ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iii", now, provider_id, (int64_t)(limit > 0 ? limit : 1000));
	return run_many(s, st, a, fill_timer, sizeof **out, (void **)out, n,
			"timers", err);
}

int
store_timer_finish(struct store *s, bool *claimed, int64_t id,
		   const char *state, int64_t now, struct sp_err *err)
{
	static const char sql[] = "UPDATE timers SET state = ?, "
		"finished_at = ? WHERE id = ? AND state = 'pending'";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tii", state, now, id);
	if ((rc = run_write(s, st, NULL, "timer", err)))
		return rc;
	*claimed = sqlite3_changes(s->db) == 1;
	return 0;
}

int
store_timer_cancel(struct store *s, int64_t ticket_id, const char *kind,
		   struct sp_err *err)
{
	/* "+state": without statistics SQLite would take timers_due
	 * (state, due_at) and walk every pending timer of every ticket, a
	 * cost that grows with the database; the ticket's own few rows are
	 * under UNIQUE (ticket_id, kind, due_at). */
	static const char sql[] = "UPDATE timers SET state = 'cancelled' "
		"WHERE ticket_id = ? AND +state = 'pending' AND "
		"(?2 IS NULL OR kind = ?2)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "it", ticket_id, kind);
	return run_write(s, st, NULL, "timer", err);
}

int
store_timer_list(struct store *s, struct arena *a, struct timer_row **out,
		 size_t *n, int64_t ticket_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " TIMER_COLS " FROM timers WHERE "
		"ticket_id = ? ORDER BY due_at, id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", ticket_id);
	return run_many(s, st, a, fill_timer, sizeof **out, (void **)out, n,
			"timers", err);
}

/* ---- contracts, attendances, ledger ------------------------------- */

#define CONTRACT_COLS "id, provider_id, organization_id, number, plan, "   \
	"kind, bank_minutes, starts_at, ends_at, price_centavos, state, "   \
	"overage_minutes, products, office_minutes, onsite_minutes, "       \
	"paid_at, payment_ref, created_at, version, balance_minutes, "       \
	"consumed_minutes"

static void
fill_contract(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct contract_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->organization_id = col_i64(st, 2);
	r->number = col_text(a, st, 3);
	r->plan = col_text(a, st, 4);
	r->kind = col_text(a, st, 5);
	r->bank_minutes = col_i64(st, 6);
	r->starts_at = col_i64(st, 7);
	r->ends_at = col_i64(st, 8);
	r->price_centavos = sqlite3_column_type(st, 9) == SQLITE_NULL ?
			    -1 : col_i64(st, 9);
	r->state = col_text(a, st, 10);
	r->overage_minutes = col_i64(st, 11);
	r->products = col_text(a, st, 12);
	r->office_minutes = col_i64(st, 13);
	r->onsite_minutes = col_i64(st, 14);
	r->paid_at = col_i64(st, 15);
	r->payment_ref = col_text(a, st, 16);
	r->created_at = col_i64(st, 17);
	r->version = col_i64(st, 18);
	r->balance_minutes = col_i64(st, 19);
	r->consumed_minutes = col_i64(st, 20);
}

int
store_contract_add(struct store *s, int64_t *out_id,
		   const struct contract_row *c, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO contracts (provider_id, "
		"organization_id, number, plan, kind, bank_minutes, starts_at, "
		"ends_at, price_centavos, state, overage_minutes, products, "
		"office_minutes, onsite_minutes, created_at) VALUES (?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iitttIiiItitiii", c->provider_id, c->organization_id,
	      c->number, c->plan, c->kind, c->bank_minutes, c->starts_at,
	      c->ends_at, c->price_centavos < 0 ? 0 : c->price_centavos,
	      c->state, c->overage_minutes, c->products, c->office_minutes,
	      c->onsite_minutes, c->created_at);
	if (c->price_centavos < 0)
		sqlite3_bind_null(st, 9);
	return run_write(s, st, out_id, "contract", err);
}

int
store_contract_get(struct store *s, struct arena *a, struct contract_row *out,
		   int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " CONTRACT_COLS " FROM contracts "
		"WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_contract, out, provider_id, id,
			 "contract", err);
}

int
store_contract_find(struct store *s, struct arena *a, struct contract_row *out,
		    int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " CONTRACT_COLS " FROM contracts "
		"WHERE provider_id = ? AND id = ?";
	static const char by_number[] = "SELECT " CONTRACT_COLS " FROM "
		"contracts WHERE provider_id = ? AND number = ?";

	return find_by_key(s, a, by_id, by_number, fill_contract, out,
			   provider_id, key, "contract", err);
}

int
store_contract_list(struct store *s, struct arena *a,
		    struct contract_row **out, size_t *n, int64_t provider_id,
		    int64_t organization_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " CONTRACT_COLS " FROM contracts "
		"WHERE provider_id = ? AND (?2 IS NULL OR organization_id = ?2)"
		" ORDER BY ends_at, id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iI", provider_id, organization_id);
	return run_many(s, st, a, fill_contract, sizeof **out, (void **)out, n,
			"contracts", err);
}

int
store_contract_update(struct store *s, struct contract_row *c,
		      struct sp_err *err)
{
	static const char sql[] = "UPDATE contracts SET state = ?, "
		"overage_minutes = ?, paid_at = ?, payment_ref = ?, "
		"version = version + 1 WHERE provider_id = ? AND id = ? AND "
		"version = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tiItiii", c->state, c->overage_minutes, c->paid_at,
	      c->payment_ref, c->provider_id, c->id, c->version);
	if ((rc = run_write(s, st, NULL, "contract", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sp_err_set(err, SP_ECONFLICT, "version", "contract %s "
				  "was changed by someone else; reload and "
				  "retry", c->number ? c->number : "?");
	c->version++;
	return 0;
}

int
store_contract_next_number(struct store *s, int64_t *out_seq,
			   int64_t provider_id, int year, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO contract_counters (provider_id,"
		" year, last) VALUES (?, ?, 1) ON CONFLICT (provider_id, year) "
		"DO UPDATE SET last = last + 1 RETURNING last";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ii", provider_id, (int64_t)year);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "contract",
			      err);
		done(s, st);
		return rc;
	}
	*out_seq = col_i64(st, 0);
	sqlite3_step(st);
	done(s, st);
	return 0;
}

#define ATTENDANCE_COLS "id, provider_id, ticket_id, organization_id, "    \
	"agent_id, start_at, minutes, modality, warranty, quick_question, "  \
	"debit_minutes, steps, created_at"

static void
fill_attendance(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct attendance_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->organization_id = col_i64(st, 3);
	r->agent_id = col_i64(st, 4);
	r->start_at = col_i64(st, 5);
	r->minutes = col_i64(st, 6);
	r->modality = col_text(a, st, 7);
	r->warranty = col_i64(st, 8) != 0;
	r->quick_question = col_i64(st, 9) != 0;
	r->debit_minutes = col_i64(st, 10);
	r->steps = col_text(a, st, 11);
	r->created_at = col_i64(st, 12);
}

int
store_attendance_add(struct store *s, int64_t *out_id,
		     const struct attendance_row *r, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO attendances (provider_id, "
		"ticket_id, organization_id, agent_id, start_at, minutes, "
		"modality, warranty, quick_question, debit_minutes, steps, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iiIIiitbbiti", r->provider_id, r->ticket_id,
	      r->organization_id, r->agent_id, r->start_at, r->minutes,
	      r->modality, (int)r->warranty, (int)r->quick_question,
	      r->debit_minutes, r->steps, r->created_at);
	return run_write(s, st, out_id, "attendance", err);
}

int
store_attendance_list(struct store *s, struct arena *a,
		      struct attendance_row **out, size_t *n,
		      int64_t ticket_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " ATTENDANCE_COLS " FROM "
		"attendances WHERE ticket_id = ? ORDER BY start_at, id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", ticket_id);
	return run_many(s, st, a, fill_attendance, sizeof **out, (void **)out,
			n, "attendances", err);
}

int
store_attendance_get(struct store *s, struct arena *a,
		     struct attendance_row *out, int64_t provider_id, int64_t id,
		     struct sp_err *err)
{
	static const char sql[] = "SELECT " ATTENDANCE_COLS " FROM "
		"attendances WHERE provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_attendance, out, provider_id, id,
			 "attendance", err);
}

int
store_quick_questions(struct store *s, int *out, int64_t organization_id,
		      int64_t from, int64_t to, struct sp_err *err)
{
	static const char sql[] = "SELECT count(*) FROM attendances WHERE "
		"organization_id = ? AND quick_question = 1 AND start_at >= ? "
		"AND start_at < ?";
	sqlite3_stmt *st;
	int64_t v = 0;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iii", organization_id, from, to);
	if ((rc = run_scalar(s, st, &v, "attendances", err)))
		return rc;
	*out = (int)v;
	return 0;
}

#define LEDGER_COLS "id, provider_id, contract_id, kind, minutes, at, " \
	"attendance_id, actor_kind, actor_id, reason"

static void
fill_ledger(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct ledger_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->contract_id = col_i64(st, 2);
	r->kind = col_text(a, st, 3);
	r->minutes = col_i64(st, 4);
	r->at = col_i64(st, 5);
	r->attendance_id = col_i64(st, 6);
	r->actor_kind = col_text(a, st, 7);
	r->actor_id = col_i64(st, 8);
	r->reason = col_text(a, st, 9);
}

int
store_ledger_add(struct store *s, int64_t *out_id, const struct ledger_row *r,
		 struct sp_err *err)
{
	static const char sql[] = "INSERT INTO ledger (provider_id, "
		"contract_id, kind, minutes, at, attendance_id, actor_kind, "
		"actor_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iitiiItIt", r->provider_id, r->contract_id, r->kind,
	      r->minutes, r->at, r->attendance_id, r->actor_kind, r->actor_id,
	      r->reason);
	return run_write(s, st, out_id, "ledger entry", err);
}

int
store_ledger_list(struct store *s, struct arena *a, struct ledger_row **out,
		  size_t *n, int64_t contract_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " LEDGER_COLS " FROM ledger WHERE "
		"contract_id = ? ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", contract_id);
	return run_many(s, st, a, fill_ledger, sizeof **out, (void **)out, n,
			"ledger", err);
}

int
store_ledger_balance(struct store *s, int64_t *out, int64_t contract_id,
		     struct sp_err *err)
{
	static const char sql[] = "SELECT balance_minutes FROM contracts "
		"WHERE id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", contract_id);
	return run_scalar(s, st, out, "ledger", err);
}

int
store_ledger_consumed(struct store *s, int64_t *out, int64_t contract_id,
		      struct sp_err *err)
{
	static const char sql[] = "SELECT consumed_minutes FROM contracts "
		"WHERE id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", contract_id);
	return run_scalar(s, st, out, "ledger", err);
}

/* ---- quotes and invoices ------------------------------------------ */

#define QUOTE_COLS "id, provider_id, number, organization_id, ticket_id, "  \
	"kind, minutes, subtotal_centavos, iva_centavos, description, "       \
	"state, valid_until, decided_at, decided_by_kind, decided_by_id, "    \
	"decided_channel, payment_ref, contract_id, created_at, version"

static void
fill_quote(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct quote_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->number = col_text(a, st, 2);
	r->organization_id = col_i64(st, 3);
	r->ticket_id = col_i64(st, 4);
	r->kind = col_text(a, st, 5);
	r->minutes = col_i64(st, 6);
	r->subtotal_centavos = col_i64(st, 7);
	r->iva_centavos = col_i64(st, 8);
	r->description = col_text(a, st, 9);
	r->state = col_text(a, st, 10);
	r->valid_until = col_i64(st, 11);
	r->decided_at = col_i64(st, 12);
	r->decided_by_kind = col_text(a, st, 13);
	r->decided_by_id = col_i64(st, 14);
	r->decided_channel = col_text(a, st, 15);
	r->payment_ref = col_text(a, st, 16);
	r->contract_id = col_i64(st, 17);
	r->created_at = col_i64(st, 18);
	r->version = col_i64(st, 19);
}

int
store_quote_add(struct store *s, int64_t *out_id, const struct quote_row *q,
		struct sp_err *err)
{
	static const char sql[] = "INSERT INTO quotes (provider_id, number, "
		"organization_id, ticket_id, kind, minutes, subtotal_centavos, "
		"iva_centavos, description, state, valid_until, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itiItiiittii", q->provider_id, q->number,
	      q->organization_id, q->ticket_id, q->kind, q->minutes,
	      q->subtotal_centavos, q->iva_centavos, q->description, q->state,
	      q->valid_until, q->created_at);
	return run_write(s, st, out_id, "quote", err);
}

int
store_quote_find(struct store *s, struct arena *a, struct quote_row *out,
		 int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " QUOTE_COLS " FROM quotes WHERE "
		"provider_id = ? AND id = ?";
	static const char by_number[] = "SELECT " QUOTE_COLS " FROM quotes "
		"WHERE provider_id = ? AND number = ?";

	return find_by_key(s, a, by_id, by_number, fill_quote, out,
			   provider_id, key, "quote", err);
}

int
store_quote_list(struct store *s, struct arena *a, struct quote_row **out,
		 size_t *n, int64_t provider_id, int64_t ticket_id,
		 int64_t organization_id, struct sp_err *err)
{
	static const char sql[] = "SELECT " QUOTE_COLS " FROM quotes WHERE "
		"provider_id = ?1 AND (?2 IS NULL OR ticket_id = ?2) AND "
		"(?3 IS NULL OR organization_id = ?3) ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iII", provider_id, ticket_id, organization_id);
	return run_many(s, st, a, fill_quote, sizeof **out, (void **)out, n,
			"quotes", err);
}

int
store_quote_update(struct store *s, struct quote_row *q, struct sp_err *err)
{
	static const char sql[] = "UPDATE quotes SET state = ?, decided_at = ?,"
		" decided_by_kind = ?, decided_by_id = ?, decided_channel = ?, "
		"payment_ref = ?, contract_id = ?, version = version + 1 WHERE "
		"provider_id = ? AND id = ? AND version = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tItIttIiii", q->state, q->decided_at, q->decided_by_kind,
	      q->decided_by_id, q->decided_channel, q->payment_ref,
	      q->contract_id, q->provider_id, q->id, q->version);
	if ((rc = run_write(s, st, NULL, "quote", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sp_err_set(err, SP_ECONFLICT, "version", "quote %s was "
				  "changed by someone else; reload and retry",
				  q->number ? q->number : "?");
	q->version++;
	return 0;
}

#define INVOICE_COLS "id, provider_id, number, organization_id, "        \
	"contract_id, concept, subtotal_centavos, iva_centavos, state, "    \
	"issued_at, paid_at, payment_ref, cfdi_uuid, created_at, version"

static void
fill_invoice(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct invoice_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->number = col_text(a, st, 2);
	r->organization_id = col_i64(st, 3);
	r->contract_id = col_i64(st, 4);
	r->concept = col_text(a, st, 5);
	r->subtotal_centavos = col_i64(st, 6);
	r->iva_centavos = col_i64(st, 7);
	r->state = col_text(a, st, 8);
	r->issued_at = col_i64(st, 9);
	r->paid_at = col_i64(st, 10);
	r->payment_ref = col_text(a, st, 11);
	r->cfdi_uuid = col_text(a, st, 12);
	r->created_at = col_i64(st, 13);
	r->version = col_i64(st, 14);
}

int
store_invoice_add(struct store *s, int64_t *out_id, const struct invoice_row *r,
		  struct sp_err *err)
{
	static const char sql[] = "INSERT INTO invoices (provider_id, number, "
		"organization_id, contract_id, concept, subtotal_centavos, "
		"iva_centavos, state, issued_at, cfdi_uuid, created_at) VALUES "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itiItiititi", r->provider_id, r->number,
	      r->organization_id, r->contract_id, r->concept,
	      r->subtotal_centavos, r->iva_centavos, r->state, r->issued_at,
	      r->cfdi_uuid, r->created_at);
	return run_write(s, st, out_id, "invoice", err);
}

int
store_invoice_find(struct store *s, struct arena *a, struct invoice_row *out,
		   int64_t provider_id, const char *key, struct sp_err *err)
{
	static const char by_id[] = "SELECT " INVOICE_COLS " FROM invoices "
		"WHERE provider_id = ? AND id = ?";
	static const char by_number[] = "SELECT " INVOICE_COLS " FROM "
		"invoices WHERE provider_id = ? AND number = ?";

	return find_by_key(s, a, by_id, by_number, fill_invoice, out,
			   provider_id, key, "invoice", err);
}

int
store_invoice_list(struct store *s, struct arena *a, struct invoice_row **out,
		   size_t *n, int64_t provider_id, int64_t organization_id,
		   struct sp_err *err)
{
	static const char sql[] = "SELECT " INVOICE_COLS " FROM invoices "
		"WHERE provider_id = ? AND (?2 IS NULL OR organization_id = ?2)"
		" ORDER BY issued_at, id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iI", provider_id, organization_id);
	return run_many(s, st, a, fill_invoice, sizeof **out, (void **)out, n,
			"invoices", err);
}

int
store_invoice_update(struct store *s, struct invoice_row *r,
		     struct sp_err *err)
{
	static const char sql[] = "UPDATE invoices SET state = ?, paid_at = ?, "
		"payment_ref = ?, cfdi_uuid = ?, version = version + 1 WHERE "
		"provider_id = ? AND id = ? AND version = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tIttiii", r->state, r->paid_at, r->payment_ref,
	      r->cfdi_uuid, r->provider_id, r->id, r->version);
	if ((rc = run_write(s, st, NULL, "invoice", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sp_err_set(err, SP_ECONFLICT, "version", "invoice %s "
				  "was changed by someone else; reload and "
				  "retry", r->number ? r->number : "?");
	r->version++;
	return 0;
}

int
store_document_next(struct store *s, int64_t *out_seq, int64_t provider_id,
		    const char *kind, int year, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO document_counters (provider_id,"
		" kind, year, last) VALUES (?, ?, ?, 1) ON CONFLICT "
		"(provider_id, kind, year) DO UPDATE SET last = last + 1 "
		"RETURNING last";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iti", provider_id, kind, (int64_t)year);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), kind, err);
		done(s, st);
		return rc;
	}
	*out_seq = col_i64(st, 0);
	sqlite3_step(st);
	done(s, st);
	return 0;
}

/* ---- email --------------------------------------------------------- */

#define RAW_COLS "id, provider_id, sha256, size, source, received_at, "  \
	"state, message_id, ticket_id, reason, processed_at"

static void
fill_raw(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct raw_mail_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->sha256 = col_text(a, st, 2);
	r->size = col_i64(st, 3);
	r->source = col_text(a, st, 4);
	r->received_at = col_i64(st, 5);
	r->state = col_text(a, st, 6);
	r->message_id = col_text(a, st, 7);
	r->ticket_id = col_i64(st, 8);
	r->reason = col_text(a, st, 9);
	r->processed_at = col_i64(st, 10);
	r->data = NULL;
}

int
store_raw_mail_add(struct store *s, int64_t *out_id, bool *duplicate,
		   const struct raw_mail_row *r, struct sp_err *err)
{
	static const char find[] = "SELECT id FROM raw_mail WHERE "
		"provider_id = ? AND sha256 = ?";
	static const char sql[] = "INSERT INTO raw_mail (provider_id, sha256, "
		"size, data, source, received_at, state) VALUES (?, ?, ?, ?, "
		"?, ?, 'received')";
	sqlite3_stmt *st;
	int rc = prep(s, &st, find, err);

	if (rc)
		return rc;
	bindf(st, "it", r->provider_id, r->sha256);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out_id = col_i64(st, 0);
		*duplicate = true;
		done(s, st);
		return 0;
	}
	done(s, st);
	*duplicate = false;
	if ((rc = prep(s, &st, sql, err)))
		return rc;
	bindf(st, "iti", r->provider_id, r->sha256, r->size);
	sqlite3_bind_blob64(st, 4, r->data, (sqlite3_uint64)r->size,
			    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->received_at);
	return run_write(s, st, out_id, "raw message", err);
}

int
store_raw_mail_get(struct store *s, struct arena *a, struct raw_mail_row *out,
		   int64_t provider_id, int64_t id, bool with_data,
		   struct sp_err *err)
{
	static const char sql[] = "SELECT " RAW_COLS ", data FROM raw_mail "
		"WHERE provider_id = ? AND id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ii", provider_id, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ?
			sp_err_set(err, SP_ENOTFOUND, "mail", "no raw message "
				   "%lld", (long long)id) :
			db_error(s, sqlite3_extended_errcode(s->db), "mail", err);
		done(s, st);
		return rc;
	}
	fill_raw(a, st, out);
	if (with_data) {
		int size = sqlite3_column_bytes(st, 11);
		char *d = arena_alloc(a, (size_t)size + 1);

		if (d == NULL) {
			done(s, st);
			return sp_err_set(err, SP_ENOMEM, "mail", "out of memory");
		}
		if (size)
			memcpy(d, sqlite3_column_blob(st, 11), (size_t)size);
		d[size] = '\0';
		out->data = d;
	}
	done(s, st);
	return 0;
}

int
store_raw_mail_update(struct store *s, const struct raw_mail_row *r,
		      struct sp_err *err)
{
	static const char sql[] = "UPDATE raw_mail SET state = ?, "
		"message_id = ?, ticket_id = ?, reason = ?, processed_at = ? "
		"WHERE provider_id = ? AND id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ttItiii", r->state, r->message_id, r->ticket_id, r->reason,
	      r->processed_at, r->provider_id, r->id);
	return run_write(s, st, NULL, "raw message", err);
}

int
store_raw_mail_list(struct store *s, struct arena *a,
		    struct raw_mail_row **out, size_t *n, int64_t provider_id,
		    const char *state, int limit, struct sp_err *err)
{
	static const char sql[] = "SELECT " RAW_COLS " FROM raw_mail WHERE "
		"provider_id = ?1 AND (?2 IS NULL OR state = ?2) ORDER BY id "
		"DESC LIMIT ?3";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iti", provider_id, state, (int64_t)(limit > 0 ? limit : 100));
	return run_many(s, st, a, fill_raw, sizeof **out, (void **)out, n,
			"raw messages", err);
}

int
store_raw_mail_seen(struct store *s, int64_t *out_id, int64_t provider_id,
		    const char *message_id, struct sp_err *err)
{
	static const char sql[] = "SELECT coalesce(min(id), 0) FROM raw_mail "
		"WHERE provider_id = ? AND message_id = ? AND state IN "
		"('processed', 'ignored', 'refused')";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "it", provider_id, message_id);
	return run_scalar(s, st, out_id, "raw message", err);
}

#define OUTBOX_COLS "id, provider_id, ticket_id, kind, to_addr, to_name, " \
	"subject, body, message_id, in_reply_to, refs, state, attempts, "    \
	"next_at, last_error, created_at, sent_at"

static void
fill_outbox(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct outbox_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->ticket_id = col_i64(st, 2);
	r->kind = col_text(a, st, 3);
	r->to_addr = col_text(a, st, 4);
	r->to_name = col_text(a, st, 5);
	r->subject = col_text(a, st, 6);
	r->body = col_text(a, st, 7);
	r->message_id = col_text(a, st, 8);
	r->in_reply_to = col_text(a, st, 9);
	r->refs = col_text(a, st, 10);
	r->state = col_text(a, st, 11);
	r->attempts = col_i64(st, 12);
	r->next_at = col_i64(st, 13);
	r->last_error = col_text(a, st, 14);
	r->created_at = col_i64(st, 15);
	r->sent_at = col_i64(st, 16);
}

int
store_outbox_add(struct store *s, int64_t *out_id, const struct outbox_row *r,
		 struct sp_err *err)
{
	static const char sql[] = "INSERT INTO outbox (provider_id, ticket_id,"
		" kind, to_addr, to_name, subject, body, message_id, "
		"in_reply_to, refs, next_at, created_at) VALUES (?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iIttttttttii", r->provider_id, r->ticket_id, r->kind,
	      r->to_addr, r->to_name, r->subject, r->body, r->message_id,
	      r->in_reply_to, r->refs, r->next_at, r->created_at);
	return run_write(s, st, out_id, "outbox message", err);
}

int
store_outbox_due(struct store *s, struct arena *a, struct outbox_row **out,
		 size_t *n, int64_t provider_id, int64_t now, int limit,
		 struct sp_err *err)
{
	static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE "
		"state = 'pending' AND provider_id = ? AND next_at <= ? "
		"ORDER BY next_at, id LIMIT ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iii", provider_id, now, (int64_t)(limit > 0 ? limit : 100));
	return run_many(s, st, a, fill_outbox, sizeof **out, (void **)out, n,
			"outbox", err);
}

int
store_outbox_update(struct store *s, const struct outbox_row *r,
		    struct sp_err *err)
{
	static const char sql[] = "UPDATE outbox SET state = ?, attempts = ?, "
		"next_at = ?, last_error = ?, sent_at = ? WHERE provider_id = ? "
		"AND id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "tiitIii", r->state, r->attempts, r->next_at, r->last_error,
	      r->sent_at, r->provider_id, r->id);
	return run_write(s, st, NULL, "outbox message", err);
}

int
store_outbox_get(struct store *s, struct arena *a, struct outbox_row *out,
		 int64_t provider_id, int64_t id, struct sp_err *err)
{
	static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE "
		"provider_id = ? AND id = ?";

	return get_by_id(s, a, sql, fill_outbox, out, provider_id, id,
			 "outbox message", err);
}

int
store_outbox_list(struct store *s, struct arena *a, struct outbox_row **out,
		  size_t *n, int64_t provider_id, int64_t ticket_id,
		  struct sp_err *err)
{
	static const char sql[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE "
		"provider_id = ?1 AND (?2 IS NULL OR ticket_id = ?2) ORDER BY id";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iI", provider_id, ticket_id);
	return run_many(s, st, a, fill_outbox, sizeof **out, (void **)out, n,
			"outbox", err);
}

int
store_outbox_ticket(struct store *s, int64_t *out_ticket, int64_t provider_id,
		    const char *message_id, struct sp_err *err)
{
	static const char sql[] = "SELECT coalesce(max(ticket_id), 0) FROM "
		"outbox WHERE provider_id = ? AND message_id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "it", provider_id, message_id);
	return run_scalar(s, st, out_ticket, "outbox", err);
}

int
store_outbox_count_to(struct store *s, int *out, int64_t provider_id,
		      const char *to_addr, const char *kind, int64_t since,
		      struct sp_err *err)
{
	static const char sql[] = "SELECT count(*) FROM outbox WHERE "
		"provider_id = ? AND to_addr = ? AND kind = ? AND created_at >= ?";
	sqlite3_stmt *st;
	int64_t v = 0;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itti", provider_id, to_addr, kind, since);
	if ((rc = run_scalar(s, st, &v, "outbox", err)))
		return rc;
	*out = (int)v;
	return 0;
}

int
store_message_ticket(struct store *s, int64_t *out_ticket, int64_t provider_id,
		     const char *message_id, struct sp_err *err)
{
	static const char sql[] = "SELECT coalesce(max(ticket_id), 0) FROM "
		"messages WHERE provider_id = ? AND email_message_id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "it", provider_id, message_id);
	return run_scalar(s, st, out_ticket, "messages", err);
}

int
store_ticket_thread(struct store *s, struct arena *a, const char **last_in,
		    const char **first_out, int64_t ticket_id,
		    struct sp_err *err)
{
	static const char in_sql[] = "SELECT email_message_id FROM messages "
		"WHERE ticket_id = ? AND email_message_id IS NOT NULL ORDER BY "
		"id DESC LIMIT 1";
	static const char out_sql[] = "SELECT message_id FROM outbox WHERE "
		"ticket_id = ? ORDER BY id LIMIT 1";
	const char *sqls[2] = { in_sql, out_sql };
	const char **outs[2] = { last_in, first_out };

	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int rc = prep(s, &st, sqls[i], err);

		if (rc)
			return rc;
		bindf(st, "i", ticket_id);
		rc = sqlite3_step(st);
		*outs[i] = rc == SQLITE_ROW ? col_text(a, st, 0) : NULL;
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = db_error(s, sqlite3_extended_errcode(s->db),
				      "thread", err);
			done(s, st);
			return rc;
		}
		done(s, st);
	}
	return 0;
}

/* ---- API tokens ---------------------------------------------------- */

#define TOKEN_COLS "id, provider_id, actor_kind, actor_id, name, sha256, " \
	"created_at, last_used_at, revoked_at"

static void
fill_token(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct token_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->actor_kind = col_text(a, st, 2);
	r->actor_id = col_i64(st, 3);
	r->name = col_text(a, st, 4);
	r->sha256 = col_text(a, st, 5);
	r->created_at = col_i64(st, 6);
	r->last_used_at = col_i64(st, 7);
	r->revoked_at = col_i64(st, 8);
}

int
store_token_add(struct store *s, int64_t *out_id, const struct token_row *t,
		struct sp_err *err)
{
	static const char sql[] = "INSERT INTO api_tokens (provider_id, "
		"actor_kind, actor_id, name, sha256, created_at) VALUES (?, ?, "
		"?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ititti", t->provider_id, t->actor_kind, t->actor_id,
	      t->name, t->sha256, t->created_at);
	return run_write(s, st, out_id, "token", err);
}

int
store_token_find(struct store *s, struct arena *a, struct token_row *out,
		 const char *sha256, struct sp_err *err)
{
	static const char sql[] = "SELECT " TOKEN_COLS " FROM api_tokens "
		"WHERE sha256 = ? AND revoked_at IS NULL";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "t", sha256);
	return run_one(s, st, a, fill_token, out, "token", "(given)", err);
}

int
store_stats(struct store *s, struct store_stats *out, int64_t provider_id,
	    struct sp_err *err)
{
	static const char sql[] = "SELECT "
		"(SELECT count(*) FROM timers WHERE provider_id = ?1 AND "
		"  state = 'pending'), "
		"(SELECT count(*) FROM outbox WHERE provider_id = ?1 AND "
		"  state = 'pending'), "
		"(SELECT count(*) FROM outbox WHERE provider_id = ?1 AND "
		"  state = 'failed'), "
		"(SELECT count(*) FROM tickets WHERE provider_id = ?1 AND "
		"  state NOT IN ('closed', 'merged')), "
		"(SELECT count(*) FROM events WHERE provider_id = ?1 AND "
		"  action = 'sla.breached'), "
		"(SELECT count(*) FROM raw_mail WHERE provider_id = ?1 AND "
		"  state = 'quarantined')";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "i", provider_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "stats", err);
		done(s, st);
		return rc;
	}
	out->timers_pending = col_i64(st, 0);
	out->outbox_pending = col_i64(st, 1);
	out->outbox_failed = col_i64(st, 2);
	out->tickets_active = col_i64(st, 3);
	out->sla_breaches = col_i64(st, 4);
	out->raw_quarantined = col_i64(st, 5);
	done(s, st);
	return 0;
}

/* ---- people signing in --------------------------------------------- */

int
store_password_set(struct store *s, const char *kind, int64_t id,
		   const char *hash, struct sp_err *err)
{
	static const char agent_sql[] = "UPDATE agents SET password_hash = ? "
		"WHERE id = ?";
	static const char contact_sql[] = "UPDATE contacts SET "
		"password_hash = ? WHERE id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, strcmp(kind, "agent") == 0 ? agent_sql
							 : contact_sql, err);

	if (rc)
		return rc;
	bindf(st, "ti", hash, id);
	return run_write(s, st, NULL, "password", err);
}

int
store_password_get(struct store *s, struct arena *a, const char **hash,
		   const char *kind, int64_t id, struct sp_err *err)
{
	static const char agent_sql[] = "SELECT password_hash FROM agents "
		"WHERE id = ?";
	static const char contact_sql[] = "SELECT password_hash FROM contacts "
		"WHERE id = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, strcmp(kind, "agent") == 0 ? agent_sql
							 : contact_sql, err);

	if (rc)
		return rc;
	bindf(st, "i", id);
	rc = sqlite3_step(st);
	*hash = rc == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
		db_error(s, sqlite3_extended_errcode(s->db), "password", err);
	done(s, st);
	return rc;
}

static void
fill_session(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct session_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->sha256 = col_text(a, st, 2);
	r->actor_kind = col_text(a, st, 3);
	r->actor_id = col_i64(st, 4);
	r->csrf = col_text(a, st, 5);
	r->created_at = col_i64(st, 6);
	r->expires_at = col_i64(st, 7);
}

int
store_session_add(struct store *s, const struct session_row *r,
		  struct sp_err *err)
{
	static const char sql[] = "INSERT INTO sessions (provider_id, sha256,"
		" actor_kind, actor_id, csrf, created_at, expires_at) VALUES "
		"(?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ittitii", r->provider_id, r->sha256, r->actor_kind,
	      r->actor_id, r->csrf, r->created_at, r->expires_at);
	return run_write(s, st, NULL, "session", err);
}

int
store_session_find(struct store *s, struct arena *a, struct session_row *out,
		   const char *sha256, struct sp_err *err)
{
	static const char sql[] = "SELECT id, provider_id, sha256, actor_kind,"
		" actor_id, csrf, created_at, expires_at FROM sessions WHERE "
		"sha256 = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "t", sha256);
	return run_one(s, st, a, fill_session, out, "session", "(cookie)", err);
}

int
store_session_delete(struct store *s, const char *sha256, struct sp_err *err)
{
	static const char sql[] = "DELETE FROM sessions WHERE sha256 = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "t", sha256);
	return run_write(s, st, NULL, "session", err);
}

int
store_login_failure(struct store *s, int64_t provider_id, const char *email,
		    int64_t at, struct sp_err *err)
{
	static const char sql[] = "INSERT INTO login_failures (provider_id, "
		"email, at) VALUES (?, ?, ?)";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iti", provider_id, email, at);
	return run_write(s, st, NULL, "login", err);
}

int
store_login_failures(struct store *s, int *out, int64_t provider_id,
		     const char *email, int64_t since, struct sp_err *err)
{
	static const char sql[] = "SELECT count(*) FROM login_failures WHERE "
		"provider_id = ? AND email = ? AND at >= ?";
	sqlite3_stmt *st;
	int64_t v = 0;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "iti", provider_id, email, since);
	if ((rc = run_scalar(s, st, &v, "login", err)))
		return rc;
	*out = (int)v;
	return 0;
}

/* ---- knowledge base and search ------------------------------------- */

#define KB_COLS "id, provider_id, slug, lang, category, title, body, "      \
	"visibility, author_id, created_at, updated_at, version"

static void
fill_kb(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct kb_row *r = row;

	r->id = col_i64(st, 0);
	r->provider_id = col_i64(st, 1);
	r->slug = col_text(a, st, 2);
	r->lang = col_text(a, st, 3);
	r->category = col_text(a, st, 4);
	r->title = col_text(a, st, 5);
	r->body = col_text(a, st, 6);
	r->visibility = col_text(a, st, 7);
	r->author_id = col_i64(st, 8);
	r->created_at = col_i64(st, 9);
	r->updated_at = col_i64(st, 10);
	r->version = col_i64(st, 11);
}

int
store_kb_put(struct store *s, struct kb_row *r, struct sp_err *err)
{
	static const char ins[] = "INSERT INTO kb_articles (provider_id, slug, "
		"lang, category, title, body, visibility, author_id, created_at, "
		"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char upd[] = "UPDATE kb_articles SET category = ?, "
		"title = ?, body = ?, visibility = ?, author_id = ?, "
		"updated_at = ?, version = version + 1 WHERE provider_id = ? AND "
		"id = ? AND version = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, r->id ? upd : ins, err);

	if (rc)
		return rc;
	if (r->id == 0) {
		bindf(st, "ittttttIii", r->provider_id, r->slug, r->lang,
		      r->category, r->title, r->body, r->visibility, r->author_id,
		      r->created_at, r->updated_at);
		rc = run_write(s, st, &r->id, "article", err);
		if (rc == SP_ECONFLICT)
			sp_err_set(err, SP_ECONFLICT, "slug", "an article '%s' in "
				   "'%s' already exists; edit it instead", r->slug,
				   r->lang);
		r->version = 1;
		return rc;
	}
	bindf(st, "ttttIiiii", r->category, r->title, r->body, r->visibility,
	      r->author_id, r->updated_at, r->provider_id, r->id, r->version);
	if ((rc = run_write(s, st, NULL, "article", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sp_err_set(err, SP_ECONFLICT, "version", "article '%s' was "
				  "changed by someone else; reload and retry",
				  r->slug);
	r->version++;
	return 0;
}

int
store_kb_get(struct store *s, struct arena *a, struct kb_row *out,
	     int64_t provider_id, const char *slug, const char *lang,
	     struct sp_err *err)
{
	static const char sql[] = "SELECT " KB_COLS " FROM kb_articles WHERE "
		"provider_id = ? AND slug = ? AND lang = ?";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "itt", provider_id, slug, lang);
	return run_one(s, st, a, fill_kb, out, "article", slug, err);
}

int
store_kb_list(struct store *s, struct arena *a, struct kb_row **out,
	      size_t *n, int64_t provider_id, const char *lang,
	      const char *category, bool public_only, struct sp_err *err)
{
	static const char sql[] = "SELECT " KB_COLS " FROM kb_articles WHERE "
		"provider_id = ?1 AND (?2 IS NULL OR lang = ?2) AND "
		"(?3 IS NULL OR category = ?3) AND (?4 = 0 OR visibility = "
		"'public') ORDER BY category, title, lang";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ittb", provider_id, lang, category, (int)public_only);
	return run_many(s, st, a, fill_kb, sizeof **out, (void **)out, n,
			"articles", err);
}

int
store_kb_search(struct store *s, struct arena *a, struct kb_row **out,
		size_t *n, int64_t provider_id, const char *fts_query,
		const char *lang, bool public_only, int limit,
		struct sp_err *err)
{
	static const char sql[] = "SELECT " KB_COLS " FROM kb_articles JOIN "
		"(SELECT rowid AS hit, bm25(kb_fts, 10.0, 1.0) AS score FROM "
		"kb_fts WHERE kb_fts MATCH ?2) ON hit = id WHERE "
		"provider_id = ?1 AND (?3 IS NULL OR lang = ?3) AND "
		"(?4 = 0 OR visibility = 'public') ORDER BY score LIMIT ?5";
	sqlite3_stmt *st;
	int rc = prep(s, &st, sql, err);

	if (rc)
		return rc;
	bindf(st, "ittbi", provider_id, fts_query, lang, (int)public_only,
	      (int64_t)limit);
	return run_many(s, st, a, fill_kb, sizeof **out, (void **)out, n,
			"articles", err);
}

int
store_ticket_search(struct store *s, struct arena *a,
		    struct ticket_row **out, size_t *n, int64_t provider_id,
		    const char *fts_query, int64_t organization_id,
		    int64_t contact_id, bool public_only, int limit,
		    struct sp_err *err)
{
	static const char sql[] = "SELECT " TICKET_COLS " FROM tickets WHERE "
		"provider_id = ?1 AND (?3 IS NULL OR organization_id = ?3) AND "
		"(?6 IS NULL OR contact_id = ?6) AND id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?2 "
		"UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON "
		"m.id = message_fts.rowid WHERE message_fts MATCH ?2 AND "
		"(?4 = 0 OR m.kind = 'public')) ORDER BY updated_at DESC, id DESC "
		"LIMIT ?5";
	sqlite3_stmt *st;
	int rc;

	if ((rc = index_tail(s, err)) || (rc = prep(s, &st, sql, err)))
		return rc;
	bindf(st, "itIbiI", provider_id, fts_query, organization_id,
	      (int)public_only, (int64_t)limit, contact_id);
	return run_many(s, st, a, fill_ticket, sizeof **out, (void **)out, n,
			"tickets", err);
}

/* Whether a row of RECENT_SQL is a candidate: the active tickets of the
 * provider opened since `since`, but exclude_id. Tested here, not in
 * SQL: a WHERE over the newest `limit` needs a subquery, which SQLite
 * runs as a co-routine copying every column of every row, twice the
 * cost of the whole check. */
static bool
recent_active(sqlite3_stmt *st, int64_t provider_id, int64_t since,
	      int64_t exclude_id)
{
	const char *state = (const char *)sqlite3_column_text(st, 3);

	return col_i64(st, 0) != exclude_id && col_i64(st, 1) == provider_id &&
	       col_i64(st, 2) >= since && state &&
	       strcmp(state, "closed") != 0 && strcmp(state, "merged") != 0;
}

int
store_ticket_recent(struct store *s, struct arena *a, struct ticket_row **out,
		    size_t *n, int64_t provider_id, int64_t organization_id,
		    int64_t contact_id, int64_t since, int64_t exclude_id,
		    int limit, store_recent_keep *keep, void *ctx,
		    struct sp_err *err)
{
	/* Only the newest `limit` tickets are read, from the index alone
	 * (migration 15) walked from its end: newest first, no sort, the
	 * same cost whatever the history's size. */
#define RECENT_SQL(key) "SELECT id, provider_id, created_at, state, " \
	"subject, folio FROM tickets WHERE " key " = ?1 ORDER BY id DESC " \
	"LIMIT ?2"
	static const char by_org[] = RECENT_SQL("organization_id");
	static const char by_contact[] = RECENT_SQL("contact_id");
#undef RECENT_SQL
	struct ticket_row *rows;
	sqlite3_stmt *st;
	size_t cnt = 0;
	int rc;

	/* LIMIT -1 would be no limit, and overflow rows. */
	if (limit < 0)
		limit = 0;
	if ((rows = arena_calloc(a, (size_t)limit + 1, sizeof *rows)) == NULL)
		return sp_err_set(err, SP_ENOMEM, "tickets", "out of memory "
				  "listing tickets");
	if ((rc = prep(s, &st, organization_id ? by_org : by_contact, err)))
		return rc;
	bindf(st, "ii", organization_id ? organization_id : contact_id,
	      (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ticket_row *t = &rows[cnt];
		const char *subject;

		if (!recent_active(st, provider_id, since, exclude_id))
			continue;
		subject = (const char *)sqlite3_column_text(st, 4);
		t->id = col_i64(st, 0);
		/* The subject is lent to keep(); only a kept row's text
		 * is copied. */
		if (keep && !keep(ctx, t->id, subject ? subject : ""))
			continue;
		t->provider_id = provider_id;
		t->organization_id = organization_id;
		t->contact_id = organization_id ? 0 : contact_id;
		t->created_at = col_i64(st, 2);
		t->state = col_text(a, st, 3);
		t->subject = col_text(a, st, 4);
		t->folio = col_text(a, st, 5);
		cnt++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_error(s, sqlite3_extended_errcode(s->db), "tickets", err);
		done(s, st);
		return rc;
	}
	done(s, st);
	*out = rows;
	*n = cnt;
	return 0;
}
