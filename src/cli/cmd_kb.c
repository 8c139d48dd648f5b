/* cmd_kb.c — soporte kb put|list|search|show: the knowledge base
 * (INT-7) from the command line, for admins and scripts. */
#include "cli.h"

#include "../util/buf.h"
#include "../util/markdown.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char kb_usage[] =
	"usage: soporte kb put SLUG --title TEXT [--lang es|en] [--category ID]\n"
	"                       [--internal] [FILE]   (Markdown; stdin without FILE)\n"
	"       soporte kb list [--lang es|en] [--category ID]\n"
	"       soporte kb search WORDS...\n"
	"       soporte kb show SLUG [--lang es|en] [--html]\n"
	"Articles are public unless --internal (agents only). put creates the\n"
	"article or replaces the text of the one with that slug and language.\n";

static json_t *
article_json(const struct kb_row *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "slug", k->slug,
			 "lang", k->lang, "category", k->category, "title",
			 k->title, "visibility", k->visibility, "version",
			 (json_int_t)k->version);
}

static int
read_body(const char *path, struct buf *b)
{
	FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "r") : stdin;
	char chunk[4096];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "soporte: cannot read %s\n", path);
		return EX_NOINPUT;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(b, chunk, n)) {
			fprintf(stderr, "soporte: %s: an article is at most "
				"64 KiB\n", path ? path : "stdin");
			if (f != stdin)
				fclose(f);
			return EX_DATAERR;
		}
	if (f != stdin)
		fclose(f);
	return buf_addc(b, '\0') ? EX_DATAERR : 0;
}

static int
kb_put(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "category", required_argument, NULL, 'c' },
		{ "internal", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_input in = { .lang = "es" };
	struct kb_row old, saved;
	struct sp_err err = { 0 };
	struct arena a;
	struct buf body;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 't': in.title = optarg; break;
		case 'l': in.lang = optarg; break;
		case 'c': in.category = optarg; break;
		case 'i': in.visibility = "internal"; break;
		default: return cli_usage(kb_usage, "bad option");
		}
	if (optind >= argc || argc - optind > 2)
		return cli_usage(kb_usage, "kb put takes SLUG [FILE]");
	in.slug = argv[optind];
	buf_init(&body, (64 << 10) + 1);
	if ((rc = read_body(argc - optind == 2 ? argv[optind + 1] : NULL,
			    &body))) {
		buf_free(&body);
		return rc;
	}
	in.body = body.ptr;
	arena_init(&a, 0);
	/* put replaces: it edits whatever version is there now. */
	if (app_kb_get(app, &a, &old, &app_system, in.slug, in.lang, NULL) == 0)
		in.version = old.version;
	rc = app_kb_save(app, &saved, c->now, &c->who, &in, &err);
	arena_free(&a);
	buf_free(&body);
	if (rc)
		return cli_fail(&err);
	printf("article %s (%s) version %lld\n", in.slug, in.lang,
	       (long long)saved.version);
	return 0;
}

static int
print_list(struct cli *c, const struct kb_row *k, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_array_append_new(arr, article_json(&k[i]));
		else
			printf("%-28s %s  %-12s %s%s\n", k[i].slug, k[i].lang,
			       k[i].category, k[i].title,
			       strcmp(k[i].visibility, "internal") == 0 ?
			       "  [interno]" : "");
	}
	if (c->json)
		cli_print_json(arr);
	else
		json_decref(arr);
	return 0;
}

static int
kb_list(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "category", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = NULL, *category = NULL;
	struct sp_err err = { 0 };
	struct kb_row *k;
	struct arena a;
	size_t n;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'l': lang = optarg; break;
		case 'c': category = optarg; break;
		default: return cli_usage(kb_usage, "bad option");
		}
	if (optind < argc)
		return cli_usage(kb_usage, "unexpected argument '%s'", argv[optind]);
	arena_init(&a, 0);
	rc = app_kb_list(app, &a, &k, &n, &c->who, lang, category, &err);
	rc = rc ? cli_fail(&err) : print_list(c, k, n);
	arena_free(&a);
	return rc;
}

static int
kb_search(struct cli *c, struct app *app, int argc, char **argv)
{
	struct sp_err err = { 0 };
	struct kb_row *k;
	struct arena a;
	struct buf q;
	size_t n;
	int rc;

	if (argc < 2)
		return cli_usage(kb_usage, "kb search takes the words to find");
	buf_init(&q, 4096);
	for (int i = 1; i < argc; i++)
		if (buf_adds(&q, argv[i]) || buf_addc(&q, ' ')) {
			buf_free(&q);
			return cli_usage(kb_usage, "too many words");
		}
	arena_init(&a, 0);
	rc = app_kb_search(app, &a, &k, &n, &c->who, q.ptr, NULL, false, 20, &err);
	rc = rc ? cli_fail(&err) : print_list(c, k, n);
	arena_free(&a);
	buf_free(&q);
	return rc;
}

static int
kb_show(struct cli *c, struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "html", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = NULL;
	struct sp_err err = { 0 };
	struct kb_row k;
	struct arena a;
	bool html = false;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'l': lang = optarg; break;
		case 'H': html = true; break;
		default: return cli_usage(kb_usage, "bad option");
		}
	if (optind + 1 != argc)
		return cli_usage(kb_usage, "kb show takes one SLUG");
	arena_init(&a, 0);
	if ((rc = app_kb_get(app, &a, &k, &c->who, argv[optind], lang, &err))) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *j = article_json(&k);

		json_object_set_new(j, "body", json_string(k.body));
		cli_print_json(j);
	} else if (html) {
		struct buf b;

		buf_init(&b, 1 << 20);
		markdown_html(&b, k.body, strlen(k.body));
		fwrite(b.ptr, 1, b.len, stdout);
		putchar('\n');
		buf_free(&b);
	} else {
		printf("# %s\n\n%s\n", k.title, k.body);
	}
	arena_free(&a);
	return 0;
}

int
cli_kb(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *verb;
		int (*fn)(struct cli *, struct app *, int, char **);
	} verbs[] = {
		{ "put", kb_put }, { "list", kb_list }, { "search", kb_search },
		{ "show", kb_show },
	};
	struct app *app;
	int rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(kb_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(argv[1], verbs[i].verb) == 0) {
			if ((rc = cli_open(c, &app)))
				return rc;
			rc = verbs[i].fn(c, app, argc - 1, argv + 1);
			app_close(app);
			return rc;
		}
	return cli_usage(kb_usage, "unknown kb command '%s'", argv[1]);
}
