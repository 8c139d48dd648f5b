#include "jw.h"

#include "str.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void
jw_init(struct jw *w)
{
	buf_init(&w->b, 0);
	w->last = NULL;
	w->refused = false;
	w->rc = 0;
}

/* Keeps the first failure: a later append may fit where one did not. */
static void
put(struct jw *w, const void *p, size_t n)
{
	int rc = buf_add(&w->b, p, n);

	if (rc && w->rc == 0)
		w->rc = rc;
}

/* jansson's escapes: the two mandatory ones, the short forms of five
 * controls and \u00XX (upper-case hex) for the rest below 0x20; '/'
 * and non-ASCII go as they are. */
static void
put_string(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;

	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', 0 };
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		put(w, esc, n);
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

static void
put_key(struct jw *w, const char *key)
{
	assert(w->last == NULL || strcmp(w->last, key) < 0);
	put(w, w->last ? "," : "{", 1);
	w->last = key;
	put_string(w, key);
	put(w, ":", 1);
}

/* A string as json_pack's "s" takes it: NULL or not UTF-8 refuses. */
static void
put_text(struct jw *w, const char *value)
{
	if (value && str_utf8_valid(value, strlen(value)))
		put_string(w, value);
	else
		w->refused = true;
}

void
jw_str(struct jw *w, const char *key, const char *value)
{
	put_key(w, key);
	put_text(w, value);
}

void
jw_str_or_null(struct jw *w, const char *key, const char *value)
{
	put_key(w, key);
	if (value == NULL)
		put(w, "null", 4);
	else
		put_text(w, value);
}

void
jw_strs(struct jw *w, const char *key, const char *const *values,
	size_t n)
{
	put_key(w, key);
	put(w, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(w, ",", 1);
		put_text(w, values[i]);
	}
	put(w, "]", 1);
}

void
jw_int(struct jw *w, const char *key, int64_t value)
{
	char digits[24], *p = digits + sizeof digits;
	uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;

	put_key(w, key);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (value < 0)
		*--p = '-';
	put(w, p, (size_t)(digits + sizeof digits - p));
}

int
jw_end(struct jw *w, char **out)
{
	int rc;

	*out = NULL;
	put(w, w->last ? "}" : "{}", w->last ? 1 : 2);
	rc = w->rc;
	if (rc == 0 && !w->refused)
		*out = buf_detach(&w->b, NULL);
	jw_free(w);
	return rc;
}

void
jw_free(struct jw *w)
{
	buf_free(&w->b);
	jw_init(w);
}
