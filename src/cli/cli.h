/* cli.h — shared by the subcommands of the soporte command line. */
#ifndef SP_CLI_H
#define SP_CLI_H

#include "../app/app.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct cli {
	const char *db;        /* --db, SOPORTE_DB, default soporte.db */
	const char *provider;  /* --provider pack id */
	const char *policies;  /* --policies DIR */
	const char *now_text;  /* --now */
	int64_t now;
	bool json;             /* --json */
	struct actor who;      /* --as */
	char who_key[256];     /* the email or id after agent:/contact: */
};

/* A subcommand: argv[0] is its name. Returns a sysexits status. */
typedef int (*cli_fn)(struct cli *c, int argc, char **argv);

int cli_init(struct cli *c, int argc, char **argv);
int cli_policy(struct cli *c, int argc, char **argv);
int cli_org(struct cli *c, int argc, char **argv);
int cli_contact(struct cli *c, int argc, char **argv);
int cli_agent(struct cli *c, int argc, char **argv);
int cli_product(struct cli *c, int argc, char **argv);
int cli_ticket(struct cli *c, int argc, char **argv);
int cli_demo(struct cli *c, int argc, char **argv);
/* The screenshot the demo attaches (demo_png.c): a real PNG. */
extern const unsigned char cli_demo_png[];
extern const size_t cli_demo_png_size;
int cli_tick(struct cli *c, int argc, char **argv);
int cli_sla(struct cli *c, int argc, char **argv);
int cli_calendar(struct cli *c, int argc, char **argv);
int cli_report(struct cli *c, int argc, char **argv);
int cli_bill(struct cli *c, int argc, char **argv);
int cli_contract(struct cli *c, int argc, char **argv);
int cli_attendance(struct cli *c, int argc, char **argv);
int cli_quote(struct cli *c, int argc, char **argv);
int cli_invoice(struct cli *c, int argc, char **argv);
int cli_refund(struct cli *c, int argc, char **argv);
int cli_mail_in(struct cli *c, int argc, char **argv);
int cli_mail_import(struct cli *c, int argc, char **argv);
int cli_mail_send(struct cli *c, int argc, char **argv);
int cli_mail(struct cli *c, int argc, char **argv);
int cli_mail_fetch(struct cli *c, int argc, char **argv);
int cli_serve(struct cli *c, int argc, char **argv);
int cli_token(struct cli *c, int argc, char **argv);
int cli_kb(struct cli *c, int argc, char **argv);

/* Prints "soporte: message" (and the field) to stderr; returns the
 * sysexits status for the error's code. */
int cli_fail(const struct sp_err *err);
/* Usage error: prints and returns EX_USAGE (64). */
int cli_usage(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Opens the app for the chosen database and provider, and resolves
 * --as to a record. Returns 0 or a sysexits status (already printed). */
int cli_open(struct cli *c, struct app **out);
/* Reads --now without an offset in the zone of a pack's SLA calendar
 * (for commands that run before a database exists). */
int cli_now_in_pack_zone(struct cli *c, const char *pack);
/* The policies directory to read packs from. */
const char *cli_policies_dir(const struct cli *c);
/* Prints a JSON value (and frees it). */
void cli_print_json(json_t *v);
/* Instants for people, in the provider's zone. */
const char *cli_time(struct app *app, int64_t t, char out[32]);
/* Reads standard input a line at a time and prints eval(line) for each,
 * blank lines answered with an error; EX_DATAERR if any answer was an
 * error. */
int cli_eval_lines(json_t *(*eval)(void *ctx, const char *line), void *ctx,
		   size_t dump_flags);
/* Nonzero, with why = "where: 'key' is not a known field; known: ...",
 * if obj has a key not in the NULL-terminated list. A typo in a field
 * name must not silently fall back to a default. */
int cli_json_known_keys(json_t *obj, const char *const *known,
			const char *where, char *why, size_t size);
/* True if argv holds -h or --help at its first position after the verb. */
bool cli_wants_help(int argc, char **argv);

#endif
