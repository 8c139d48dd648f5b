/* mime.h — RFC 5322 / MIME through GMime, the only module that sees it:
 * inbound messages into plain data for app/, outbound ones into bytes. */
#ifndef SP_MIME_H
#define SP_MIME_H

#include "../app/app.h"
#include "../util/arena.h"
#include "../util/err.h"

#include <stddef.h>

#define MIME_MAX_DEPTH 16
#define MIME_MAX_FILES 32

struct mime_msg {
	struct arena arena; /* owns everything in `mail` */
	struct inbound_mail mail;
};

/* Parses one message. Charsets (ISO-8859-1, Windows-1252, UTF-8,
 * encoded-words) come out as UTF-8; multipart/alternative gives its text
 * part, or its HTML turned into readable text; quoted replies are
 * trimmed in text_trimmed and kept in text; attachments and inline
 * images over the limits are counted in dropped_files, not stored.
 * SP_EFORMAT when the bytes are not a message at all. */
int mime_parse(struct mime_msg **out, const void *raw, size_t len,
	       struct sp_err *err);
void mime_free(struct mime_msg *m);

/* An outbound message: headers encoded as RFC 2047 needs, a UTF-8 text
 * part, Message-ID, In-Reply-To and References set so replies thread,
 * and Auto-Submitted for automatic ones. Caller frees *out. CR or LF in
 * any header value is refused. */
int mime_build(char **out, size_t *len, const struct outbox_row *r,
	       const char *from_addr, const char *from_name, int64_t date,
	       struct sp_err *err);

/* HTML to readable text: tags out, blocks and breaks as new lines,
 * entities decoded. Exposed for tests. */
char *mime_html_to_text(struct arena *a, const char *html);
/* The reply above the quote: ">" lines and the "On ... wrote:" /
 * "El ... escribió:" / Outlook header that introduces them are cut. */
char *mime_trim_quotes(struct arena *a, const char *text);

#endif
