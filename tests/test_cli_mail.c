/* test_cli_mail.c — the email commands through the binary ($SOPORTE_BIN):
 * mail-in as an MTA pipe runs it (exit 0 once committed, 75 to retry),
 * mail-import of a Maildir and an mbox, mail list|retry|outbox, and
 * mail-send against a real SMTP sink (aiosmtpd) on 127.0.0.1 started
 * here, stopped and started again to see the retries. */
#include "../src/mail/mime.h"
#include "fixture.h"
#include "test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T0 "2026-03-09T10:00:00-06:00" /* a Monday, in business hours */

/* The last run's output; each run frees the one before. */
static struct fx_run R;
static bool R_live;
static char db[512];
static json_t *J; /* the last parsed output, freed by the next */

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
	if (R_live)
		fx_run_free(&R);
	R_live = false;
	if (J)
		json_decref(J);
	J = NULL;
}

static void
use_db(void)
{
	static bool registered;

	if (!registered && atexit(done) == 0)
		registered = true;
	done();
	snprintf(db, sizeof db, "%s", fx_path("m.db"));
}

#define SP_AT(now, ...)                                                 \
	(drop(), fx_cli(&R, NULL, "--db", db, "--policies", fx_policies(), \
			"--now", (now), __VA_ARGS__, (const char *)NULL))
#define SP(...) SP_AT(T0, __VA_ARGS__)
/* The same with `in` on standard input. */
#define SPI_AT(now, in, ...)                                            \
	(drop(), fx_cli(&R, (in), "--db", db, "--policies", fx_policies(), \
			"--now", (now), __VA_ARGS__, (const char *)NULL))

#define OK(what, call) fx_ok(&R, (call), (what), __FILE__, __LINE__)

/* The last output as JSON (held until the next call). */
static json_t *
out_json(void)
{
	json_error_t e;

	if (J)
		json_decref(J);
	J = json_loads(R.out.ptr, 0, &e);
	if (J == NULL)
		t_fail(__FILE__, __LINE__, "not JSON (%s): %s", e.text, R.out.ptr);
	return J;
}

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- files ---------------------------------------------------------- */

static const char *
corpus_dir(void)
{
	static char dir[1024];
	const char *env = getenv("SOPORTE_MAIL_CORPUS");
	struct stat sb;

	if (env && *env)
		return env;
	if (stat("tests/mail", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "tests/mail";
	snprintf(dir, sizeof dir, "%s/../tests/mail", fx_policies());
	return dir;
}

/* A corpus file's text into b (initialised here). */
static bool
corpus(struct buf *b, const char *name)
{
	char path[1200];

	snprintf(path, sizeof path, "%s/%s", corpus_dir(), name);
	if (!fx_read_file(path, b)) {
		t_fail(__FILE__, __LINE__, "corpus file %s is missing", path);
		return false;
	}
	return true;
}

static bool
copy_corpus(const char *name, const char *to)
{
	struct buf b;
	bool ok = corpus(&b, name) && fx_write_file(to, b.ptr, b.len);

	buf_free(&b);
	return ok;
}

/* mail-in of a corpus file at `now`; the exit status. */
static int
mail_in(const char *now, const char *name)
{
	struct buf b;
	int rc;

	if (!corpus(&b, name))
		return -1;
	rc = SPI_AT(now, b.ptr, "mail-in");
	buf_free(&b);
	return rc;
}

/* An Intecnia database with two customers and their contacts. */
static bool
seed(void)
{
	use_db();
	return OK("init", SP("init", "--pack", "intecnia")) &&
	       OK("org", SP("org", "add", "--name", "Abarrotes La Esperanza")) &&
	       OK("org", SP("org", "add", "--name", "Clínica del Valle")) &&
	       OK("contact", SP("contact", "add", "--name", "José Ángel",
				"--surname", "Ramírez", "--email",
				"jramirez@laesperanza.com.mx", "--org",
				"Abarrotes La Esperanza")) &&
	       OK("contact", SP("contact", "add", "--name", "Sofía",
				"--surname", "Peña", "--email",
				"spena@clinicadelvalle.mx", "--org",
				"Clínica del Valle"));
}

/* ---- mail-in ---------------------------------------------------------- */

/* An MTA pipe: a new ticket, exit 0; the same message again is a
 * duplicate, still exit 0 (the MTA must not retry it). */
static void
test_mail_in_new_ticket_then_duplicate(void)
{
	CHECK(seed());
	CHECK(OK("mail-in", mail_in(T0, "04-iphone-base64-jpg.eml")));
	CHECK_STR(R.out.ptr, "new_ticket INT-2026-00001\n");
	CHECK(OK("mail-in", mail_in("2026-03-09T10:01:00-06:00",
				    "04-iphone-base64-jpg.eml")));
	CHECK(strncmp(R.out.ptr, "duplicate", 9) == 0);
	CHECK(OK("show", SP("--json", "ticket", "show", "INT-2026-00001")));
	CHECK(out_json() != NULL);
	CHECK_STR(jstr(J, "channel"), "email");
	CHECK_STR(jstr(J, "state"), "new");
	/* Only one ticket and one ack. */
	CHECK(OK("outbox", SP("--json", "mail", "outbox")));
	CHECK(out_json() != NULL);
	CHECK_INT(json_array_size(J), 1);
	CHECK_STR(jstr(json_array_get(J, 0), "kind"), "ack");
	CHECK_INT(SP("ticket", "show", "INT-2026-00002"), 66);
	done();
}

/* Garbage is kept, exit 0, and listed in quarantine with its reason. */
static void
test_mail_in_garbage_quarantined_and_listed(void)
{
	json_t *row;
	char id[32];

	CHECK(seed());
	CHECK(OK("mail-in", mail_in(T0, "11-garbage.eml")));
	CHECK(strncmp(R.out.ptr, "quarantined", 11) == 0);
	CHECK(OK("list", SP("--json", "mail", "list", "--state", "quarantined")));
	CHECK(out_json() != NULL);
	CHECK_INT(json_array_size(J), 1);
	row = json_array_get(J, 0);
	CHECK_STR(jstr(row, "state"), "quarantined");
	CHECK_STR(jstr(row, "source"), "mail-in");
	CHECK_HAS(jstr(row, "reason"), "RFC 5322");
	CHECK_INT(json_integer_value(json_object_get(row, "size")), 700);
	snprintf(id, sizeof id, "%lld",
		 (long long)json_integer_value(json_object_get(row, "id")));
	/* show: the reason and, with --raw, the very bytes received. */
	CHECK(OK("show", SP("mail", "show", id)));
	CHECK_HAS(R.out.ptr, "quarantined");
	CHECK_HAS(R.out.ptr, "RFC 5322");
	CHECK(OK("show --raw", SP("mail", "show", id, "--raw")));
	{
		struct buf orig;

		CHECK(corpus(&orig, "11-garbage.eml"));
		CHECK_INT(R.out.len, orig.len);
		CHECK(memcmp(R.out.ptr, orig.ptr, orig.len) == 0);
		buf_free(&orig);
	}
	CHECK_INT(SP("mail", "show", "999"), 66);
	/* Retry: still not a message; still kept. */
	CHECK(OK("retry", SP("mail", "retry", id)));
	CHECK(strncmp(R.out.ptr, "quarantined", 11) == 0);
	CHECK(OK("list", SP("--json", "mail", "list", "--state", "quarantined")));
	CHECK(out_json() != NULL);
	CHECK_INT(json_array_size(J), 1);
	CHECK(OK("list", SP("--json", "mail", "list", "--state", "processed")));
	CHECK(out_json() != NULL);
	CHECK_INT(json_array_size(J), 0);
	/* A state that does not exist is a usage error, not an empty list. */
	CHECK_INT(SP("mail", "list", "--state", "quarantine"), 64);
	CHECK_HAS(R.err.ptr, "--state 'quarantine' is not one of");
	done();
}

/* A database locked by another writer: 75 so the MTA retries, nothing
 * stored; once released the same message goes in. */
static void
test_mail_in_locked_db_exit_75_then_accepted(void)
{
	sqlite3 *s;
	int rc;

	CHECK(seed());
	CHECK_INT(sqlite3_open(db, &s), SQLITE_OK);
	if (sqlite3_exec(s, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK) {
		t_fail(__FILE__, __LINE__, "BEGIN EXCLUSIVE: %s",
		       sqlite3_errmsg(s));
		sqlite3_close(s);
		return;
	}
	rc = mail_in(T0, "04-iphone-base64-jpg.eml");
	sqlite3_exec(s, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s);
	CHECK_INT(rc, 75);
	CHECK(R.out.len == 0);
	CHECK(OK("list", SP("--json", "mail", "list")));
	CHECK(out_json() != NULL);
	CHECK_INT(json_array_size(J), 0);
	CHECK(OK("mail-in", mail_in("2026-03-09T10:05:00-06:00",
				    "04-iphone-base64-jpg.eml")));
	CHECK_STR(R.out.ptr, "new_ticket INT-2026-00001\n");
	done();
}

/* ---- mail-import -------------------------------------------------------- */

/* A Maildir (cur/ and new/): counts per result; loading it again
 * changes nothing. */
static void
test_mail_import_maildir_twice(void)
{
	char dir[600], path[800];

	CHECK(seed());
	snprintf(dir, sizeof dir, "%s", fx_path("Maildir"));
	CHECK(mkdir(dir, 0700) == 0);
	snprintf(path, sizeof path, "%s/cur", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/new", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/tmp", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/cur/1773074530.M1P2041.mail:2,S", dir);
	CHECK(copy_corpus("01-outlook-html-win1252.eml", path));
	snprintf(path, sizeof path, "%s/new/1773071921.M2P2041.mail", dir);
	CHECK(copy_corpus("04-iphone-base64-jpg.eml", path));
	snprintf(path, sizeof path, "%s/new/1773061201.M3P2041.mail", dir);
	CHECK(copy_corpus("08-mailing-list.eml", path));
	CHECK(OK("import", SP("mail-import", dir)));
	CHECK_STR(R.out.ptr, "3 messages: 2 new tickets, 0 replies, 0 "
		  "duplicates, 1 ignored, 0 refused, 0 quarantined, 0 failed\n");
	CHECK(OK("import", SP_AT("2026-03-09T11:00:00-06:00", "mail-import",
				 dir)));
	CHECK_STR(R.out.ptr, "3 messages: 0 new tickets, 0 replies, 3 "
		  "duplicates, 0 ignored, 0 refused, 0 quarantined, 0 failed\n");
	CHECK(OK("show", SP("ticket", "show", "INT-2026-00002")));
	CHECK_INT(SP("ticket", "show", "INT-2026-00003"), 66);
	done();
}

/* An mbox of three messages, one with a ">From " line (mboxrd): each
 * split right and unquoted; loading it again changes nothing. */
static void
test_mail_import_mbox_from_quoting_twice(void)
{
	struct buf mbox, m;
	const char *path = fx_path("archivo.mbox");
	json_t *msgs;
	const char *body;
	bool ok;

	CHECK(seed());
	buf_init(&mbox, 1 << 20);
	ok = corpus(&m, "12-credential-in-body.eml");
	buf_adds(&mbox, "From jramirez@laesperanza.com.mx Mon Mar  9 10:40:02 "
		 "2026\n");
	buf_add(&mbox, m.ptr, m.len);
	buf_free(&m);
	ok = ok && corpus(&m, "09-encoded-words.eml");
	buf_adds(&mbox, "\nFrom igomez@talleresgomez.com.mx Mon Mar  9 10:22:47 "
		 "2026\n");
	buf_add(&mbox, m.ptr, m.len);
	buf_free(&m);
	buf_adds(&mbox, "\nFrom licencias@distribuidorasw.com.mx Mon Mar  9 "
		 "11:00:00 2026\n"
		 "From: Licencias <licencias@distribuidorasw.com.mx>\n"
		 "To: soporte@intecnia.com.mx\n"
		 "Subject: Licencia vencida del antivirus\n"
		 "Message-ID: <lic-0309@distribuidorasw.com.mx>\n"
		 "Date: Mon, 9 Mar 2026 11:00:00 -0600\n"
		 "MIME-Version: 1.0\n"
		 "Content-Type: text/plain; charset=UTF-8\n"
		 "Content-Transfer-Encoding: 8bit\n\n"
		 "Buenas tardes:\n\n"
		 ">From what we can see, the license expired on March 1st.\n"
		 ">>From the console: 12 equipos sin protección.\n"
		 "Saludos.\n");
	ok = ok && fx_write_file(path, mbox.ptr, mbox.len);
	buf_free(&mbox);
	CHECK(ok);
	CHECK(OK("import", SP("mail-import", path)));
	CHECK_STR(R.out.ptr, "3 messages: 3 new tickets, 0 replies, 0 "
		  "duplicates, 0 ignored, 0 refused, 0 quarantined, 0 failed\n");
	CHECK(OK("show", SP("--json", "ticket", "show", "INT-2026-00003")));
	CHECK(out_json() != NULL);
	CHECK_STR(jstr(J, "subject"), "Licencia vencida del antivirus");
	msgs = json_object_get(J, "messages");
	CHECK(json_array_size(msgs) >= 1);
	body = jstr(json_array_get(msgs, 0), "body");
	CHECK_HAS(body, "Buenas tardes:\n\nFrom what we can see, the license "
		  "expired on March 1st.\n>From the console: 12 equipos");
	/* The first message ends where the second starts. */
	CHECK(OK("show", SP("--json", "ticket", "show", "INT-2026-00001")));
	CHECK(out_json() != NULL);
	body = jstr(json_array_get(json_object_get(J, "messages"), 0), "body");
	CHECK_HAS(body, "Contraseña: Xy12!");
	CHECK(strstr(body, "igomez") == NULL);
	CHECK(strstr(body, "Tehuacán") == NULL);
	CHECK(OK("import", SP_AT("2026-03-09T12:00:00-06:00", "mail-import",
				 path)));
	CHECK_STR(R.out.ptr, "3 messages: 0 new tickets, 0 replies, 3 "
		  "duplicates, 0 ignored, 0 refused, 0 quarantined, 0 failed\n");
	done();
}

/* ---- mail-send against a real SMTP sink ------------------------------ */

struct sink {
	pid_t pid;
	int port;
	char dir[600];
	char url[64];
};

static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool
port_accepts(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	if (fd < 0)
		return false;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
sink_stop(struct sink *s)
{
	int st;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return;
		}
		nap_ms(50);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
}

/* python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox
 * DIR: every message it takes is a file in DIR/new. Waits (at most 20 s)
 * until the port accepts. */
static bool
sink_start(struct sink *s, const char *name)
{
	char listen[64], log[700];
	pid_t pid;

	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "%s", fx_path(name));
	snprintf(log, sizeof log, "%s.log", s->dir);
	if ((s->port = free_port()) <= 0) {
		t_fail(__FILE__, __LINE__, "no free port");
		return false;
	}
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	snprintf(s->url, sizeof s->url, "smtp://127.0.0.1:%d", s->port);
	pid = fork();
	if (pid < 0) {
		t_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		const char *py = getenv("SOPORTE_PYTHON");
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		/* Debian's python3-aiosmtpd lives with /usr/bin/python3. */
		if (py && *py)
			execlp(py, py, "-m", "aiosmtpd", "-n", "-l", listen, "-c",
			       "aiosmtpd.handlers.Mailbox", s->dir, (char *)NULL);
		execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n",
		      "-l", listen, "-c", "aiosmtpd.handlers.Mailbox", s->dir,
		      (char *)NULL);
		execlp("python3", "python3", "-m", "aiosmtpd", "-n", "-l",
		       listen, "-c", "aiosmtpd.handlers.Mailbox", s->dir,
		       (char *)NULL);
		_exit(127);
	}
	s->pid = pid;
	for (int i = 0; i < 400; i++) {
		int st;

		if (port_accepts(s->port))
			return true;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			struct buf l;

			s->pid = 0;
			fx_read_file(log, &l);
			t_fail(__FILE__, __LINE__, "the SMTP sink (python3 -m "
			       "aiosmtpd) exited: %s", l.ptr);
			buf_free(&l);
			return false;
		}
		nap_ms(50);
	}
	t_fail(__FILE__, __LINE__, "the SMTP sink did not listen on %s in 20 s",
	       listen);
	sink_stop(s);
	return false;
}

/* The messages the sink holds: their count; the first one's bytes in
 * first (initialised here) when there is one. */
static int
sink_messages(const struct sink *s, struct buf *first)
{
	char dir[700];
	struct dirent **names;
	int n, k = 0;

	buf_init(first, 16 << 20);
	snprintf(dir, sizeof dir, "%s/new", s->dir);
	n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			if (k++ == 0) {
				char path[1000];

				snprintf(path, sizeof path, "%s/%s", dir,
					 names[i]->d_name);
				buf_free(first);
				fx_read_file(path, first);
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return k;
}

/* Whether the header block of raw message bytes has a field `name`
 * (e.g. "To") whose first line holds `needle`. */
static bool
header_has(const char *raw, const char *name, const char *needle)
{
	size_t n = strlen(name);
	const char *p = raw;

	while (p && *p && !(p[0] == '\n' || (p[0] == '\r' && p[1] == '\n'))) {
		const char *nl = strchr(p, '\n');

		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char line[1024];

			snprintf(line, sizeof line, "%.*s",
				 (int)(len < 1000 ? len : 1000), p);
			if (strstr(line, needle))
				return true;
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

/* The first outbox row of the last `mail outbox --json` with this kind. */
static json_t *
outbox_row(const char *kind)
{
	if (out_json() == NULL)
		return NULL;
	for (size_t i = 0; i < json_array_size(J); i++)
		if (strcmp(jstr(json_array_get(J, i), "kind"), kind) == 0)
			return json_array_get(J, i);
	return NULL;
}

#define CUSTOMER_MID "CAH3q9xZ0p1v2Qm4N-aKt7eR@mail.laesperanza.com.mx"

/* The sink is up: the ack goes out threaded, marked automatic, with the
 * folio and without the customer's password; the customer's reply to it
 * threads by its Message-ID. */
static void
smtp_delivers_ack(struct sink *s)
{
	struct buf raw, reply;
	struct mime_msg *m = NULL;
	struct sp_err err = { 0 };
	json_t *row;
	char mid[200] = "";
	bool refs = false;

	CHECK(OK("mail-in", mail_in(T0, "12-credential-in-body.eml")));
	CHECK_STR(R.out.ptr, "new_ticket INT-2026-00001\n");
	CHECK(OK("send", SP_AT("2026-03-09T10:05:00-06:00", "mail-send",
			       "--smtp", s->url)));
	CHECK_STR(R.out.ptr, "outbox: 1 sent, 0 failed (retried later)\n");
	CHECK_INT(sink_messages(s, &raw), 1);
	/* The envelope (aiosmtpd records it) and the headers. */
	if (!header_has(raw.ptr, "X-RcptTo", "jramirez@laesperanza.com.mx") ||
	    !header_has(raw.ptr, "X-MailFrom", "soporte@intecnia.com.mx") ||
	    !header_has(raw.ptr, "To", "<jramirez@laesperanza.com.mx>") ||
	    !header_has(raw.ptr, "From", "<soporte@intecnia.com.mx>") ||
	    !header_has(raw.ptr, "Auto-Submitted", "auto-replied") ||
	    !header_has(raw.ptr, "Message-Id", "<soporte.intecnia.") ||
	    mime_parse(&m, raw.ptr, raw.len, &err)) {
		t_fail(__FILE__, __LINE__, "the message the sink got:\n%s",
		       raw.ptr);
		buf_free(&raw);
		mime_free(m);
		return;
	}
	buf_free(&raw);
	CHECK_STR(m->mail.from_addr, "soporte@intecnia.com.mx");
	CHECK_HAS(m->mail.subject, "[INT-2026-00001]");
	CHECK_HAS(m->mail.subject, "Acceso remoto para revisar el servidor");
	CHECK(m->mail.message_id != NULL);
	CHECK(strncmp(m->mail.message_id, "soporte.intecnia.", 17) == 0);
	snprintf(mid, sizeof mid, "%s", m->mail.message_id);
	CHECK_STR(m->mail.in_reply_to, CUSTOMER_MID);
	for (size_t i = 0; i < m->mail.nreferences; i++)
		if (strcmp(m->mail.references[i], CUSTOMER_MID) == 0)
			refs = true;
	CHECK(refs);
	CHECK(m->mail.auto_submitted);
	CHECK_HAS(m->mail.text, "INT-2026-00001");
	CHECK(strstr(m->mail.text, "Xy12!") == NULL);
	mime_free(m);
	m = NULL;
	/* The outbox says sent. */
	CHECK(OK("outbox", SP("--json", "mail", "outbox", "INT-2026-00001")));
	CHECK((row = outbox_row("ack")) != NULL);
	CHECK_STR(jstr(row, "state"), "sent");
	CHECK_STR(jstr(row, "to"), "jramirez@laesperanza.com.mx");
	CHECK_INT(json_integer_value(json_object_get(row, "attempts")), 1);
	CHECK(json_is_null(json_object_get(row, "error")) ||
	      json_object_get(row, "error") == NULL);
	/* The customer answers the mail as received (no folio kept in the
	 * subject): its In-Reply-To threads it. */
	buf_init(&reply, 1 << 20);
	buf_printf(&reply, "From: =?UTF-8?Q?Jos=C3=A9_=C3=81ngel?= "
		   "<jramirez@laesperanza.com.mx>\nTo: soporte@intecnia.com.mx\n"
		   "Subject: Re: Acceso remoto\nMessage-ID: <re-1@laesperanza."
		   "com.mx>\nIn-Reply-To: <%s>\nReferences: <%s>\nDate: Mon, 9 "
		   "Mar 2026 10:20:00 -0600\nMIME-Version: 1.0\nContent-Type: "
		   "text/plain; charset=UTF-8\n\nYa pueden entrar.\n", mid, mid);
	CHECK_INT(SPI_AT("2026-03-09T10:20:00-06:00", reply.ptr, "mail-in"), 0);
	buf_free(&reply);
	CHECK_STR(R.out.ptr, "reply INT-2026-00001\n");
	/* Sending again sends nothing new. */
	CHECK(OK("send", SP_AT("2026-03-09T10:21:00-06:00", "mail-send",
			       "--smtp", s->url)));
	CHECK_STR(R.out.ptr, "outbox: 0 sent, 0 failed (retried later)\n");
	CHECK_INT(sink_messages(s, &raw), 1);
	buf_free(&raw);
}

/* The sink is down: 75, the message stays pending with its attempt and
 * error, and is not sent again before its back-off (1 minute). */
static void
smtp_down_keeps_pending(const char *url)
{
	json_t *row;

	CHECK(OK("mail-in", mail_in("2026-03-09T10:30:00-06:00",
				    "04-iphone-base64-jpg.eml")));
	CHECK_STR(R.out.ptr, "new_ticket INT-2026-00002\n");
	CHECK_INT(SP_AT("2026-03-09T10:31:00-06:00", "mail-send", "--smtp",
			url), 75);
	CHECK_STR(R.out.ptr, "outbox: 0 sent, 1 failed (retried later)\n");
	CHECK(OK("outbox", SP("--json", "mail", "outbox", "INT-2026-00002")));
	CHECK((row = outbox_row("ack")) != NULL);
	CHECK_STR(jstr(row, "state"), "pending");
	CHECK_INT(json_integer_value(json_object_get(row, "attempts")), 1);
	CHECK(jstr(row, "error") != NULL && *jstr(row, "error"));
}

/* Up again: before the retry time nothing goes; at now + 2 minutes the
 * message is sent. */
static void
smtp_retry_after_backoff(struct sink *s)
{
	struct buf raw;
	struct mime_msg *m = NULL;
	struct sp_err err = { 0 };
	json_t *row;

	CHECK(OK("send", SP_AT("2026-03-09T10:31:30-06:00", "mail-send",
			       "--smtp", s->url)));
	CHECK_STR(R.out.ptr, "outbox: 0 sent, 0 failed (retried later)\n");
	CHECK_INT(sink_messages(s, &raw), 0);
	buf_free(&raw);
	CHECK(OK("send", SP_AT("2026-03-09T10:33:00-06:00", "mail-send",
			       "--smtp", s->url)));
	CHECK_STR(R.out.ptr, "outbox: 1 sent, 0 failed (retried later)\n");
	CHECK_INT(sink_messages(s, &raw), 1);
	if (mime_parse(&m, raw.ptr, raw.len, &err)) {
		t_fail(__FILE__, __LINE__, "%s", err.msg);
		buf_free(&raw);
		return;
	}
	buf_free(&raw);
	CHECK_HAS(m->mail.subject, "[INT-2026-00002]");
	CHECK_STR(m->mail.in_reply_to,
		  "8E2B7C1A-4D3F-4E6A-B9C8-7F1E2D3C4B5A@clinicadelvalle.mx");
	mime_free(m);
	CHECK(OK("outbox", SP("--json", "mail", "outbox", "INT-2026-00002")));
	CHECK((row = outbox_row("ack")) != NULL);
	CHECK_STR(jstr(row, "state"), "sent");
	CHECK_INT(json_integer_value(json_object_get(row, "attempts")), 2);
}

static void
test_mail_send_smtp_sink_retry_after_failure(void)
{
	struct sink s;
	char down_url[64];

	CHECK(seed());
	if (!sink_start(&s, "sink1"))
		return;
	smtp_delivers_ack(&s);
	sink_stop(&s);
	if (t_current_failed)
		return;
	/* The same address, nobody listening now. */
	snprintf(down_url, sizeof down_url, "%s", s.url);
	CHECK(!port_accepts(s.port));
	smtp_down_keeps_pending(down_url);
	if (t_current_failed)
		return;
	if (!sink_start(&s, "sink2"))
		return;
	smtp_retry_after_backoff(&s);
	sink_stop(&s);
	done();
}

const struct test cli_mail_tests[] = {
	{ "mail_in_new_ticket_then_duplicate",
	  test_mail_in_new_ticket_then_duplicate },
	{ "mail_in_garbage_quarantined_and_listed",
	  test_mail_in_garbage_quarantined_and_listed },
	{ "mail_in_locked_db_exit_75_then_accepted",
	  test_mail_in_locked_db_exit_75_then_accepted },
	{ "mail_import_maildir_twice", test_mail_import_maildir_twice },
	{ "mail_import_mbox_from_quoting_twice",
	  test_mail_import_mbox_from_quoting_twice },
	{ "mail_send_smtp_sink_retry_after_failure",
	  test_mail_send_smtp_sink_retry_after_failure },
	{ 0 },
};
