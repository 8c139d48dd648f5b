/* test_cli_contract.c — contracts, attendances, quotes, invoices, refunds,
 * the hours report and bill eval, through the soporte binary
 * ($SOPORTE_BIN), each test on a fresh database in its temporary folder
 * and every command with --now (PLAN-, BILL-, REP-2). The app-level
 * suite (test_contract.c) proves the rules; this one proves that the
 * command line reaches them: options, output, JSON and exit status. */
#include "fixture.h"
#include "test.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A Friday: contracts are made and paid then. */
#define T0 "2026-05-01T09:00:00-06:00"
/* The Monday after, inside every pack's business hours: tickets. */
#define T1 "2026-05-04T09:00:00-06:00"

#define ORG "Ferretería López"
#define CONTACT "luis@ferre.mx"
#define AGENT "ana@prov.mx"
#define AS_AGENT "agent:" AGENT
#define AS_CONTACT "contact:" CONTACT

/* The last run's output; each run frees the one before, so a test that
 * stops at a CHECK leaks nothing past the next run or done(). */
static struct fx_run R;
static bool R_live;
static char db[512];
/* Parsed outputs, released by done(). */
static json_t *held[64];
static size_t nheld;

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
use_db(void)
{
	static bool registered;

	if (!registered && atexit(done) == 0)
		registered = true;
	done();
	snprintf(db, sizeof db, "%s", fx_path("t.db"));
}

/* soporte --db DB --policies DIR --now NOW ARGS... */
#define SP_AT(now, ...)                                                 \
	(drop(), fx_cli(&R, NULL, "--db", db, "--policies", fx_policies(), \
			"--now", (now), __VA_ARGS__, (const char *)NULL))
/* The same with standard input. */
#define SP_IN(in, ...)                                                  \
	(drop(), fx_cli(&R, (in), "--policies", fx_policies(), __VA_ARGS__, \
			(const char *)NULL))

#define OK(what, call) fx_ok(&R, (call), (what), __FILE__, __LINE__)

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

static long long
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -999999;
}

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

/* The line of `text` that contains `needle`, copied into out ("" if
 * none). */
static const char *
line_with(const char *text, const char *needle, char *out, size_t size)
{
	const char *hit = text ? strstr(text, needle) : NULL;
	const char *b, *e;

	out[0] = '\0';
	if (hit == NULL)
		return out;
	for (b = hit; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(hit, '\n');
	if (e == NULL)
		e = hit + strlen(hit);
	snprintf(out, size, "%.*s", (int)(e - b), b);
	return out;
}

/* A database with provider `pack`, the organization ORG, its contact
 * CONTACT and the agent AGENT. */
static bool
seed(const char *pack)
{
	use_db();
	return OK("init", SP_AT(T0, "init", "--pack", pack)) &&
	       OK("org add", SP_AT(T0, "org", "add", "--name", ORG)) &&
	       OK("contact add", SP_AT(T0, "contact", "add", "--name", "Luis",
				       "--surname", "López", "--email", CONTACT,
				       "--org", ORG)) &&
	       OK("agent add", SP_AT(T0, "agent", "add", "--name", "Ana Torres",
				     "--email", AGENT));
}

/* `--json contract add ...` then `contract pay NUMBER --ref REF`; the
 * number goes to out. `hours` NULL: the plan's size. */
static bool
contract(char out[64], const char *plan, const char *hours,
	 const char *price, const char *starts, const char *ref)
{
	const char *argv[16];
	int n = 0;
	json_t *v;
	const char *num;

	argv[n++] = "--json";
	argv[n++] = "contract";
	argv[n++] = "add";
	argv[n++] = "--org";
	argv[n++] = ORG;
	argv[n++] = "--plan";
	argv[n++] = plan;
	if (hours) {
		argv[n++] = "--hours";
		argv[n++] = hours;
	}
	if (price) {
		argv[n++] = "--price";
		argv[n++] = price;
	}
	if (starts) {
		argv[n++] = "--starts";
		argv[n++] = starts;
	}
	while (n < 16)
		argv[n++] = NULL;
	if (!OK("contract add", SP_AT(T0, argv[0], argv[1], argv[2], argv[3],
				      argv[4], argv[5], argv[6], argv[7],
				      argv[8], argv[9], argv[10], argv[11],
				      argv[12])))
		return false;
	if ((v = OUT_JSON()) == NULL)
		return false;
	if ((num = jstr(v, "number")) == NULL ||
	    strcmp(jstr(v, "state") ? jstr(v, "state") : "", "pending_payment")) {
		t_fail(__FILE__, __LINE__, "contract add answered %s", R.out.ptr);
		return false;
	}
	snprintf(out, 64, "%s", num);
	return ref == NULL || OK("contract pay", SP_AT(T0, "contract", "pay",
						       out, "--ref", ref));
}

/* A ticket from CONTACT with everything `pack` requires, opened at T1;
 * its folio goes to out. */
static bool
ticket(char out[64], const char *pack)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					     0x1a, '\n' };
	const char *shot = fx_path("captura.png");
	FILE *f = fopen(shot, "wb");
	const char *sp;
	int st;

	if (f == NULL || fwrite(png, 1, sizeof png, f) != sizeof png) {
		if (f)
			fclose(f);
		t_fail(__FILE__, __LINE__, "cannot write %s", shot);
		return false;
	}
	fclose(f);
	if (strcmp(pack, "easi") == 0)
		st = SP_AT(T1, "--as", AS_CONTACT, "ticket", "open", "--channel",
			   "email", "--subject", "Falla", "--description",
			   "No abre", "--field", "module=Nóminas", "--field",
			   "system=CONTPAQi", "--field", "system_version=15",
			   "--field", "os_version=Windows 11", "--field",
			   "steps=Abrir", "--screenshot", shot);
	else if (strcmp(pack, "impera") == 0)
		st = SP_AT(T1, "--as", AS_CONTACT, "ticket", "open", "--channel",
			   "web", "--category", "hosting", "--priority", "media",
			   "--subject", "Falla", "--description", "No abre",
			   "--screenshot", shot);
	else
		st = SP_AT(T1, "--as", AS_CONTACT, "ticket", "open", "--channel",
			   "email", "--subject", "Falla", "--description",
			   "No abre", "--screenshot", shot);
	if (!OK("ticket open", st))
		return false;
	sp = strchr(R.out.ptr, ' ');
	if (sp == NULL || (size_t)(sp - R.out.ptr) >= 64 ||
	    strncmp(sp, " opened (new)", 13) != 0) {
		t_fail(__FILE__, __LINE__, "ticket open answered %s", R.out.ptr);
		return false;
	}
	snprintf(out, 64, "%.*s", (int)(sp - R.out.ptr), R.out.ptr);
	return true;
}

/* `--json contract show NUMBER` at `now`, parsed. */
static json_t *
show(const char *number, const char *now, int line)
{
	if (SP_AT(now, "--json", "contract", "show", number) != 0) {
		t_fail(__FILE__, line, "contract show %s: exit %d: %s", number,
		       R.status, R.err.ptr);
		return NULL;
	}
	return out_json(line);
}
#define SHOW(number, now) show((number), (now), __LINE__)

/* Entries of `--json attendance list FOLIO`, -1 on failure. */
static long
attendance_count(const char *folio)
{
	json_t *l;
	long n;

	if (SP_AT("2026-06-30T12:00:00-06:00", "--json", "attendance", "list",
		  folio) != 0)
		return -1;
	l = json_loads(R.out.ptr, 0, NULL);
	n = json_is_array(l) ? (long)json_array_size(l) : -1;
	json_decref(l);
	return n;
}

/* ---- PLAN-2, PLAN-5 ------------------------------------------------- */

/* PLAN-2: Intecnia's Empresarial is 20 hours for a year; pending until
 * the purchase order, then bought into the ledger. PLAN-5: the
 * certificate. */
static void
test_plan2_plan5_empresarial_paid_shown_and_certified(void)
{
	char n[64];
	json_t *v, *l, *e;

	CHECK(seed("intecnia"));
	CHECK(contract(n, "empresarial", NULL, NULL, NULL, NULL));
	CHECK_STR(n, "INTECNIA-C-2026-0001");
	/* Not paid yet: no hours, not usable (BILL-7). */
	CHECK((v = SHOW(n, T0)) != NULL);
	CHECK_STR(jstr(v, "state"), "pending_payment");
	CHECK_INT(jint(v, "balance_minutes"), 0);
	CHECK(json_is_false(json_object_get(v, "usable")));
	CHECK_HAS(jstr(v, "why"), "BILL-7");
	CHECK_INT(json_array_size(json_object_get(v, "ledger")), 0);

	CHECK(OK("pay", SP_AT(T0, "contract", "pay", n, "--ref", "OC-1")));
	CHECK_HAS(R.out.ptr, "active");
	CHECK((v = SHOW(n, T1)) != NULL);
	CHECK_STR(jstr(v, "number"), n);
	CHECK_STR(jstr(v, "plan"), "empresarial");
	CHECK_STR(jstr(v, "kind"), "bank");
	CHECK_STR(jstr(v, "state"), "active");
	CHECK_INT(jint(v, "bank_minutes"), 1200);
	CHECK_INT(jint(v, "balance_minutes"), 1200);
	CHECK_INT(jint(v, "consumed_minutes"), 0);
	CHECK(json_is_true(json_object_get(v, "usable")));
	CHECK_STR(jstr(v, "starts_at"), T0);
	CHECK_STR(jstr(v, "ends_at"), "2027-05-01T09:00:00-06:00");
	CHECK_STR(jstr(v, "paid_at"), T0);
	l = json_object_get(v, "ledger");
	CHECK_INT(json_array_size(l), 1);
	e = json_array_get(l, 0);
	CHECK_STR(jstr(e, "kind"), "purchase");
	CHECK_INT(jint(e, "minutes"), 1200);
	CHECK_STR(jstr(e, "reason"), "OC-1");
	CHECK_STR(jstr(e, "at"), T0);
	/* Paid once only. */
	CHECK_INT(SP_AT(T1, "contract", "pay", n, "--ref", "OC-2"), 65);
	CHECK_HAS(R.err.ptr, "not pending payment");
	CHECK((v = SHOW(n, T1)) != NULL);
	CHECK_INT(json_array_size(json_object_get(v, "ledger")), 1);

	CHECK(OK("certificate", SP_AT(T1, "contract", "show", n,
				      "--certificate")));
	CHECK_HAS(R.out.ptr, "CERTIFICADO");
	CHECK_HAS(R.out.ptr, "Número de póliza:  INTECNIA-C-2026-0001");
	CHECK_HAS(R.out.ptr, "Cliente:           " ORG);
	CHECK_HAS(R.out.ptr, "Tipo:              Empresarial (bank)");
	CHECK_HAS(R.out.ptr, "Vigencia:          del 2026-05-01 al 2027-05-01");
	CHECK_HAS(R.out.ptr, "Horas:             20:00");
	CHECK_HAS(R.out.ptr, "Productos:         todos los suministrados");
	/* PLAN-1..5: a contract covering named products says so. */
	CHECK(OK("add", SP_AT(T1, "contract", "add", "--org", ORG, "--plan",
			      "basica", "--products", "Firewall X, NAS Y")));
	CHECK(OK("certificate", SP_AT(T1, "contract", "show",
				      "INTECNIA-C-2026-0002", "--certificate")));
	CHECK_HAS(R.out.ptr, "Productos:         Firewall X, NAS Y");
	done();
}

/* ---- BILL-1..4, BILL-9 ---------------------------------------------- */

/* EASI póliza of 10 h, 100 minutes on site from 17:30 on a Monday:
 * minimum 120 (17:30-19:30), 90 of them after hours x3/2 = 165, on site
 * x4/3 = 220, +10 % = 242, rounded up to 10 = 250. */
static void
test_bill1_bill9_easi_onsite_after_hours_debit_and_report(void)
{
	static const char *const rules[] = { "minimum", "after_hours",
		"modality_factor", "report_overhead", "rounding" };
	static const double after[] = { 120, 165, 220, 242, 250 };
	char n[64], folio[64], line[512];
	json_t *v, *l, *a, *steps, *deb;

	CHECK(seed("easi"));
	CHECK(contract(n, "poliza", "10", "100000", NULL, "SPEI 1"));
	CHECK(ticket(folio, "easi"));
	CHECK(OK("attendance", SP_AT("2026-05-04T19:30:00-06:00", "--as",
				     AS_AGENT, "--json", "attendance", "log",
				     folio, "--start",
				     "2026-05-04T17:30:00-06:00", "--minutes",
				     "100", "--modality", "onsite_local")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "id"), 1);
	CHECK_INT(jint(v, "debit_minutes"), 250);
	CHECK(json_is_false(json_object_get(v, "free")));
	CHECK_INT(jint(v, "balance_minutes"), 350);
	CHECK_STR(jstr(v, "contracts"), n);

	/* BILL-9: the consumption report is on the ticket. */
	CHECK(OK("ticket show", SP_AT("2026-05-04T19:30:00-06:00", "ticket",
				      "show", folio)));
	CHECK_HAS(R.out.ptr, "Reporte de consumo");
	CHECK_HAS(R.out.ptr, "onsite_local, 100 min trabajados");
	CHECK_HAS(R.out.ptr, "fuera de horario");
	CHECK_HAS(R.out.ptr, "Descontado: 250 min");
	CHECK_HAS(line_with(R.out.ptr, "Saldo disponible:", line, sizeof line),
		  "Saldo disponible: 5 h 50 min");
	CHECK_HAS(line, n);

	/* BILL-1: who, when, how long, modality, and the steps. */
	CHECK(OK("attendance list", SP_AT("2026-05-04T19:30:00-06:00", "--json",
					  "attendance", "list", folio)));
	CHECK((l = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(l), 1);
	a = json_array_get(l, 0);
	CHECK_STR(jstr(a, "start"), "2026-05-04T17:30:00-06:00");
	CHECK_INT(jint(a, "minutes"), 100);
	CHECK_STR(jstr(a, "modality"), "onsite_local");
	CHECK(json_is_false(json_object_get(a, "warranty")));
	CHECK_INT(jint(a, "debit_minutes"), 250);
	steps = json_object_get(a, "steps");
	CHECK_INT(json_array_size(steps), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *s = json_array_get(steps, i);

		CHECK_STR(jstr(s, "rule"), rules[i]);
		CHECK(json_number_value(json_object_get(s, "after_minutes")) ==
		      after[i]);
	}
	CHECK_INT(json_number_value(json_object_get(json_array_get(steps, 0),
						    "before_minutes")), 100);

	/* The ledger holds the debit, tied to the attendance. */
	CHECK((v = SHOW(n, "2026-05-04T19:30:00-06:00")) != NULL);
	CHECK_INT(jint(v, "balance_minutes"), 350);
	CHECK_INT(jint(v, "consumed_minutes"), 250);
	CHECK_INT(json_array_size(json_object_get(v, "ledger")), 2);
	deb = json_array_get(json_object_get(v, "ledger"), 1);
	CHECK_STR(jstr(deb, "kind"), "debit");
	CHECK_INT(jint(deb, "minutes"), -250);
	CHECK_INT(jint(deb, "attendance_id"), 1);
	CHECK_STR(jstr(deb, "actor"), "agent");
	done();
}

/* ---- PLAN-3, BILL-7 ------------------------------------------------- */

/* No contract: refused with a pointer to a quote, nothing stored;
 * warranty work is logged free. */
static void
test_plan3_bill7_no_contract_refused_warranty_free(void)
{
	char folio[64];
	json_t *v;

	CHECK(seed("intecnia"));
	CHECK(ticket(folio, "intecnia"));
	CHECK_INT(SP_AT("2026-05-04T10:30:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--start",
			"2026-05-04T10:00:00-06:00", "--minutes", "30"), 65);
	CHECK_HAS(R.err.ptr, "quote");
	CHECK_HAS(R.err.ptr, "PLAN-3");
	CHECK_INT(R.out.len, 0);
	CHECK_INT(attendance_count(folio), 0);

	CHECK(OK("warranty", SP_AT("2026-05-04T10:30:00-06:00", "--as",
				   AS_AGENT, "--json", "attendance", "log",
				   folio, "--start", "2026-05-04T10:00:00-06:00",
				   "--minutes", "30", "--warranty")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 0);
	CHECK(json_is_true(json_object_get(v, "free")));
	CHECK_INT(jint(v, "balance_minutes"), -1);
	CHECK(OK("list", SP_AT(T1, "--json", "attendance", "list", folio)));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(v), 1);
	CHECK(json_is_true(json_object_get(json_array_get(v, 0), "warranty")));
	CHECK_STR(jstr(json_array_get(json_object_get(json_array_get(v, 0),
						      "steps"), 0), "rule"),
		  "warranty");
	done();
}

/* BILL-7 (Intecnia per event): quote, approval recorded by the agent,
 * purchase order; then 61 minutes are two 1-hour events. */
static void
test_bill7_quote_approved_paid_then_per_event_debit(void)
{
	char folio[64], q[64], c[64];
	json_t *v, *e;
	const char *p;

	CHECK(seed("intecnia"));
	CHECK(ticket(folio, "intecnia"));
	CHECK(OK("quote", SP_AT("2026-05-04T09:30:00-06:00", "--as", AS_AGENT,
				"--json", "quote", "create", "--ticket", folio,
				"--kind", "quote", "--minutes", "120",
				"--amount", "180000", "--description",
				"Configuración de firewall, 2 eventos")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_STR(jstr(v, "state"), "sent");
	CHECK(jstr(v, "number") != NULL);
	snprintf(q, sizeof q, "%s", jstr(v, "number"));
	CHECK_STR(q, "INTECNIA-Q-2026-0001");
	/* Not paid before it is approved. */
	CHECK_INT(SP_AT("2026-05-04T09:40:00-06:00", "quote", "pay", q, "--ref",
			"OC-55"), 65);
	CHECK_HAS(R.err.ptr, "approved");
	CHECK(OK("approve", SP_AT("2026-05-04T10:00:00-06:00", "--as", AS_AGENT,
				  "quote", "approve", q, "--channel", "phone")));
	CHECK_HAS(R.out.ptr, "approved");
	CHECK(OK("pay", SP_AT("2026-05-04T11:00:00-06:00", "quote", "pay", q,
			      "--ref", "OC-55")));
	/* "Q paid: contract C is active" */
	CHECK((p = strstr(R.out.ptr, "contract ")) != NULL);
	CHECK(sscanf(p, "contract %63s", c) == 1);
	CHECK_HAS(R.out.ptr, "is active");

	/* BILL-10: IVA apart, exact. */
	CHECK(OK("list", SP_AT("2026-05-04T11:00:00-06:00", "--json", "quote",
			       "list", "--ticket", folio)));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(v), 1);
	CHECK((e = find_in(v, "number", q)) != NULL);
	CHECK_STR(jstr(e, "kind"), "quote");
	CHECK_STR(jstr(e, "state"), "paid");
	CHECK_INT(jint(e, "minutes"), 120);
	CHECK_INT(jint(e, "subtotal_centavos"), 180000);
	CHECK_INT(jint(e, "iva_centavos"), 28800);
	CHECK_STR(jstr(e, "decided_channel"), "phone");

	CHECK((v = SHOW(c, "2026-05-04T11:00:00-06:00")) != NULL);
	CHECK_STR(jstr(v, "plan"), "por_evento");
	CHECK_STR(jstr(v, "state"), "active");
	CHECK_INT(jint(v, "balance_minutes"), 120);
	CHECK_INT(jint(v, "price_centavos"), 180000);

	CHECK(OK("attendance", SP_AT("2026-05-04T13:05:00-06:00", "--as",
				     AS_AGENT, "--json", "attendance", "log",
				     folio, "--start",
				     "2026-05-04T12:00:00-06:00", "--minutes",
				     "61")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 120);
	CHECK_INT(jint(v, "balance_minutes"), 0);
	CHECK_STR(jstr(v, "contracts"), c);
	/* Both events spent: the next attendance needs a new quote. */
	CHECK_INT(SP_AT("2026-05-04T14:05:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--minutes", "10"), 65);
	CHECK_HAS(R.err.ptr, "used up");
	done();
}

/* ---- BILL-8 ---------------------------------------------------------- */

/* Impera: no debit before the customer authorises an estimate on the
 * ticket; a customer of another organization cannot authorise it. */
static void
test_bill8_impera_estimate_authorised_by_customer(void)
{
	char c[64], folio[64], q[64];
	json_t *v;

	CHECK(seed("impera"));
	CHECK(OK("org", SP_AT(T0, "org", "add", "--name", "Clínica Norte")));
	CHECK(OK("contact", SP_AT(T0, "contact", "add", "--name", "Sofía",
				  "--email", "sofia@clinica.mx", "--org",
				  "Clínica Norte")));
	CHECK(contract(c, "basica", NULL, NULL, NULL, "OC-9"));
	CHECK(ticket(folio, "impera"));
	CHECK_INT(SP_AT("2026-05-04T10:30:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--start",
			"2026-05-04T10:00:00-06:00", "--minutes", "30"), 65);
	CHECK_HAS(R.err.ptr, "BILL-8");
	CHECK_INT(attendance_count(folio), 0);

	CHECK(OK("estimate", SP_AT("2026-05-04T10:35:00-06:00", "--as",
				   AS_AGENT, "--json", "quote", "create",
				   "--ticket", folio, "--kind", "estimate",
				   "--minutes", "120", "--amount", "0",
				   "--description", "Revisión del hosting")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK(jstr(v, "number") != NULL);
	snprintf(q, sizeof q, "%s", jstr(v, "number"));
	/* Sent, not authorised: still refused. */
	CHECK_INT(SP_AT("2026-05-04T10:40:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--minutes", "30"), 65);
	CHECK_HAS(R.err.ptr, "BILL-8");
	/* Another organization's contact does not see it. */
	CHECK_INT(SP_AT("2026-05-04T10:45:00-06:00", "--as",
			"contact:sofia@clinica.mx", "quote", "approve", q), 66);
	CHECK(OK("approve", SP_AT("2026-05-04T10:50:00-06:00", "--as",
				  AS_CONTACT, "quote", "approve", q)));
	CHECK(OK("attendance", SP_AT("2026-05-04T11:30:00-06:00", "--as",
				     AS_AGENT, "--json", "attendance", "log",
				     folio, "--start",
				     "2026-05-04T11:00:00-06:00", "--minutes",
				     "30")));
	CHECK((v = OUT_JSON()) != NULL);
	/* BILL-2: Impera debits whole hours. */
	CHECK_INT(jint(v, "debit_minutes"), 60);
	CHECK_INT(jint(v, "balance_minutes"), 540);
	CHECK_STR(jstr(v, "contracts"), c);
	CHECK(OK("list", SP_AT("2026-05-04T11:30:00-06:00", "--json", "quote",
			       "list", "--ticket", folio)));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_STR(jstr(find_in(v, "number", q), "state"), "approved");
	CHECK_STR(jstr(find_in(v, "number", q), "kind"), "estimate");
	done();
}

/* ---- BILL-10, BILL-11, PLAN-4 ----------------------------------------- */

static const char *
invoice_state(const char *number, const char *now)
{
	json_t *l;

	if (SP_AT(now, "--json", "invoice", "list") != 0)
		return "(list failed)";
	l = hold(json_loads(R.out.ptr, 0, NULL));
	return jstr(find_in(l, "number", number), "state");
}

/* EASI: an invoice unpaid 8 natural days after issue makes the customer
 * delinquent and suspends its contracts; paying restores service. */
static void
test_bill11_plan4_invoice_delinquent_suspends_until_paid(void)
{
	char c[64], folio[64], f[64];
	json_t *v, *e;

	CHECK(seed("easi"));
	CHECK(contract(c, "poliza", "10", NULL, NULL, "SPEI 1"));
	CHECK(ticket(folio, "easi"));
	CHECK(OK("invoice", SP_AT(T1, "--json", "invoice", "issue", "--org",
				  ORG, "--concept", "Póliza 10 h", "--amount",
				  "500000", "--contract", c)));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "subtotal_centavos"), 500000);
	CHECK_INT(jint(v, "iva_centavos"), 80000);
	CHECK(jstr(v, "number") != NULL);
	snprintf(f, sizeof f, "%s", jstr(v, "number"));
	CHECK(OK("list", SP_AT(T1, "--json", "invoice", "list", "--org", ORG)));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(json_array_size(v), 1);
	CHECK((e = find_in(v, "number", f)) != NULL);
	CHECK_STR(jstr(e, "state"), "issued");
	CHECK_STR(jstr(e, "concept"), "Póliza 10 h");
	CHECK_INT(jint(e, "subtotal_centavos"), 500000);
	CHECK_INT(jint(e, "iva_centavos"), 80000);
	CHECK_STR(jstr(e, "issued_at"), T1);

	/* A minute before the 8 days: still in good standing. */
	CHECK(OK("tick", SP_AT("2026-05-12T08:59:00-06:00", "tick")));
	CHECK_STR(invoice_state(f, "2026-05-12T08:59:00-06:00"), "issued");
	CHECK(OK("tick", SP_AT("2026-05-12T09:00:00-06:00", "tick")));
	CHECK_STR(invoice_state(f, "2026-05-12T09:00:00-06:00"), "delinquent");
	CHECK((v = SHOW(c, "2026-05-12T09:00:00-06:00")) != NULL);
	CHECK_STR(jstr(v, "state"), "suspended");
	CHECK_HAS(jstr(v, "why"), "PLAN-4");
	CHECK_INT(SP_AT("2026-05-12T10:30:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--minutes", "30"), 65);
	CHECK_HAS(R.err.ptr, "PLAN-4");
	CHECK_INT(attendance_count(folio), 0);

	CHECK(OK("pay", SP_AT("2026-05-13T09:00:00-06:00", "invoice", "pay", f,
			      "--ref", "SPEI 991")));
	CHECK_STR(invoice_state(f, "2026-05-13T09:00:00-06:00"), "paid");
	CHECK((v = SHOW(c, "2026-05-13T09:00:00-06:00")) != NULL);
	CHECK_STR(jstr(v, "state"), "active");
	CHECK(OK("attendance", SP_AT("2026-05-13T10:30:00-06:00", "--as",
				     AS_AGENT, "--json", "attendance", "log",
				     folio, "--minutes", "30")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 40); /* 30 +10 % = 33 -> 40 */
	/* A paid invoice is not paid again. */
	CHECK_INT(SP_AT("2026-05-13T11:00:00-06:00", "invoice", "pay", f,
			"--ref", "otra vez"), 65);
	done();
}

/* ---- BILL-12 ---------------------------------------------------------- */

/* EASI: within 24 h of payment a block over 5 hours is refunded less
 * 5 %; after that the hours stay; an overpayment comes back less 3 %. */
static void
test_bill12_refund_within_24h_then_hours_stay(void)
{
	char a[64], b[64];
	json_t *v, *l;

	CHECK(seed("easi"));
	CHECK(contract(a, "poliza", "10", "100000", NULL, "SPEI 1"));
	CHECK(contract(b, "poliza", "10", "100000", NULL, "SPEI 2"));
	CHECK(OK("refund", SP_AT("2026-05-02T08:59:00-06:00", "--json",
				 "refund", "request", a, "--reason",
				 "ya no lo necesitan")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_STR(jstr(v, "contract"), a);
	CHECK_INT(jint(v, "refund_centavos"), 95000);
	CHECK((v = SHOW(a, "2026-05-02T09:00:00-06:00")) != NULL);
	CHECK_STR(jstr(v, "state"), "cancelled");
	CHECK_INT(jint(v, "balance_minutes"), 0);
	l = json_object_get(v, "ledger");
	CHECK_INT(json_array_size(l), 2);
	CHECK_STR(jstr(json_array_get(l, 1), "kind"), "refund");
	CHECK_INT(jint(json_array_get(l, 1), "minutes"), -600);

	/* 25 hours after payment: refused, the hours stay. */
	CHECK_INT(SP_AT("2026-05-02T10:00:00-06:00", "refund", "request", b), 65);
	CHECK_HAS(R.err.ptr, "stay available");
	CHECK_INT(R.out.len, 0);
	CHECK((v = SHOW(b, "2026-05-02T10:00:00-06:00")) != NULL);
	CHECK_STR(jstr(v, "state"), "active");
	CHECK_INT(jint(v, "balance_minutes"), 600);

	CHECK(OK("overpayment", SP_AT("2026-05-02T10:00:00-06:00", "--json",
				      "refund", "request", "--overpayment",
				      "10000")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "overpayment_centavos"), 10000);
	CHECK_INT(jint(v, "refund_centavos"), 9700);
	CHECK(OK("overpayment", SP_AT("2026-05-02T10:00:00-06:00", "refund",
				      "request", "--overpayment", "10000")));
	CHECK_HAS(R.out.ptr, "refund 97.00 MXN");
	done();
}

/* ---- REP-2 ------------------------------------------------------------- */

/* Hours consumed and left per contract, and those whose term ends
 * within the days given; an attendance draws from the bank that expires
 * first. */
static void
test_rep2_report_hours_expiring_text_csv_json(void)
{
	char old[64], young[64], pending[64], folio[64], line[512];
	json_t *v, *l, *e;
	const char *nl;

	CHECK(seed("easi"));
	/* Six months from 15 Nov 2025: ends 15 May 2026, in 14 days. */
	CHECK(contract(old, "poliza", "10", NULL, "2025-11-15", "SPEI 1"));
	CHECK(contract(young, "poliza", "20", NULL, NULL, "SPEI 2"));
	CHECK(contract(pending, "poliza", "5", NULL, NULL, NULL));
	CHECK(ticket(folio, "easi"));
	CHECK(OK("attendance", SP_AT("2026-05-04T10:30:00-06:00", "--as",
				     AS_AGENT, "attendance", "log", folio,
				     "--start", "2026-05-04T10:00:00-06:00",
				     "--minutes", "30")));
	CHECK_HAS(R.out.ptr, old);
	CHECK(strstr(R.out.ptr, young) == NULL);

	CHECK(OK("report", SP_AT("2026-05-04T12:00:00-06:00", "report",
				 "hours", "--expiring", "30")));
	CHECK_HAS(line_with(R.out.ptr, old, line, sizeof line),
		  "expiring soon");
	CHECK_HAS(line, ORG);
	CHECK_HAS(line, "10:00");
	CHECK_HAS(line, "9:20");
	CHECK_HAS(line, "2026-05-15");
	CHECK(line_with(R.out.ptr, young, line, sizeof line)[0] != '\0');
	CHECK(strstr(line, "expiring") == NULL);
	/* Not paid: not reported. */
	CHECK(strstr(R.out.ptr, pending) == NULL);

	CHECK(OK("csv", SP_AT("2026-05-04T12:00:00-06:00", "report", "hours",
			      "--expiring", "30", "--csv")));
	nl = strchr(R.out.ptr, '\n');
	CHECK(nl != NULL);
	CHECK_INT(nl - R.out.ptr, strlen("contract,organization,plan,state,"
					 "bank_minutes,consumed_minutes,"
					 "left_minutes,ends_at,expiring"));
	CHECK(strncmp(R.out.ptr, "contract,organization,plan,state,"
		      "bank_minutes,consumed_minutes,left_minutes,ends_at,"
		      "expiring\n", (size_t)(nl - R.out.ptr) + 1) == 0);
	snprintf(line, sizeof line, "\"%s\",\"" ORG "\",poliza,active,600,40,"
		 "560,2026-05-15T00:00:00-06:00,yes\n", old);
	CHECK_HAS(R.out.ptr, line);
	snprintf(line, sizeof line, "\"%s\",\"" ORG "\",poliza,active,1200,0,"
		 "1200,2026-11-01T09:00:00-06:00,no\n", young);
	CHECK_HAS(R.out.ptr, line);

	CHECK(OK("json", SP_AT("2026-05-04T12:00:00-06:00", "report", "hours",
			       "--expiring", "30", "--json")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_STR(jstr(v, "provider"), "easi");
	CHECK_INT(jint(v, "expiring_days"), 30);
	l = json_object_get(v, "contracts");
	CHECK_INT(json_array_size(l), 2);
	CHECK((e = find_in(l, "contract", old)) != NULL);
	CHECK(json_is_true(json_object_get(e, "expiring")));
	CHECK_INT(jint(e, "consumed_minutes"), 40);
	CHECK_INT(jint(e, "left_minutes"), 560);
	CHECK_STR(jstr(e, "organization"), ORG);
	CHECK((e = find_in(l, "contract", young)) != NULL);
	CHECK(json_is_false(json_object_get(e, "expiring")));
	CHECK_INT(jint(e, "left_minutes"), 1200);
	/* 10 days: the old one ends later than that. */
	CHECK(OK("json", SP_AT("2026-05-04T12:00:00-06:00", "--json", "report",
			       "hours", "--expiring", "10")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK(json_is_false(json_object_get(
		find_in(json_object_get(v, "contracts"), "contract", old),
		"expiring")));
	CHECK_INT(SP_AT(T1, "report", "hours", "--expiring", "pronto"), 64);
	done();
}

/* ---- bill eval ------------------------------------------------------- */

/* The issue's example, then a bad line between good ones: each line is
 * answered in order, and the status is 65. */
static void
test_bill_eval_issue_example_and_bad_line_exit_65(void)
{
	static const char *const rules[] = { "after_hours", "report_overhead",
					     "rounding" };
	static const char good[] =
		"{\"pack\": \"easi\", \"plan\": \"poliza\", \"start\": "
		"\"2026-05-04T17:10:00-06:00\", \"minutes\": 95, \"modality\": "
		"\"remote\", \"warranty\": false}\n";
	char in[1024], lines[3][1024];
	const char *p;
	json_t *v, *steps;
	int n = 0;

	use_db();
	CHECK_INT(SP_IN(good, "bill", "eval"), 0);
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 130);
	CHECK(json_is_false(json_object_get(v, "free")));
	steps = json_object_get(v, "steps");
	CHECK_INT(json_array_size(steps), 3);
	for (size_t i = 0; i < 3; i++)
		CHECK_STR(jstr(json_array_get(steps, i), "rule"), rules[i]);
	/* 17:10-18:45: 45 minutes after 18:00 count x3/2. */
	CHECK(json_number_value(json_object_get(json_array_get(steps, 0),
						"after_minutes")) == 117.5);
	CHECK(json_number_value(json_object_get(json_array_get(steps, 1),
						"after_minutes")) == 129.25);

	snprintf(in, sizeof in, "%s%s%s", good,
		 "{\"pack\": \"easi\", \"plan\": \"oro\", \"start\": "
		 "\"2026-05-04T17:10:00-06:00\", \"minutes\": 95}\n",
		 "{\"pack\": \"intecnia\", \"plan\": \"por_evento\", \"start\": "
		 "\"2026-05-04T12:00:00-06:00\", \"minutes\": 61}\n");
	CHECK_INT(SP_IN(in, "bill", "eval"), 65);
	for (p = R.out.ptr; *p && n < 3; n++) {
		const char *e = strchr(p, '\n');

		CHECK(e != NULL);
		snprintf(lines[n], sizeof lines[n], "%.*s", (int)(e - p), p);
		p = e + 1;
	}
	CHECK_INT(n, 3);
	CHECK_STR(p, "");
	CHECK((v = hold(json_loads(lines[0], 0, NULL))) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 130);
	CHECK_STR(lines[1], "{\"error\":\"easi has no plan 'oro'\"}");
	CHECK((v = hold(json_loads(lines[2], 0, NULL))) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 120);
	done();
}

/* ---- bad input ---------------------------------------------------------- */

static void
test_bad_input_exit_codes_and_nothing_stored(void)
{
	char c[64], folio[64];
	json_t *v;

	CHECK(seed("intecnia"));
	CHECK_INT(SP_AT(T0, "contract", "add", "--org", ORG, "--plan", "oro"),
		  65);
	CHECK_HAS(R.err.ptr, "oro");
	/* PLAN-2: Básica is sold with 5 hours only. */
	CHECK_INT(SP_AT(T0, "contract", "add", "--org", ORG, "--plan",
			"basica", "--hours", "7"), 65);
	CHECK_HAS(R.err.ptr, "7 hours");
	CHECK_INT(SP_AT(T0, "contract", "add", "--org", ORG, "--plan",
			"basica", "--hours", "x"), 64);
	CHECK_HAS(R.err.ptr, "--hours");
	CHECK(OK("list", SP_AT(T0, "--json", "contract", "list")));
	CHECK_STR(R.out.ptr, "[]\n");

	CHECK(contract(c, "basica", "5", NULL, NULL, "OC-1"));
	CHECK(ticket(folio, "intecnia"));
	CHECK_INT(SP_AT("2026-05-04T10:30:00-06:00", "--as", AS_AGENT,
			"attendance", "log", folio, "--minutes", "30",
			"--modality", "teleport"), 65);
	CHECK_HAS(R.err.ptr, "teleport");
	/* Only agents log attendances. */
	CHECK_INT(SP_AT("2026-05-04T10:30:00-06:00", "--as", AS_CONTACT,
			"attendance", "log", folio, "--minutes", "30"), 65);
	CHECK_HAS(R.err.ptr, "agent");
	CHECK_INT(attendance_count(folio), 0);
	CHECK_INT(SP_AT(T1, "invoice", "issue", "--org", ORG, "--concept",
			"Servicio", "--amount", "-5"), 64);
	CHECK_HAS(R.err.ptr, "--amount");
	CHECK(OK("list", SP_AT(T1, "--json", "invoice", "list")));
	CHECK_STR(R.out.ptr, "[]\n");

	/* The same attendance, well given, is taken. */
	CHECK(OK("attendance", SP_AT("2026-05-04T10:30:00-06:00", "--as",
				     AS_AGENT, "--json", "attendance", "log",
				     folio, "--minutes", "30", "--modality",
				     "remote")));
	CHECK((v = OUT_JSON()) != NULL);
	CHECK_INT(jint(v, "debit_minutes"), 30);
	CHECK_INT(jint(v, "balance_minutes"), 270);
	CHECK_INT(attendance_count(folio), 1);
	done();
}

const struct test cli_contract_tests[] = {
	{ "plan2_plan5_empresarial_paid_shown_and_certified", test_plan2_plan5_empresarial_paid_shown_and_certified },
	{ "bill1_bill9_easi_onsite_after_hours_debit_and_report", test_bill1_bill9_easi_onsite_after_hours_debit_and_report },
	{ "plan3_bill7_no_contract_refused_warranty_free", test_plan3_bill7_no_contract_refused_warranty_free },
	{ "bill7_quote_approved_paid_then_per_event_debit", test_bill7_quote_approved_paid_then_per_event_debit },
	{ "bill8_impera_estimate_authorised_by_customer", test_bill8_impera_estimate_authorised_by_customer },
	{ "bill11_plan4_invoice_delinquent_suspends_until_paid", test_bill11_plan4_invoice_delinquent_suspends_until_paid },
	{ "bill12_refund_within_24h_then_hours_stay", test_bill12_refund_within_24h_then_hours_stay },
	{ "rep2_report_hours_expiring_text_csv_json", test_rep2_report_hours_expiring_text_csv_json },
	{ "bill_eval_issue_example_and_bad_line_exit_65", test_bill_eval_issue_example_and_bad_line_exit_65 },
	{ "bad_input_exit_codes_and_nothing_stored", test_bad_input_exit_codes_and_nothing_stored },
	{ 0 },
};
