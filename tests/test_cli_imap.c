/* test_cli_imap.c — mail-fetch against a real Dovecot on 127.0.0.1,
 * started by the test with its own configuration and Maildir. */
#include "fixture.h"
#include "test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char message[] =
	"From: =?ISO-8859-1?Q?Luis_L=F3pez?= <luis@ferre.mx>\r\n"
	"To: soporte@intecnia.com.mx\r\n"
	"Subject: =?UTF-8?B?Tm8gYWJyZSBlbCBtw7NkdWxv?=\r\n"
	"Message-ID: <imap-1@ferre.mx>\r\n"
	"Date: Tue, 10 Mar 2026 10:00:00 -0600\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: text/plain; charset=UTF-8\r\n"
	"\r\n"
	"El módulo no abre desde ayer.\r\n";

static bool
port_open(int port)
{
	struct sockaddr_in a = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/new/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	if (chown(path, 65534, 65534) != 0)
		return;
}

/* How many messages of the Maildir carry the \Seen flag (",S"). */
static int
seen_count(const char *maildir)
{
	char cur[1024];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(cur, sizeof cur, "%s/cur", maildir);
	d = opendir(cur);
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ":2,") && strchr(strstr(e->d_name, ":2,"), 'S'))
			n++;
	if (d)
		closedir(d);
	return n;
}

static int
start_dovecot(char *conf, size_t size, char *maildir, size_t msize, int *port)
{
	const char *dir = t_tmpdir();
	char base[600];
	FILE *f;

	*port = 20000 + (int)(getpid() % 20000);
	snprintf(maildir, msize, "%s/Maildir", dir);
	snprintf(base, sizeof base, "%s/run", dir);
	snprintf(conf, size, "%s/dovecot.conf", dir);
	if (chmod(dir, 0755) != 0)
		return -1;
	mkdir(maildir, 0700);
	mkdir(base, 0755);
	for (int i = 0; i < 3; i++) {
		static const char *const sub[] = { "cur", "new", "tmp" };
		char p[1024];

		snprintf(p, sizeof p, "%s/%s", maildir, sub[i]);
		mkdir(p, 0700);
		if (chown(p, 65534, 65534) != 0)
			return -1;
	}
	if (chown(maildir, 65534, 65534) != 0)
		return -1;
	f = fopen(conf, "w");
	if (f == NULL)
		return -1;
	fprintf(f,
		"protocols = imap\nlisten = 127.0.0.1\nssl = no\n"
		"disable_plaintext_auth = no\nauth_mechanisms = plain login\n"
		"mail_location = maildir:%s\nbase_dir = %s\n"
		"log_path = %s/dovecot.log\n"
		"passdb {\n  driver = static\n  args = password=secret\n}\n"
		"userdb {\n  driver = static\n"
		"  args = uid=65534 gid=65534 home=%s\n}\n"
		"service imap-login {\n  chroot =\n"
		"  inet_listener imap {\n    address = 127.0.0.1\n"
		"    port = %d\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n"
		"service anvil {\n  chroot =\n}\n"
		"service stats {\n  inet_listener http {\n    port = 0\n  }\n}\n",
		maildir, base, dir, dir, *port);
	fclose(f);
	{
		char cmd[1200];

		snprintf(cmd, sizeof cmd, "dovecot -c '%s'", conf);
		if (system(cmd) != 0)
			return -1;
	}
	for (int i = 0; i < 100 && !port_open(*port); i++)
		usleep(50 * 1000);
	return port_open(*port) ? 0 : -1;
}

static void
stop_dovecot(const char *conf)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "dovecot -c '%s' stop >/dev/null 2>&1", conf);
	if (system(cmd) != 0)
		fprintf(stderr, "could not stop dovecot\n");
}

/* Nothing lost: a message is seen only once committed; one that could
 * not be committed (a locked database) stays unseen for the next run. */
static void
fetch_scenario(const char *maildir, const char *url)
{
	const char *db = fx_path("f.db");
	struct fx_run r;
	sqlite3 *lock;

	setenv("SOPORTE_IMAP_USER", "soporte", 1);
	setenv("SOPORTE_IMAP_PASS", "secret", 1);
	fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(), "--now",
	       "2026-03-10T09:00:00", "init", "--pack", "intecnia", NULL);
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "org", "add", "--name", "F", NULL);
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "contact", "add", "--name", "Luis",
	       "--email", "luis@ferre.mx", "--org", "F", NULL);
	fx_run_free(&r);
	put(maildir, "1.eml", message);
	put(maildir, "2.eml", "\x01\x02 no es un correo\r\n");
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T10:00:00",
			 "--json", "mail-fetch", "--imap", url, NULL), 0);
	CHECK_HAS(r.out.ptr, "\"fetched\": 2");
	CHECK_HAS(r.out.ptr, "\"new_tickets\": 1");
	CHECK_HAS(r.out.ptr, "\"quarantined\": 1");
	fx_run_free(&r);
	CHECK_INT(seen_count(maildir), 2);
	/* Again: nothing unseen, nothing taken twice. */
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--json", "mail-fetch", "--imap",
			 url, NULL), 0);
	CHECK_HAS(r.out.ptr, "\"fetched\": 0");
	fx_run_free(&r);
	/* A third message while the database is locked: not committed, so
	 * left unseen; taken once the lock is gone. */
	put(maildir, "3.eml",
	    "From: luis@ferre.mx\r\nTo: soporte@intecnia.com.mx\r\n"
	    "Subject: Otra falla\r\nMessage-ID: <imap-3@ferre.mx>\r\n\r\nHola\r\n");
	CHECK_INT(sqlite3_open(db, &lock), SQLITE_OK);
	CHECK_INT(sqlite3_exec(lock, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
		  SQLITE_OK);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "mail-fetch", "--imap", url,
			 NULL), 75);
	fx_run_free(&r);
	sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(lock);
	CHECK_INT(seen_count(maildir), 2);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T11:00:00",
			 "--json", "mail-fetch", "--imap", url, NULL), 0);
	CHECK_HAS(r.out.ptr, "\"fetched\": 1");
	fx_run_free(&r);
	CHECK_INT(seen_count(maildir), 3);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--json", "ticket", "list", NULL), 0);
	CHECK_HAS(r.out.ptr, "Otra falla");
	CHECK_HAS(r.out.ptr, "No abre el módulo");
	fx_run_free(&r);
	/* A wrong password is a clear, temporary failure. */
	setenv("SOPORTE_IMAP_PASS", "wrong", 1);
	CHECK(fx_cli(&r, NULL, "--db", db, "mail-fetch", "--imap", url, NULL) == 75);
	CHECK_HAS(r.err.ptr, "imap");
	fx_run_free(&r);
}

static void
test_mail_fetch_marks_seen_only_after_commit(void)
{
	char conf[700], maildir[700], url[128];
	int port;

	if (geteuid() != 0) {
		/* Dovecot switches to the mail user: it needs root here. */
		t_fail(__FILE__, __LINE__, "run as root: Dovecot needs it");
		return;
	}
	if (start_dovecot(conf, sizeof conf, maildir, sizeof maildir,
			  &port) != 0) {
		stop_dovecot(conf);
		t_fail(__FILE__, __LINE__, "Dovecot did not start on 127.0.0.1");
		return;
	}
	snprintf(url, sizeof url, "imap://127.0.0.1:%d/INBOX", port);
	/* The scenario may stop at a failed check; Dovecot stops anyway. */
	fetch_scenario(maildir, url);
	stop_dovecot(conf);
}

const struct test cli_imap_tests[] = {
	{ "mail_fetch_marks_seen_only_after_commit", test_mail_fetch_marks_seen_only_after_commit },
	{ 0 },
};
