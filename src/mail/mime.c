#include "mime.h"

#include "../util/buf.h"
#include "../util/str.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
mime_init_once(void)
{
	static bool done;

	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* ---- text helpers -------------------------------------------------- */

static const struct {
	const char *name;
	const char *utf8;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "aacute", "á" }, { "eacute", "é" },
	{ "iacute", "í" }, { "oacute", "ó" }, { "uacute", "ú" },
	{ "ntilde", "ñ" }, { "Aacute", "Á" }, { "Eacute", "É" },
	{ "Iacute", "Í" }, { "Oacute", "Ó" }, { "Uacute", "Ú" },
	{ "Ntilde", "Ñ" }, { "uuml", "ü" }, { "Uuml", "Ü" }, { "iexcl", "¡" },
	{ "iquest", "¿" }, { "copy", "©" }, { "reg", "®" }, { "euro", "€" },
	{ "laquo", "«" }, { "raquo", "»" }, { "ndash", "–" }, { "mdash", "—" },
	{ "hellip", "…" }, { "middot", "·" }, { "deg", "°" },
};

static void
add_codepoint(struct buf *b, unsigned long cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return;
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

static bool
tag_is(const char *tag, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len >= n && strncasecmp(tag, name, n) == 0 &&
	       (len == n || tag[n] == ' ' || tag[n] == '/' || tag[n] == '\t' ||
		tag[n] == '\n' || tag[n] == '\r' || tag[n] == '>');
}

char *
mime_html_to_text(struct arena *a, const char *h)
{
	struct buf b;
	char *out;
	bool skip = false; /* inside <style> or <script> */
	bool space = false;

	buf_init(&b, 16 << 20);
	while (*h) {
		if (*h == '<') {
			const char *end = strchr(h, '>');
			const char *t = h + 1;
			size_t len;
			bool close = *t == '/';

			if (end == NULL)
				break;
			if (strncmp(h, "<!--", 4) == 0) {
				const char *c = strstr(h, "-->");

				h = c ? c + 3 : h + strlen(h);
				continue;
			}
			if (close)
				t++;
			len = (size_t)(end - t);
			if (tag_is(t, len, "style") || tag_is(t, len, "script") ||
			    tag_is(t, len, "head"))
				skip = !close;
			else if (tag_is(t, len, "br") || tag_is(t, len, "p") ||
				 tag_is(t, len, "div") || tag_is(t, len, "tr") ||
				 tag_is(t, len, "h1") || tag_is(t, len, "h2") ||
				 tag_is(t, len, "h3") || tag_is(t, len, "table") ||
				 tag_is(t, len, "blockquote") || tag_is(t, len, "ul") ||
				 tag_is(t, len, "ol")) {
				if (b.len && b.ptr[b.len - 1] != '\n')
					buf_addc(&b, '\n');
				space = false;
			} else if (tag_is(t, len, "li") && !close) {
				if (b.len && b.ptr[b.len - 1] != '\n')
					buf_addc(&b, '\n');
				buf_adds(&b, "- ");
			} else if ((tag_is(t, len, "td") || tag_is(t, len, "th")) &&
				   close) {
				buf_addc(&b, ' ');
			}
			h = end + 1;
			continue;
		}
		if (skip) {
			h++;
			continue;
		}
		if (*h == '&') {
			const char *semi = strchr(h, ';');
			size_t n = semi ? (size_t)(semi - h - 1) : 0;
			bool done = false;

			if (semi && n > 0 && n < 10) {
				if (h[1] == '#') {
					unsigned long cp = h[2] == 'x' || h[2] == 'X' ?
						strtoul(h + 3, NULL, 16) :
						strtoul(h + 2, NULL, 10);

					add_codepoint(&b, cp);
					done = true;
				} else {
					for (size_t i = 0; i < sizeof entities /
						 sizeof entities[0]; i++)
						if (strlen(entities[i].name) == n &&
						    strncmp(h + 1, entities[i].name,
							    n) == 0) {
							buf_adds(&b, entities[i].utf8);
							done = true;
							break;
						}
				}
			}
			if (done) {
				h = semi + 1;
				space = false;
				continue;
			}
		}
		if (*h == ' ' || *h == '\t' || *h == '\r' || *h == '\n') {
			if (!space && b.len && b.ptr[b.len - 1] != '\n')
				buf_addc(&b, ' ');
			space = true;
			h++;
			continue;
		}
		space = false;
		buf_addc(&b, *h++);
	}
	/* No more than one blank line in a row; no trailing spaces. */
	{
		struct buf c;
		int newlines = 0;

		buf_init(&c, 16 << 20);
		for (size_t i = 0; i < b.len; i++) {
			if (b.ptr[i] == '\n') {
				while (c.len && c.ptr[c.len - 1] == ' ')
					c.len--;
				if (++newlines > 2)
					continue;
			} else {
				if (newlines && b.ptr[i] == ' ')
					continue;
				newlines = 0;
			}
			buf_addc(&c, b.ptr[i]);
		}
		while (c.len && (c.ptr[c.len - 1] == '\n' || c.ptr[c.len - 1] == ' '))
			c.len--;
		if (c.cap)
			c.ptr[c.len] = '\0';
		out = arena_strdup(a, c.ptr);
		buf_free(&c);
	}
	buf_free(&b);
	return out;
}

/* Does this line introduce a quoted message? */
static bool
quote_header(const char *line, size_t len)
{
	static const char *const starts[] = {
		"-----Original Message-----", "-----Mensaje original-----",
		"----- Mensaje original -----", "________________________________",
		"De: ", "From: ", NULL,
	};
	char s[512];

	if (len >= sizeof s)
		len = sizeof s - 1;
	memcpy(s, line, len);
	s[len] = '\0';
	for (const char *const *p = starts; *p; p++)
		if (strncmp(s, *p, strlen(*p)) == 0)
			return true;
	/* Gmail, Thunderbird, Apple: "On ... wrote:", "El ... escribió:". */
	if (len > 4 && (strncmp(s, "On ", 3) == 0 || strncmp(s, "El ", 3) == 0) &&
	    (strstr(s, "wrote:") || strstr(s, "escribió:")))
		return true;
	return false;
}

char *
mime_trim_quotes(struct arena *a, const char *text)
{
	const char *p = text, *cut = NULL;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if ((len > 0 && p[0] == '>') || quote_header(p, len)) {
			cut = p;
			break;
		}
		/* Gmail wraps its "El ... escribió:" over two lines. */
		if (nl && len > 3 && (strncmp(p, "El ", 3) == 0 ||
				      strncmp(p, "On ", 3) == 0)) {
			const char *n2 = strchr(nl + 1, '\n');
			size_t l2 = n2 ? (size_t)(n2 - nl - 1) : strlen(nl + 1);
			char joined[600];

			if (len + l2 + 2 < sizeof joined) {
				memcpy(joined, p, len);
				joined[len] = ' ';
				memcpy(joined + len + 1, nl + 1, l2);
				joined[len + 1 + l2] = '\0';
				if (quote_header(joined, len + 1 + l2)) {
					cut = p;
					break;
				}
			}
		}
		p = nl ? nl + 1 : p + len;
	}
	if (cut == NULL)
		return arena_strdup(a, text);
	{
		size_t n = (size_t)(cut - text);
		char *out = arena_alloc(a, n + 1);

		if (out == NULL)
			return NULL;
		memcpy(out, text, n);
		while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' ||
			     out[n - 1] == ' '))
			n--;
		out[n] = '\0';
		return out;
	}
}

/* ---- parsing ------------------------------------------------------- */

struct walk {
	struct mime_msg *m;
	struct buf text, html;
	struct inbound_file files[MIME_MAX_FILES];
	size_t nfiles;
	bool dsn;
	char returned_id[300]; /* a bounce's original Message-ID */
};

/* "Message-ID: <x@y>" in a block of returned headers. */
static void
returned_message_id(struct walk *w, const char *headers, size_t len)
{
	const char *p = headers, *end = headers + len;

	while (p < end && w->returned_id[0] == '\0') {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 11 && strncasecmp(p, "Message-ID:", 11) == 0) {
			const char *a = memchr(p, '<', l), *b;

			b = a ? memchr(a, '>', l - (size_t)(a - p)) : NULL;
			if (a && b && b - a - 1 > 0 &&
			    (size_t)(b - a - 1) < sizeof w->returned_id) {
				memcpy(w->returned_id, a + 1, (size_t)(b - a - 1));
				w->returned_id[b - a - 1] = '\0';
			}
		}
		p = nl ? nl + 1 : end;
	}
}

static char *
dup_g(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static void walk_object(struct walk *w, GMimeObject *obj, int depth);

static void
walk_part(struct walk *w, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
	bool attachment = cd && g_mime_content_disposition_is_attachment(cd);
	const char *filename = g_mime_part_get_filename(part);

	if (!attachment && filename == NULL && GMIME_IS_TEXT_PART(part) &&
	    (g_mime_content_type_is_type(ct, "text", "plain") ||
	     g_mime_content_type_is_type(ct, "text", "html"))) {
		bool html = g_mime_content_type_is_type(ct, "text", "html");
		const char *cs = g_mime_content_type_get_parameter(ct, "charset");
		struct buf *b = html ? &w->html : &w->text;
		GByteArray *raw = NULL;
		GMimeStream *ms = NULL;
		char *t = NULL;

		/* The bytes as sent, transfer encoding undone. */
		if (g_mime_part_get_content(part)) {
			ms = g_mime_stream_mem_new();
			g_mime_data_wrapper_write_to_stream(
				g_mime_part_get_content(part), ms);
			raw = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
		}
		if (raw && raw->len && str_utf8_valid((const char *)raw->data,
						      raw->len) &&
		    memchr(raw->data, '\0', raw->len) == NULL &&
		    (cs == NULL || strcasecmp(cs, "utf-8") == 0 ||
		     strcasecmp(cs, "us-ascii") == 0 || *cs == '\0'))
			t = g_strndup((const char *)raw->data, raw->len);
		else if (cs && *cs && strcasecmp(cs, "utf-8") != 0)
			t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
		/* Labelled wrongly or not at all (Mexican mail often is): the
		 * charset that reads the bytes with the fewest errors, as
		 * GMime guesses it, rather than losing the text. */
		if ((t == NULL || !str_utf8_valid(t, strlen(t))) && raw && raw->len) {
			g_free(t);
			t = g_mime_utils_decode_8bit(NULL, (const char *)raw->data,
						     raw->len);
		}
		if (t && str_utf8_valid(t, strlen(t))) {
			if (b->len)
				buf_adds(b, "\n\n");
			buf_adds(b, t);
		}
		g_free(t);
		if (ms)
			g_object_unref(ms);
		return;
	}
	/* A bounce's returned headers name the message that bounced. */
	if (w->dsn && g_mime_content_type_is_type(ct, "text", "rfc822-headers") &&
	    g_mime_part_get_content(part)) {
		GMimeStream *ms = g_mime_stream_mem_new();
		GByteArray *ba;

		g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(part),
						    ms);
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
		if (ba && ba->len)
			returned_message_id(w, (const char *)ba->data, ba->len);
		g_object_unref(ms);
	}
	/* Anything else is a file: stored, or counted when over limits. */
	{
		GMimeDataWrapper *dw = g_mime_part_get_content(part);
		GMimeStream *ms;
		GByteArray *ba;
		char *type;

		if (dw == NULL)
			return;
		if (w->nfiles >= MIME_MAX_FILES) {
			w->m->mail.dropped_files++;
			return;
		}
		ms = g_mime_stream_mem_new();
		g_mime_data_wrapper_write_to_stream(dw, ms);
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
		if (ba == NULL || ba->len == 0 || ba->len > APP_ATTACHMENT_MAX) {
			if (ba && ba->len)
				w->m->mail.dropped_files++;
			g_object_unref(ms);
			return;
		}
		{
			struct inbound_file *f = &w->files[w->nfiles];
			void *copy = arena_alloc(&w->m->arena, ba->len);
			char name[256];

			if (copy == NULL) {
				g_object_unref(ms);
				return;
			}
			memcpy(copy, ba->data, ba->len);
			type = g_mime_content_type_get_mime_type(ct);
			f->mime = dup_g(&w->m->arena, type ? type :
					"application/octet-stream");
			g_free(type);
			/* A name with no path and no control characters. */
			snprintf(name, sizeof name, "%s", filename &&
				 str_utf8_valid(filename, strlen(filename)) ?
				 filename : "adjunto");
			for (char *q = name; *q; q++)
				if (*q == '/' || *q == '\\' ||
				    (unsigned char)*q < 0x20)
					*q = '_';
			if (name[0] == '\0' || strcmp(name, ".") == 0 ||
			    strcmp(name, "..") == 0)
				snprintf(name, sizeof name, "adjunto");
			f->filename = arena_strdup(&w->m->arena, name);
			f->data = copy;
			f->size = ba->len;
			f->inline_image = !attachment &&
					  g_mime_content_type_is_type(ct, "image", "*");
			w->nfiles++;
		}
		g_object_unref(ms);
	}
}

static void
walk_object(struct walk *w, GMimeObject *obj, int depth)
{
	if (obj == NULL)
		return;
	if (depth > MIME_MAX_DEPTH) {
		w->m->mail.dropped_files++;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		if (g_mime_content_type_is_type(ct, "multipart", "report")) {
			const char *rt = g_mime_content_type_get_parameter(
				ct, "report-type");

			if (rt && strcasecmp(rt, "delivery-status") == 0)
				w->dsn = true;
		}
		if (g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			/* Text preferred; HTML only when there is no text. */
			GMimeObject *plain = NULL, *other = NULL;

			for (int i = 0; i < n; i++) {
				GMimeObject *p = g_mime_multipart_get_part(mp, i);
				GMimeContentType *pct = g_mime_object_get_content_type(p);

				if (g_mime_content_type_is_type(pct, "text", "plain") &&
				    plain == NULL)
					plain = p;
				else if (other == NULL ||
					 g_mime_content_type_is_type(pct, "multipart", "*"))
					other = p;
			}
			walk_object(w, plain ? plain : other, depth + 1);
			/* Inline images of an HTML-only alternative. */
			if (plain && other && GMIME_IS_MULTIPART(other))
				for (int i = 0; i < g_mime_multipart_get_count(
						    GMIME_MULTIPART(other)); i++) {
					GMimeObject *p = g_mime_multipart_get_part(
						GMIME_MULTIPART(other), i);

					if (GMIME_IS_PART(p) && !GMIME_IS_TEXT_PART(p))
						walk_object(w, p, depth + 2);
				}
			return;
		}
		for (int i = 0; i < n; i++)
			walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		/* A forwarded message: its text follows, under a line that
		 * says where it starts; its files are the request's too. */
		GMimeMessage *inner = g_mime_message_part_get_message(
			GMIME_MESSAGE_PART(obj));

		if (inner == NULL)
			return;
		if (w->dsn && w->returned_id[0] == '\0' &&
		    g_mime_message_get_message_id(inner))
			snprintf(w->returned_id, sizeof w->returned_id, "%s",
				 g_mime_message_get_message_id(inner));
		if (w->text.len)
			buf_adds(&w->text, "\n\n");
		buf_adds(&w->text, "---------- Mensaje reenviado / Forwarded "
			 "message ----------\n");
		{
			const char *s = g_mime_message_get_subject(inner);

			if (s && str_utf8_valid(s, strlen(s)))
				buf_printf(&w->text, "Asunto: %s\n\n", s);
		}
		walk_object(w, g_mime_message_get_mime_part(inner), depth + 1);
		return;
	}
	if (GMIME_IS_PART(obj))
		walk_part(w, GMIME_PART(obj));
}

static const char *
header(GMimeObject *o, const char *name)
{
	const char *v = g_mime_object_get_header(o, name);

	return v && *v ? v : NULL;
}

/* Message-IDs of In-Reply-To or References, without <>. */
static void
parse_refs(struct arena *a, const char *value, const char ***out, size_t *n)
{
	GMimeReferences *refs;
	int count;

	*out = NULL;
	*n = 0;
	if (value == NULL)
		return;
	refs = g_mime_references_parse(NULL, value);
	if (refs == NULL)
		return;
	count = g_mime_references_length(refs);
	if (count > 100)
		count = 100;
	*out = arena_calloc(a, (size_t)count + 1, sizeof **out);
	for (int i = 0; *out && i < count; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);

		if (id && str_text_valid(id, strlen(id), false))
			(*out)[(*n)++] = arena_strdup(a, id);
	}
	g_mime_references_free(refs);
}

static bool
auto_headers(GMimeObject *o)
{
	const char *v;

	if ((v = header(o, "Auto-Submitted")) && strncasecmp(v, "no", 2) != 0)
		return true;
	/* X-Auto-Response-Suppress is a sender's request, not a sign of an
	 * automatic message, and is not read here. */
	return header(o, "X-Autoreply") || header(o, "X-Autorespond") ||
	       header(o, "X-Auto-Reply") ||
	       header(o, "X-MS-Exchange-Generated-Message-Source") != NULL;
}

static bool
bulk_headers(GMimeObject *o)
{
	const char *v = header(o, "Precedence");

	return (v && (strcasecmp(v, "bulk") == 0 || strcasecmp(v, "junk") == 0 ||
		      strcasecmp(v, "list") == 0)) ||
	       header(o, "List-Id") || header(o, "List-Unsubscribe");
}

int
mime_parse(struct mime_msg **out, const void *raw, size_t len,
	   struct sp_err *err)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *o;
	struct mime_msg *m;
	struct walk w = { 0 };
	InternetAddressList *from;
	const char *v;

	mime_init_once();
	m = calloc(1, sizeof *m);
	if (m == NULL)
		return sp_err_set(err, SP_ENOMEM, "mail", "out of memory");
	arena_init(&m->arena, 128u << 20);
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	msg = g_mime_parser_construct_message(parser, opts);
	g_object_unref(parser);
	if (msg == NULL || (g_mime_message_get_from(msg) == NULL &&
			    g_mime_message_get_message_id(msg) == NULL &&
			    g_mime_message_get_subject(msg) == NULL)) {
		if (msg)
			g_object_unref(msg);
		g_mime_parser_options_free(opts);
		mime_free(m);
		return sp_err_set(err, SP_EFORMAT, "mail", "not an RFC 5322 "
				  "message: no From, Message-ID or Subject "
				  "header could be read");
	}
	o = GMIME_OBJECT(msg);
	v = g_mime_message_get_message_id(msg);
	if (v && str_text_valid(v, strlen(v), false))
		m->mail.message_id = arena_strdup(&m->arena, v);
	{
		const char **irt;
		size_t n;

		parse_refs(&m->arena, header(o, "In-Reply-To"), &irt, &n);
		m->mail.in_reply_to = n ? irt[0] : NULL;
		parse_refs(&m->arena, header(o, "References"),
			   &m->mail.references, &m->mail.nreferences);
	}
	from = g_mime_message_get_from(msg);
	if (from && internet_address_list_length(from) > 0) {
		InternetAddress *ia = internet_address_list_get_address(from, 0);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr = internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(ia));
			const char *name = internet_address_get_name(ia);

			if (addr && str_text_valid(addr, strlen(addr), false))
				m->mail.from_addr = arena_strdup(&m->arena, addr);
			if (name && str_text_valid(name, strlen(name), false))
				m->mail.from_name = arena_strdup(&m->arena, name);
		}
	}
	v = g_mime_message_get_subject(msg);
	if (v && str_utf8_valid(v, strlen(v)))
		m->mail.subject = arena_strdup(&m->arena, v);
	{
		GDateTime *d = g_mime_message_get_date(msg);

		if (d)
			m->mail.date = g_date_time_to_unix(d);
	}
	m->mail.auto_submitted = auto_headers(o);
	m->mail.bulk = bulk_headers(o);
	buf_init(&w.text, 16 << 20);
	buf_init(&w.html, 16 << 20);
	w.m = m;
	walk_object(&w, g_mime_message_get_mime_part(msg), 0);
	m->mail.dsn = w.dsn || (m->mail.from_addr &&
				(strncasecmp(m->mail.from_addr, "mailer-daemon@", 14) == 0 ||
				 strncasecmp(m->mail.from_addr, "postmaster@", 11) == 0));
	if (m->mail.dsn && m->mail.in_reply_to == NULL && w.returned_id[0] &&
	    str_text_valid(w.returned_id, strlen(w.returned_id), false))
		m->mail.in_reply_to = arena_strdup(&m->arena, w.returned_id);
	if (w.text.len == 0 && w.html.len)
		m->mail.text = mime_html_to_text(&m->arena, w.html.ptr);
	else
		m->mail.text = arena_strdup(&m->arena, w.text.ptr);
	/* Keep only text a ticket may hold: no NUL, no stray controls. */
	if (m->mail.text) {
		/* CRLF and lone CR become LF; other controls a space. */
		char *q = (char *)m->mail.text, *w8 = q;

		for (; *q; q++) {
			if (*q == '\r') {
				if (q[1] != '\n')
					*w8++ = '\n';
				continue;
			}
			*w8++ = (unsigned char)*q < 0x20 && *q != '\n' && *q != '\t' ?
			       ' ' : *q;
		}
		*w8 = '\0';
		m->mail.text_trimmed = mime_trim_quotes(&m->arena, m->mail.text);
	}
	m->mail.files = arena_calloc(&m->arena, w.nfiles + 1, sizeof *w.files);
	if (m->mail.files)
		memcpy(m->mail.files, w.files, w.nfiles * sizeof *w.files);
	m->mail.nfiles = m->mail.files ? w.nfiles : 0;
	buf_free(&w.text);
	buf_free(&w.html);
	g_object_unref(msg);
	g_mime_parser_options_free(opts);
	*out = m;
	return 0;
}

void
mime_free(struct mime_msg *m)
{
	if (m == NULL)
		return;
	arena_free(&m->arena);
	free(m);
}

/* ---- building ------------------------------------------------------ */

static bool
header_safe(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

int
mime_build(char **out, size_t *len, const struct outbox_row *r,
	   const char *from_addr, const char *from_name, int64_t date,
	   struct sp_err *err)
{
	GMimeMessage *msg;
	GMimeTextPart *tp;
	GMimeFormatOptions *fo;
	GDateTime *dt;
	char *s, idbuf[200];
	bool automatic;

	if (!header_safe(r->to_addr) || !header_safe(r->to_name) ||
	    !header_safe(r->subject) || !header_safe(r->message_id) ||
	    !header_safe(r->in_reply_to) || !header_safe(r->refs) ||
	    !header_safe(from_addr) || !header_safe(from_name))
		return sp_err_set(err, SP_EINVAL, "header", "a header value "
				  "holds a line break; refusing to write it");
	mime_init_once();
	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from_name,
				   from_addr);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, r->to_name,
				   r->to_addr);
	g_mime_message_set_subject(msg, r->subject, "utf-8");
	g_mime_message_set_message_id(msg, r->message_id);
	dt = g_date_time_new_from_unix_utc(date);
	g_mime_message_set_date(msg, dt);
	g_date_time_unref(dt);
	if (r->in_reply_to) {
		snprintf(idbuf, sizeof idbuf, "<%s>", r->in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", idbuf,
					 NULL);
	}
	if (r->refs)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References",
					 r->refs[0] == '<' ? r->refs : idbuf, NULL);
	/* Automatic messages say so (RFC 3834): other robots stay quiet. */
	automatic = strcmp(r->kind, "ack") == 0 ||
		    strcmp(r->kind, "instructions") == 0;
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
				 automatic ? "auto-replied" : "auto-generated",
				 NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Auto-Response-Suppress",
				 "All", NULL);
	tp = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(tp, r->body);
	g_mime_part_set_content_encoding(GMIME_PART(tp),
					 GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(tp));
	g_object_unref(tp);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	if (s == NULL)
		return sp_err_set(err, SP_ENOMEM, "mail", "out of memory");
	*out = strdup(s);
	*len = strlen(s);
	g_free(s);
	if (*out == NULL)
		return sp_err_set(err, SP_ENOMEM, "mail", "out of memory");
	return 0;
}
