/* cmd_directory.c — soporte org|contact|agent|product add|list. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* Parses `add` options into values[] by the option table's index. */
static int
parse_add(int argc, char **argv, const struct option *opts,
	  const char **values, const char *use)
{
	int ch, idx;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		if (ch == 'h') {
			fputs(use, stdout);
			return -1;
		}
		if (ch != 0)
			return cli_usage(use, "bad option");
		values[idx] = optarg;
	}
	if (optind < argc)
		return cli_usage(use, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int
print_id(struct cli *c, const char *what, int64_t id)
{
	if (c->json)
		cli_print_json(json_pack("{s:s, s:I}", "kind", what, "id",
					 (json_int_t)id));
	else
		printf("%s %lld added\n", what, (long long)id);
	return 0;
}

static const char *agent_usage_ref, *contact_usage_ref;

static int agent_set(struct cli *c, struct app *app, int argc, char **argv);
static int contact_set(struct cli *c, struct app *app, int argc, char **argv);

/* --active yes|no: 1 or 0; -1 when not given; -2 when neither. */
static int
parse_active(const char *v)
{
	if (v == NULL)
		return -1;
	if (strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 0;
	return -2;
}

/* The password comes on standard input (one line), never as an
 * argument other users could read in the process list. */
static int
set_password(struct cli *c, const char *kind, const char *key)
{
	struct sp_err err = { 0 };
	struct app *app;
	char line[256];
	size_t n;
	int rc;

	if (fgets(line, sizeof line, stdin) == NULL) {
		fprintf(stderr, "soporte: give the password on standard input\n");
		return EX_USAGE;
	}
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = app_password_set(app, c->now, &c->who, kind, key, line, &err);
	app_close(app);
	memset(line, 0, sizeof line);
	if (rc)
		return cli_fail(&err);
	printf("%s %s: password set\n", kind, key);
	return 0;
}

/* Shared frame: help, open, run the verb, close. */
static int
run_verb(struct cli *c, int argc, char **argv, const char *use,
	 int (*add)(struct cli *, struct app *, int, char **),
	 int (*list)(struct cli *, struct app *, int, char **))
{
	struct app *app;
	int rc;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(use, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "password") == 0 && argc == 3 &&
	    (use == agent_usage_ref || use == contact_usage_ref))
		return set_password(c, use == agent_usage_ref ? "agent" :
				    "contact", argv[2]);
	if (strcmp(argv[1], "set") == 0 && argc >= 3 &&
	    (use == agent_usage_ref || use == contact_usage_ref)) {
		if ((rc = cli_open(c, &app)))
			return rc;
		rc = use == agent_usage_ref ? agent_set(c, app, argc - 2, argv + 2)
					    : contact_set(c, app, argc - 2, argv + 2);
		app_close(app);
		return rc;
	}
	if (strcmp(argv[1], "add") && strcmp(argv[1], "list"))
		return cli_usage(use, "unknown command '%s'", argv[1]);
	if (cli_wants_help(argc, argv)) {
		fputs(use, stdout);
		return 0;
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = strcmp(argv[1], "add") == 0 ? add(c, app, argc - 1, argv + 1)
					 : list(c, app, argc - 1, argv + 1);
	app_close(app);
	return rc;
}

/* ---- organizations ------------------------------------------------ */

static const char org_usage[] =
	"usage: soporte org add --name NAME [--tax-id RFC]\n"
	"       soporte [--json] org list\n";

static int
org_add(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 0 },
		{ "tax-id", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[3] = { 0 };
	struct sp_err err = { 0 };
	int64_t id;
	int rc = parse_add(argc, argv, opts, v, org_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (app_org_add(app, &id, c->now, &c->who, v[0], v[1], &err))
		return cli_fail(&err);
	return print_id(c, "organization", id);
}

static int
org_list(struct cli *c, struct app *app, int argc, char **argv)
{
	struct sp_err err = { 0 };
	struct org_row *rows;
	struct arena a;
	size_t n;

	(void)argc;
	(void)argv;
	arena_init(&a, 0);
	if (store_org_list(app->store, &a, &rows, &n, app->provider_id, &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack("{s:I, s:s, s:s?}",
				"id", (json_int_t)rows[i].id, "name",
				rows[i].name, "tax_id", rows[i].tax_id));
		cli_print_json(l);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-40s %s\n", (long long)rows[i].id,
			       rows[i].name, rows[i].tax_id ? rows[i].tax_id : "");
	}
	arena_free(&a);
	return 0;
}

int
cli_org(struct cli *c, int argc, char **argv)
{
	return run_verb(c, argc, argv, org_usage, org_add, org_list);
}

/* ---- contacts ----------------------------------------------------- */

static const char contact_usage[] =
	"usage: soporte contact password ID|EMAIL < password\n"
	"       soporte contact add --name NAME [--surname S] [--email E]\n"
	"                           [--phone P] [--address A] [--org ID|NAME]\n"
	"                           [--lang es|en]\n"
	"       soporte [--json] contact list [--org ID|NAME]\n"
	"       soporte contact set ID|EMAIL [--name N] [--surname S] [--email E]\n"
	"                           [--phone P] [--address A] [--org ID|NAME]\n"
	"                           [--lang es|en] [--active yes|no]\n"
	"                           [--role admin|user]\n"
	"  set changes what is given; '' clears an optional field (--org ''\n"
	"  leaves the organization); --active no switches the person off;\n"
	"  --role user limits a contact to their own tickets (admin, the\n"
	"  default, sees the organization's, its contracts and documents).\n";

/* The options of contact add and set, in this order (add refuses
 * --active), read into a contact_input. */
static const struct option contact_opts[] = {
	{ "name", required_argument, NULL, 0 },
	{ "surname", required_argument, NULL, 0 },
	{ "email", required_argument, NULL, 0 },
	{ "phone", required_argument, NULL, 0 },
	{ "address", required_argument, NULL, 0 },
	{ "org", required_argument, NULL, 0 },
	{ "lang", required_argument, NULL, 0 },
	{ "active", required_argument, NULL, 0 },
	{ "role", required_argument, NULL, 0 },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
contact_add(struct cli *c, struct app *app, int argc, char **argv)
{
	const char *v[10] = { 0 };
	struct contact_input in;
	struct sp_err err = { 0 };
	int64_t id;
	int rc = parse_add(argc, argv, contact_opts, v, contact_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (v[7] || v[8])
		return cli_usage(contact_usage, "a new contact is an active "
				 "admin; --active and --role are for contact set");
	in = (struct contact_input){ v[5], v[0], v[1], v[3], v[4], v[2], v[6] };
	if (app_contact_add(app, &id, c->now, &c->who, &in, &err))
		return cli_fail(&err);
	return print_id(c, "contact", id);
}

static int
contact_list(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[2] = { 0 };
	struct sp_err err = { 0 };
	struct contact_row *rows;
	struct org_row org = { 0 };
	struct arena a;
	size_t n;
	int rc = parse_add(argc, argv, opts, v, contact_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	arena_init(&a, 0);
	if ((v[0] && store_org_find(app->store, &a, &org, app->provider_id,
				    v[0], &err)) ||
	    store_contact_list(app->store, &a, &rows, &n, app->provider_id,
			       org.id, &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:s, s:b, s:s}",
				"id", (json_int_t)rows[i].id, "name", rows[i].name,
				"surname", rows[i].surname, "email", rows[i].email,
				"phone", rows[i].phone, "address", rows[i].address,
				"organization_id",
				(json_int_t)rows[i].organization_id,
				"lang", rows[i].lang, "active", rows[i].active,
				"role", rows[i].role));
		cli_print_json(l);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-30s %-32s %s%s\n", (long long)rows[i].id,
			       rows[i].name, rows[i].email ? rows[i].email : "",
			       rows[i].phone ? rows[i].phone : "",
			       rows[i].active ? "" : "  [desactivado]");
	}
	arena_free(&a);
	return 0;
}

static int
contact_set(struct cli *c, struct app *app, int argc, char **argv)
{
	const char *v[10] = { 0 };
	struct contact_input in;
	struct sp_err err = { 0 };
	int active, rc = parse_add(argc, argv, contact_opts, v, contact_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if ((active = parse_active(v[7])) == -2)
		return cli_usage(contact_usage, "--active is yes or no");
	in = (struct contact_input){ v[5], v[0], v[1], v[3], v[4], v[2], v[6] };
	if (app_contact_set(app, c->now, &c->who, argv[0], &in, v[8], active,
			    &err))
		return cli_fail(&err);
	printf("contact %s changed\n", argv[0]);
	return 0;
}

int
cli_contact(struct cli *c, int argc, char **argv)
{
	contact_usage_ref = contact_usage;
	return run_verb(c, argc, argv, contact_usage, contact_add, contact_list);
}

/* ---- agents ------------------------------------------------------- */

static const char agent_usage[] =
	"usage: soporte agent password ID|EMAIL < password\n"
	"       soporte agent add --name NAME --email EMAIL\n"
	"                         [--role agent|quality_lead|operations_manager|admin]\n"
	"       soporte [--json] agent list\n"
	"       soporte agent set ID|EMAIL [--name N] [--email E] [--role ROLE]\n"
	"                         [--lang es|en] [--active yes|no]\n";

static int
agent_add(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 0 },
		{ "email", required_argument, NULL, 0 },
		{ "role", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[4] = { 0 };
	struct sp_err err = { 0 };
	int64_t id;
	int rc = parse_add(argc, argv, opts, v, agent_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (app_agent_add(app, &id, c->now, &c->who, v[0], v[1], v[2], &err))
		return cli_fail(&err);
	return print_id(c, "agent", id);
}

static int
agent_list(struct cli *c, struct app *app, int argc, char **argv)
{
	struct sp_err err = { 0 };
	struct agent_row *rows;
	struct arena a;
	size_t n;

	(void)argc;
	(void)argv;
	arena_init(&a, 0);
	if (store_agent_list(app->store, &a, &rows, &n, app->provider_id,
			     &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:I, s:s, s:s, s:s, s:b}", "id",
				(json_int_t)rows[i].id, "name", rows[i].name,
				"email", rows[i].email, "role", rows[i].role,
				"active", rows[i].active));
		cli_print_json(l);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-28s %-32s %s%s\n", (long long)rows[i].id,
			       rows[i].name, rows[i].email, rows[i].role,
			       rows[i].active ? "" : "  [desactivado]");
	}
	arena_free(&a);
	return 0;
}

int
cli_agent(struct cli *c, int argc, char **argv)
{
	agent_usage_ref = agent_usage;
	return run_verb(c, argc, argv, agent_usage, agent_add, agent_list);
}

static int
agent_set(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 0 },
		{ "email", required_argument, NULL, 0 },
		{ "role", required_argument, NULL, 0 },
		{ "active", required_argument, NULL, 0 },
		{ "lang", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[6] = { 0 };
	struct sp_err err = { 0 };
	int active, rc = parse_add(argc, argv, opts, v, agent_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if ((active = parse_active(v[3])) == -2)
		return cli_usage(agent_usage, "--active is yes or no");
	if (app_agent_set(app, c->now, &c->who, argv[0], v[0], v[1], v[2],
			  v[4], active, &err))
		return cli_fail(&err);
	printf("agent %s changed\n", argv[0]);
	return 0;
}

/* ---- products ----------------------------------------------------- */

static const char product_usage[] =
	"usage: soporte product add --code CODE --name NAME [--end-of-life YYYY-MM-DD]\n"
	"       soporte [--json] product list\n";

static int
product_add(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 0 },
		{ "name", required_argument, NULL, 0 },
		{ "end-of-life", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[4] = { 0 };
	struct sp_err err = { 0 };
	int64_t id;
	int rc = parse_add(argc, argv, opts, v, product_usage);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (app_product_add(app, &id, c->now, &c->who, v[0], v[1], v[2], &err))
		return cli_fail(&err);
	return print_id(c, "product", id);
}

static int
product_list(struct cli *c, struct app *app, int argc, char **argv)
{
	struct sp_err err = { 0 };
	struct product_row *rows;
	struct arena a;
	size_t n;

	(void)argc;
	(void)argv;
	arena_init(&a, 0);
	if (store_product_list(app->store, &a, &rows, &n, app->provider_id,
			       &err)) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:I, s:s, s:s, s:s?}", "id",
				(json_int_t)rows[i].id, "code", rows[i].code,
				"name", rows[i].name, "end_of_life",
				rows[i].end_of_life));
		cli_print_json(l);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-20s %-36s %s\n", (long long)rows[i].id,
			       rows[i].code, rows[i].name,
			       rows[i].end_of_life ? rows[i].end_of_life : "");
	}
	arena_free(&a);
	return 0;
}

int
cli_product(struct cli *c, int argc, char **argv)
{
	return run_verb(c, argc, argv, product_usage, product_add,
			product_list);
}
