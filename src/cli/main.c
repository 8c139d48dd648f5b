/* main.c — soporte: global options, then a subcommand. */
#include "cli.h"

#include "../util/civil.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *name;
	cli_fn fn;
	const char *summary;
} commands[] = {
	{ "serve", cli_serve, "the JSON API on 127.0.0.1:8080, timers inside" },
	{ "token", cli_token, "token create: API tokens for integrations" },
	{ "init", cli_init, "create a database with a provider from its pack" },
	{ "policy", cli_policy, "check, show or reload policy packs" },
	{ "org", cli_org, "customer organizations: add, list" },
	{ "contact", cli_contact, "customer contacts: add, list" },
	{ "agent", cli_agent, "agents and their roles: add, list" },
	{ "product", cli_product, "products the provider supplies: add, list" },
	{ "ticket", cli_ticket, "open, answer and move tickets" },
	{ "contract", cli_contract, "contracts and hour banks (PLAN-)" },
	{ "attendance", cli_attendance, "log attendances; debits and reports (BILL-)" },
	{ "kb", cli_kb, "knowledge base: put, list, search, show (INT-7)" },
	{ "quote", cli_quote, "quotes and estimates: create, approve, reject, pay" },
	{ "invoice", cli_invoice, "invoices: issue, pay, list (IVA apart)" },
	{ "refund", cli_refund, "refund request: cancellation or overpayment" },
	{ "mail-in", cli_mail_in, "one message on stdin, from an MTA pipe" },
	{ "mail-import", cli_mail_import, "a Maildir or mbox, for migrations" },
	{ "mail-fetch", cli_mail_fetch, "take unseen mail from an IMAP(S) mailbox" },
	{ "mail-send", cli_mail_send, "send the outbox by SMTP" },
	{ "mail", cli_mail, "mail list|retry|outbox: quarantine and outbox" },
	{ "tick", cli_tick, "run the timers that are due (cron, systemd)" },
	{ "sla", cli_sla, "sla eval: business-time questions as JSON lines" },
	{ "calendar", cli_calendar, "holidays, .ics export and import" },
	{ "report", cli_report, "report sla|hours: compliance, hours left (REP-)" },
	{ "bill", cli_bill, "bill eval: what attendances debit, as JSON lines" },
	{ "demo", cli_demo, "build a demo database and show its queue" },
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: soporte [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Help desk and service-contract engine: tickets, business-hours\n"
		"SLAs and prepaid contracts, driven by each provider's policy pack.\n"
		"\n"
		"Options:\n"
		"  --db PATH          SQLite database (default: $SOPORTE_DB or soporte.db)\n"
		"  --provider ID      the provider (pack id) when the database holds several\n"
		"  --policies DIR     where packs are read from (default: $SOPORTE_POLICIES,\n"
		"                     then the policies/ folder beside the program)\n"
		"  --as WHO           who acts: agent:EMAIL, contact:EMAIL or system\n"
		"  --now TIME         act as if it were TIME (ISO 8601; without an offset,\n"
		"                     the provider's zone) — for what-if runs and tests\n"
		"  --json             machine-readable output where a command lists or shows\n"
		"  -h, --help         this help\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'soporte COMMAND --help' for a command's options.\n"
		   "Exit status follows sysexits.h: 64 usage, 65 bad data, 66 not\n"
		   "found, 73 cannot create, 74 I/O, 75 try again (locked).\n");
}

int
cli_fail(const struct sp_err *err)
{
	if (err->field[0] && strchr(err->msg, ':') == NULL)
		fprintf(stderr, "soporte: %s (%s)\n", err->msg, err->field);
	else
		fprintf(stderr, "soporte: %s\n", err->msg[0] ? err->msg :
			sp_code_name(err->code));
	return sp_code_exit(err->code ? err->code : SP_EIO);
}

int
cli_usage(const char *use, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "soporte: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", use);
	return EX_USAGE;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

const char *
cli_policies_dir(const struct cli *c)
{
	static char beside[PATH_MAX + 16];
	const char *env = getenv("SOPORTE_POLICIES");
	char exe[PATH_MAX];
	ssize_t n;

	if (c->policies)
		return c->policies;
	if (env && *env)
		return env;
	/* The folder beside the program: build/soporte → policies/. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			slash = strrchr(exe, '/');
			if (slash) {
				*slash = '\0';
				snprintf(beside, sizeof beside, "%s/policies",
					 exe);
				if (access(beside, R_OK) == 0)
					return beside;
			}
		}
	}
	return "policies";
}

void
cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s) {
		puts(s);
		free(s);
	}
	json_decref(v);
}

const char *
cli_time(struct app *app, int64_t t, char out[32])
{
	return app_time(app, t, out);
}

int
cli_now_in_pack_zone(struct cli *c, const char *pack)
{
	struct policy_report r;
	struct policy *p = NULL;
	struct zone *z = NULL;
	char *text;
	size_t len;
	int rc = 0;

	if (c->now_text == NULL)
		return 0;
	/* An explicit offset was taken as given in main(). */
	if (civil_parse_instant(&c->now, c->now_text) == 0)
		return 0;
	if (app_pack_read(&text, &len, cli_policies_dir(c), pack, NULL))
		return 0; /* init itself reports the missing pack */
	policy_report_init(&r);
	if (policy_parse(&p, text, len, pack, pack, &r) == 0 &&
	    zone_open(&z, p->calendars[p->sla.calendar].tz, NULL) == 0 &&
	    zone_parse(z, &c->now, c->now_text) != 0) {
		fprintf(stderr, "soporte: --now '%s' is not an ISO 8601 "
			"date-time\n", c->now_text);
		rc = EX_USAGE;
	}
	zone_free(z);
	policy_free(p);
	policy_report_free(&r);
	free(text);
	return rc;
}

int
cli_open(struct cli *c, struct app **out)
{
	struct sp_err err = { 0 };
	struct app *app;
	int rc;

	if ((rc = app_open(&app, c->db, c->provider, &err)))
		return cli_fail(&err);
	/* --now without an offset is read in the provider's zone. */
	if (c->now_text && zone_parse(app->zone, &c->now, c->now_text)) {
		app_close(app);
		fprintf(stderr, "soporte: --now '%s' is not an ISO 8601 "
			"date-time (e.g. 2026-03-13T18:30:00-06:00)\n",
			c->now_text);
		return EX_USAGE;
	}
	if (c->who_key[0]) {
		struct arena a;

		arena_init(&a, 0);
		if (strcmp(c->who.kind, "agent") == 0) {
			struct agent_row r;

			rc = store_agent_find(app->store, &a, &r,
					      app->provider_id, c->who_key, &err);
			c->who.id = r.id;
		} else {
			struct contact_row r;

			rc = store_contact_find(app->store, &a, &r,
						app->provider_id, c->who_key,
						&err);
			c->who.id = r.id;
		}
		arena_free(&a);
		if (rc) {
			app_close(app);
			return cli_fail(&err);
		}
	}
	*out = app;
	return 0;
}

static int
parse_as(struct cli *c, const char *s)
{
	if (strcmp(s, "system") == 0) {
		c->who = app_system;
		return 0;
	}
	if (strncmp(s, "agent:", 6) == 0) {
		c->who.kind = "agent";
		str_copy(c->who_key, s + 6, sizeof c->who_key);
	} else if (strncmp(s, "contact:", 8) == 0) {
		c->who.kind = "contact";
		str_copy(c->who_key, s + 8, sizeof c->who_key);
	} else {
		return -1;
	}
	return c->who_key[0] ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "provider", required_argument, NULL, 'p' },
		{ "policies", required_argument, NULL, 'P' },
		{ "as", required_argument, NULL, 'a' },
		{ "now", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { 0 };
	const char *env_db = getenv("SOPORTE_DB");
	int ch;

	c.db = env_db && *env_db ? env_db : "soporte.db";
	c.who = app_system;
	c.now = (int64_t)time(NULL);
	/* '+': stop at the command so its own options stay its own. */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c.db = optarg; break;
		case 'p': c.provider = optarg; break;
		case 'P': c.policies = optarg; break;
		case 'j': c.json = true; break;
		case 'n':
			c.now_text = optarg;
			{
				int64_t t;
				bool has;

				if (civil_parse_local(&t, &has, optarg)) {
					fprintf(stderr, "soporte: --now '%s' is "
						"not an ISO 8601 date-time (e.g. "
						"2026-03-13T18:30:00-06:00)\n",
						optarg);
					return EX_USAGE;
				}
				if (has)
					c.now = t;
			}
			break;
		case 'a':
			if (parse_as(&c, optarg)) {
				fprintf(stderr, "soporte: --as '%s': use "
					"agent:EMAIL, contact:EMAIL or system\n",
					optarg);
				return EX_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].fn(&c, argc - optind, argv + optind);
	fprintf(stderr, "soporte: unknown command '%s'; see soporte --help\n",
		argv[optind]);
	return EX_USAGE;
}
