/* cmd_document.c — soporte quote ..., invoice ..., refund request. */
#include "cli.h"

#include "../util/str.h"
#include "../zone/zone.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const char quote_usage[] =
	"usage: soporte --as agent:EMAIL quote create (--ticket FOLIO | --org ID|NAME)\n"
	"              --kind quote|estimate --minutes N --amount CENTAVOS\n"
	"              --description TEXT\n"
	"       soporte --as WHO quote approve|reject NUMBER [--channel CH]\n"
	"       soporte quote pay NUMBER --ref TEXT   (payment proof or PO, BILL-7)\n"
	"       soporte [--json] quote list (--ticket FOLIO | --org ID|NAME)\n"
	"A quote prices per-event work (BILL-7); an estimate authorises hours to\n"
	"debit from a póliza (BILL-8). Amounts in centavos, IVA apart.\n";

static const char invoice_usage[] =
	"usage: soporte invoice issue --org ID|NAME --concept TEXT --amount CENTAVOS\n"
	"              [--contract NUMBER] [--cfdi UUID]\n"
	"       soporte invoice pay NUMBER --ref TEXT\n"
	"       soporte [--json] invoice list [--org ID|NAME]\n"
	"Unpaid past the pack's days an invoice makes the customer delinquent and\n"
	"suspends its contracts (PLAN-4, BILL-11).\n";

static const char refund_usage[] =
	"usage: soporte refund request CONTRACT [--reason TEXT]\n"
	"       soporte refund request --overpayment CENTAVOS\n"
	"Cancels a contract within the pack's window after payment and before\n"
	"any consumption, refunding blocks over the pack's size less its fee;\n"
	"an overpayment is refunded less the pack's overpayment fee (BILL-12).\n";

static void
money(char out[32], int64_t c)
{
	snprintf(out, 32, "%lld.%02lld", (long long)(c / 100),
		 (long long)(c % 100));
}

int
cli_quote(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ticket", required_argument, NULL, 't' },
		{ "org", required_argument, NULL, 'o' },
		{ "kind", required_argument, NULL, 'k' },
		{ "minutes", required_argument, NULL, 'm' },
		{ "amount", required_argument, NULL, 'a' },
		{ "description", required_argument, NULL, 'd' },
		{ "channel", required_argument, NULL, 'c' },
		{ "ref", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct quote_input in = { 0 };
	const char *channel = NULL, *ref = NULL, *verb, *key = NULL;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc = 0;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(quote_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	verb = argv[1];
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': in.ticket = optarg; break;
		case 'o': in.organization = optarg; break;
		case 'k': in.kind = optarg; break;
		case 'm':
			if (str_to_i64(&in.minutes, optarg, 1, 6000000))
				return cli_usage(quote_usage, "--minutes takes a "
						 "whole number");
			break;
		case 'a':
			if (str_to_i64(&in.subtotal_centavos, optarg, 0,
				       INT64_C(1) << 45))
				return cli_usage(quote_usage, "--amount takes "
						 "whole centavos");
			break;
		case 'd': in.description = optarg; break;
		case 'c': channel = optarg; break;
		case 'r': ref = optarg; break;
		default: return cli_usage(quote_usage, "bad option");
		}
	}
	if (optind + 1 < argc)
		key = argv[optind + 1];
	if ((rc = cli_open(c, &app)))
		return rc;
	if (strcmp(verb, "create") == 0) {
		char n[64];

		if (app_quote_create(app, n, c->now, &c->who, &in, &err))
			rc = cli_fail(&err);
		else if (c->json)
			cli_print_json(json_pack("{s:s, s:s}", "number", n,
						 "state", "sent"));
		else
			printf("%s sent\n", n);
	} else if (strcmp(verb, "list") == 0) {
		struct quote_row *q;
		struct ticket_row t = { 0 };
		struct org_row o = { 0 };
		struct arena a;
		size_t n;

		int64_t org = 0, only = 0;

		arena_init(&a, 0);
		if ((in.ticket && store_ticket_find(app->store, &a, &t,
						    app->provider_id, in.ticket,
						    &err)) ||
		    (in.organization && store_org_find(app->store, &a, &o,
						       app->provider_id,
						       in.organization, &err)) ||
		    app_visible_org(app, &c->who, &org, &only, &err)) {
			rc = cli_fail(&err);
		} else if (strcmp(c->who.kind, "contact") == 0 &&
			   ((t.id && t.organization_id != org) ||
			    (o.id && o.id != org) || org == 0)) {
			/* PRIV-2: a customer lists its own quotes only. */
			fprintf(stderr, "soporte: no such quotes for you\n");
			rc = EX_NOINPUT;
		} else if (store_quote_list(app->store, &a, &q, &n,
					    app->provider_id, t.id,
					    t.id ? 0 : (o.id ? o.id : org), &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			json_t *l = json_array();

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, json_pack(
					"{s:s, s:s, s:s, s:I, s:I, s:I, s:s?}",
					"number", q[i].number, "kind", q[i].kind,
					"state", q[i].state, "minutes",
					(json_int_t)q[i].minutes,
					"subtotal_centavos",
					(json_int_t)q[i].subtotal_centavos,
					"iva_centavos",
					(json_int_t)q[i].iva_centavos,
					"decided_channel", q[i].decided_channel));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++) {
				char s[32], v[32];

				money(s, q[i].subtotal_centavos);
				money(v, q[i].iva_centavos);
				printf("%-22s %-8s %-9s %5lld min  %12s + IVA %s\n",
				       q[i].number, q[i].kind, q[i].state,
				       (long long)q[i].minutes, s, v);
			}
		}
		arena_free(&a);
	} else if (key == NULL) {
		rc = cli_usage(quote_usage, "quote %s needs a NUMBER", verb);
	} else if (strcmp(verb, "approve") == 0 || strcmp(verb, "reject") == 0) {
		if (app_quote_decide(app, c->now, &c->who, key,
				     strcmp(verb, "approve") == 0, channel, &err))
			rc = cli_fail(&err);
		else
			printf("%s %s\n", key, strcmp(verb, "approve") == 0 ?
			       "approved" : "rejected");
	} else if (strcmp(verb, "pay") == 0) {
		char n[64];

		if (app_quote_pay(app, n, c->now, &c->who, key, ref, &err))
			rc = cli_fail(&err);
		else
			printf("%s paid: contract %s is active\n", key, n);
	} else {
		rc = cli_usage(quote_usage, "unknown quote command '%s'", verb);
	}
	app_close(app);
	return rc;
}

int
cli_invoice(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "contract", required_argument, NULL, 'k' },
		{ "concept", required_argument, NULL, 'c' },
		{ "amount", required_argument, NULL, 'a' },
		{ "cfdi", required_argument, NULL, 'u' },
		{ "ref", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *contract = NULL, *concept = NULL,
		   *cfdi = NULL, *ref = NULL, *verb, *key = NULL;
	int64_t amount = 0;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc = 0;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(invoice_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	verb = argv[1];
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': org = optarg; break;
		case 'k': contract = optarg; break;
		case 'c': concept = optarg; break;
		case 'a':
			if (str_to_i64(&amount, optarg, 1, INT64_C(1) << 45))
				return cli_usage(invoice_usage, "--amount takes "
						 "whole centavos");
			break;
		case 'u': cfdi = optarg; break;
		case 'r': ref = optarg; break;
		default: return cli_usage(invoice_usage, "bad option");
		}
	}
	if (optind + 1 < argc)
		key = argv[optind + 1];
	if ((rc = cli_open(c, &app)))
		return rc;
	if (strcmp(verb, "issue") == 0) {
		char n[64];

		if (app_invoice_issue(app, n, c->now, &c->who, org, contract,
				      concept, amount, cfdi, &err))
			rc = cli_fail(&err);
		else if (c->json)
			cli_print_json(json_pack("{s:s, s:I, s:I}", "number", n,
						 "subtotal_centavos",
						 (json_int_t)amount,
						 "iva_centavos",
						 (json_int_t)app_iva(app, amount)));
		else
			printf("%s issued\n", n);
	} else if (strcmp(verb, "list") == 0) {
		struct invoice_row *r;
		struct org_row o = { 0 };
		struct arena a;
		size_t n;

		int64_t mine = 0, only = 0;

		arena_init(&a, 0);
		if ((org && store_org_find(app->store, &a, &o, app->provider_id,
					   org, &err)) ||
		    app_visible_org(app, &c->who, &mine, &only, &err)) {
			rc = cli_fail(&err);
		} else if (strcmp(c->who.kind, "contact") == 0 &&
			   (mine == 0 || (o.id && o.id != mine))) {
			/* PRIV-2: a customer sees its own invoices only. */
			fprintf(stderr, "soporte: no such invoices for you\n");
			rc = EX_NOINPUT;
		} else if (store_invoice_list(app->store, &a, &r, &n,
					      app->provider_id,
					      mine ? mine : o.id, &err)) {
			rc = cli_fail(&err);
		} else if (c->json) {
			json_t *l = json_array();
			char t[32];

			for (size_t i = 0; i < n; i++)
				json_array_append_new(l, json_pack(
					"{s:s, s:s, s:s, s:I, s:I, s:s, s:s?}",
					"number", r[i].number, "concept",
					r[i].concept, "state", r[i].state,
					"subtotal_centavos",
					(json_int_t)r[i].subtotal_centavos,
					"iva_centavos",
					(json_int_t)r[i].iva_centavos,
					"issued_at", cli_time(app, r[i].issued_at, t),
					"cfdi", r[i].cfdi_uuid));
			cli_print_json(l);
		} else {
			for (size_t i = 0; i < n; i++) {
				char s[32], v[32], t[32];

				money(s, r[i].subtotal_centavos);
				money(v, r[i].iva_centavos);
				printf("%-22s %-10s %.10s %12s + IVA %10s  %s\n",
				       r[i].number, r[i].state,
				       cli_time(app, r[i].issued_at, t), s, v,
				       r[i].concept);
			}
		}
		arena_free(&a);
	} else if (strcmp(verb, "pay") == 0 && key) {
		if (app_invoice_pay(app, c->now, &c->who, key, ref, &err))
			rc = cli_fail(&err);
		else
			printf("%s paid\n", key);
	} else {
		rc = cli_usage(invoice_usage, "unknown invoice command '%s'", verb);
	}
	app_close(app);
	return rc;
}

int
cli_refund(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "overpayment", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	int64_t over = -1;
	struct sp_err err = { 0 };
	struct app *app;
	int ch, rc = 0;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(refund_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "request") != 0)
		return cli_usage(refund_usage, "unknown refund command '%s'",
				 argv[1]);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (ch == 'r')
			reason = optarg;
		else if (ch == 'o') {
			if (str_to_i64(&over, optarg, 1, INT64_C(1) << 45))
				return cli_usage(refund_usage, "--overpayment "
						 "takes whole centavos");
		} else
			return cli_usage(refund_usage, "bad option");
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	if (over > 0) {
		/* BILL-12: an overpayment comes back less the pack's fee. */
		int64_t back = over - (over * app->policy->billing.overpayment_fee_percent
				       + 99) / 100;
		char a[32], b[32];

		money(a, over);
		money(b, back);
		if (c->json)
			cli_print_json(json_pack("{s:I, s:I}", "overpayment_centavos",
						 (json_int_t)over, "refund_centavos",
						 (json_int_t)back));
		else
			printf("overpayment %s MXN: refund %s MXN (less %d%%)\n",
			       a, b, app->policy->billing.overpayment_fee_percent);
	} else if (optind + 1 < argc) {
		int64_t refund;

		if (app_contract_cancel(app, &refund, c->now, &c->who,
					argv[optind + 1], reason, &err)) {
			rc = cli_fail(&err);
		} else {
			char a[32];

			money(a, refund);
			if (c->json)
				cli_print_json(json_pack("{s:s, s:I}", "contract",
							 argv[optind + 1],
							 "refund_centavos",
							 (json_int_t)refund));
			else
				printf("%s cancelled: refund %s MXN + IVA\n",
				       argv[optind + 1], a);
		}
	} else {
		rc = cli_usage(refund_usage, "refund request needs a CONTRACT "
			       "or --overpayment");
	}
	app_close(app);
	return rc;
}
