/* markdown.c — see markdown.h. Line-based blocks, then a recursive pass
 * over each block's text for the inline marks. Output is built only
 * from fixed tags and escaped text, so no input can open a tag. */
#include "markdown.h"

#include "html.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

struct span {
	const char *p;
	size_t n;
};

static int inline_html(struct buf *b, const char *p, size_t n, int depth);

static int
text(struct buf *b, const char *p, size_t n)
{
	char tmp[256];

	while (n) {
		size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;

		memcpy(tmp, p, k);
		tmp[k] = '\0';
		/* A NUL inside stops the copy at it; the rest still goes out. */
		if (html_text(b, tmp))
			return -1;
		k = strlen(tmp) ? strlen(tmp) : 1;
		p += k;
		n -= k;
	}
	return 0;
}

/* The closing mark `m` (of length ml) in p[from..n), not escaped. */
static const char *
find(const char *p, size_t n, size_t from, const char *m, size_t ml)
{
	for (size_t i = from; i + ml <= n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (memcmp(p + i, m, ml) == 0)
			return p + i;
	}
	return NULL;
}

static bool
safe_href(const char *u, size_t n)
{
	static const char *const ok[] = { "https://", "http://", "mailto:" };

	if (n > 2000)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == '"' || u[i] == '\'' ||
		    u[i] == '<' || u[i] == '>' || u[i] == '\\')
			return false;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (n > strlen(ok[i]) && strncasecmp(u, ok[i], strlen(ok[i])) == 0)
			return true;
	/* A path on this site, not "//host" (another site). */
	return n >= 1 && (u[0] == '/' || u[0] == '#') &&
	       !(n >= 2 && u[0] == '/' && u[1] == '/');
}

static int
wrap(struct buf *b, const char *tag, const char *p, size_t n, int depth)
{
	return buf_printf(b, "<%s>", tag) || inline_html(b, p, n, depth + 1) ||
	       buf_printf(b, "</%s>", tag);
}

/* [text](url): true and *used set when p starts one. */
static int
link(struct buf *b, const char *p, size_t n, size_t *used, int depth)
{
	const char *close = find(p, n, 1, "](", 2), *end;
	struct buf href;
	int rc;

	if (close == NULL)
		return 1;
	end = memchr(close + 2, ')', n - (size_t)(close + 2 - p));
	if (end == NULL)
		return 1;
	*used = (size_t)(end + 1 - p);
	if (!safe_href(close + 2, (size_t)(end - close - 2)))
		return inline_html(b, p + 1, (size_t)(close - p - 1), depth + 1);
	buf_init(&href, 4096);
	rc = buf_add(&href, close + 2, (size_t)(end - close - 2)) ||
	     buf_adds(b, "<a rel=\"nofollow noopener\" href=\"") ||
	     html_attr(b, href.ptr) || buf_adds(b, "\">") ||
	     inline_html(b, p + 1, (size_t)(close - p - 1), depth + 1) ||
	     buf_adds(b, "</a>");
	buf_free(&href);
	return rc ? -1 : 0;
}

static int
inline_html(struct buf *b, const char *p, size_t n, int depth)
{
	size_t i = 0, plain = 0;

	/* Deep nesting is shown as text rather than followed. */
	if (depth > 8)
		return text(b, p, n);
	while (i < n) {
		const char *close;
		size_t used = 0;
		int rc = 1;

		if (p[i] == '\\' && i + 1 < n && strchr("\\`*_[]()#-.!>", p[i + 1])) {
			if (text(b, p + plain, i - plain) || text(b, p + i + 1, 1))
				return -1;
			i += 2;
			plain = i;
			continue;
		}
		if (p[i] == '`' && (close = find(p + i, n - i, 1, "`", 1))) {
			used = (size_t)(close - (p + i)) + 1;
			if (text(b, p + plain, i - plain))
				return -1;
			rc = buf_adds(b, "<code>") || text(b, p + i + 1, used - 2) ||
			     buf_adds(b, "</code>");
		} else if (p[i] == '*' && i + 1 < n && p[i + 1] == '*' &&
			   (close = find(p + i, n - i, 2, "**", 2)) &&
			   close > p + i + 2) {
			used = (size_t)(close - (p + i)) + 2;
			if (text(b, p + plain, i - plain))
				return -1;
			rc = wrap(b, "strong", p + i + 2, used - 4, depth);
		} else if ((p[i] == '*' || p[i] == '_') && i + 1 < n &&
			   p[i + 1] != ' ' &&
			   (close = find(p + i, n - i, 1, p[i] == '*' ? "*" : "_", 1)) &&
			   close > p + i + 1) {
			used = (size_t)(close - (p + i)) + 1;
			if (text(b, p + plain, i - plain))
				return -1;
			rc = wrap(b, "em", p + i + 1, used - 2, depth);
		} else if (p[i] == '[') {
			if (text(b, p + plain, i - plain))
				return -1;
			plain = i;
			rc = link(b, p + i, n - i, &used, depth);
			if (rc > 0) {
				used = 0;
				i++;
				continue;
			}
		} else {
			i++;
			continue;
		}
		if (rc < 0)
			return -1;
		i += used;
		plain = i;
	}
	return text(b, p + plain, n - plain);
}

enum block { B_NONE, B_P, B_UL, B_OL, B_QUOTE };

static const char *const block_close[] = { "", "</p>", "</ul>", "</ol>",
					   "</blockquote>" };

/* The line's list or quote marker and what follows it. */
static enum block
line_kind(struct span l, struct span *rest, int *heading)
{
	size_t i = 0;

	*heading = 0;
	while (i < l.n && i < 3 && l.p[i] == ' ')
		i++;
	if (i < l.n && l.p[i] == '#') {
		size_t h = 0;

		while (i + h < l.n && l.p[i + h] == '#')
			h++;
		if (h <= 4 && (i + h == l.n || l.p[i + h] == ' ')) {
			*heading = (int)h;
			i += h;
			while (i < l.n && l.p[i] == ' ')
				i++;
			*rest = (struct span){ l.p + i, l.n - i };
			return B_NONE;
		}
	}
	if (i + 1 < l.n && (l.p[i] == '-' || l.p[i] == '*' || l.p[i] == '+') &&
	    l.p[i + 1] == ' ') {
		*rest = (struct span){ l.p + i + 2, l.n - i - 2 };
		return B_UL;
	}
	{
		size_t d = i;

		while (d < l.n && d - i < 9 && l.p[d] >= '0' && l.p[d] <= '9')
			d++;
		if (d > i && d + 1 < l.n && (l.p[d] == '.' || l.p[d] == ')') &&
		    l.p[d + 1] == ' ') {
			*rest = (struct span){ l.p + d + 2, l.n - d - 2 };
			return B_OL;
		}
	}
	if (i < l.n && l.p[i] == '>') {
		i++;
		if (i < l.n && l.p[i] == ' ')
			i++;
		*rest = (struct span){ l.p + i, l.n - i };
		return B_QUOTE;
	}
	*rest = (struct span){ l.p + i, l.n - i };
	return B_P;
}

int
markdown_html(struct buf *b, const char *src, size_t len)
{
	enum block open = B_NONE;
	bool fence = false;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(src + at, '\n', len - at);
		struct span l = { src + at, (nl ? (size_t)(nl - src) : len) - at };
		struct span rest;
		enum block k;
		int h, rc = 0;

		at += l.n + (nl != NULL);
		if (l.n && l.p[l.n - 1] == '\r')
			l.n--;
		if (l.n >= 3 && memcmp(l.p, "```", 3) == 0) {
			if (!fence && buf_adds(b, block_close[open]))
				return -1;
			open = B_NONE;
			rc = buf_adds(b, fence ? "</code></pre>" : "<pre><code>");
			fence = !fence;
			if (rc)
				return -1;
			continue;
		}
		if (fence) {
			if (text(b, l.p, l.n) || buf_addc(b, '\n'))
				return -1;
			continue;
		}
		k = line_kind(l, &rest, &h);
		if (rest.n == 0 && k == B_P) { /* a blank line ends a block */
			if (buf_adds(b, block_close[open]))
				return -1;
			open = B_NONE;
			continue;
		}
		if (h) {
			rc = buf_adds(b, block_close[open]) ||
			     buf_printf(b, "<h%d>", h + 1) ||
			     inline_html(b, rest.p, rest.n, 0) ||
			     buf_printf(b, "</h%d>", h + 1);
			open = B_NONE;
		} else if (k == open && k == B_P) {
			rc = buf_addc(b, '\n') || inline_html(b, rest.p, rest.n, 0);
		} else {
			if (k != open)
				rc = buf_adds(b, block_close[open]) ||
				     buf_adds(b, k == B_P ? "<p>" : k == B_UL ?
					      "<ul>" : k == B_OL ? "<ol>" :
					      "<blockquote>");
			open = k;
			if (!rc && (k == B_UL || k == B_OL))
				rc = buf_adds(b, "<li>") ||
				     inline_html(b, rest.p, rest.n, 0) ||
				     buf_adds(b, "</li>");
			else if (!rc)
				rc = inline_html(b, rest.p, rest.n, 0) ||
				     (k == B_QUOTE && buf_adds(b, "<br>"));
		}
		if (rc)
			return -1;
	}
	if (fence && buf_adds(b, "</code></pre>"))
		return -1;
	return buf_adds(b, block_close[open]) ? -1 : 0;
}

int
markdown_excerpt(struct buf *b, const char *src, size_t len, size_t max)
{
	struct buf t;
	size_t n = 0;
	bool space = false;
	int rc;

	buf_init(&t, max * 4 + 16);
	for (size_t i = 0; i < len && n < max; i++) {
		char c = src[i];

		if (strchr("#*_`>[]", c) || c == '\0')
			continue;
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = n > 0;
			continue;
		}
		/* Never cut a UTF-8 sequence: count only lead bytes. */
		if (space && buf_addc(&t, ' '))
			break;
		space = false;
		if (buf_addc(&t, c))
			break;
		if (((unsigned char)c & 0xc0) != 0x80)
			n++;
	}
	while (t.len && len > 0 && n >= max && (t.ptr[t.len - 1] & 0xc0) == 0xc0)
		t.len--; /* a lead byte whose continuation did not fit */
	rc = buf_addc(&t, '\0') || html_text(b, t.ptr) ||
	     (n >= max && buf_adds(b, "…"));
	buf_free(&t);
	return rc ? -1 : 0;
}
