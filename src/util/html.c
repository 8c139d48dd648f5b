#include "html.h"

#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int
escape(struct buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = buf_adds(b, "&amp;"); break;
		case '<': rc = buf_adds(b, "&lt;"); break;
		case '>': rc = buf_adds(b, "&gt;"); break;
		case '"': rc = buf_adds(b, "&quot;"); break;
		case '\'': rc = buf_adds(b, "&#39;"); break;
		default: rc = buf_addc(b, *s);
		}
	}
	return rc;
}

int
html_text(struct buf *b, const char *s)
{
	return escape(b, s);
}

int
html_attr(struct buf *b, const char *s)
{
	return escape(b, s);
}

int
html_url_part(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			rc = buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc = buf_add(b, e, 3);
		}
	}
	return rc;
}

int
html_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc = 0;

	va_start(ap, fmt);
	while (*fmt && rc == 0) {
		if (*fmt != '%') {
			const char *next = strchr(fmt, '%');
			size_t n = next ? (size_t)(next - fmt) : strlen(fmt);

			rc = buf_add(b, fmt, n);
			fmt += n;
			continue;
		}
		if (strncmp(fmt, "%s", 2) == 0) {
			rc = escape(b, va_arg(ap, const char *));
			fmt += 2;
		} else if (strncmp(fmt, "%d", 2) == 0) {
			rc = buf_printf(b, "%d", va_arg(ap, int));
			fmt += 2;
		} else if (strncmp(fmt, "%lld", 4) == 0) {
			rc = buf_printf(b, "%lld", va_arg(ap, long long));
			fmt += 4;
		} else if (strncmp(fmt, "%%", 2) == 0) {
			rc = buf_addc(b, '%');
			fmt += 2;
		} else {
			rc = SP_EINVAL;
		}
	}
	va_end(ap);
	return rc;
}
