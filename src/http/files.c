/* files.c — a stored file as an HTTP answer, for the console and the
 * API alike. The type comes from the bytes, not from what a browser or
 * a mail claimed: PNG and JPEG are shown inline, anything else is only
 * downloaded, so no uploaded HTML or SVG ever runs on this origin. */
#include "http.h"

#include "../util/html.h"

#include <stdlib.h>
#include <string.h>

bool
http_is_png(const void *data, size_t len)
{
	return len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0;
}

bool
http_is_jpeg(const void *data, size_t len)
{
	const unsigned char *d = data;

	return len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

int
http_send_file(struct http_res *out, struct arena *a, const char *filename,
	       const void *data, size_t len)
{
	bool png = http_is_png(data, len), jpeg = http_is_jpeg(data, len);
	struct buf b;

	out->body = malloc(len ? len : 1);
	if (out->body == NULL)
		return -1;
	memcpy(out->body, data, len);
	out->len = len;
	out->status = 200;
	out->type = png ? "image/png" : jpeg ? "image/jpeg" :
		    "application/octet-stream";
	buf_init(&b, 1024);
	buf_adds(&b, png || jpeg ? "inline" : "attachment");
	/* RFC 6266: the name percent-encoded, so no quote, CR or LF of the
	 * sender's can reach the header. */
	buf_adds(&b, "; filename*=UTF-8''");
	html_url_part(&b, filename ? filename : "file");
	out->disposition = b.ptr ? arena_strdup(a, b.ptr) : NULL;
	buf_free(&b);
	return 0;
}
