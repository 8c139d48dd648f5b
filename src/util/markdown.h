/* markdown.h — knowledge-base articles, written in Markdown, shown as
 * HTML that can do no harm. A small subset: headings, paragraphs, lists,
 * quotes, fenced code, `code`, **strong**, *emphasis* and links. There
 * is no raw HTML: every character of the source is escaped, and a link
 * keeps its href only for http, https, mailto or a path on this site. */
#ifndef SP_MARKDOWN_H
#define SP_MARKDOWN_H

#include "buf.h"

#include <stddef.h>

/* Appends the HTML for src[0..len) to b. 0, or -1 when b is full. */
int markdown_html(struct buf *b, const char *src, size_t len);

/* The first len bytes of the article as plain text without marks (for
 * excerpts); appended to b, escaped for element text. */
int markdown_excerpt(struct buf *b, const char *src, size_t len, size_t max);

#endif
