#include "jflat.h"

#include "str.h"

#include <stdbool.h>
#include <string.h>

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The character a two-character escape stands for; -1 for \u (left
 * to a parser: surrogates, NUL) and for what is not an escape. */
static int
unescape(char c)
{
	switch (c) {
	case '"': case '\\': case '/': return c;
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default: return -1;
	}
}

/* A string at p (its opening quote), unescaped into out when out is
 * not NULL; the position after it, or NULL for what jflat leaves to a
 * parser: \u escapes, raw controls, bad UTF-8, more than size - 1
 * bytes. */
static const char *
string_at(const char *p, char *out, size_t size)
{
	const char *start = ++p;
	size_t n = 0;
	int high = 0;

	for (;; p++) {
		int c = (unsigned char)*p;

		high |= c;
		if (c == '"')
			break;
		if (c < 0x20)
			return NULL; /* a raw control, or the text's end */
		if (c == '\\' && (c = unescape(*++p)) < 0)
			return NULL;
		if (out) {
			if (n + 1 >= size)
				return NULL;
			out[n++] = (char)c;
		}
	}
	/* Escapes only ever stand for ASCII; the raw bytes must be UTF-8
	 * (looked at only when there are some above ASCII). */
	if ((high & 0x80) && !str_utf8_valid(start, (size_t)(p - start)))
		return NULL;
	if (out)
		out[n] = '\0';
	return p + 1;
}

/* An integer that fits jansson's json_int_t, or true, false, null. */
static const char *
scalar_at(const char *p)
{
	static const char *const lit[] = { "true", "false", "null" };
	const char *d;

	for (int i = 0; i < 3; i++)
		if (strncmp(p, lit[i], strlen(lit[i])) == 0)
			return p + strlen(lit[i]);
	if (*p == '-')
		p++;
	d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	/* No leading zeros, and 18 digits always fit in 64 bits. */
	if (p == d || p - d > 18 || (*d == '0' && p - d > 1) ||
	    *p == '.' || *p == 'e' || *p == 'E')
		return NULL;
	return p;
}

int
jflat_str(const char *text, const char *key, char *out, size_t size)
{
	const char *p = skip_ws(text);
	char name[64];
	int found = 0;

	if (*p++ != '{')
		return -1;
	p = skip_ws(p);
	if (*p == '}')
		return skip_ws(p + 1)[0] == '\0' ? 0 : -1;
	for (;;) {
		bool match;

		if (*p != '"' || (p = string_at(p, name, sizeof name)) == NULL)
			return -1;
		match = strcmp(name, key) == 0;
		p = skip_ws(p);
		if (*p++ != ':')
			return -1;
		p = skip_ws(p);
		if (*p == '"')
			p = string_at(p, match ? out : NULL, size);
		else if (match)
			return -1; /* not a string: leave it to jansson */
		else
			p = scalar_at(p);
		if (p == NULL)
			return -1;
		found |= match;
		p = skip_ws(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return -1;
		p = skip_ws(p);
	}
	return skip_ws(p + 1)[0] == '\0' ? found : -1;
}
