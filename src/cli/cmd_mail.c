/* cmd_mail.c — soporte mail-in, mail-import, mail-send, mail list|retry. */
#include "cli.h"

#include "../mail/imap.h"
#include "../mail/intake.h"
#include "../mail/smtp.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define MAIL_MAX (25 << 20)

static const char mail_in_usage[] =
	"usage: soporte [--db PATH] [--provider ID] mail-in < message.eml\n"
	"Takes one RFC 5322 message on standard input, as an MTA pipe does\n"
	"(Postfix alias or .forward). Exit 0 only once the message is committed\n"
	"(a ticket, a reply, or kept in quarantine for an agent); 75 on a\n"
	"temporary fault (database locked, disk full) so the MTA retries; 65\n"
	"when the message is too large (25 MiB) and is bounced.\n";

static int
status_for(int code)
{
	/* Anything that might pass on a retry is temporary for the MTA:
	 * mail is never lost to a misconfiguration or a lock. */
	return code == SP_ETOOBIG || code == SP_EINVAL ? EX_DATAERR
						       : EX_TEMPFAIL;
}

static void
print_outcome(struct cli *c, const struct mail_outcome *o)
{
	if (c->json)
		cli_print_json(json_pack("{s:s, s:s, s:s, s:I}", "result",
					 app_mail_result_name(o->result), "folio",
					 o->folio, "reason", o->reason, "raw_id",
					 (json_int_t)o->raw_id));
	else
		printf("%s%s%s%s%s\n", app_mail_result_name(o->result),
		       o->folio[0] ? " " : "", o->folio,
		       o->reason[0] ? ": " : "", o->reason);
}

int
cli_mail_in(struct cli *c, int argc, char **argv)
{
	struct mail_outcome o;
	struct sp_err err = { 0 };
	struct app *app;
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc;

	if (cli_wants_help(argc, argv)) {
		fputs(mail_in_usage, stdout);
		return 0;
	}
	buf_init(&b, MAIL_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (buf_add(&b, chunk, n)) {
			buf_free(&b);
			fprintf(stderr, "soporte: message larger than 25 MiB\n");
			return EX_DATAERR;
		}
	if (ferror(stdin)) {
		buf_free(&b);
		fprintf(stderr, "soporte: error reading the message\n");
		return EX_TEMPFAIL;
	}
	if (app_open(&app, c->db, c->provider, &err)) {
		buf_free(&b);
		fprintf(stderr, "soporte: %s\n", err.msg);
		return EX_TEMPFAIL;
	}
	if (c->now_text)
		zone_parse(app->zone, &c->now, c->now_text);
	rc = mail_intake(app, &o, c->now, b.ptr, b.len, "mail-in", &err);
	app_close(app);
	buf_free(&b);
	if (rc) {
		fprintf(stderr, "soporte: %s\n", err.msg);
		return status_for(rc);
	}
	print_outcome(c, &o);
	return 0;
}

/* ---- mail-import: a Maildir or an mbox ----------------------------- */

static const char import_usage[] =
	"usage: soporte mail-import PATH\n"
	"Loads every message of a Maildir (PATH/cur and PATH/new) or an mbox\n"
	"file through the same intake as mail-in, for migrations and batch\n"
	"loads. A progress bar shows on a terminal; at the end, a count per\n"
	"result. Loading the same messages again changes nothing.\n";

struct import_stats {
	int total, done, failed;
	int by[MAIL_QUARANTINED + 1];
};

static void
progress(const struct import_stats *s)
{
	int width = 30, fill = s->total ? s->done * width / s->total : 0;

	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r[%.*s%*s] %d/%d", fill,
		"##############################", width - fill, "", s->done,
		s->total);
	if (s->done == s->total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int
import_one(struct cli *c, struct app *app, const char *data, size_t len,
	   struct import_stats *s)
{
	struct mail_outcome o;
	struct sp_err err = { 0 };
	int rc = mail_intake(app, &o, c->now, data, len, "mail-import", &err);

	s->done++;
	if (rc) {
		s->failed++;
		fprintf(stderr, "%ssoporte: message %d: %s\n",
			isatty(STDERR_FILENO) ? "\n" : "", s->done, err.msg);
		return rc;
	}
	s->by[o.result]++;
	progress(s);
	return 0;
}

static int
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return -1;
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(b, chunk, n)) {
			fclose(f);
			return -2;
		}
	fclose(f);
	return 0;
}

static int
import_maildir(struct cli *c, struct app *app, const char *path,
	       struct import_stats *s)
{
	static const char *const sub[] = { "cur", "new" };
	struct buf b;
	int bad = 0;

	/* Count first, for the progress bar. */
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < 2; k++) {
			char dir[4096];
			struct dirent **names;
			int n;

			snprintf(dir, sizeof dir, "%s/%s", path, sub[k]);
			n = scandir(dir, &names, NULL, alphasort);
			for (int i = 0; i < n; i++) {
				char file[8192];

				if (names[i]->d_name[0] != '.') {
					if (pass == 0) {
						s->total++;
					} else {
						snprintf(file, sizeof file, "%s/%s",
							 dir, names[i]->d_name);
						buf_init(&b, MAIL_MAX);
						if (read_file(file, &b) == 0)
							bad |= import_one(c, app,
								b.ptr, b.len, s) != 0;
						else {
							s->done++;
							s->failed++;
							fprintf(stderr, "soporte: "
								"cannot read %s (or "
								"over 25 MiB)\n", file);
						}
						buf_free(&b);
					}
				}
				free(names[i]);
			}
			if (n >= 0)
				free(names);
		}
	return bad;
}

/* mbox: messages start at lines "From " at the start of the file or
 * after a blank line; ">From " lines are unquoted (mboxrd). */
static int
import_mbox(struct cli *c, struct app *app, const char *path,
	    struct import_stats *s)
{
	struct buf file, msg;
	const char *p, *end;
	int bad = 0;

	buf_init(&file, (size_t)4 << 30);
	if (read_file(path, &file)) {
		buf_free(&file);
		fprintf(stderr, "soporte: cannot read %s\n", path);
		return 1;
	}
	end = file.ptr + file.len;
	for (int pass = 0; pass < 2; pass++) {
		p = file.ptr;
		buf_init(&msg, MAIL_MAX);
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *next = nl ? nl + 1 : end;
			bool from = (size_t)(end - p) >= 5 && strncmp(p, "From ", 5) == 0 &&
				    (p == file.ptr || (p >= file.ptr + 2 && p[-2] == '\n'));

			if (from) {
				if (msg.len && pass == 1)
					bad |= import_one(c, app, msg.ptr, msg.len, s) != 0;
				if (pass == 0)
					s->total++;
				buf_reset(&msg);
			} else if (pass == 1) {
				const char *q = p;

				while (q < next && *q == '>')
					q++;
				if (q > p && (size_t)(next - q) >= 5 &&
				    strncmp(q, "From ", 5) == 0)
					p++;
				buf_add(&msg, p, (size_t)(next - p));
			}
			p = next;
		}
		if (pass == 1 && msg.len)
			bad |= import_one(c, app, msg.ptr, msg.len, s) != 0;
		buf_free(&msg);
	}
	buf_free(&file);
	return bad;
}

int
cli_mail_import(struct cli *c, int argc, char **argv)
{
	struct import_stats s = { 0 };
	struct sp_err err = { 0 };
	struct stat sb;
	struct app *app;
	int rc, bad;

	if (argc != 2 || cli_wants_help(argc, argv)) {
		fputs(import_usage, argc != 2 ? stderr : stdout);
		return argc != 2 ? EX_USAGE : 0;
	}
	if (stat(argv[1], &sb) != 0) {
		fprintf(stderr, "soporte: no such file or folder %s\n", argv[1]);
		return EX_NOINPUT;
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	bad = S_ISDIR(sb.st_mode) ? import_maildir(c, app, argv[1], &s)
				  : import_mbox(c, app, argv[1], &s);
	app_close(app);
	(void)err;
	if (c->json)
		cli_print_json(json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
			"messages", s.total, "new_tickets", s.by[MAIL_NEW_TICKET],
			"replies", s.by[MAIL_REPLY], "duplicates",
			s.by[MAIL_DUPLICATE], "ignored", s.by[MAIL_IGNORED],
			"refused", s.by[MAIL_REFUSED], "quarantined",
			s.by[MAIL_QUARANTINED], "failed", s.failed));
	else
		printf("%d messages: %d new tickets, %d replies, %d duplicates, "
		       "%d ignored, %d refused, %d quarantined, %d failed\n",
		       s.total, s.by[MAIL_NEW_TICKET], s.by[MAIL_REPLY],
		       s.by[MAIL_DUPLICATE], s.by[MAIL_IGNORED],
		       s.by[MAIL_REFUSED], s.by[MAIL_QUARANTINED], s.failed);
	return bad ? EX_TEMPFAIL : 0;
}

/* ---- mail-send, mail list|retry ------------------------------------ */

static const char send_usage[] =
	"usage: soporte [--db PATH] mail-send [--smtp URL]\n"
	"Sends the outbox by SMTP: acknowledgements, replies, waiting and\n"
	"closing notices, consumption reports. Failures are retried after 1,\n"
	"5 and 30 minutes, 2 and 6 hours, then given up. The server comes from\n"
	"--smtp or SOPORTE_SMTP_URL (smtp://127.0.0.1:25 by default), with\n"
	"SOPORTE_SMTP_USER and SOPORTE_SMTP_PASS (credentials only over TLS).\n";

int
cli_mail_send(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "smtp", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct smtp_conf conf;
	struct send_report r;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc;

	smtp_conf_from_env(&conf);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 's')
			conf.url = optarg;
		else if (ch == 'h') {
			fputs(send_usage, stdout);
			return 0;
		} else
			return cli_usage(send_usage, "bad option");
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = smtp_flush(app, &conf, c->now, &r, &err);
	app_close(app);
	if (rc)
		return cli_fail(&err);
	if (c->json)
		cli_print_json(json_pack("{s:i, s:i}", "sent", r.sent, "failed",
					 r.failed));
	else
		printf("outbox: %d sent, %d failed (retried later)\n", r.sent,
		       r.failed);
	return r.failed ? EX_TEMPFAIL : 0;
}

static const char mail_usage[] =
	"usage: soporte [--json] mail list [--state quarantined|ignored|refused|...]\n"
	"       soporte [--json] mail show ID [--raw]\n"
	"       soporte mail retry ID\n"
	"       soporte [--json] mail outbox [FOLIO]\n"
	"list   the raw messages received (quarantine: those that could not be\n"
	"       understood; kept, never dropped)\n"
	"show   one kept message: its state, reason and ticket; --raw writes\n"
	"       the message exactly as received to standard output\n"
	"retry  runs a kept message through intake again\n"
	"outbox the messages queued or sent to customers\n";

int
cli_mail(struct cli *c, int argc, char **argv)
{
	struct sp_err err = { 0 };
	struct app *app;
	struct arena a;
	int rc = 0;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(mail_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	arena_init(&a, 0);
	if (strcmp(argv[1], "list") == 0) {
		struct raw_mail_row *r;
		const char *state = argc >= 4 && strcmp(argv[2], "--state") == 0 ?
				    argv[3] : NULL;
		static const char *const states[] = { "received", "processed",
			"duplicate", "ignored", "refused", "quarantined", NULL };
		size_t n, k = 0;

		while (state && states[k] && strcmp(states[k], state) != 0)
			k++;
		if (state && states[k] == NULL) {
			rc = cli_usage(mail_usage, "--state '%s' is not one of "
				       "received, processed, duplicate, ignored, "
				       "refused, quarantined", state);
		} else if (store_raw_mail_list(app->store, &a, &r, &n,
					       app->provider_id, state, 500,
					       &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			json_t *l = json_array();
			char t[32];

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, json_pack(
					"{s:I, s:s, s:s, s:s?, s:s?, s:I, s:s}",
					"id", (json_int_t)r[i].id, "state", r[i].state,
					"received_at", cli_time(app, r[i].received_at, t),
					"message_id", r[i].message_id, "reason",
					r[i].reason, "size", (json_int_t)r[i].size,
					"source", r[i].source));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++) {
				char t[32];

				printf("%-6lld %-12s %.16s %7lld B  %s\n",
				       (long long)r[i].id, r[i].state,
				       cli_time(app, r[i].received_at, t),
				       (long long)r[i].size,
				       r[i].reason ? r[i].reason : "");
			}
		}
	} else if (strcmp(argv[1], "show") == 0 && (argc == 3 ||
		   (argc == 4 && strcmp(argv[3], "--raw") == 0))) {
		struct raw_mail_row r;
		bool raw = argc == 4;
		int64_t id;
		char t[32];

		if (str_to_i64(&id, argv[2], 1, INT64_MAX)) {
			rc = cli_usage(mail_usage, "show takes a message id");
		} else if (store_raw_mail_get(app->store, &a, &r,
					      app->provider_id, id, raw, &err)) {
			rc = cli_fail(&err);
		} else if (raw) {
			if (fwrite(r.data, 1, (size_t)r.size, stdout) !=
			    (size_t)r.size || fflush(stdout)) {
				fprintf(stderr, "soporte: could not write the "
					"message to standard output\n");
				rc = EX_IOERR;
			}
		} else {
			struct ticket_row tk = { 0 };
			char key[32];

			snprintf(key, sizeof key, "%lld", (long long)r.ticket_id);
			if (r.ticket_id)
				store_ticket_find(app->store, &a, &tk,
						  app->provider_id, key, NULL);
			if (c->json) {
				cli_print_json(json_pack(
					"{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:I, "
					"s:s, s:s}", "id", (json_int_t)r.id,
					"state", r.state, "received_at",
					cli_time(app, r.received_at, t),
					"message_id", r.message_id, "reason",
					r.reason, "ticket", tk.folio, "size",
					(json_int_t)r.size, "source", r.source,
					"sha256", r.sha256));
			} else {
				printf("message %lld: %s\n"
				       "received  %s by %s, %lld bytes\n"
				       "sha256    %s\n"
				       "id        %s\n"
				       "ticket    %s\n"
				       "reason    %s\n",
				       (long long)r.id, r.state,
				       cli_time(app, r.received_at, t),
				       r.source, (long long)r.size, r.sha256,
				       r.message_id ? r.message_id : "-",
				       tk.folio ? tk.folio : "-",
				       r.reason ? r.reason : "-");
			}
		}
	} else if (strcmp(argv[1], "retry") == 0 && argc == 3) {
		struct mail_outcome o;
		int64_t id;

		if (str_to_i64(&id, argv[2], 1, INT64_MAX))
			rc = cli_usage(mail_usage, "retry takes a message id");
		else if (mail_retry(app, &o, c->now, id, &err))
			rc = cli_fail(&err);
		else
			print_outcome(c, &o);
	} else if (strcmp(argv[1], "outbox") == 0) {
		struct outbox_row *o;
		struct ticket_row t = { 0 };
		size_t n;

		if ((argc == 3 && store_ticket_find(app->store, &a, &t,
						    app->provider_id, argv[2],
						    &err)) ||
		    store_outbox_list(app->store, &a, &o, &n, app->provider_id,
				      t.id, &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			json_t *l = json_array();

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, json_pack(
					"{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:s?}",
					"id", (json_int_t)o[i].id, "kind", o[i].kind,
					"to", o[i].to_addr, "subject", o[i].subject,
					"body", o[i].body, "state", o[i].state,
					"in_reply_to", o[i].in_reply_to, "attempts",
					(json_int_t)o[i].attempts, "error",
					o[i].last_error));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++)
				printf("%-6lld %-8s %-12s %-30s %s\n",
				       (long long)o[i].id, o[i].state, o[i].kind,
				       o[i].to_addr, o[i].subject);
		}
	} else {
		rc = cli_usage(mail_usage, "unknown mail command '%s'", argv[1]);
	}
	arena_free(&a);
	app_close(app);
	return rc;
}

static const char fetch_usage[] =
	"usage: soporte [--db PATH] mail-fetch [--imap URL]\n"
	"Takes the unseen messages of an IMAP(S) mailbox through the same intake\n"
	"as mail-in; each is marked \\Seen only once committed, so a failure\n"
	"leaves it for the next run. The mailbox comes from --imap or\n"
	"SOPORTE_IMAP_URL (imaps://host/INBOX), with SOPORTE_IMAP_USER and\n"
	"SOPORTE_IMAP_PASS. Run it from cron or a systemd timer.\n";

int
cli_mail_fetch(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "imap", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct imap_conf conf;
	struct fetch_report r;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc;

	imap_conf_from_env(&conf);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'i')
			conf.url = optarg;
		else if (ch == 'h') {
			fputs(fetch_usage, stdout);
			return 0;
		} else
			return cli_usage(fetch_usage, "bad option");
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = imap_fetch(app, &conf, c->now, &r, &err);
	app_close(app);
	if (rc) {
		if (rc == SP_EINVAL)
			return cli_usage(fetch_usage, "%s", err.msg);
		fprintf(stderr, "soporte: %s\n", err.msg);
		return status_for(rc);
	}
	if (c->json)
		cli_print_json(json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
			"fetched", r.fetched, "new_tickets", r.by[MAIL_NEW_TICKET],
			"replies", r.by[MAIL_REPLY], "duplicates",
			r.by[MAIL_DUPLICATE], "ignored", r.by[MAIL_IGNORED],
			"quarantined", r.by[MAIL_QUARANTINED], "failed", r.failed));
	else
		printf("%d fetched (%d new tickets, %d replies, %d duplicates, %d "
		       "ignored, %d quarantined), %d failed\n", r.fetched,
		       r.by[MAIL_NEW_TICKET], r.by[MAIL_REPLY],
		       r.by[MAIL_DUPLICATE], r.by[MAIL_IGNORED],
		       r.by[MAIL_QUARANTINED], r.failed);
	return r.failed ? EX_TEMPFAIL : 0;
}
