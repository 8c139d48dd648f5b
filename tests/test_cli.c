/* test_cli.c — the soporte command line, run as a process ($SOPORTE_BIN)
 * on a fresh database in each test's temporary folder. Every command that
 * reads or writes a database is given --now, so nothing depends on the
 * clock. */
#include "fixture.h"
#include "test.h"

#include <dirent.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A Tuesday inside Intecnia's business hours. */
#define T0 "2026-03-10T10:00:00-06:00"

/* The last run's output. Each run frees the one before, so a test that
 * stops early at a CHECK leaks nothing past the next run. */
static struct fx_run R;
static bool R_live;
/* This test's database path (the fixture's paths are recycled). */
static char db[512];

/* Parsed outputs, released together by done(), by the next test's
 * use_db(), or at exit: a test that stops at a CHECK leaks nothing. */
static json_t *held[64];
static size_t nheld;
/* A file's bytes, kept to compare with later (freed by done()). */
static struct buf snap;
static bool snap_live;

static void
drop(void)
{
	if (R_live)
		fx_run_free(&R);
	R_live = true;
}

static void
done(void)
{
	while (nheld > 0)
		json_decref(held[--nheld]);
	if (snap_live)
		buf_free(&snap);
	snap_live = false;
	if (R_live)
		fx_run_free(&R);
	R_live = false;
}

static json_t *
hold(json_t *v)
{
	if (v && nheld == sizeof held / sizeof held[0]) {
		t_fail(__FILE__, __LINE__, "more than %zu JSON values held",
		       nheld);
		json_decref(v);
		return NULL;
	}
	if (v)
		held[nheld++] = v;
	return v;
}

static void
use_db(const char *name)
{
	static bool registered;

	if (!registered && atexit(done) == 0)
		registered = true;
	done();
	snprintf(db, sizeof db, "%s", fx_path(name));
}

/* soporte --db DB --policies DIR --now NOW ARGS... */
#define SP_AT(now, ...)                                                 \
	(drop(), fx_cli(&R, NULL, "--db", db, "--policies", fx_policies(), \
			"--now", (now), __VA_ARGS__, (const char *)NULL))
#define SP(...) SP_AT(T0, __VA_ARGS__)
/* soporte ARGS... exactly as given. */
#define SP_RAW(...) (drop(), fx_cli(&R, NULL, __VA_ARGS__, (const char *)NULL))

/* A real 1×1 RGB PNG; `sha256sum` of these 69 bytes is PNG_SHA256. */
static const unsigned char png1x1[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
	0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
#define PNG_SHA256 \
	"b1ff9c8ea3a780bad09b346c423d2d0e46815926879b18e841d928376a946640"

static bool
snapshot(const char *path)
{
	if (snap_live)
		buf_free(&snap);
	snap_live = true;
	return fx_read_file(path, &snap);
}

/* The file still holds the snapshot's bytes; if not, says where the
 * first difference is. */
static bool
unchanged(const char *path, int line)
{
	struct buf now;
	bool same, readable = fx_read_file(path, &now);
	size_t i = 0;

	same = readable && now.len == snap.len &&
	       memcmp(now.ptr, snap.ptr, now.len) == 0;
	if (readable && !same) {
		while (i < now.len && i < snap.len && now.ptr[i] == snap.ptr[i])
			i++;
		t_fail(__FILE__, line, "%s changed: %zu bytes before, %zu after,"
		       " first difference at offset %zu", path, snap.len,
		       now.len, i);
	}
	buf_free(&now);
	return same;
}
#define UNCHANGED(path) unchanged((path), __LINE__)

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* A screenshot file in the temporary folder; returns its path. */
static const char *
screenshot(void)
{
	const char *p = fx_path("captura.png");

	return fx_write_file(p, png1x1, sizeof png1x1) ? p : NULL;
}

#define OK(what, call) fx_ok(&R, (call), (what), __FILE__, __LINE__)

/* An Intecnia database with one customer organization, its contact
 * luis@ferre.mx, and the agent ana@prov.mx. */
static bool
intecnia_seed(void)
{
	use_db("t.db");
	return OK("init", SP("init", "--pack", "intecnia")) &&
	       OK("org add", SP("org", "add", "--name", "Ferretería López",
				"--tax-id", "FLO010203AB1")) &&
	       OK("contact add", SP("contact", "add", "--name", "Luis",
				    "--surname", "López", "--email",
				    "luis@ferre.mx", "--org",
				    "Ferretería López")) &&
	       OK("agent add", SP("agent", "add", "--name", "Ana Torres",
				  "--email", "ana@prov.mx"));
}

/* The folio printed by a plain `ticket open` ("FOLIO opened (STATE)"). */
static bool
folio_of_open(char *out, size_t size)
{
	const char *sp = strchr(R.out.ptr, ' ');
	size_t n = sp ? (size_t)(sp - R.out.ptr) : 0;

	if (n == 0 || n >= size || strncmp(sp, " opened (", 9) != 0)
		return false;
	memcpy(out, R.out.ptr, n);
	out[n] = '\0';
	return true;
}

/* INT-1: "INT-" four-digit year "-" five-digit sequence. */
static bool
is_intecnia_folio(const char *s, const char *year)
{
	if (strlen(s) != 14 || strncmp(s, "INT-", 4) != 0 ||
	    strncmp(s + 4, year, 4) != 0 || s[8] != '-')
		return false;
	for (int i = 9; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The last run's stdout as JSON (NULL, with the error reported, if it is
 * not), held until done(). */
static json_t *
out_json(int line)
{
	json_error_t e;
	json_t *v = hold(json_loads(R.out.ptr, JSON_DECODE_ANY, &e));

	if (v == NULL)
		t_fail(__FILE__, line, "stdout is not JSON (%s, line %d):\n%s",
		       e.text, e.line, R.out.ptr);
	return v;
}
#define OUT_JSON() out_json(__LINE__)

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* `--json ticket show FOLIO`, parsed. */
static json_t *
show(const char *folio, int line)
{
	if (SP("--json", "ticket", "show", folio) != 0) {
		t_fail(__FILE__, line, "ticket show %s: exit %d: %s", folio,
		       R.status, R.err.ptr);
		return NULL;
	}
	return out_json(line);
}
#define SHOW(folio) show((folio), __LINE__)

/* Number of entries in `--json ticket list [ARG]`, -1 on failure. */
static long
ticket_count(const char *arg)
{
	json_t *l;
	long n;

	if ((arg ? SP("--json", "ticket", "list", arg)
		 : SP("--json", "ticket", "list")) != 0)
		return -1;
	l = json_loads(R.out.ptr, 0, NULL);
	n = json_is_array(l) ? (long)json_array_size(l) : -1;
	json_decref(l);
	return n;
}

/* Stdout has a line that starts with `prefix`. */
static bool
has_line_starting(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; ) {
		if (strncmp(p, prefix, n) == 0)
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* ---- 1. help and usage ------------------------------------------- */

static void
test_help_on_every_command_exits_0_with_usage(void)
{
	static const char *const cmds[][2] = {
		{ "init", NULL }, { "policy", NULL }, { "org", NULL },
		{ "contact", NULL }, { "agent", NULL }, { "product", NULL },
		{ "ticket", NULL }, { "demo", NULL }, { "ticket", "open" },
		{ "ticket", "list" }, { "org", "add" },
	};

	/* Help never needs (nor creates) a database. */
	use_db("absent.db");
	CHECK_INT(SP_RAW("--db", db, "--help"), 0);
	CHECK(has_line_starting(R.out.ptr, "usage:"));
	for (size_t i = 0; i < 8; i++) { /* the command list */
		char want[32];

		snprintf(want, sizeof want, "  %s ", cmds[i][0]);
		CHECK(has_line_starting(R.out.ptr, want));
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		int st = cmds[i][1]
			 ? SP_RAW("--db", db, cmds[i][0], cmds[i][1], "--help")
			 : SP_RAW("--db", db, cmds[i][0], "--help");

		if (st != 0 || !has_line_starting(R.out.ptr, "usage:")) {
			t_fail(__FILE__, __LINE__, "soporte %s %s --help: exit "
			       "%d\nstdout: %s\nstderr: %s", cmds[i][0],
			       cmds[i][1] ? cmds[i][1] : "", st, R.out.ptr,
			       R.err.ptr);
			return;
		}
	}
	CHECK(!exists(db));
	done();
}

static void
test_unknown_command_exits_64(void)
{
	use_db("absent.db");
	CHECK_INT(SP_RAW("--db", db, "frobnicate"), 64);
	CHECK_HAS(R.err.ptr, "frobnicate");
	CHECK_INT(R.out.len, 0);
	/* No command at all is a usage error too. */
	CHECK_INT(SP_RAW("--db", db), 64);
	CHECK(has_line_starting(R.err.ptr, "usage:"));
	CHECK(!exists(db));
	done();
}

/* ---- 2. the acceptance path ------------------------------- */

/* INT-1, INT-3, SLA-3 context: open with a real screenshot, agent reply,
 * resolve, customer reopen; the JSON view holds the whole history in
 * order and the attachment with its SHA-256. */
static void
test_int1_acceptance_path_full_history_in_json(void)
{
	static const char *const want[] = {
		"ticket.created:new", "message.added", "attachment.added",
		"message.added", "ticket.state:new->open",
		"ticket.state:open->resolved", "ticket.state:resolved->open",
	};
	static const char *const want_at[] = {
		T0, T0, T0, "2026-03-10T10:05:00-06:00",
		"2026-03-10T10:05:00-06:00", "2026-03-10T11:00:00-06:00",
		"2026-03-10T12:00:00-06:00",
	};
	static const char *const want_actor[] = {
		"contact", "contact", "contact", "agent", "agent", "agent",
		"contact",
	};
	const char *shot;
	char folio[64];
	json_t *v, *evs, *atts, *msgs;
	size_t k = 0;
	json_int_t last_id = 0;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK(OK("ticket open", SP("--as", "contact:luis@ferre.mx", "ticket",
				   "open", "--channel", "email", "--subject",
				   "El punto de venta no abre", "--description",
				   "Marca error al iniciar.", "--screenshot",
				   shot)));
	CHECK(folio_of_open(folio, sizeof folio));
	CHECK(is_intecnia_folio(folio, "2026")); /* INT-1 */
	CHECK_STR(folio, "INT-2026-00001");
	CHECK_HAS(R.out.ptr, "(new)");
	CHECK(OK("reply", SP_AT("2026-03-10T10:05:00-06:00", "--as",
				"agent:ana@prov.mx", "ticket", "reply", folio,
				"--body", "Revisamos su caso.")));
	CHECK(OK("resolve", SP_AT("2026-03-10T11:00:00-06:00", "--as",
				  "agent:ana@prov.mx", "ticket", "resolve",
				  folio)));
	CHECK(OK("reopen", SP_AT("2026-03-10T12:00:00-06:00", "--as",
				 "contact:luis@ferre.mx", "ticket", "reopen",
				 folio)));

	CHECK((v = SHOW(folio)) != NULL);
	CHECK_STR(jstr(v, "folio"), folio);
	CHECK_STR(jstr(v, "state"), "open");
	CHECK_STR(jstr(v, "channel"), "email");
	CHECK_STR(jstr(v, "contact_email"), "luis@ferre.mx");
	CHECK_STR(jstr(v, "organization"), "Ferretería López");
	CHECK_STR(jstr(v, "created_at"), T0);

	/* Messages: the request, then the agent's answer. */
	msgs = json_object_get(v, "messages");
	CHECK(json_is_array(msgs) && json_array_size(msgs) >= 2);
	CHECK_STR(jstr(json_array_get(msgs, 0), "body"), "Marca error al iniciar.");
	CHECK_STR(jstr(json_array_get(msgs, 0), "author_kind"), "contact");
	CHECK_STR(jstr(json_array_get(msgs, 1), "body"), "Revisamos su caso.");
	CHECK_STR(jstr(json_array_get(msgs, 1), "author_kind"), "agent");

	/* The ticket's history: ticket.*, message.* and attachment.*
	 * events, exactly these, in this order, at the --now of each step. */
	evs = json_object_get(v, "events");
	CHECK(json_is_array(evs));
	for (size_t i = 0; i < json_array_size(evs); i++) {
		json_t *e = json_array_get(evs, i);
		const char *action = jstr(e, "action");
		json_int_t id = json_integer_value(json_object_get(e, "id"));
		char got[128];

		CHECK(action != NULL);
		CHECK(id > last_id);
		last_id = id;
		if (strncmp(action, "ticket.", 7) && strncmp(action, "message.", 8) &&
		    strncmp(action, "attachment.", 11))
			continue;
		if (strcmp(action, "ticket.created") == 0)
			snprintf(got, sizeof got, "%s:%s", action,
				 jstr(json_object_get(e, "after"), "state"));
		else if (strcmp(action, "ticket.state") == 0)
			snprintf(got, sizeof got, "%s:%s->%s", action,
				 jstr(json_object_get(e, "before"), "state"),
				 jstr(json_object_get(e, "after"), "state"));
		else
			snprintf(got, sizeof got, "%s", action);
		if (k >= sizeof want / sizeof want[0]) {
			t_fail(__FILE__, __LINE__, "unexpected event %zu: %s",
			       k, got);
			return;
		}
		CHECK_STR(got, want[k]);
		CHECK_STR(jstr(e, "at"), want_at[k]);
		CHECK_STR(jstr(e, "actor_kind"), want_actor[k]);
		if (strcmp(action, "attachment.added") == 0)
			CHECK_STR(jstr(json_object_get(e, "after"), "sha256"),
				  PNG_SHA256);
		k++;
	}
	CHECK_INT(k, sizeof want / sizeof want[0]);

	/* The screenshot, byte for byte (its SHA-256 computed apart). */
	atts = json_object_get(v, "attachments");
	CHECK(json_is_array(atts));
	CHECK_INT(json_array_size(atts), 1);
	CHECK_STR(jstr(json_array_get(atts, 0), "filename"), "captura.png");
	CHECK_STR(jstr(json_array_get(atts, 0), "mime"), "image/png");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(atts, 0),
						     "size")), sizeof png1x1);
	CHECK_STR(jstr(json_array_get(atts, 0), "sha256"), PNG_SHA256);
	done();
}

/* INT-1: a --now without an offset is the provider's local time; folios
 * count per year of that time (Mexico City's new year, not UTC's). */
static void
test_int1_folio_year_from_local_now(void)
{
	const char *shot;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	/* 2026-12-31 23:30 in Mexico City is already 2027 in UTC. */
	CHECK(OK("open", SP_AT("2026-12-31T23:30:00", "ticket", "open",
			       "--contact", "luis@ferre.mx", "--channel",
			       "email", "--subject", "a", "--description",
			       "b", "--screenshot", shot)));
	CHECK(has_line_starting(R.out.ptr, "INT-2026-00001 opened"));
	CHECK(OK("open", SP_AT("2027-01-01T00:30:00", "ticket", "open",
			       "--contact", "luis@ferre.mx", "--channel",
			       "email", "--subject", "a", "--description",
			       "b", "--screenshot", shot)));
	CHECK(has_line_starting(R.out.ptr, "INT-2027-00001 opened"));
	done();
}

/* The instant of the first `action` event of the database's provider,
 * or -1. */
static int64_t
event_at(const char *action)
{
	struct sp_err err = { 0 };
	struct app *app = NULL;
	struct event_row *ev;
	struct arena a;
	size_t n;
	int64_t at = -1;

	if (app_open(&app, db, NULL, &err))
		return -1;
	arena_init(&a, 0);
	if (store_event_list(app->store, &a, &ev, &n, app->provider_id, 0,
			     &err) == 0)
		for (size_t i = 0; i < n && at < 0; i++)
			if (strcmp(ev[i].action, action) == 0)
				at = ev[i].at;
	arena_free(&a);
	app_close(app);
	return at;
}

/* --now without an offset is the provider's local time for every
 * command, `init` included (its provider.created event). */
static void
test_init_honours_local_now(void)
{
	use_db("t.db");
	CHECK(OK("init", SP_AT("2026-03-10T10:00:00", "init", "--pack",
			       "intecnia")));
	CHECK_INT(event_at("provider.created"),
		  fx_at("2026-03-10T10:00:00-06:00"));
	/* With an offset it is already right. */
	use_db("t2.db");
	CHECK(OK("init", SP("init", "--pack", "intecnia")));
	CHECK_INT(event_at("provider.created"), fx_at(T0));
	done();
}

/* ---- 3. policy check ---------------------------------------------- */

static void
test_policy_check_every_seed_pack_ok(void)
{
	static const char *const seeds[] = { "ideasys", "isys", "easi",
					     "intecnia", "impera" };
	char paths[40][600];
	int n = 0, nseeds = 0;
	DIR *d = opendir(fx_policies());
	struct dirent *e;

	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL && n < 40) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(paths[n], sizeof paths[n], "%s/%s", fx_policies(),
			 e->d_name);
		for (size_t s = 0; s < 5; s++)
			if (strlen(seeds[s]) + 5 == len &&
			    strncmp(e->d_name, seeds[s], len - 5) == 0)
				nseeds++;
		n++;
	}
	closedir(d);
	CHECK_INT(nseeds, 5);
	/* One run per pack: each on its own exits 0 and says ok. */
	for (int i = 0; i < n; i++) {
		char want[700];

		if (SP_RAW("policy", "check", paths[i]) != 0) {
			t_fail(__FILE__, __LINE__, "policy check %s: exit %d\n%s",
			       paths[i], R.status, R.err.ptr);
			return;
		}
		snprintf(want, sizeof want, "%.600s: ok (", paths[i]);
		CHECK(has_line_starting(R.out.ptr, want));
		CHECK_INT(R.err.len, 0);
	}
	done();
}

/* A pack with two faults: both reported as FILE:LINE:COL: message, and
 * the status is 65. */
static void
test_policy_check_broken_pack_reports_each_problem_with_position(void)
{
	struct buf src, dst;
	char src_path[600], want[800];
	const char *path;
	const char *p;
	int line = 0, bad_line = 0, bad_col = 0, key_line = 0;
	bool written;

	snprintf(src_path, sizeof src_path, "%s/intecnia.yaml", fx_policies());
	if (!fx_read_file(src_path, &src)) {
		buf_free(&src);
		t_fail(__FILE__, __LINE__, "cannot read %s", src_path);
		return;
	}
	buf_init(&dst, 64 << 20);
	/* Copy line by line: the first "09:00-14:00" becomes
	 * "14:00-09:00", and an unknown key follows "format: 1". */
	p = src.ptr;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *hit = strstr(p, "\"09:00-14:00\"");

		if (hit && hit >= p + len)
			hit = NULL; /* on a later line */

		line++;
		if (hit && bad_line == 0) {
			buf_add(&dst, p, (size_t)(hit - p));
			buf_adds(&dst, "\"14:00-09:00\"");
			buf_add(&dst, hit + 13, len - (size_t)(hit - p) - 13);
			bad_line = line;
			bad_col = (int)(hit - p) + 1; /* the scalar's quote */
		} else {
			buf_add(&dst, p, len);
		}
		if (strncmp(p, "format: 1\n", 10) == 0 && key_line == 0) {
			buf_adds(&dst, "colour_scheme: blue\n");
			line++;
			key_line = line;
		}
		p += len;
	}
	path = fx_path("intecnia.yaml");
	written = fx_write_file(path, dst.ptr, dst.len);
	buf_free(&src);
	buf_free(&dst);
	CHECK(bad_line > 0 && key_line > 0);
	CHECK(written);

	CHECK_INT(SP_RAW("policy", "check", path), 65);
	snprintf(want, sizeof want, "%s:%d:1: ", path, key_line);
	CHECK(has_line_starting(R.err.ptr, want));
	CHECK_HAS(R.err.ptr, "colour_scheme");
	snprintf(want, sizeof want, "%s:%d:%d: ", path, bad_line, bad_col);
	CHECK(has_line_starting(R.err.ptr, want));
	CHECK_HAS(strstr(R.err.ptr, want), "14:00-09:00");
	CHECK(strstr(R.out.ptr, ": ok") == NULL);
	done();
}

/* ---- 4. bad input: a clear message, a non-zero status, no change --- */

static void
test_init_unknown_pack_exits_66_names_it(void)
{
	use_db("t.db");
	CHECK_INT(SP("init", "--pack", "nopack"), 66);
	CHECK_HAS(R.err.ptr, "nopack");
	CHECK(!exists(db));
	done();
}

static void
test_bad_now_exits_64_and_stores_nothing(void)
{
	use_db("t.db");
	CHECK(OK("init", SP("init", "--pack", "intecnia")));
	CHECK_INT(SP_RAW("--db", db, "--now", "mañana", "org", "add",
			 "--name", "X"), 64);
	CHECK_HAS(R.err.ptr, "--now");
	CHECK_HAS(R.err.ptr, "mañana");
	/* February has no 30th. */
	CHECK_INT(SP_AT("2026-02-30T10:00:00", "org", "add", "--name", "X"), 64);
	CHECK_HAS(R.err.ptr, "--now");
	CHECK_INT(SP("--json", "org", "list"), 0);
	CHECK_STR(R.out.ptr, "[]\n");
	done();
}

/* An illegal transition is refused and changes nothing. */
static void
test_illegal_transition_confirm_new_exits_65_changes_nothing(void)
{
	const char *shot;
	json_t *v;
	size_t nev;
	json_int_t version;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "email", "--subject", "Falla",
			    "--description", "x", "--screenshot", shot)));
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "new");
	nev = json_array_size(json_object_get(v, "events"));
	version = json_integer_value(json_object_get(v, "version"));
	CHECK_INT(SP("--as", "agent:ana@prov.mx", "ticket", "confirm",
		     "INT-2026-00001"), 65);
	CHECK_HAS(R.err.ptr, "cannot confirm");
	CHECK_INT(R.out.len, 0);
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "new");
	CHECK_INT(json_array_size(json_object_get(v, "events")), nev);
	CHECK_INT(json_integer_value(json_object_get(v, "version")), version);
	done();
}

static void
test_ticket_open_without_channel_exits_64(void)
{
	CHECK(intecnia_seed());
	CHECK_INT(SP("ticket", "open", "--contact", "luis@ferre.mx",
		     "--subject", "Falla", "--description", "x"), 64);
	CHECK_HAS(R.err.ptr, "--channel");
	CHECK_INT(ticket_count("--all"), 0);
	done();
}

static void
test_non_utf8_subject_exits_65_stores_nothing(void)
{
	const char *shot;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK_INT(SP("ticket", "open", "--contact", "luis@ferre.mx",
		     "--channel", "email", "--subject", "caf\xe9",
		     "--description", "x", "--screenshot", shot), 65);
	CHECK_HAS(R.err.ptr, "UTF-8");
	CHECK_HAS(R.err.ptr, "subject");
	CHECK_INT(SP("--json", "ticket", "list", "--all"), 0);
	CHECK_STR(R.out.ptr, "[]\n");
	/* The failed request took no folio. */
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "email", "--subject", "café",
			    "--description", "x", "--screenshot", shot)));
	CHECK(has_line_starting(R.out.ptr, "INT-2026-00001 opened"));
	done();
}

static void
test_unknown_priority_exits_65_stores_nothing(void)
{
	const char *shot;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK_INT(SP("ticket", "open", "--contact", "luis@ferre.mx",
		     "--channel", "email", "--subject", "Falla",
		     "--description", "x", "--priority", "urgentisima",
		     "--screenshot", shot), 65);
	CHECK_HAS(R.err.ptr, "urgentisima");
	CHECK_INT(ticket_count("--all"), 0);
	done();
}

/* A text file given as the database: refused, left byte for byte. */
static void
test_text_file_as_db_exits_65_untouched(void)
{
	static const char text[] = "lista del súper: pan, leche, huevos\n";

	use_db("notes.db");
	CHECK(fx_write_file(db, text, sizeof text - 1));
	CHECK(snapshot(db));
	CHECK_INT(snap.len, sizeof text - 1);
	CHECK_INT(SP("ticket", "list"), 65);
	CHECK_HAS(R.err.ptr, "not a soporte database");
	CHECK_INT(SP("org", "add", "--name", "X"), 65);
	CHECK_INT(SP("init", "--pack", "intecnia"), 65);
	CHECK(UNCHANGED(db));
	done();
}

/* Another program's SQLite database: refused, left byte for byte (and
 * no -wal/-shm beside it). */
static void
test_foreign_sqlite_db_exits_65_untouched(void)
{
	char side[600];
	sqlite3 *s;

	use_db("other.db");
	CHECK_INT(sqlite3_open(db, &s), SQLITE_OK);
	CHECK_INT(sqlite3_exec(s, "CREATE TABLE clientes(nombre TEXT);"
			       "INSERT INTO clientes VALUES ('Ana')", NULL,
			       NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	CHECK(snapshot(db));
	CHECK_INT(SP("ticket", "list"), 65);
	CHECK_HAS(R.err.ptr, "not soporte's");
	CHECK_INT(SP("org", "add", "--name", "X"), 65);
	CHECK_INT(SP("init", "--pack", "intecnia"), 65);
	CHECK(UNCHANGED(db));
	snprintf(side, sizeof side, "%s-wal", db);
	CHECK(!exists(side));
	snprintf(side, sizeof side, "%s-shm", db);
	CHECK(!exists(side));
	done();
}

static void
test_missing_db_exits_66_says_run_init(void)
{
	use_db("nowhere.db");
	CHECK_INT(SP("ticket", "list"), 66);
	CHECK_HAS(R.err.ptr, "init");
	CHECK_HAS(R.err.ptr, "nowhere.db");
	CHECK_INT(SP("org", "add", "--name", "X"), 66);
	CHECK(!exists(db));
	done();
}

/* Another process holds the write lock: a write gives up after the
 * store's 5 s wait with 75 (try again) and leaves nothing behind. */
static void
test_locked_db_write_exits_75(void)
{
	sqlite3 *s;

	use_db("t.db");
	CHECK(OK("init", SP("init", "--pack", "intecnia")));
	CHECK_INT(sqlite3_open(db, &s), SQLITE_OK);
	if (sqlite3_exec(s, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK) {
		t_fail(__FILE__, __LINE__, "BEGIN EXCLUSIVE: %s",
		       sqlite3_errmsg(s));
		sqlite3_close(s);
		return;
	}
	SP("org", "add", "--name", "Ferretería López");
	sqlite3_exec(s, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s);
	CHECK_INT(R.status, 75);
	CHECK_HAS(R.err.ptr, "locked");
	CHECK_INT(SP("--json", "org", "list"), 0);
	CHECK_STR(R.out.ptr, "[]\n");
	/* With the lock gone the same command works. */
	CHECK(OK("org add", SP("org", "add", "--name", "Ferretería López")));
	done();
}

/* ---- 5, 6. intake rules through the CLI ---------------------------- */

/* INT-3: Intecnia needs a screenshot; without one the ticket is kept and
 * waits on the customer, and the output says what is missing. */
static void
test_int3_intecnia_without_screenshot_waits_on_customer(void)
{
	json_t *v, *msgs;
	const char *last;

	CHECK(intecnia_seed());
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "email", "--subject", "Falla",
			    "--description", "No abre")));
	CHECK(has_line_starting(R.out.ptr, "INT-2026-00001 opened "
				"(waiting_customer)"));
	CHECK_HAS(R.out.ptr, "waiting on the customer for: screenshot");
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "waiting_customer");
	/* The customer is told, in a message on the ticket. */
	msgs = json_object_get(v, "messages");
	CHECK(json_array_size(msgs) >= 2);
	last = jstr(json_array_get(msgs, json_array_size(msgs) - 1), "body");
	CHECK_HAS(last, "capturas de pantalla (PNG o JPG)");
	/* --json says the same to a program. */
	CHECK(OK("open", SP("--json", "ticket", "open", "--contact",
			    "luis@ferre.mx", "--channel", "email",
			    "--subject", "Otra", "--description", "x")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_STR(jstr(v, "state"), "waiting_customer");
	CHECK_STR(jstr(v, "missing"), "screenshot");
	done();
}

/* INT-2: Intecnia takes email; phone only when the fault is the
 * customer's email (category email_fault). */
static void
test_int2_intecnia_phone_only_for_email_fault(void)
{
	const char *shot;
	json_t *v;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK_INT(SP("ticket", "open", "--contact", "luis@ferre.mx",
		     "--channel", "phone", "--subject", "Falla",
		     "--description", "x", "--screenshot", shot), 65);
	CHECK_HAS(R.err.ptr, "INT-2");
	CHECK_HAS(R.err.ptr, "phone");
	CHECK_INT(SP("ticket", "open", "--contact", "luis@ferre.mx",
		     "--channel", "whatsapp", "--category", "email_fault",
		     "--subject", "Falla", "--description", "x",
		     "--screenshot", shot), 65);
	CHECK_INT(ticket_count("--all"), 0);
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "phone", "--category", "email_fault",
			    "--subject", "No me llegan correos",
			    "--description", "x", "--screenshot", shot)));
	CHECK(has_line_starting(R.out.ptr, "INT-2026-00001 opened"));
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "channel"), "phone");
	CHECK_STR(jstr(v, "category"), "email_fault");
	done();
}

/* ---- 7. --json lists ----------------------------------------------- */

/* The array element whose `key` is `value`, or NULL. */
static json_t *
find_in(json_t *arr, const char *key, const char *value)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = jstr(json_array_get(arr, i), key);

		if (s && strcmp(s, value) == 0)
			return json_array_get(arr, i);
	}
	return NULL;
}

static void
test_json_lists_are_arrays_with_the_records(void)
{
	const char *shot;
	json_t *l, *e;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK(OK("org", SP("org", "add", "--name", "Clínica Norte")));
	CHECK(OK("contact", SP("contact", "add", "--name", "Sofía",
			       "--email", "sofia@clinica.mx", "--org",
			       "Clínica Norte", "--phone", "55 5555 0200")));
	/* The same email twice: a conflict that names the field, in words,
	 * not SQLite's constraint text. */
	CHECK_INT(SP("contact", "add", "--name", "Otra", "--email",
		     "sofia@clinica.mx", "--org", "Clínica Norte"), 65);
	CHECK_HAS(R.err.ptr, "a contact with this email already exists");
	CHECK(strstr(R.err.ptr, "UNIQUE") == NULL);
	CHECK(OK("agent", SP("agent", "add", "--name", "Carla Ríos",
			     "--email", "carla@prov.mx", "--role",
			     "quality_lead")));
	CHECK(OK("product", SP("product", "add", "--code", "fw_y", "--name",
			       "Firewall Y", "--end-of-life", "2030-01-01")));
	CHECK(OK("open", SP("ticket", "open", "--contact", "sofia@clinica.mx",
			    "--channel", "email", "--subject", "Sin red",
			    "--description", "x", "--screenshot", shot)));

	CHECK_INT(SP("--json", "org", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK(json_is_array(l));
	CHECK_INT(json_array_size(l), 2);
	CHECK((e = find_in(l, "name", "Ferretería López")) != NULL);
	CHECK_STR(jstr(e, "tax_id"), "FLO010203AB1");
	CHECK(find_in(l, "name", "Clínica Norte") != NULL);

	CHECK_INT(SP("--json", "contact", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK(json_is_array(l));
	CHECK_INT(json_array_size(l), 2);
	CHECK((e = find_in(l, "email", "luis@ferre.mx")) != NULL);
	CHECK_STR(jstr(e, "surname"), "López");
	CHECK((e = find_in(l, "email", "sofia@clinica.mx")) != NULL);
	CHECK_STR(jstr(e, "phone"), "55 5555 0200");

	CHECK_INT(SP("--json", "agent", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK(json_is_array(l));
	CHECK_INT(json_array_size(l), 2);
	CHECK((e = find_in(l, "email", "carla@prov.mx")) != NULL);
	CHECK_STR(jstr(e, "role"), "quality_lead");
	CHECK(find_in(l, "email", "ana@prov.mx") != NULL);

	CHECK_INT(SP("--json", "product", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK(json_is_array(l));
	CHECK_INT(json_array_size(l), 1);
	CHECK((e = find_in(l, "code", "fw_y")) != NULL);
	CHECK_STR(jstr(e, "name"), "Firewall Y");
	CHECK_STR(jstr(e, "end_of_life"), "2030-01-01");

	CHECK_INT(SP("--json", "ticket", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK(json_is_array(l));
	CHECK_INT(json_array_size(l), 1);
	CHECK((e = find_in(l, "folio", "INT-2026-00001")) != NULL);
	CHECK_STR(jstr(e, "subject"), "Sin red");
	CHECK_STR(jstr(e, "state"), "new");
	done();
}

/* ---- 8. demo -------------------------------------------------------- */

static void
test_demo_runs_reruns_and_refuses_foreign_files(void)
{
	char folio[32];
	const char *notes = fx_path("notes.txt");

	use_db("demo.db");
	CHECK(OK("demo", SP("demo")));
	CHECK_HAS(R.out.ptr, "Intecnia");
	for (int i = 1; i <= 8; i++) {
		snprintf(folio, sizeof folio, "INT-2026-%05d", i);
		CHECK_HAS(R.out.ptr, folio);
	}
	CHECK_INT(ticket_count("--all"), 8);
	/* Again on the same file: its own demo is replaced, not added to. */
	CHECK(OK("demo again", SP("demo")));
	CHECK_HAS(R.out.ptr, "INT-2026-00001");
	CHECK(strstr(R.out.ptr, "INT-2026-00009") == NULL);
	CHECK_INT(ticket_count("--all"), 8);

	/* A file demo did not make is left alone: a text file... */
	CHECK(fx_write_file(notes, "mis notas\n", 10));
	CHECK(snapshot(notes));
	CHECK_INT(snap.len, 10);
	CHECK_INT(SP_RAW("--db", notes, "--policies", fx_policies(), "--now",
			 T0, "demo"), 73);
	CHECK_HAS(R.err.ptr, "not made by");
	CHECK(UNCHANGED(notes));
	/* ...and a real soporte database. */
	use_db("real.db");
	CHECK(OK("init", SP("init", "--pack", "intecnia")));
	CHECK(OK("org", SP("org", "add", "--name", "Cliente real")));
	CHECK(snapshot(db));
	CHECK_INT(SP("demo"), 73);
	CHECK(UNCHANGED(db));
	CHECK_INT(SP("--json", "org", "list"), 0);
	CHECK_HAS(R.out.ptr, "Cliente real");
	done();
}

static void
test_demo_with_easi_pack(void)
{
	use_db("easi.db");
	CHECK(OK("demo easi", SP("demo", "--pack", "easi")));
	CHECK_HAS(R.out.ptr, "EASI Consultores");
	/* EASI's folios: EASI-YYMM-NNNN, from --now (March 2026). */
	CHECK_HAS(R.out.ptr, "EASI-2603-0001");
	CHECK_INT(ticket_count("--all"), 8);
	done();
}

/* ---- 9, 10. waits and lists ------------------------------------------ */

/* SLA-3: a ticket waiting on the customer goes back to open when the
 * customer answers; an agent's message does not end the wait. */
static void
test_sla3_wait_on_customer_then_customer_reply_reopens(void)
{
	const char *shot;
	json_t *v, *evs, *e;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "email", "--subject", "Falla",
			    "--description", "x", "--screenshot", shot)));
	CHECK(OK("reply", SP_AT("2026-03-10T10:10:00-06:00", "--as",
				"agent:ana@prov.mx", "ticket", "reply",
				"INT-2026-00001", "--body", "Revisamos.")));
	CHECK(OK("wait", SP_AT("2026-03-10T10:20:00-06:00", "--as",
			       "agent:ana@prov.mx", "ticket", "wait",
			       "INT-2026-00001", "--on", "customer",
			       "--reason", "Necesitamos acceso por TeamViewer")));
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "waiting_customer");
	CHECK(OK("agent reminder", SP_AT("2026-03-10T12:00:00-06:00", "--as",
					 "agent:ana@prov.mx", "ticket", "reply",
					 "INT-2026-00001", "--body",
					 "¿Nos comparte el ID?")));
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "waiting_customer");
	CHECK(OK("customer reply", SP_AT("2026-03-11T09:30:00-06:00", "--as",
					 "contact:luis@ferre.mx", "ticket",
					 "reply", "INT-2026-00001", "--body",
					 "ID 123 456 789")));
	CHECK((v = SHOW("INT-2026-00001")) != NULL);
	CHECK_STR(jstr(v, "state"), "open");
	evs = json_object_get(v, "events");
	CHECK(json_array_size(evs) > 0);
	e = json_array_get(evs, json_array_size(evs) - 1);
	CHECK_STR(jstr(e, "action"), "ticket.state");
	CHECK_STR(jstr(json_object_get(e, "before"), "state"), "waiting_customer");
	CHECK_STR(jstr(json_object_get(e, "after"), "state"), "open");
	CHECK_STR(jstr(e, "actor_kind"), "contact");
	CHECK_STR(jstr(e, "at"), "2026-03-11T09:30:00-06:00");
	done();
}

/* `ticket list` shows the active tickets; `--all` adds the closed ones. */
static void
test_ticket_list_hides_closed_unless_all(void)
{
	const char *shot;
	json_t *l;

	CHECK(intecnia_seed());
	CHECK((shot = screenshot()) != NULL);
	for (int i = 0; i < 2; i++)
		CHECK(OK("open", SP("ticket", "open", "--contact",
				    "luis@ferre.mx", "--channel", "email",
				    "--subject", i ? "Cerrado" : "Abierto",
				    "--description", "x", "--screenshot",
				    shot)));
	/* INT-6: out of scope, closed at once. */
	CHECK(OK("open", SP("ticket", "open", "--contact", "luis@ferre.mx",
			    "--channel", "email", "--category", "terceros",
			    "--subject", "Windows", "--description", "x",
			    "--screenshot", shot)));
	CHECK_HAS(R.out.ptr, "INT-2026-00003 opened (closed)");
	CHECK(OK("close", SP("--as", "agent:ana@prov.mx", "ticket", "close",
			     "INT-2026-00002")));

	CHECK_INT(SP("ticket", "list"), 0);
	CHECK_HAS(R.out.ptr, "INT-2026-00001");
	CHECK(strstr(R.out.ptr, "INT-2026-00002") == NULL);
	CHECK(strstr(R.out.ptr, "INT-2026-00003") == NULL);
	CHECK_INT(SP("--json", "ticket", "list"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(l), 1);
	CHECK_STR(jstr(json_array_get(l, 0), "folio"), "INT-2026-00001");

	CHECK_INT(SP("ticket", "list", "--all"), 0);
	CHECK_HAS(R.out.ptr, "INT-2026-00001");
	CHECK_HAS(R.out.ptr, "INT-2026-00002");
	CHECK_HAS(R.out.ptr, "INT-2026-00003");
	CHECK_INT(SP("--json", "ticket", "list", "--all"), 0);
	CHECK((l = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(l), 3);
	CHECK_STR(jstr(find_in(l, "folio", "INT-2026-00002"), "state"), "closed");
	CHECK_STR(jstr(find_in(l, "folio", "INT-2026-00003"), "state"), "closed");
	done();
}

const struct test cli_tests[] = {
	{ "help_on_every_command_exits_0_with_usage", test_help_on_every_command_exits_0_with_usage },
	{ "unknown_command_exits_64", test_unknown_command_exits_64 },
	{ "int1_acceptance_path_full_history_in_json", test_int1_acceptance_path_full_history_in_json },
	{ "int1_folio_year_from_local_now", test_int1_folio_year_from_local_now },
	{ "init_honours_local_now", test_init_honours_local_now },
	{ "policy_check_every_seed_pack_ok", test_policy_check_every_seed_pack_ok },
	{ "policy_check_broken_pack_reports_each_problem_with_position", test_policy_check_broken_pack_reports_each_problem_with_position },
	{ "init_unknown_pack_exits_66_names_it", test_init_unknown_pack_exits_66_names_it },
	{ "bad_now_exits_64_and_stores_nothing", test_bad_now_exits_64_and_stores_nothing },
	{ "illegal_transition_confirm_new_exits_65_changes_nothing", test_illegal_transition_confirm_new_exits_65_changes_nothing },
	{ "ticket_open_without_channel_exits_64", test_ticket_open_without_channel_exits_64 },
	{ "non_utf8_subject_exits_65_stores_nothing", test_non_utf8_subject_exits_65_stores_nothing },
	{ "unknown_priority_exits_65_stores_nothing", test_unknown_priority_exits_65_stores_nothing },
	{ "text_file_as_db_exits_65_untouched", test_text_file_as_db_exits_65_untouched },
	{ "foreign_sqlite_db_exits_65_untouched", test_foreign_sqlite_db_exits_65_untouched },
	{ "missing_db_exits_66_says_run_init", test_missing_db_exits_66_says_run_init },
	{ "locked_db_write_exits_75", test_locked_db_write_exits_75 },
	{ "int3_intecnia_without_screenshot_waits_on_customer", test_int3_intecnia_without_screenshot_waits_on_customer },
	{ "int2_intecnia_phone_only_for_email_fault", test_int2_intecnia_phone_only_for_email_fault },
	{ "json_lists_are_arrays_with_the_records", test_json_lists_are_arrays_with_the_records },
	{ "demo_runs_reruns_and_refuses_foreign_files", test_demo_runs_reruns_and_refuses_foreign_files },
	{ "demo_with_easi_pack", test_demo_with_easi_pack },
	{ "sla3_wait_on_customer_then_customer_reply_reopens", test_sla3_wait_on_customer_then_customer_reply_reopens },
	{ "ticket_list_hides_closed_unless_all", test_ticket_list_hides_closed_unless_all },
	{ 0 },
};
