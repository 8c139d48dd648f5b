/* cmd_serve.c — soporte serve, soporte token create. */
#include "cli.h"

#include "../http/http.h"
#include "../util/str.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char serve_usage[] =
	"usage: soporte [--db PATH] [--provider ID] serve [--listen ADDR:PORT]\n"
	"              [--access-log FILE|-] [--tick SECONDS] [--send-mail]\n"
	"              [--batch N]\n"
	"Serves the JSON API (docs/api.md) on 127.0.0.1:8080 by default, with\n"
	"/healthz and /metrics; runs the timers (and, with --send-mail, the\n"
	"outbox by SMTP) every --tick seconds (30). SIGTERM or Ctrl-C stops it\n"
	"gracefully: requests in flight finish.\n"
	"Writes are durable when answered; those that arrive together share a\n"
	"commit (group commit), up to --batch N (64; 1 commits each alone).\n";

int
cli_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "tick", required_argument, NULL, 't' },
		{ "send-mail", no_argument, NULL, 'm' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct serve_conf conf = { 0 };
	int64_t n;
	struct sp_err err = { 0 };
	const char *log = NULL;
	int ch, rc;

	conf.db = c->db;
	conf.provider = c->provider;
	conf.listen = "127.0.0.1:8080";
	conf.tick_seconds = 30;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': conf.listen = optarg; break;
		case 'a': log = optarg; break;
		case 't': conf.tick_seconds = atoi(optarg) > 0 ? atoi(optarg) : 30; break;
		case 'm': conf.send_mail = true; break;
		case 'b':
			if (str_to_i64(&n, optarg, 1, 1024))
				return cli_usage(serve_usage, "--batch takes 1 "
						 "to 1024");
			conf.batch_max = (int)n;
			break;
		case 'h': fputs(serve_usage, stdout); return 0;
		default: return cli_usage(serve_usage, "bad option");
		}
	}
	if (log) {
		conf.access_log = strcmp(log, "-") == 0 ? stdout : fopen(log, "a");
		if (conf.access_log == NULL) {
			fprintf(stderr, "soporte: cannot open %s\n", log);
			return EX_CANTCREAT;
		}
	}
	rc = http_serve(&conf, &err);
	if (conf.access_log && conf.access_log != stdout)
		fclose(conf.access_log);
	return rc ? cli_fail(&err) : 0;
}

static const char token_usage[] =
	"usage: soporte token create (--agent ID|EMAIL | --contact ID|EMAIL) --name NAME\n"
	"Creates an API token acting as that agent or customer contact; it is\n"
	"printed once and kept only as its SHA-256.\n";

int
cli_token(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "agent", required_argument, NULL, 'a' },
		{ "contact", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = NULL, *key = NULL, *name = NULL;
	struct sp_err err = { 0 };
	struct app *app;
	char token[80];
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(token_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "create") != 0)
		return cli_usage(token_usage, "unknown token command '%s'", argv[1]);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': kind = "agent"; key = optarg; break;
		case 'c': kind = "contact"; key = optarg; break;
		case 'n': name = optarg; break;
		default: return cli_usage(token_usage, "bad option");
		}
	}
	if (kind == NULL)
		return cli_usage(token_usage, "token create needs --agent or "
				 "--contact");
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = app_token_create(app, token, c->now, &c->who, kind, key, name, &err);
	app_close(app);
	if (rc)
		return cli_fail(&err);
	if (c->json)
		cli_print_json(json_pack("{s:s}", "token", token));
	else
		printf("%s\n", token);
	return 0;
}
