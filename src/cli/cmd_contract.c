/* cmd_contract.c — soporte contract ..., soporte attendance ... */
#include "cli.h"

#include "../util/str.h"
#include "../zone/zone.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char contract_usage[] =
	"usage: soporte contract add --org ID|NAME --plan ID [--hours N]\n"
	"              [--months N] [--starts DATE] [--price CENTAVOS]\n"
	"              [--products TEXT]  (products covered; default: all\n"
	"              the provider supplies, shown on the certificate)\n"
	"       soporte contract pay NUMBER --ref TEXT       (payment or PO, BILL-7)\n"
	"       soporte [--json] contract show NUMBER [--certificate]\n"
	"       soporte [--json] contract list [--org ID|NAME]\n"
	"       soporte contract cancel NUMBER [--reason TEXT]  (BILL-12)\n"
	"       soporte --as agent:EMAIL contract adjust NUMBER --minutes N --reason TEXT\n"
	"       soporte --as agent:EMAIL contract overage NUMBER --minutes N --reason TEXT\n"
	"Hours and term come from the pack's plan (PLAN-2); a contract ends\n"
	"when its hours run out or its term ends, whichever comes first.\n";

static void
hm(char out[32], int64_t minutes)
{
	snprintf(out, 32, "%s%lld:%02lld", minutes < 0 ? "-" : "",
		 (long long)(llabs(minutes) / 60), (long long)(llabs(minutes) % 60));
}

static json_t *
status_json(struct app *app, const struct contract_status *s)
{
	char a[32], b[32], p[32];

	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, "
			 "s:b, s:s, s:o, s:s?}",
			 "number", s->c.number, "plan", s->c.plan,
			 "kind", s->c.kind,
			 "organization_id", (json_int_t)s->c.organization_id,
			 "state", s->c.state,
			 "starts_at", cli_time(app, s->c.starts_at, a),
			 "ends_at", cli_time(app, s->c.ends_at, b),
			 "bank_minutes", (json_int_t)s->c.bank_minutes,
			 "balance_minutes", (json_int_t)s->balance,
			 "consumed_minutes", (json_int_t)s->consumed,
			 "usable", s->usable, "paid_at",
			 cli_time(app, s->c.paid_at, p),
			 "price_centavos", s->c.price_centavos < 0 ? json_null() :
			 json_integer(s->c.price_centavos),
			 "why", s->usable ? NULL : s->why);
}

/* PLAN-5: the contract certificate. */
static void
certificate(struct app *app, const struct contract_status *s)
{
	const struct policy *p = app->policy;
	int pl = policy_plan_index(p, s->c.plan);
	struct org_row org;
	struct arena a;
	char from[32], to[32], bank[32];

	arena_init(&a, 0);
	if (store_org_get(app->store, &a, &org, app->provider_id,
			  s->c.organization_id, NULL))
		org.name = "?";
	cli_time(app, s->c.starts_at, from);
	cli_time(app, s->c.ends_at, to);
	hm(bank, s->c.bank_minutes);
	printf("==============================================================\n"
	       "  %s\n  CERTIFICADO DE PÓLIZA DE SOPORTE TÉCNICO\n"
	       "==============================================================\n"
	       "  Número de póliza:  %s\n"
	       "  Cliente:           %s\n"
	       "  Tipo:              %s (%s)\n"
	       "  Vigencia:          del %.10s al %.10s\n"
	       "  Horas:             %s\n",
	       p->provider.name, s->c.number, org.name,
	       pl >= 0 ? p->plans[pl].name.es : s->c.plan, s->c.kind, from, to,
	       s->c.bank_minutes ? bank : "según plan");
	if (s->c.office_minutes || s->c.onsite_minutes)
		printf("  Asesoría incluida: %lld h en oficina, %lld h en sitio\n",
		       (long long)(s->c.office_minutes / 60),
		       (long long)(s->c.onsite_minutes / 60));
	printf("  Productos:         %s\n"
	       "  Estado:            %s\n"
	       "==============================================================\n"
	       "  Vence cuando se agoten las horas o termine la vigencia, lo que\n"
	       "  suceda primero (PLAN-3).\n",
	       s->c.products ? s->c.products : "todos los suministrados por "
	       "el proveedor", s->c.state);
	arena_free(&a);
}

int
cli_contract(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "plan", required_argument, NULL, 'p' },
		{ "hours", required_argument, NULL, 'H' },
		{ "months", required_argument, NULL, 'm' },
		{ "starts", required_argument, NULL, 's' },
		{ "price", required_argument, NULL, 'P' },
		{ "products", required_argument, NULL, 'D' },
		{ "ref", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "minutes", required_argument, NULL, 'M' },
		{ "certificate", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct contract_input in = { .price_centavos = -1 };
	const char *verb, *ref = NULL, *reason = NULL, *starts = NULL,
		   *key = NULL;
	int64_t v, minutes = 0;
	bool cert = false, have_minutes = false;
	struct sp_err err = { 0 };
	struct app *app;
	struct arena a;
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(contract_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	verb = argv[1];
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': in.organization = optarg; break;
		case 'p': in.plan = optarg; break;
		case 'H':
		case 'm':
			if (str_to_i64(&v, optarg, 1, 100000))
				return cli_usage(contract_usage, "--%s takes a "
						 "whole number", ch == 'H' ?
						 "hours" : "months");
			if (ch == 'H')
				in.hours = (int)v;
			else
				in.term_months = (int)v;
			break;
		case 's': starts = optarg; break;
		case 'P':
			if (str_to_i64(&in.price_centavos, optarg, 0,
				       INT64_C(1) << 50))
				return cli_usage(contract_usage, "--price takes "
						 "whole centavos");
			break;
		case 'D': in.products = optarg; break;
		case 'r': ref = optarg; break;
		case 'R': reason = optarg; break;
		case 'M':
			if (str_to_i64(&minutes, optarg, -1000000, 1000000))
				return cli_usage(contract_usage, "--minutes takes "
						 "a whole number");
			have_minutes = true;
			break;
		case 'c': cert = true; break;
		default: return cli_usage(contract_usage, "bad option");
		}
	}
	if (optind + 1 < argc)
		key = argv[optind + 1];
	if ((rc = cli_open(c, &app)))
		return rc;
	arena_init(&a, 0);
	if (starts && zone_parse(app->zone, &in.starts_at, starts)) {
		char buf[40];

		snprintf(buf, sizeof buf, "%.10sT00:00:00", starts);
		if (zone_parse(app->zone, &in.starts_at, buf)) {
			rc = cli_usage(contract_usage, "--starts takes a date");
			goto out;
		}
	}
	if (strcmp(verb, "add") == 0) {
		char number[64];

		if (app_contract_add(app, number, c->now, &c->who, &in, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (c->json)
			cli_print_json(json_pack("{s:s, s:s}", "number", number,
						 "state", "pending_payment"));
		else
			printf("contract %s added, pending payment\n", number);
	} else if (strcmp(verb, "list") == 0) {
		struct contract_status *st;
		size_t n;
		int64_t org = 0, only = 0;
		char orgkey[32];

		/* PRIV-2: a customer sees its own organization's contracts. */
		if (app_visible_org(app, &c->who, &org, &only, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (strcmp(c->who.kind, "contact") == 0) {
			snprintf(orgkey, sizeof orgkey, "%lld", (long long)org);
			in.organization = org ? orgkey : "0";
		}
		if (app_contract_list(app, &a, &st, &n, in.organization, c->now,
				      &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (c->json) {
			json_t *l = json_array();

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, status_json(app, &st[i]));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++) {
				char end[32], bal[32];

				hm(bal, st[i].balance);
				printf("%-22s %-17s %-16s %8s  ends %.10s%s%s\n",
				       st[i].c.number, st[i].c.plan, st[i].c.state,
				       st[i].c.bank_minutes ? bal : "-",
				       cli_time(app, st[i].c.ends_at, end),
				       st[i].usable ? "" : "  — ",
				       st[i].usable ? "" : st[i].why);
			}
		}
	} else if (key == NULL) {
		rc = cli_usage(contract_usage, "contract %s needs a NUMBER", verb);
	} else if (strcmp(verb, "show") == 0) {
		struct contract_status st;

		int64_t org = 0, only = 0;

		if (app_contract_status(app, &a, &st, key, c->now, &err) ||
		    app_visible_org(app, &c->who, &org, &only, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (strcmp(c->who.kind, "contact") == 0 &&
		    st.c.organization_id != org) {
			fprintf(stderr, "soporte: no contract '%s'\n", key);
			rc = EX_NOINPUT;
			goto out;
		}
		if (cert)
			certificate(app, &st);
		else if (c->json) {
			json_t *o = status_json(app, &st), *l = json_array();
			struct ledger_row *lr;
			size_t n;

			if (store_ledger_list(app->store, &a, &lr, &n, st.c.id,
					      NULL) == 0)
				for (size_t i = 0; i < n; i++) {
					char t[32];

					json_array_append_new(l, json_pack(
						"{s:s, s:I, s:s, s:s, s:I, s:s?}",
						"kind", lr[i].kind, "minutes",
						(json_int_t)lr[i].minutes, "at",
						cli_time(app, lr[i].at, t),
						"actor", lr[i].actor_kind,
						"attendance_id",
						(json_int_t)lr[i].attendance_id,
						"reason", lr[i].reason));
				}
			json_object_set_new(o, "ledger", l);
			cli_print_json(o);
		} else {
			char bal[32], used[32], end[32];

			hm(bal, st.balance);
			hm(used, st.consumed);
			printf("%s  %s (%s), %s\nends %s · used %s · left %s%s%s\n",
			       st.c.number, st.c.plan, st.c.kind, st.c.state,
			       cli_time(app, st.c.ends_at, end), used, bal,
			       st.usable ? "" : " · ", st.usable ? "" : st.why);
		}
	} else if (strcmp(verb, "pay") == 0) {
		if (app_contract_pay(app, c->now, &c->who, key, ref, &err))
			rc = cli_fail(&err);
		else
			printf("%s: active\n", key);
	} else if (strcmp(verb, "cancel") == 0) {
		int64_t refund;

		if (app_contract_cancel(app, &refund, c->now, &c->who, key,
					reason, &err))
			rc = cli_fail(&err);
		else if (c->json)
			cli_print_json(json_pack("{s:s, s:I}", "number", key,
						 "refund_centavos",
						 (json_int_t)refund));
		else
			printf("%s: cancelled; refund %lld.%02lld MXN + IVA\n",
			       key, (long long)(refund / 100),
			       (long long)(refund % 100));
	} else if (strcmp(verb, "adjust") == 0 || strcmp(verb, "overage") == 0) {
		if (!have_minutes)
			rc = cli_usage(contract_usage, "contract %s needs "
				       "--minutes", verb);
		else if ((strcmp(verb, "adjust") == 0 ?
			  app_contract_adjust(app, c->now, &c->who, key, minutes,
					      reason, &err) :
			  app_contract_allow_overage(app, c->now, &c->who, key,
						     minutes, reason, &err)))
			rc = cli_fail(&err);
		else
			printf("%s: %s done\n", key, verb);
	} else {
		rc = cli_usage(contract_usage, "unknown contract command '%s'",
			       verb);
	}
out:
	arena_free(&a);
	app_close(app);
	return rc;
}

static const char attendance_usage[] =
	"usage: soporte --as agent:EMAIL attendance log FOLIO --minutes N\n"
	"              [--start TIME] [--modality M] [--warranty]\n"
	"       soporte [--json] attendance list FOLIO\n"
	"Modality: remote, phone, chat (email/chat/web), office, onsite_local,\n"
	"onsite_foreign. The debit follows the contract's plan (BILL-2..6) and\n"
	"a consumption report is left on the ticket (BILL-9).\n";

int
cli_attendance(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "minutes", required_argument, NULL, 'm' },
		{ "start", required_argument, NULL, 's' },
		{ "modality", required_argument, NULL, 'M' },
		{ "warranty", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct attendance_input in = { .modality = "remote" };
	const char *start = NULL;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc = 0;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(attendance_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (str_to_i64(&in.minutes, optarg, 1, 24 * 60))
				return cli_usage(attendance_usage, "--minutes "
						 "takes 1 to 1440");
			break;
		case 's': start = optarg; break;
		case 'M': in.modality = optarg; break;
		case 'w': in.warranty = true; break;
		default: return cli_usage(attendance_usage, "bad option");
		}
	}
	if (optind + 1 >= argc)
		return cli_usage(attendance_usage, "which ticket? give its FOLIO");
	in.ticket = argv[optind + 1];
	if ((rc = cli_open(c, &app)))
		return rc;
	if (strcmp(argv[1], "log") == 0) {
		struct attendance_logged out;

		in.start = c->now - in.minutes * 60;
		if (start && zone_parse(app->zone, &in.start, start)) {
			app_close(app);
			return cli_usage(attendance_usage, "--start takes an ISO "
					 "8601 date-time");
		}
		if (in.minutes == 0) {
			app_close(app);
			return cli_usage(attendance_usage, "--minutes is required");
		}
		if (app_attendance_log(app, &out, c->now, &c->who, &in, &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			cli_print_json(json_pack("{s:I, s:I, s:b, s:I, s:s}",
				"id", (json_int_t)out.id, "debit_minutes",
				(json_int_t)out.bill.debit_minutes, "free",
				out.bill.free, "balance_minutes",
				(json_int_t)out.balance_after, "contracts",
				out.contracts));
		} else {
			printf("attendance %lld: %lld min debited",
			       (long long)out.id,
			       (long long)out.bill.debit_minutes);
			if (out.balance_after >= 0)
				printf(", %lld min left on %s",
				       (long long)out.balance_after, out.contracts);
			printf("\n");
		}
	} else if (strcmp(argv[1], "list") == 0) {
		struct attendance_row *rows;
		struct ticket_view v;
		struct ticket_row t;
		struct arena a;
		size_t n;

		arena_init(&a, 0);
		/* PRIV-2: only the tickets `--as` may see. */
		if (app_ticket_view_as(app, &a, &v, in.ticket, &c->who, &err) ||
		    store_ticket_find(app->store, &a, &t, app->provider_id,
				      in.ticket, &err) ||
		    store_attendance_list(app->store, &a, &rows, &n, t.id, &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			json_t *l = json_array();
			char s[32];

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, json_pack(
					"{s:I, s:s, s:I, s:s, s:b, s:b, s:I, s:o}",
					"id", (json_int_t)rows[i].id,
					"start", cli_time(app, rows[i].start_at, s),
					"minutes", (json_int_t)rows[i].minutes,
					"modality", rows[i].modality,
					"warranty", rows[i].warranty,
					"quick_question", rows[i].quick_question,
					"debit_minutes",
					(json_int_t)rows[i].debit_minutes,
					"steps", json_loads(rows[i].steps, 0, NULL)));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++) {
				char s[32];

				printf("%-5lld %.16s %4lld min %-14s debit %lld%s\n",
				       (long long)rows[i].id,
				       cli_time(app, rows[i].start_at, s),
				       (long long)rows[i].minutes,
				       rows[i].modality,
				       (long long)rows[i].debit_minutes,
				       rows[i].warranty ? " (warranty)" :
				       rows[i].quick_question ? " (quick question)" : "");
			}
		}
		arena_free(&a);
	} else {
		rc = cli_usage(attendance_usage, "unknown attendance command "
			       "'%s'", argv[1]);
	}
	app_close(app);
	return rc;
}
