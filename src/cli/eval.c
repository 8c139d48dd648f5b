/* eval.c — the line loop shared by `sla eval` and `bill eval`: one JSON
 * object in per line, one JSON object out per line, so a caller can
 * pair answers with questions by line number. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define EVAL_LINE_MAX (1 << 20)

int
cli_eval_lines(json_t *(*eval)(void *ctx, const char *line), void *ctx,
	       size_t dump_flags)
{
	struct buf line;
	int failed = 0, ch;

	buf_init(&line, EVAL_LINE_MAX);
	for (;;) {
		bool too_long = false;
		json_t *o;
		char *s;

		buf_reset(&line);
		while ((ch = getchar()) != EOF && ch != '\n')
			if (buf_addc(&line, (char)ch))
				too_long = true;
		if (ch == EOF && line.len == 0)
			break; /* the end, after the last newline */
		/* A blank line is answered too, or the answers would no
		 * longer line up with the questions. */
		o = too_long ? json_pack("{s:s}", "error", "line longer than "
					 "1 MiB") :
		    line.len == 0 ? json_pack("{s:s}", "error", "empty line") :
		    eval(ctx, line.ptr);
		s = json_dumps(o, JSON_COMPACT | dump_flags);
		if (o == NULL || json_object_get(o, "error"))
			failed++;
		puts(s ? s : "{\"error\":\"out of memory\"}");
		free(s);
		json_decref(o);
		if (ch == EOF)
			break;
	}
	fflush(stdout);
	buf_free(&line);
	return failed ? EX_DATAERR : 0;
}

int
cli_json_known_keys(json_t *obj, const char *const *known, const char *where,
		    char *why, size_t size)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i = 0;

		(void)v;
		while (known[i] && strcmp(known[i], key) != 0)
			i++;
		if (known[i] == NULL) {
			size_t len = (size_t)snprintf(why, size, "%s%s'%s' is "
						      "not a known field; known:",
						      where, *where ? ": " : "",
						      key);

			for (i = 0; known[i] && len < size; i++)
				len += (size_t)snprintf(why + len, size - len,
							" %s", known[i]);
			return 1;
		}
	}
	return 0;
}
