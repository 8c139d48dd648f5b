/* cmd_ticket.c — soporte ticket open|show|list and the transitions. */
#include "cli.h"

#include "../util/buf.h"
#include "../util/str.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char ticket_usage[] =
	"usage: soporte [--as WHO] ticket open --contact ID|EMAIL --channel CH\n"
	"              --subject TEXT --description TEXT|- [--category ID]\n"
	"              [--priority ID] [--product CODE] [--field NAME=VALUE]...\n"
	"              [--screenshot FILE]...\n"
	"       soporte [--json] ticket show FOLIO\n"
	"       soporte [--json] ticket list [--state STATE] [--all] [--org ID|NAME]\n"
	"       soporte --as WHO ticket reply FOLIO --body TEXT|-\n"
	"       soporte --as agent:EMAIL ticket note FOLIO --body TEXT|-\n"
	"       soporte ticket assign FOLIO --agent ID|EMAIL\n"
	"       soporte ticket priority FOLIO --priority ID [--reason TEXT]\n"
	"       soporte ticket wait FOLIO [--on customer|third_party] [--reason TEXT]\n"
	"       soporte ticket schedule|resume|resolve|confirm|reopen|close FOLIO\n"
	"              [--reason TEXT]\n"
	"       soporte ticket merge FOLIO --into FOLIO\n"
	"       soporte [--as WHO] ticket escalate FOLIO [--reason TEXT]\n"
	"       soporte [--json] ticket list --queue   (SLA order, SLA-4)\n"
	"Transitions accept --if-version N to refuse when the ticket changed.\n"
	"Channels: email web phone whatsapp video chat remote onsite.\n";

/* "-" reads the text from standard input. */
static char *
text_arg(const char *v, struct buf *hold)
{
	char chunk[4096];
	size_t n;

	if (v == NULL || strcmp(v, "-") != 0)
		return (char *)v;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (buf_add(hold, chunk, n))
			return NULL;
	return hold->ptr;
}

static const char *
guess_mime(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && (strcasecmp(dot, ".png") == 0))
		return "image/png";
	if (dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0))
		return "image/jpeg";
	if (dot && strcasecmp(dot, ".pdf") == 0)
		return "application/pdf";
	if (dot && strcasecmp(dot, ".txt") == 0)
		return "text/plain";
	return "application/octet-stream";
}

static int
read_whole(const char *path, struct buf *b, struct sp_err *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return sp_err_set(err, SP_ENOTFOUND, "screenshot", "cannot "
				  "read %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(b, chunk, n)) {
			fclose(f);
			return sp_err_set(err, SP_ETOOBIG, "screenshot", "%s is "
					  "larger than %d bytes", path,
					  APP_ATTACHMENT_MAX);
		}
	fclose(f);
	return 0;
}

static int
ticket_open(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "contact", required_argument, NULL, 'c' },
		{ "channel", required_argument, NULL, 'C' },
		{ "category", required_argument, NULL, 'k' },
		{ "priority", required_argument, NULL, 'p' },
		{ "product", required_argument, NULL, 'P' },
		{ "subject", required_argument, NULL, 's' },
		{ "description", required_argument, NULL, 'd' },
		{ "field", required_argument, NULL, 'f' },
		{ "screenshot", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ticket_input in = { 0 };
	struct ticket_opened out;
	struct sp_err err = { 0 };
	const char *shots[8];
	char *fieldbuf[APP_MAX_FIELDS] = { 0 };
	int nshots = 0, ch, rc = 0;
	struct buf desc, files[8];

	buf_init(&desc, 256 * 1024 + 1);
	for (int i = 0; i < 8; i++)
		buf_init(&files[i], APP_ATTACHMENT_MAX);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': in.contact = optarg; break;
		case 'C': in.channel = optarg; break;
		case 'k': in.category = optarg; break;
		case 'p': in.priority = optarg; break;
		case 'P': in.product = optarg; break;
		case 's': in.subject = optarg; break;
		case 'd': in.description = optarg; break;
		case 'f': {
			char *eq = strchr(optarg, '=');

			if (eq == NULL || in.nfields >= APP_MAX_FIELDS) {
				rc = cli_usage(ticket_usage, "--field takes "
					       "NAME=VALUE (at most %d)",
					       APP_MAX_FIELDS);
				goto out;
			}
			fieldbuf[in.nfields] = strndup(optarg,
						       (size_t)(eq - optarg));
			in.field_names[in.nfields] = fieldbuf[in.nfields];
			in.field_values[in.nfields] = eq + 1;
			in.nfields++;
			break;
		}
		case 'S':
			if (nshots >= 8) {
				rc = cli_usage(ticket_usage, "at most 8 "
					       "screenshots");
				goto out;
			}
			shots[nshots++] = optarg;
			break;
		case 'h':
			fputs(ticket_usage, stdout);
			goto out;
		default:
			rc = cli_usage(ticket_usage, "bad option");
			goto out;
		}
	}
	if (in.channel == NULL) {
		rc = cli_usage(ticket_usage, "ticket open needs --channel");
		goto out;
	}
	if (c->who.kind && strcmp(c->who.kind, "contact") == 0 && !in.contact)
		in.contact = c->who_key;
	in.description = text_arg(in.description, &desc);
	for (int i = 0; i < nshots; i++) {
		const char *base = strrchr(shots[i], '/');

		buf_init(&files[i], APP_ATTACHMENT_MAX);
		if (read_whole(shots[i], &files[i], &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		in.files[i] = (struct ticket_file){ base ? base + 1 : shots[i],
			guess_mime(shots[i]), files[i].ptr, files[i].len };
		in.nfiles++;
	}
	if (app_ticket_open(app, &out, c->now, &c->who, &in, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (c->json)
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
					 (json_int_t)out.id, "folio", out.folio,
					 "state", out.state, "missing",
					 out.missing, "out_of_scope",
					 out.out_of_scope));
	else {
		printf("%s opened (%s)\n", out.folio, out.state);
		if (out.missing[0])
			printf("waiting on the customer for: %s (INT-3)\n",
			       out.missing);
		if (out.out_of_scope)
			printf("closed: outside the provider's scope (INT-6)\n");
	}
out:
	for (int i = 0; i < APP_MAX_FIELDS; i++)
		free(fieldbuf[i]);
	for (int i = 0; i < 8; i++)
		buf_free(&files[i]);
	buf_free(&desc);
	return rc;
}


/* "2h 05m" of business time, or "-" */
static const char *
span(int64_t secs, char out[32])
{
	bool neg = secs < 0;

	if (neg)
		secs = -secs;
	if (secs >= 86400 * 3)
		snprintf(out, 32, "%s%lldd %02lldh", neg ? "-" : "",
			 (long long)(secs / 86400), (long long)(secs / 3600 % 24));
	else
		snprintf(out, 32, "%s%lldh %02lldm", neg ? "-" : "",
			 (long long)(secs / 3600), (long long)(secs / 60 % 60));
	return out;
}



static void
view_text(struct app *app, const struct ticket_view *v, int64_t now)
{
	const struct ticket_row *t = &v->t;
	char a[32];

	printf("%s  %s\n", t->folio, t->subject);
	printf("state %s · priority %s · category %s · channel %s\n",
	       t->state, t->priority, t->category, t->channel);
	printf("customer %s%s%s%s · assignee %s\n",
	       v->contact_name ? v->contact_name : "-",
	       v->organization_name ? " (" : "",
	       v->organization_name ? v->organization_name : "",
	       v->organization_name ? ")" : "",
	       v->assignee_name ? v->assignee_name : "-");
	printf("opened %s\n", cli_time(app, t->created_at, a));
	{
		struct sla_status st;
		const struct sla_clock *k[2];
		static const char *const names[2] = { "first response",
						      "resolution" };

		if (app_ticket_sla(app, &st, t, now, NULL) == 0) {
			k[0] = &st.first_response;
			k[1] = &st.resolution;
			for (int i = 0; i < 2; i++) {
				char tgt[48], d[32];

				if (k[i]->state == SLA_NONE)
					continue;
				policy_duration_format(tgt, sizeof tgt,
						       &k[i]->target);
				printf("%s: %s, %s, %lld of %lld min used%s%s\n",
				       names[i], sla_clock_state_name(k[i]->state),
				       tgt, (long long)(k[i]->elapsed / 60),
				       (long long)(k[i]->target_seconds / 60),
				       k[i]->due ? ", due " : "",
				       k[i]->due ? cli_time(app, k[i]->due, d) : "");
			}
		}
	}
	for (size_t i = 0; i < v->nmessages; i++) {
		const struct message_row *m = &v->messages[i];

		printf("\n--- %s · %s %s\n%s\n", cli_time(app, m->created_at, a),
		       m->kind, m->author_kind, m->body);
	}
	printf("\nhistory:\n");
	for (size_t i = 0; i < v->nevents; i++) {
		const struct event_row *e = &v->events[i];

		printf("  %s  %-8s %-18s %s -> %s\n",
		       cli_time(app, e->at, a), e->actor_kind, e->action,
		       e->before ? e->before : "", e->after ? e->after : "");
	}
}

static int
ticket_show(struct cli *c, struct app *app, int argc, char **argv)
{
	struct ticket_view v;
	struct sp_err err = { 0 };
	struct arena a;

	if (argc != 2)
		return cli_usage(ticket_usage, "ticket show needs one FOLIO");
	arena_init(&a, 0);
	if (app_ticket_view_as(app, &a, &v, argv[1], &c->who, &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json)
		cli_print_json(app_ticket_json(app, &v, c->now));
	else
		view_text(app, &v, c->now);
	arena_free(&a);
	return 0;
}

/* SLA-4: the queue in the pack's order, with time left. */
static int
print_queue(struct cli *c, struct app *app)
{
	struct sp_err err = { 0 };
	struct queue_item *q;
	struct arena a;
	size_t n;

	arena_init(&a, 0);
	if (app_queue(app, &a, &q, &n, c->now, &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();
		char d[32];

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:i, "
				"s:o, s:o}",
				"folio", q[i].t.folio, "state", q[i].t.state,
				"priority", q[i].t.priority,
				"subject", q[i].t.subject,
				"due", cli_time(app, q[i].due, d),
				"remaining_minutes",
				(json_int_t)(q[i].due ? q[i].remaining / 60 : 0),
				"flag", q[i].warn == 2 ? "breached" :
					q[i].warn == 1 ? "warning" : "ok",
				"escalation", q[i].escalation,
				"first_response",
				app_clock_json(app, &q[i].sla.first_response),
				"resolution",
				app_clock_json(app, &q[i].sla.resolution)));
		cli_print_json(l);
	} else {
		printf("%-16s %-10s %-17s %-9s %-16s  %s\n", "FOLIO", "PRIORITY",
		       "STATE", "LEFT", "DUE", "SUBJECT");
		for (size_t i = 0; i < n; i++) {
			char d[32], left[32];
			const char *flag = q[i].warn == 2 ? "!!" :
					   q[i].warn == 1 ? "! " : "  ";

			if (q[i].due == 0)
				snprintf(left, sizeof left, "%s",
					 q[i].warn == 2 ? "breached" :
					 q[i].sla.first_response.state == SLA_PAUSED ||
					 q[i].sla.resolution.state == SLA_PAUSED ?
					 "paused" : "-");
			else
				span(q[i].remaining, left);
			cli_time(app, q[i].due, d);
			printf("%s%-14s %-10s %-17s %-9s %-16.16s  %s%s\n", flag,
			       q[i].t.folio, q[i].t.priority, q[i].t.state,
			       left, q[i].due ? d : "-", q[i].t.subject,
			       q[i].escalation ? "  [escalated]" : "");
		}
	}
	arena_free(&a);
	return 0;
}

static int
ticket_list(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "org", required_argument, NULL, 'o' },
		{ "queue", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ticket_filter f = { .active_only = true };
	bool queue = false;
	struct sp_err err = { 0 };
	struct ticket_row *rows;
	struct org_row org;
	struct arena a;
	const char *orgkey = NULL;
	size_t n;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (lifecycle_state_parse(optarg) < 0)
				return cli_usage(ticket_usage, "unknown state "
						 "'%s'", optarg);
			f.state = optarg;
			f.active_only = false;
			break;
		case 'a': f.active_only = false; break;
		case 'o': orgkey = optarg; break;
		case 'q': queue = true; break;
		case 'h': fputs(ticket_usage, stdout); return 0;
		default: return cli_usage(ticket_usage, "bad option");
		}
	}
	if (queue) {
		if (strcmp(c->who.kind, "contact") == 0)
			return cli_usage(ticket_usage, "the queue is the agents' "
					 "view; a customer lists its tickets "
					 "without --queue");
		return print_queue(c, app);
	}
	/* PRIV-2: a customer lists only its organization's tickets. */
	if (app_visible_org(app, &c->who, &f.organization_id, &f.contact_id,
			    &err))
		return cli_fail(&err);
	if (f.organization_id && orgkey)
		orgkey = NULL;
	arena_init(&a, 0);
	if (orgkey) {
		if (store_org_find(app->store, &a, &org, app->provider_id,
				   orgkey, &err)) {
			arena_free(&a);
			return cli_fail(&err);
		}
		f.organization_id = org.id;
	}
	if (store_ticket_list(app->store, &a, &rows, &n, app->provider_id, &f,
			      &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();
		char t[32];

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
				"id", (json_int_t)rows[i].id, "folio",
				rows[i].folio, "state", rows[i].state,
				"priority", rows[i].priority, "category",
				rows[i].category, "subject", rows[i].subject,
				"created_at",
				cli_time(app, rows[i].created_at, t)));
		cli_print_json(l);
	} else {
		char t[32];

		for (size_t i = 0; i < n; i++)
			printf("%-16s %-20s %-10s %.19s  %s\n", rows[i].folio,
			       rows[i].state, rows[i].priority,
			       cli_time(app, rows[i].created_at, t),
			       rows[i].subject);
	}
	arena_free(&a);
	return 0;
}

/* reply, note and every transition: FOLIO plus options. */
static int
ticket_change(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "body", required_argument, NULL, 'b' },
		{ "agent", required_argument, NULL, 'a' },
		{ "priority", required_argument, NULL, 'p' },
		{ "on", required_argument, NULL, 'o' },
		{ "reason", required_argument, NULL, 'r' },
		{ "into", required_argument, NULL, 'i' },
		{ "if-version", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *verb;
		enum ticket_action action;
	} verbs[] = {
		{ "assign", TA_ASSIGN }, { "schedule", TA_SCHEDULE },
		{ "resume", TA_RESUME }, { "resolve", TA_RESOLVE },
		{ "confirm", TA_CONFIRM }, { "reopen", TA_REOPEN },
		{ "close", TA_CLOSE }, { "merge", TA_MERGE },
	};
	const char *verb = argv[0], *key, *body = NULL, *on = "customer",
		   *priority = NULL;
	struct transition_args args = { 0 };
	struct sp_err err = { 0 };
	struct buf hold;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': body = optarg; break;
		case 'a': args.agent = optarg; break;
		case 'p': priority = optarg; break;
		case 'o': on = optarg; break;
		case 'r': args.reason = optarg; break;
		case 'i': args.target = optarg; break;
		case 'v':
			if (str_to_i64(&args.expect_version, optarg, 1,
				       INT64_MAX))
				return cli_usage(ticket_usage, "--if-version "
						 "takes a positive number");
			break;
		case 'h': fputs(ticket_usage, stdout); return 0;
		default: return cli_usage(ticket_usage, "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage(ticket_usage, "ticket %s needs one FOLIO", verb);
	key = argv[optind];
	buf_init(&hold, 256 * 1024 + 1);
	if (strcmp(verb, "reply") == 0 || strcmp(verb, "note") == 0) {
		if (strcmp(c->who.kind, "system") == 0) {
			buf_free(&hold);
			return cli_usage(ticket_usage, "who writes? use --as "
					 "agent:EMAIL or --as contact:EMAIL");
		}
		if (strcmp(verb, "reply") == 0 &&
		    strcmp(c->who.kind, "contact") == 0) {
			struct ticket_opened o;

			rc = app_ticket_follow_up(app, &o, c->now, &c->who, key,
						  text_arg(body, &hold), &err);
			if (rc == 0 && o.folio[0]) {
				buf_free(&hold);
				if (c->json)
					cli_print_json(json_pack(
						"{s:s, s:s, s:s}", "folio",
						o.folio, "state", o.state,
						"follows", key));
				else
					printf("%s is past its reopen window; "
					       "opened %s linked to it (CLO-3)\n",
					       key, o.folio);
				return 0;
			}
		} else {
			rc = app_ticket_reply(app, c->now, &c->who, key,
					      text_arg(body, &hold),
					      strcmp(verb, "note") == 0, &err);
		}
	} else if (strcmp(verb, "escalate") == 0) {
		rc = app_ticket_escalate(app, c->now, &c->who, key, args.reason,
					 &err);
	} else if (strcmp(verb, "priority") == 0) {
		rc = app_ticket_set_priority(app, c->now, &c->who, key, priority,
					     args.reason, &err);
	} else if (strcmp(verb, "wait") == 0) {
		if (strcmp(on, "customer") && strcmp(on, "third_party")) {
			buf_free(&hold);
			return cli_usage(ticket_usage, "--on takes customer or "
					 "third_party");
		}
		rc = app_ticket_act(app, c->now, &c->who, key,
				    strcmp(on, "customer") == 0 ?
				    TA_WAIT_CUSTOMER : TA_WAIT_THIRD_PARTY,
				    &args, &err);
	} else {
		size_t i;

		for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
			if (strcmp(verb, verbs[i].verb) == 0)
				break;
		if (i == sizeof verbs / sizeof verbs[0]) {
			buf_free(&hold);
			return cli_usage(ticket_usage, "unknown ticket command "
					 "'%s'", verb);
		}
		rc = app_ticket_act(app, c->now, &c->who, key, verbs[i].action,
				    &args, &err);
	}
	buf_free(&hold);
	if (rc)
		return cli_fail(&err);
	if (c->json) {
		struct ticket_row t;
		struct arena a;

		arena_init(&a, 0);
		if (store_ticket_find(app->store, &a, &t, app->provider_id, key,
				      &err) == 0)
			cli_print_json(json_pack("{s:s, s:s, s:s, s:I}",
						 "folio", t.folio, "state",
						 t.state, "priority", t.priority,
						 "version",
						 (json_int_t)t.version));
		arena_free(&a);
	} else {
		printf("%s: %s done\n", key, verb);
	}
	return 0;
}

int
cli_ticket(struct cli *c, int argc, char **argv)
{
	struct app *app;
	int rc;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(ticket_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (cli_wants_help(argc, argv)) {
		fputs(ticket_usage, stdout);
		return 0;
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	if (strcmp(argv[1], "open") == 0)
		rc = ticket_open(c, app, argc - 1, argv + 1);
	else if (strcmp(argv[1], "show") == 0)
		rc = ticket_show(c, app, argc - 1, argv + 1);
	else if (strcmp(argv[1], "list") == 0)
		rc = ticket_list(c, app, argc - 1, argv + 1);
	else
		rc = ticket_change(c, app, argc - 1, argv + 1);
	app_close(app);
	return rc;
}
