/* html.h — escaping at the point of output, one function per context.
 * Every string that reaches HTML goes through one of these. */
#ifndef SP_HTML_H
#define SP_HTML_H

#include "buf.h"

/* Element text: & < > " ' escaped. */
int html_text(struct buf *b, const char *s);
/* A double-quoted attribute value: the same five, plus nothing else is
 * needed inside quotes; always quote attributes. */
int html_attr(struct buf *b, const char *s);
/* A URL path or query component: everything but unreserved characters
 * (A-Z a-z 0-9 - . _ ~) percent-encoded. */
int html_url_part(struct buf *b, const char *s);
/* printf that escapes its %s arguments as element text; other
 * conversions (%d, %lld) as they are. Only %s, %d, %lld, %% supported. */
int html_printf(struct buf *b, const char *fmt, ...);

#endif
