/* test_mail.c — the email gateway on the corpus of tests/mail/: parsing
 * through mime_parse (charsets, alternatives, quotes, files, loop flags)
 * and intake on real SQLite files (threading, duplicates, quarantine, no
 * loops, INT-2, INT-3, INT-5, SLA-3, SCH-7, CLO-3). "soporte never loses
 * a message, never opens a second ticket for a reply, and never loops." */
#include "../src/app/app.h"
#include "../src/mail/intake.h"
#include "../src/mail/mime.h"
#include "fixture.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the corpus ---------------------------------------------------- */

/* tests/mail/, from the working folder (make runs the tests from the
 * top of the tree) or beside $SOPORTE_POLICIES. */
static const char *
corpus_dir(void)
{
	static char dir[1024];
	const char *env = getenv("SOPORTE_MAIL_CORPUS");
	struct stat sb;

	if (env && *env)
		return env;
	if (stat("tests/mail", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "tests/mail";
	snprintf(dir, sizeof dir, "%s/../tests/mail", fx_policies());
	return dir;
}

/* Reads a corpus file into b (initialised here); false and a failure
 * when it is not there. */
static bool
corpus(struct buf *b, const char *name)
{
	char path[1200];
	char chunk[8192];
	size_t n;
	FILE *f;

	buf_init(b, 4 << 20);
	snprintf(path, sizeof path, "%s/%s", corpus_dir(), name);
	f = fopen(path, "rb");
	if (f == NULL) {
		t_fail(__FILE__, __LINE__, "corpus file %s is missing", path);
		return false;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return true;
}

/* Replaces every `from` in b with `to`. */
static void
subst(struct buf *b, const char *from, const char *to)
{
	struct buf o;
	const char *p = b->ptr, *hit;
	size_t fl = strlen(from);

	buf_init(&o, b->max);
	while ((hit = strstr(p, from)) != NULL) {
		buf_add(&o, p, (size_t)(hit - p));
		buf_adds(&o, to);
		p = hit + fl;
	}
	buf_adds(&o, p);
	buf_free(b);
	*b = o;
}

/* A copy of b with LF line ends turned into CRLF (as IMAP and SMTP
 * carry them). */
static void
to_crlf(struct buf *out, const struct buf *in)
{
	buf_init(out, in->max * 2);
	for (size_t i = 0; i < in->len; i++) {
		if (in->ptr[i] == '\n' && (i == 0 || in->ptr[i - 1] != '\r'))
			buf_addc(out, '\r');
		buf_addc(out, in->ptr[i]);
	}
}

/* A plain UTF-8 message, as a simple client writes it. */
static void
simple_mail(struct buf *b, const char *from, const char *mid,
	    const char *subject, const char *extra_headers, const char *body)
{
	buf_init(b, 1 << 20);
	buf_printf(b, "From: %s\nTo: soporte@intecnia.com.mx\nSubject: %s\n",
		   from, subject);
	if (mid)
		buf_printf(b, "Message-ID: <%s>\n", mid);
	buf_printf(b, "Date: Mon, 9 Mar 2026 10:00:00 -0600\nMIME-Version: 1.0\n"
		   "Content-Type: text/plain; charset=UTF-8\n"
		   "Content-Transfer-Encoding: 8bit\n%s\n%s",
		   extra_headers ? extra_headers : "", body);
}

/* What a test holds is kept here and released by the next test (or at
 * exit), so a test that stops at a CHECK leaks nothing. */
static struct mime_msg *held[64];
static size_t nheld;
static struct app *live_app;
static struct arena scratch_arena;
static bool scratch_live;

static void
cleanup(void)
{
	while (nheld > 0)
		mime_free(held[--nheld]);
	if (live_app)
		app_close(live_app);
	live_app = NULL;
	if (scratch_live)
		arena_free(&scratch_arena);
	scratch_live = false;
}

static void
at_exit_cleanup(void)
{
	static bool registered;

	if (!registered && atexit(cleanup) == 0)
		registered = true;
}

/* A fresh arena for this test's rows. */
static struct arena *
scratch(void)
{
	if (scratch_live)
		arena_free(&scratch_arena);
	arena_init(&scratch_arena, 0);
	scratch_live = true;
	return &scratch_arena;
}

/* The end of a test: everything it held is released. */
static void
finish(void)
{
	cleanup();
}

/* A parsed message, held until release() or the next test. */
static struct mime_msg *
parse(const struct buf *b)
{
	struct mime_msg *m = NULL;
	struct sp_err err = { 0 };

	at_exit_cleanup();
	if (nheld == sizeof held / sizeof held[0]) {
		t_fail(__FILE__, __LINE__, "too many parsed messages held");
		return NULL;
	}
	if (mime_parse(&m, b->ptr, b->len, &err)) {
		t_fail(__FILE__, __LINE__, "mime_parse: %s", err.msg);
		return NULL;
	}
	held[nheld++] = m;
	return m;
}

static void
release(struct mime_msg *m)
{
	for (size_t i = 0; i < nheld; i++)
		if (held[i] == m) {
			mime_free(m);
			held[i] = held[--nheld];
			return;
		}
}

/* Whether n bytes at p hold the text s. */
static bool
bytes_have(const void *p, size_t n, const char *s)
{
	size_t sl = strlen(s);

	for (size_t i = 0; i + sl <= n; i++)
		if (memcmp((const char *)p + i, s, sl) == 0)
			return true;
	return false;
}

static bool
file_named(const struct inbound_mail *m, const char *name,
	   const struct inbound_file **out)
{
	for (size_t i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i].filename, name) == 0) {
			*out = &m->files[i];
			return true;
		}
	return false;
}

/* ---- parsing: mime_parse on each kind of real mail ------------------ */

/* Outlook: Windows-1252 encoded-words (with its own en dash), an
 * HTML-only body turned into text with entities decoded, an inline image
 * (cid:) and a PDF whose name is an encoded-word. */
static void
test_mime_outlook_win1252_html_only_inline_image_attachment(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_file *png, *pdf;
	const struct inbound_mail *x;

	CHECK(corpus(&b, "01-outlook-html-win1252.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->subject, "No se puede timbrar la factura – error 301");
	CHECK_STR(x->from_name, "Begoña Ibáñez Ortíz");
	CHECK_STR(x->from_addr, "bibanez@constructoraibz.com.mx");
	CHECK_STR(x->message_id, "MW4PR12MB7000A1B2C3D4E5F6A7B8C9D0A1B2@"
		  "MW4PR12MB7000.namprd12.prod.outlook.com");
	CHECK_INT(x->date, fx_at("2026-03-09T16:42:10Z"));
	/* The HTML as readable text: paragraphs on lines, Windows-1252
	 * quotes and dash, entities decoded, no markup or style. */
	CHECK_HAS(x->text, "Buen día:\n");
	CHECK_HAS(x->text, "aparece el mensaje “Error 301 – El certificado "
		  "no corresponde”.");
	CHECK_HAS(x->text, "Tenemos 15 facturas pendientes & el cierre es "
		  "hoy <urgente>.");
	CHECK_HAS(x->text, "S.A. de C.V.\nTel. 222 555 0199 ext. 104");
	CHECK(strstr(x->text, "&nbsp;") == NULL);
	CHECK(strstr(x->text, "&amp;") == NULL);
	CHECK(strstr(x->text, "MsoNormal") == NULL);
	CHECK(strstr(x->text, "font-family") == NULL);
	CHECK(strstr(x->text, "<p") == NULL);
	CHECK(strstr(x->text, "shapedefaults") == NULL);
	/* The inline image and the attachment, both kept. */
	CHECK_INT(x->nfiles, 2);
	CHECK_INT(x->dropped_files, 0);
	CHECK(file_named(x, "image001.png", &png));
	CHECK_STR(png->mime, "image/png");
	CHECK(png->inline_image);
	CHECK(png->size > 8 && memcmp(png->data, "\x89PNG\r\n\x1a\n", 8) == 0);
	CHECK(file_named(x, "Acuse cancelación.pdf", &pdf));
	CHECK_STR(pdf->mime, "application/pdf");
	CHECK(!pdf->inline_image);
	CHECK(pdf->size > 5 && memcmp(pdf->data, "%PDF-", 5) == 0);
	CHECK(!x->auto_submitted && !x->bulk && !x->dsn);
	release(m);
}

/* Gmail: multipart/alternative, the text part chosen over the HTML one;
 * the quoted reply kept in text and cut from text_trimmed, with Gmail's
 * attribution line wrapped before the address as Gmail sends it. */
static void
test_mime_gmail_alternative_text_preferred_quote_trimmed(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_mail *x;

	CHECK(corpus(&b, "02-gmail-alternative-reply.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->from_name, "José Ángel Ramírez");
	CHECK_STR(x->subject, "Re: [@@FOLIO@@] No imprime el ticket de venta");
	CHECK_STR(x->in_reply_to, "@@IRT@@");
	CHECK_INT(x->nreferences, 1);
	/* The text part (a quoted-printable soft break inside "é"). */
	CHECK_HAS(x->text, "Ya reinicié la impresora térmica y sigue sin "
		  "imprimir. También cambié el\ncable USB");
	CHECK(strstr(x->text, "<div") == NULL);
	CHECK(strstr(x->text, "gmail_quote") == NULL);
	/* Quotes kept in the whole text... */
	CHECK_HAS(x->text, "> Recibimos su solicitud.");
	/* ...and cut, with the line that introduces them, for display. */
	CHECK_HAS(x->text_trimmed, "Ya reinicié la impresora");
	CHECK_HAS(x->text_trimmed, "Abarrotes La Esperanza");
	CHECK(strstr(x->text_trimmed, "Recibimos su solicitud") == NULL);
	CHECK(strstr(x->text_trimmed, "escribió") == NULL);
	CHECK(strstr(x->text_trimmed, "soporte@intecnia.com.mx") == NULL);
	release(m);
}

/* Thunderbird: ISO-8859-1 quoted-printable, format=flowed, In-Reply-To
 * only; the one-line "El ... escribió:" is cut with the quote. */
static void
test_mime_thunderbird_latin1_qp_reply(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_mail *x;

	CHECK(corpus(&b, "03-thunderbird-latin1-reply.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->from_name, "Raúl Muñoz");
	CHECK_STR(x->in_reply_to, "@@IRT@@");
	CHECK_INT(x->nreferences, 0);
	CHECK_HAS(x->text, "Ya dejé el respaldo corriendo desde las 11:00 y "
		  "sigue en 97\xc2\xa0%. ¿Es");
	CHECK_HAS(x->text, "> Recibimos su solicitud.");
	CHECK_HAS(x->text, "El 09/03/26 a las 10:20, Intecnia escribió:");
	CHECK(strstr(x->text_trimmed, "escribió") == NULL);
	CHECK(strstr(x->text_trimmed, "Recibimos") == NULL);
	{
		const char *t = x->text_trimmed;
		const char *tail = "Despacho Muñoz y Asociados, S.C.";
		size_t tl = strlen(tail), n = strlen(t);

		CHECK(n >= tl && strcmp(t + n - tl, tail) == 0);
	}
	release(m);
}

/* iPhone: base64 UTF-8 text parts around an inline JPG. */
static void
test_mime_iphone_base64_utf8_jpg(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_mail *x;
	const struct inbound_file *jpg;

	CHECK(corpus(&b, "04-iphone-base64-jpg.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->subject, "No abre el módulo de nómina");
	CHECK_STR(x->from_name, "Sofía Peña Valdés");
	CHECK_STR(x->from_addr, "spena@clinicadelvalle.mx");
	CHECK_HAS(x->text, "Buenos días, al abrir el módulo de nómina sale "
		  "esta pantalla");
	CHECK_HAS(x->text, "Enviado desde mi iPhone");
	CHECK_INT(x->nfiles, 1);
	CHECK(file_named(x, "IMG_0412.jpeg", &jpg));
	CHECK_STR(jpg->mime, "image/jpeg");
	CHECK(jpg->inline_image);
	CHECK(jpg->size > 4);
	CHECK(memcmp(jpg->data, "\xff\xd8\xff", 3) == 0);
	CHECK(memcmp((const char *)jpg->data + jpg->size - 2, "\xff\xd9", 2) == 0);
	release(m);
}

/* A message forwarded as an attachment: its (Latin-1) text follows. */
static void
test_mime_forwarded_message_text_present(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_mail *x;

	CHECK(corpus(&b, "05-forwarded-rfc822.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->subject, "Fwd: Rechazo de CFDI por el PAC");
	CHECK_HAS(x->text, "Les reenvío el aviso que nos llegó del PAC");
	CHECK_HAS(x->text, "Rechazo de CFDI por el PAC");
	CHECK_HAS(x->text, "fue rechazado con el código CFDI40147");
	/* The forwarded message is text, not a file. */
	CHECK_INT(x->nfiles, 0);
	release(m);
}

/* Encoded-words: UTF-8 base64 in the name, ISO-8859-1 Q then UTF-8 B
 * joined in the subject. */
static void
test_mime_encoded_words_from_and_subject(void)
{
	struct buf b;
	struct mime_msg *m;

	CHECK(corpus(&b, "09-encoded-words.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	CHECK_STR(m->mail.from_name, "Iñaki Gómez Peña");
	CHECK_STR(m->mail.from_addr, "igomez@talleresgomez.com.mx");
	CHECK_STR(m->mail.subject, "Instalación de cámaras IP en bodega");
	CHECK_HAS(m->mail.text, "la bodega de \nTehuacán");
	release(m);
}

/* Malformed headers (raw Latin-1 in From and Subject, a Message-ID
 * without <>, a Spanish Date, an empty charset) and still readable. */
static void
test_mime_malformed_headers_still_readable(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_mail *x;

	CHECK(corpus(&b, "10-malformed-headers.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	x = &m->mail;
	CHECK_STR(x->from_addr, "jlopez@refaccioneslopez.com.mx");
	CHECK_STR(x->from_name, "Jorge López");
	CHECK_STR(x->subject, "URGENTE!!! no enciende el conmutador después "
		  "del apagón");
	CHECK_STR(x->message_id, "20260309110500.3F2A@refaccioneslopez.com.mx");
	CHECK_INT(x->date, 0);
	/* The body: 8-bit Latin-1 under an empty charset. */
	CHECK_HAS(x->text, "Desde el apagón de anoche el conmutador no "
		  "enciende");
	CHECK_HAS(x->text, "Refacciones López");
	release(m);
}

/* Bytes that are no message: SP_EFORMAT, nothing returned. */
static void
test_mime_garbage_is_not_a_message(void)
{
	struct buf b;
	struct mime_msg *m = NULL;
	struct sp_err err = { 0 };

	CHECK(corpus(&b, "11-garbage.eml"));
	CHECK_INT(mime_parse(&m, b.ptr, b.len, &err), SP_EFORMAT);
	CHECK(m == NULL);
	CHECK_HAS(err.msg, "not an RFC 5322 message");
	buf_free(&b);
}

/* Loop flags: a DSN (by its report type alone too), an auto-reply, a
 * list; none on a person's message. */
static void
test_mime_loop_flags_dsn_auto_bulk(void)
{
	struct buf b;
	struct mime_msg *m;

	CHECK(corpus(&b, "06-dsn-gmail-bounce.eml"));
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.dsn);
	CHECK_STR(m->mail.in_reply_to, "@@OUR_ID@@");
	release(m);
	/* No Auto-Submitted and not from a daemon: multipart/report with
	 * report-type=delivery-status is enough. */
	subst(&b, "Auto-Submitted: auto-replied\n", "");
	subst(&b, "mailer-daemon@googlemail.com", "avisos@googlemail.com");
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.dsn);
	CHECK(!m->mail.auto_submitted);
	release(m);
	buf_free(&b);

	CHECK(corpus(&b, "06b-dsn-postfix-headers-only.eml"));
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.dsn);
	release(m);
	buf_free(&b);

	CHECK(corpus(&b, "07-out-of-office.eml"));
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.auto_submitted);
	CHECK(!m->mail.bulk && !m->mail.dsn);
	CHECK_STR(m->mail.subject, "Respuesta automática: [@@FOLIO@@] Cambio "
		  "de equipo");
	release(m);
	/* The older X-Autoreply says the same; "Auto-Submitted: no" does
	 * not. */
	subst(&b, "Auto-Submitted: auto-replied", "X-Autoreply: yes");
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.auto_submitted);
	release(m);
	subst(&b, "X-Autoreply: yes", "Auto-Submitted: no");
	CHECK((m = parse(&b)) != NULL);
	CHECK(!m->mail.auto_submitted);
	release(m);
	buf_free(&b);

	CHECK(corpus(&b, "08-mailing-list.eml"));
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.bulk);
	CHECK(!m->mail.auto_submitted && !m->mail.dsn);
	CHECK_STR(m->mail.subject, "Boletín semanal: cambios al CFDI 4.0 en 2026");
	release(m);
	/* List-Id alone marks a list. */
	subst(&b, "Precedence: list\n", "");
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.bulk);
	release(m);
	buf_free(&b);

	CHECK(corpus(&b, "15-android-png-screenshot.eml"));
	CHECK((m = parse(&b)) != NULL);
	CHECK(!m->mail.auto_submitted && !m->mail.bulk && !m->mail.dsn);
	release(m);
	/* Precedence: bulk and junk too. */
	subst(&b, "MIME-Version: 1.0\n", "MIME-Version: 1.0\nPrecedence: junk\n");
	CHECK((m = parse(&b)) != NULL);
	CHECK(m->mail.bulk);
	release(m);
	buf_free(&b);
}

/* 40 attachments: 32 kept, 8 counted as dropped. */
static void
test_mime_forty_attachments_32_kept(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_file *f;

	CHECK(corpus(&b, "14-forty-attachments.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	CHECK_INT(m->mail.nfiles, MIME_MAX_FILES);
	CHECK_INT(m->mail.dropped_files, 40 - MIME_MAX_FILES);
	CHECK(file_named(&m->mail, "lectura_01.csv", &f));
	CHECK_STR(f->mime, "text/csv");
	CHECK(memcmp(f->data, "fecha,kwh\n", 10) == 0);
	CHECK(file_named(&m->mail, "lectura_32.csv", &f));
	CHECK(!file_named(&m->mail, "lectura_33.csv", &f));
	CHECK_HAS(m->mail.text, "Les mando las 40 lecturas");
	release(m);
}

/* Phone clients: Android's alternative with a PNG attachment. */
static void
test_mime_android_png_screenshot(void)
{
	struct buf b;
	struct mime_msg *m;
	const struct inbound_file *f;

	CHECK(corpus(&b, "15-android-png-screenshot.eml"));
	m = parse(&b);
	buf_free(&b);
	CHECK(m != NULL);
	CHECK_STR(m->mail.from_name, "Mónica González");
	CHECK_HAS(m->mail.text, "Al cerrar caja sale el error");
	CHECK(strstr(m->mail.text, "composer_signature") == NULL);
	CHECK_INT(m->mail.nfiles, 1);
	CHECK(file_named(&m->mail, "Screenshot_20260309_101522_POS.png", &f));
	CHECK_STR(f->mime, "image/png");
	release(m);
}

/* Mail as IMAP and SMTP carry it, with CRLF line ends, reads the same
 * as with LF: one line break per line, not two. */
static void
test_mime_crlf_reads_like_lf(void)
{
	static const char *const files[] = { "12-credential-in-body.eml",
		"04-iphone-base64-jpg.eml", "03-thunderbird-latin1-reply.eml" };

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct buf lf, crlf;
		struct mime_msg *a, *c;
		bool same;

		CHECK(corpus(&lf, files[i]));
		to_crlf(&crlf, &lf);
		a = parse(&lf);
		c = parse(&crlf);
		buf_free(&lf);
		buf_free(&crlf);
		CHECK(a != NULL && c != NULL);
		same = strcmp(a->mail.text, c->mail.text) == 0;
		if (!same)
			t_fail(__FILE__, __LINE__, "%s: CRLF text differs:\n"
			       "[%s]\nvs LF\n[%s]", files[i], c->mail.text,
			       a->mail.text);
		release(a);
		release(c);
		if (!same)
			return;
	}
	{
		/* The Outlook auto-reply is stored with CRLF. */
		struct buf b;
		struct mime_msg *m;

		CHECK(corpus(&b, "07-out-of-office.eml"));
		m = parse(&b);
		buf_free(&b);
		CHECK(m != NULL);
		CHECK_HAS(m->mail.text, "acceso limitado al correo.\n\nPara "
			  "asuntos urgentes");
		release(m);
	}
}

/* The helpers on their own: Outlook's quote headers, HTML entities. */
static void
test_mime_trim_quotes_and_html_helpers(void)
{
	struct arena *a;
	char *t;

	a = scratch();
	t = mime_trim_quotes(a, "Gracias, ya quedó.\n\nSaludos\n\n"
			     "________________________________\n"
			     "De: Intecnia <soporte@intecnia.com.mx>\n"
			     "Enviado: lunes, 9 de marzo de 2026 10:05\n"
			     "Asunto: [INT-2026-00001] Falla\n\nRecibimos su "
			     "solicitud.\n");
	CHECK_STR(t, "Gracias, ya quedó.\n\nSaludos");
	t = mime_trim_quotes(a, "Listo\n-----Mensaje original-----\nDe: x\n");
	CHECK_STR(t, "Listo");
	t = mime_trim_quotes(a, "On Mon, Mar 9, 2026 at 10:05 AM Intecnia "
			     "wrote:\n> hola\n");
	CHECK_STR(t, "");
	/* No quote: the text as it is. */
	t = mime_trim_quotes(a, "Sin cita\nEl equipo ya enciende.\n");
	CHECK_STR(t, "Sin cita\nEl equipo ya enciende.\n");
	t = mime_html_to_text(a, "<p>A&nbsp;&amp;&nbsp;B &#241; &#xe1; "
			      "&iquest;s&iacute;?</p><ul><li>uno</li><li>dos"
			      "</li></ul><script>alert(1)</script>fin");
	CHECK_STR(t, "A & B ñ á ¿sí?\n- uno\n- dos\nfin");
}

/* ---- intake on a real database -------------------------------------- */

#define T0 "2026-03-09T10:00:00-06:00" /* a Monday, in business hours */

struct world {
	struct app *app;
	struct actor agent;
	int64_t esperanza, clinica, ibz; /* organizations */
};

static bool
add_contact(struct world *w, const char *org, const char *name,
	    const char *surname, const char *email)
{
	struct contact_input c = { org, name, surname, NULL, NULL, email, NULL };
	struct sp_err err = { 0 };

	if (app_contact_add(w->app, NULL, fx_at(T0), &app_system, &c, &err)) {
		t_fail(__FILE__, __LINE__, "contact %s: %s", email, err.msg);
		return false;
	}
	return true;
}

/* A provider from `pack` with three customer organizations, their
 * contacts, and one agent. */
static bool
world(struct world *w, const char *pack)
{
	struct sp_err err = { 0 };
	int64_t id;

	at_exit_cleanup();
	cleanup();
	memset(w, 0, sizeof *w);
	w->app = live_app = fx_app(pack, fx_at("2026-03-09T08:00:00-06:00"));
	if (w->app == NULL)
		return false;
	if (app_org_add(w->app, &w->esperanza, fx_at(T0), &app_system,
			"Abarrotes La Esperanza", NULL, &err) ||
	    app_org_add(w->app, &w->clinica, fx_at(T0), &app_system,
			"Clínica del Valle", NULL, &err) ||
	    app_org_add(w->app, &w->ibz, fx_at(T0), &app_system,
			"Constructora IBZ", NULL, &err) ||
	    app_agent_add(w->app, &id, fx_at(T0), &app_system, "Ana Torres",
			  "ana@prov.mx", "agent", &err)) {
		t_fail(__FILE__, __LINE__, "world: %s", err.msg);
		return false;
	}
	w->agent = (struct actor){ "agent", id };
	return add_contact(w, "Abarrotes La Esperanza", "José Ángel", "Ramírez",
			   "jramirez@laesperanza.com.mx") &&
	       add_contact(w, "Abarrotes La Esperanza", "José Ángel", "Ramírez",
			   "jaramirez.esperanza@gmail.com") &&
	       add_contact(w, "Abarrotes La Esperanza", "Contabilidad", NULL,
			   "sin.buzon@laesperanza.com.mx") &&
	       add_contact(w, "Clínica del Valle", "Sofía", "Peña",
			   "spena@clinicadelvalle.mx") &&
	       add_contact(w, "Constructora IBZ", "Begoña", "Ibáñez",
			   "bibanez@constructoraibz.com.mx");
}

/* mail_intake, which must succeed (a temporary fault fails the test). */
static bool
intake(struct world *w, struct mail_outcome *o, const char *at,
       const struct buf *b)
{
	struct sp_err err = { 0 };

	if (mail_intake(w->app, o, fx_at(at), b->ptr, b->len, "test", &err)) {
		t_fail(__FILE__, __LINE__, "mail_intake: %s", err.msg);
		return false;
	}
	return true;
}

static bool
intake_file(struct world *w, struct mail_outcome *o, const char *at,
	    const char *name)
{
	struct buf b;
	bool ok;

	if (!corpus(&b, name))
		return false;
	ok = intake(w, o, at, &b);
	buf_free(&b);
	return ok;
}

static int
n_tickets(struct world *w)
{
	struct ticket_filter f = { 0 };
	struct ticket_row *t;
	struct arena a;
	size_t n = 0;

	arena_init(&a, 0);
	if (store_ticket_list(w->app->store, &a, &t, &n, w->app->provider_id,
			      &f, NULL))
		n = 0;
	arena_free(&a);
	return (int)n;
}

/* Outbox rows of a kind (NULL: any), to an address (NULL: any). */
static int
n_outbox(struct world *w, const char *kind, const char *to)
{
	struct outbox_row *r;
	struct arena a;
	size_t n;
	int k = 0;

	arena_init(&a, 0);
	if (store_outbox_list(w->app->store, &a, &r, &n, w->app->provider_id, 0,
			      NULL) == 0)
		for (size_t i = 0; i < n; i++)
			if ((kind == NULL || strcmp(r[i].kind, kind) == 0) &&
			    (to == NULL || strcmp(r[i].to_addr, to) == 0))
				k++;
	arena_free(&a);
	return k;
}

/* The one outbox row of `kind` about a ticket, copied into `a`. */
static bool
outbox_of(struct world *w, struct arena *a, const char *folio,
	  const char *kind, struct outbox_row *out)
{
	struct ticket_row t;
	struct outbox_row *r;
	size_t n;
	int found = 0;

	if (store_ticket_find(w->app->store, a, &t, w->app->provider_id, folio,
			      NULL) ||
	    store_outbox_list(w->app->store, a, &r, &n, w->app->provider_id,
			      t.id, NULL))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].kind, kind) == 0) {
			*out = r[i];
			found++;
		}
	return found == 1;
}

static bool
ticket(struct world *w, struct arena *a, const char *folio,
       struct ticket_row *t)
{
	return store_ticket_find(w->app->store, a, t, w->app->provider_id,
				 folio, NULL) == 0;
}

static bool
view(struct world *w, struct arena *a, const char *folio,
     struct ticket_view *v)
{
	return app_ticket_view(w->app, a, v, folio, NULL) == 0;
}

static int
n_messages(struct world *w, const char *folio, const char *kind)
{
	struct ticket_view v;
	struct arena a;
	int k = 0;

	arena_init(&a, 0);
	if (view(w, &a, folio, &v))
		for (size_t i = 0; i < v.nmessages; i++)
			if (kind == NULL || strcmp(v.messages[i].kind, kind) == 0)
				k++;
	arena_free(&a);
	return k;
}

static bool
raw_state(struct world *w, int64_t raw_id, char state[32],
	  int64_t *ticket_id)
{
	struct raw_mail_row r;
	struct arena a;
	bool ok;

	arena_init(&a, 0);
	ok = store_raw_mail_get(w->app->store, &a, &r, w->app->provider_id,
				raw_id, false, NULL) == 0;
	if (ok) {
		snprintf(state, 32, "%s", r.state);
		if (ticket_id)
			*ticket_id = r.ticket_id;
	}
	arena_free(&a);
	return ok;
}

/* A new request by email: a ticket with its folio, the channel, the
 * files, and the acknowledgement (INT-1, INT-5) threaded on the
 * customer's message. Intecnia: a JPG from the phone is the screenshot
 * INT-3 asks for, so the ticket is new, not waiting. */
static void
test_int3_int5_new_ticket_from_iphone_with_screenshot(void)
{
	struct world w;
	struct mail_outcome o;
	struct ticket_view v;
	struct outbox_row ack;
	struct arena *a;
	char st[32];
	int64_t tid;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "04-iphone-base64-jpg.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	CHECK_STR(o.folio, "INT-2026-00001");
	CHECK(raw_state(&w, o.raw_id, st, &tid));
	CHECK_STR(st, "processed");
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	CHECK_INT(tid, v.t.id);
	CHECK_STR(v.t.channel, "email");
	CHECK_STR(v.t.state, "new");
	CHECK_STR(v.t.subject, "No abre el módulo de nómina");
	CHECK_STR(v.contact_email, "spena@clinicadelvalle.mx");
	CHECK_INT(v.t.organization_id, w.clinica);
	CHECK_INT(v.nattachments, 1);
	CHECK_STR(v.attachments[0].filename, "IMG_0412.jpeg");
	CHECK_STR(v.attachments[0].mime, "image/jpeg");
	CHECK(v.nmessages >= 1);
	CHECK_HAS(v.messages[0].body, "al abrir el módulo de nómina");
	CHECK_STR(v.messages[0].email_message_id,
		  "8E2B7C1A-4D3F-4E6A-B9C8-7F1E2D3C4B5A@clinicadelvalle.mx");
	/* INT-5: the folio in the subject, the service level in the body. */
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));
	CHECK_STR(ack.to_addr, "spena@clinicadelvalle.mx");
	CHECK_STR(ack.state, "pending");
	CHECK_HAS(ack.subject, "[INT-2026-00001]");
	CHECK_HAS(ack.body, "Folio: INT-2026-00001");
	CHECK_HAS(ack.body, "primera respuesta en 8 horas hábiles");
	CHECK_STR(ack.in_reply_to,
		  "8E2B7C1A-4D3F-4E6A-B9C8-7F1E2D3C4B5A@clinicadelvalle.mx");
	CHECK(strncmp(ack.message_id, "soporte.intecnia.", 17) == 0);
	CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	finish();
}

/* Outlook's inline image is a screenshot too (INT-3); both files are
 * stored; the HTML-only body is the description. */
static void
test_int3_outlook_inline_image_counts_files_stored(void)
{
	struct world w;
	struct mail_outcome o;
	struct ticket_view v;
	struct arena *a;
	bool pdf = false, png = false;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "01-outlook-html-win1252.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	CHECK_STR(v.t.state, "new");
	CHECK_STR(v.t.subject, "No se puede timbrar la factura – error 301");
	CHECK_HAS(v.messages[0].body, "“Error 301 – El certificado no "
		  "corresponde”");
	CHECK_INT(v.nattachments, 2);
	for (size_t i = 0; i < v.nattachments; i++) {
		if (strcmp(v.attachments[i].filename, "Acuse cancelación.pdf") == 0)
			pdf = true;
		if (strcmp(v.attachments[i].filename, "image001.png") == 0)
			png = true;
	}
	CHECK(pdf && png);
	finish();
}

/* A reply with the folio in its subject joins the ticket: no second
 * ticket; the quote is trimmed in the ticket, kept in the raw message. */
static void
test_thread_by_folio_in_subject(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct ticket_view v;
	struct raw_mail_row raw;
	struct arena *a;
	struct buf b;
	const char *last;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "12-credential-in-body.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	CHECK(corpus(&b, "02-gmail-alternative-reply.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	/* No known Message-ID: only the folio can thread it. */
	subst(&b, "@@IRT@@", "CAJx7KqUNKNOWN0000@mail.gmail.com");
	CHECK(intake(&w, &r, "2026-03-09T11:31:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_REPLY);
	CHECK_STR(r.folio, o.folio);
	CHECK_INT(n_tickets(&w), 1);
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	last = v.messages[v.nmessages - 1].body;
	CHECK_STR(v.messages[v.nmessages - 1].author_kind, "contact");
	CHECK_STR(v.messages[v.nmessages - 1].email_message_id,
		  "CAJx7Kq2vN0dRk4=fqk_8z8vWq9mXo3pLq+Tn5c@mail.gmail.com");
	CHECK_HAS(last, "Ya reinicié la impresora térmica");
	CHECK(strstr(last, "> Recibimos") == NULL);
	/* Nothing lost: the raw message, quote included. */
	CHECK_INT(store_raw_mail_get(w.app->store, a, &raw, w.app->provider_id,
				     r.raw_id, true, NULL), 0);
	CHECK(raw.size > 0);
	CHECK(bytes_have(raw.data, (size_t)raw.size, "> Recibimos su solicitud."));
	finish();
}

/* Thunderbird's reply carries only In-Reply-To (our acknowledgement's
 * Message-ID, or the customer's own first message): it threads; an
 * unknown In-Reply-To opens a new ticket. */
static void
test_thread_by_in_reply_to_only(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct outbox_row ack;
	struct arena *a;
	struct buf b, first;

	CHECK(world(&w, "intecnia"));
	CHECK(add_contact(&w, "Abarrotes La Esperanza", "Raúl", "Muñoz",
			  "rmunoz@despachomunoz.com.mx"));
	simple_mail(&first, "=?UTF-8?Q?Ra=C3=BAl_Mu=C3=B1oz?= "
		    "<rmunoz@despachomunoz.com.mx>",
		    "5b0d1e2f-aaaa-4bbb-8ccc-0d1e2f3a4b5c@despachomunoz.com.mx",
		    "Respaldo de CONTPAQi no termina", NULL,
		    "El respaldo se queda en 97 % desde la mañana.\n");
	CHECK(intake(&w, &o, T0, &first));
	buf_free(&first);
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));

	CHECK(corpus(&b, "03-thunderbird-latin1-reply.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	subst(&b, "@@IRT@@", ack.message_id);
	CHECK(intake(&w, &r, "2026-03-09T12:15:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_REPLY);
	CHECK_STR(r.folio, o.folio);
	CHECK_INT(n_tickets(&w), 1);

	/* In-Reply-To the customer's own first message (a second reply). */
	CHECK(corpus(&b, "03-thunderbird-latin1-reply.eml"));
	subst(&b, "7c1e2f0a-", "8d2f3a1b-");
	subst(&b, "@@IRT@@",
	      "5b0d1e2f-aaaa-4bbb-8ccc-0d1e2f3a4b5c@despachomunoz.com.mx");
	CHECK(intake(&w, &r, "2026-03-09T12:20:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_REPLY);
	CHECK_STR(r.folio, o.folio);
	CHECK_INT(n_tickets(&w), 1);

	/* An In-Reply-To nobody knows and no folio: a new ticket. */
	CHECK(corpus(&b, "03-thunderbird-latin1-reply.eml"));
	subst(&b, "7c1e2f0a-", "9e3a4b2c-");
	subst(&b, "@@IRT@@", "otro-hilo-123@despachomunoz.com.mx");
	CHECK(intake(&w, &r, "2026-03-09T12:25:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_NEW_TICKET);
	CHECK(strcmp(r.folio, o.folio) != 0);
	CHECK_INT(n_tickets(&w), 2);
	finish();
}

/* The same message twice — the same bytes, or the same Message-ID with
 * another Received: line — is one message: one ticket, one ack. */
static void
test_duplicate_message_id_and_bytes(void)
{
	struct world w;
	struct mail_outcome o, d;
	struct buf b, relayed;
	char st[32];

	CHECK(world(&w, "intecnia"));
	CHECK(corpus(&b, "04-iphone-base64-jpg.eml"));
	CHECK(intake(&w, &o, T0, &b));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	CHECK(intake(&w, &d, "2026-03-09T10:05:00-06:00", &b));
	CHECK_INT(d.result, MAIL_DUPLICATE);
	CHECK_INT(d.raw_id, o.raw_id);
	buf_init(&relayed, 4 << 20);
	buf_adds(&relayed, "Received: from mx2.intecnia.com.mx (mx2.intecnia."
		 "com.mx [201.122.5.10])\n\tby mail.intecnia.com.mx (Postfix) "
		 "with ESMTPS id 4ZqR7c0Lm2z9q1;\n\tMon,  9 Mar 2026 10:06:11 "
		 "-0600 (CST)\n");
	buf_add(&relayed, b.ptr, b.len);
	buf_free(&b);
	CHECK(intake(&w, &d, "2026-03-09T10:06:00-06:00", &relayed));
	buf_free(&relayed);
	CHECK_INT(d.result, MAIL_DUPLICATE);
	CHECK(d.raw_id != o.raw_id);
	CHECK_HAS(d.reason, "8E2B7C1A-4D3F-4E6A-B9C8-7F1E2D3C4B5A@"
		  "clinicadelvalle.mx");
	CHECK(raw_state(&w, d.raw_id, st, NULL));
	CHECK_STR(st, "duplicate");
	CHECK_INT(n_tickets(&w), 1);
	CHECK_INT(n_outbox(&w, "ack", NULL), 1);
	CHECK_INT(n_messages(&w, o.folio, "public"), 1);
	finish();
}

/* A message with no Message-ID opens its ticket; the same bytes again
 * are still one message. */
static void
test_no_message_id_new_ticket_bytes_deduplicated(void)
{
	struct world w;
	struct mail_outcome o, d;
	struct outbox_row ack;
	struct arena *a;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "13-no-message-id.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	CHECK(intake_file(&w, &d, "2026-03-09T10:01:00-06:00",
			  "13-no-message-id.eml"));
	CHECK_INT(d.result, MAIL_DUPLICATE);
	CHECK_INT(n_tickets(&w), 1);
	a = scratch();
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));
	CHECK_STR(ack.to_addr, "crobles@papeleriarobles.com.mx");
	CHECK(ack.in_reply_to == NULL);
	finish();
}

/* Garbage is kept in quarantine with its reason, never dropped; retry
 * keeps it there; nothing is opened or sent. */
static void
test_garbage_quarantined_listed_retry_keeps_it(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct raw_mail_row *rows;
	struct sp_err err = { 0 };
	struct arena *a;
	size_t n;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "11-garbage.eml"));
	CHECK_INT(o.result, MAIL_QUARANTINED);
	CHECK(o.raw_id > 0);
	CHECK_HAS(o.reason, "not an RFC 5322 message");
	a = scratch();
	CHECK_INT(store_raw_mail_list(w.app->store, a, &rows, &n,
				      w.app->provider_id, "quarantined", 100,
				      NULL), 0);
	CHECK_INT(n, 1);
	CHECK_INT(rows[0].id, o.raw_id);
	CHECK_INT(rows[0].size, 700);
	CHECK_HAS(rows[0].reason, "not an RFC 5322 message");
	CHECK_INT(mail_retry(w.app, &r, fx_at("2026-03-09T11:00:00-06:00"),
			     o.raw_id, &err), 0);
	CHECK_INT(r.result, MAIL_QUARANTINED);
	CHECK_INT(store_raw_mail_list(w.app->store, a, &rows, &n,
				      w.app->provider_id, "quarantined", 100,
				      NULL), 0);
	CHECK_INT(n, 1);
	CHECK_INT(rows[0].id, o.raw_id);
	/* Delivered again: still the one kept copy. */
	CHECK(intake_file(&w, &r, "2026-03-09T11:05:00-06:00", "11-garbage.eml"));
	CHECK_INT(r.result, MAIL_DUPLICATE);
	CHECK_INT(r.raw_id, o.raw_id);
	CHECK_INT(n_tickets(&w), 0);
	CHECK_INT(n_outbox(&w, NULL, NULL), 0);
	finish();
}

/* No loops: an out-of-office, a list, a bounce and our own message come
 * back: all kept as ignored, none answered; the bounce is noted on the
 * ticket its Message-ID belongs to. */
static void
test_no_loops_auto_reply_list_bounce_own_message(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct outbox_row ack;
	struct ticket_view v;
	struct arena *a;
	struct buf b;
	char st[32];
	int64_t tid = 0;
	int msgs;
	bool noted = false;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "01-outlook-html-win1252.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));
	msgs = n_messages(&w, o.folio, NULL);

	/* Out of office, in reply to our acknowledgement. */
	CHECK(corpus(&b, "07-out-of-office.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	subst(&b, "@@OUR_ID@@", ack.message_id);
	CHECK(intake(&w, &r, "2026-03-09T11:01:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_IGNORED);
	CHECK_HAS(r.reason, "automatic reply");
	CHECK(raw_state(&w, r.raw_id, st, NULL));
	CHECK_STR(st, "ignored");
	CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	CHECK_INT(n_messages(&w, o.folio, NULL), msgs);
	CHECK(view(&w, a, o.folio, &v));
	CHECK_STR(v.t.state, "new");

	/* A mailing list to the support address: no ticket, no contact. */
	CHECK(intake_file(&w, &r, "2026-03-09T11:02:00-06:00",
			  "08-mailing-list.eml"));
	CHECK_INT(r.result, MAIL_IGNORED);
	CHECK_HAS(r.reason, "bulk");
	CHECK_INT(n_tickets(&w), 1);
	CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	{
		struct contact_row c;

		CHECK(store_contact_find(w.app->store, a, &c,
					 w.app->provider_id,
					 "boletin@contadoresunidos.org.mx",
					 NULL) != 0);
	}

	/* A bounce of our acknowledgement (Gmail's, with References). */
	CHECK(corpus(&b, "06-dsn-gmail-bounce.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	subst(&b, "@@OUR_ID@@", ack.message_id);
	CHECK(intake(&w, &r, "2026-03-09T11:03:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_IGNORED);
	CHECK_HAS(r.reason, "delivery-status");
	CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	CHECK_INT(n_tickets(&w), 1);
	CHECK(raw_state(&w, r.raw_id, st, &tid));
	CHECK_STR(st, "ignored");
	CHECK(view(&w, a, o.folio, &v));
	CHECK_INT(tid, v.t.id);
	for (size_t i = 0; i < v.nmessages; i++)
		if (strcmp(v.messages[i].kind, "internal") == 0 &&
		    strstr(v.messages[i].body, "no se entregó"))
			noted = true;
	CHECK(noted);
	CHECK_STR(v.t.state, "new");

	/* Our own acknowledgement delivered back to us. */
	{
		char *data = NULL;
		size_t len;
		struct sp_err err = { 0 };
		struct buf own;

		CHECK_INT(mime_build(&data, &len, &ack, "soporte@intecnia.com.mx",
				     "Intecnia", fx_at(T0), &err), 0);
		buf_init(&own, 1 << 20);
		buf_add(&own, data, len);
		free(data);
		CHECK(intake(&w, &r, "2026-03-09T11:04:00-06:00", &own));
		buf_free(&own);
		CHECK_INT(r.result, MAIL_IGNORED);
		CHECK_INT(n_outbox(&w, NULL, NULL), 1);
		CHECK_INT(n_tickets(&w), 1);
	}
	/* The same, forged with another From: still ours by Message-ID. */
	{
		struct buf forged;

		simple_mail(&forged, "Soporte <soporte@otro-dominio.mx>",
			    "soporte.intecnia.00112233445566778899aabb@"
			    "intecnia.com.mx", "Prueba", NULL, "hola\n");
		CHECK(intake(&w, &r, "2026-03-09T11:05:00-06:00", &forged));
		buf_free(&forged);
		CHECK_INT(r.result, MAIL_IGNORED);
		CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	}
	finish();
}

/* A bounce from our own Postfix names our Message-ID only in the
 * returned headers (text/rfc822-headers), as Postfix, Exim and Sendmail
 * do: it is still noted on the ticket it is about. */
static void
test_dsn_postfix_noted_from_returned_headers(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct outbox_row ack;
	struct ticket_view v;
	struct arena *a;
	struct buf b, first;
	bool noted = false;

	CHECK(world(&w, "intecnia"));
	CHECK(add_contact(&w, "Abarrotes La Esperanza", "Ventas", NULL,
			  "ventas@papeleriarobles.com.mx"));
	simple_mail(&first, "Ventas <ventas@papeleriarobles.com.mx>",
		    "a1b2c3d4@papeleriarobles.com.mx",
		    "La terminal no cobra con tarjeta", NULL,
		    "Desde ayer la terminal rechaza todas las tarjetas.\n");
	CHECK(intake(&w, &o, T0, &first));
	buf_free(&first);
	a = scratch();
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));
	CHECK(corpus(&b, "06b-dsn-postfix-headers-only.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	subst(&b, "@@OUR_ID@@", ack.message_id);
	CHECK(intake(&w, &r, "2026-03-09T11:20:05-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_IGNORED);
	CHECK_INT(n_outbox(&w, NULL, NULL), 1);
	CHECK(view(&w, a, o.folio, &v));
	for (size_t i = 0; i < v.nmessages; i++)
		if (strcmp(v.messages[i].kind, "internal") == 0 &&
		    strstr(v.messages[i].body, "no se entregó"))
			noted = true;
	CHECK(noted);
	finish();
}

/* SLA-3: the customer's emailed answer on a ticket waiting on them
 * (Intecnia, screenshot missing) reopens it and the clock resumes. */
static void
test_sla3_reply_on_waiting_ticket_resumes_clock(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct sla_status st;
	struct ticket_row t;
	struct arena *a;
	struct buf b;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "12-credential-in-body.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(ticket(&w, a, o.folio, &t));
	CHECK_STR(t.state, "waiting_customer");
	CHECK_INT(app_ticket_sla(w.app, &st, &t,
				 fx_at("2026-03-09T11:00:00-06:00"), NULL), 0);
	CHECK_INT(st.first_response.state, SLA_PAUSED);
	CHECK_INT(st.first_response.due, 0);
	/* The answer, from a colleague's address of the same customer. */
	CHECK(corpus(&b, "02-gmail-alternative-reply.eml"));
	subst(&b, "@@FOLIO@@", o.folio);
	subst(&b, "@@IRT@@", "CAJx7KqUNKNOWN0000@mail.gmail.com");
	CHECK(intake(&w, &r, "2026-03-09T11:30:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_REPLY);
	CHECK(ticket(&w, a, o.folio, &t));
	CHECK_STR(t.state, "open");
	CHECK_INT(app_ticket_sla(w.app, &st, &t,
				 fx_at("2026-03-09T12:00:00-06:00"), NULL), 0);
	CHECK_INT(st.first_response.state, SLA_RUNNING);
	/* Counted from 11:30 only: 30 minutes at noon; 8 business hours
	 * end Tuesday 11:30 (11:30-14:00, 16:00-19:00, 09:00-11:30). */
	CHECK_INT(st.first_response.elapsed, 30 * 60);
	CHECK_INT(st.first_response.due, fx_at("2026-03-10T11:30:00-06:00"));
	finish();
}

/* INT-2 (Impera): email is no official channel: the request is answered
 * with instructions and no ticket; an unknown sender is refused too
 * (the pack's reply_instructions), with no contact created. */
static void
test_int2_impera_email_refused_with_instructions(void)
{
	struct world w;
	struct mail_outcome o;
	struct outbox_row *r;
	struct contact_row c;
	struct arena *a;
	size_t n;
	char st[32];

	CHECK(world(&w, "impera"));
	CHECK(intake_file(&w, &o, T0, "04-iphone-base64-jpg.eml"));
	CHECK_INT(o.result, MAIL_REFUSED);
	CHECK_HAS(o.reason, "INT-2");
	CHECK(o.folio[0] == '\0');
	CHECK(raw_state(&w, o.raw_id, st, NULL));
	CHECK_STR(st, "refused");
	CHECK_INT(n_tickets(&w), 0);
	a = scratch();
	CHECK_INT(store_outbox_list(w.app->store, a, &r, &n,
				    w.app->provider_id, 0, NULL), 0);
	CHECK_INT(n, 1);
	CHECK_STR(r[0].kind, "instructions");
	CHECK_STR(r[0].to_addr, "spena@clinicadelvalle.mx");
	CHECK_HAS(r[0].body, "sistema de tickets");
	CHECK_STR(r[0].in_reply_to,
		  "8E2B7C1A-4D3F-4E6A-B9C8-7F1E2D3C4B5A@clinicadelvalle.mx");
	CHECK_HAS(r[0].subject, "No abre el módulo de nómina");

	CHECK(intake_file(&w, &o, "2026-03-09T10:30:00-06:00",
			  "09-encoded-words.eml"));
	CHECK_INT(o.result, MAIL_REFUSED);
	CHECK_HAS(o.reason, "unknown sender");
	CHECK_INT(n_tickets(&w), 0);
	CHECK_INT(n_outbox(&w, "instructions", "igomez@talleresgomez.com.mx"), 1);
	CHECK(store_contact_find(w.app->store, a, &c, w.app->provider_id,
				 "igomez@talleresgomez.com.mx", NULL) != 0);
	finish();
}

/* Intecnia's pack creates a pending contact for an unknown sender, with
 * the decoded name and no organization; the ticket waits on the
 * screenshot INT-3 asks for and the ack says so. */
static void
test_unknown_sender_intecnia_creates_contact(void)
{
	struct world w;
	struct mail_outcome o;
	struct contact_row c;
	struct ticket_row t;
	struct outbox_row ack;
	struct arena *a;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "09-encoded-words.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK_INT(store_contact_find(w.app->store, a, &c, w.app->provider_id,
				     "igomez@talleresgomez.com.mx", NULL), 0);
	CHECK_STR(c.name, "Iñaki Gómez Peña");
	CHECK_INT(c.organization_id, 0);
	CHECK(ticket(&w, a, o.folio, &t));
	CHECK_INT(t.contact_id, c.id);
	CHECK_STR(t.state, "waiting_customer");
	CHECK_STR(t.subject, "Instalación de cámaras IP en bodega");
	CHECK(outbox_of(&w, a, o.folio, "ack", &ack));
	CHECK_STR(ack.to_addr, "igomez@talleresgomez.com.mx");
	CHECK_HAS(ack.body, "capturas de pantalla");
	/* The same sender again: the same contact, not a second one. */
	{
		struct mail_outcome o2;
		struct buf b;
		struct ticket_row t2;

		simple_mail(&b, "=?UTF-8?B?ScOxYWtpIEfDs21leiBQZcOxYQ==?= "
			    "<igomez@talleresgomez.com.mx>",
			    "f3a9c1b2-otro@talleresgomez.com.mx",
			    "Otra cosa: el DVR no enciende", NULL,
			    "Tampoco enciende el DVR.\n");
		CHECK(intake(&w, &o2, "2026-03-09T10:40:00-06:00", &b));
		buf_free(&b);
		CHECK_INT(o2.result, MAIL_NEW_TICKET);
		CHECK(ticket(&w, a, o2.folio, &t2));
		CHECK_INT(t2.contact_id, c.id);
	}
	finish();
}

/* SCH-7: a password the customer mailed is kept on the ticket for the
 * agents, and appears in no outbox message: not in the ack, and masked
 * when an agent's reply quotes it. */
static void
test_sch7_credential_never_in_outbox(void)
{
	struct world w;
	struct mail_outcome o;
	struct ticket_view v;
	struct outbox_row *r;
	struct sp_err err = { 0 };
	struct arena *a;
	size_t n;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "12-credential-in-body.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	CHECK_HAS(v.messages[0].body, "Contraseña: Xy12!");
	CHECK_INT(app_ticket_reply(w.app, fx_at("2026-03-09T10:30:00-06:00"),
				   &w.agent, o.folio, "Entramos con el ID 482 "
				   "915 337 y Contraseña: Xy12! y ya quedó. Le "
				   "recomendamos cambiarla.", false, &err), 0);
	CHECK_INT(store_outbox_list(w.app->store, a, &r, &n,
				    w.app->provider_id, 0, NULL), 0);
	CHECK(n >= 2);
	for (size_t i = 0; i < n; i++) {
		CHECK(strstr(r[i].body, "Xy12!") == NULL);
		CHECK(strstr(r[i].subject, "Xy12!") == NULL);
	}
	{
		bool masked = false;

		for (size_t i = 0; i < n; i++)
			if (strstr(r[i].body, "Contraseña: ********"))
				masked = true;
		CHECK(masked);
	}
	finish();
}

/* SCH-7: a credential in the subject is not echoed in the ack's subject
 * either (the ack quotes the subject twice). */
static void
test_sch7_credential_in_subject_not_echoed(void)
{
	struct world w;
	struct mail_outcome o;
	struct outbox_row *r;
	struct arena *a;
	struct buf b;
	size_t n;

	CHECK(world(&w, "intecnia"));
	simple_mail(&b, "=?UTF-8?Q?Jos=C3=A9_=C3=81ngel_Ram=C3=ADrez?= "
		    "<jramirez@laesperanza.com.mx>",
		    "CAH3q9xZ-subject-pw@mail.laesperanza.com.mx",
		    "=?UTF-8?Q?Acceso_AnyDesk_482915337_contrase=C3=B1a:_Xy12!?=",
		    NULL, "Ya pueden entrar.\n");
	CHECK(intake(&w, &o, T0, &b));
	buf_free(&b);
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK_INT(store_outbox_list(w.app->store, a, &r, &n,
				    w.app->provider_id, 0, NULL), 0);
	CHECK_INT(n, 1);
	CHECK(strstr(r[0].body, "Xy12!") == NULL);
	CHECK(strstr(r[0].subject, "Xy12!") == NULL);
	finish();
}

/* Auto-replies to one address are limited: seven requests within an
 * hour from one (unknown, then created) sender open seven tickets, and
 * at most five acknowledgements are queued to it. */
static void
test_auto_replies_rate_limited_per_sender(void)
{
	struct world w;
	char mid[80], subject[80], at[40];

	CHECK(world(&w, "intecnia"));
	for (int i = 0; i < 7; i++) {
		struct mail_outcome o;
		struct buf b;

		snprintf(mid, sizeof mid, "req-%d.7f3a@tortilleriasanjuan.com.mx",
			 i);
		snprintf(subject, sizeof subject, "Falla %d en la báscula", i);
		snprintf(at, sizeof at, "2026-03-09T10:%02d:00-06:00", i * 5);
		simple_mail(&b, "Tortillería San Juan "
			    "<pedidos@tortilleriasanjuan.com.mx>", mid,
			    subject, NULL, "La báscula no marca el peso.\n");
		CHECK(intake(&w, &o, at, &b));
		buf_free(&b);
		CHECK_INT(o.result, MAIL_NEW_TICKET);
	}
	CHECK_INT(n_tickets(&w), 7);
	CHECK(n_outbox(&w, "ack", "pedidos@tortilleriasanjuan.com.mx") >= 1);
	CHECK(n_outbox(&w, "ack", "pedidos@tortilleriasanjuan.com.mx") <= 5);
	finish();
}

/* The same limit on Impera's instructions: a robot writing seven times
 * within an hour hears back at most five times; every message is kept. */
static void
test_auto_replies_rate_limited_instructions_impera(void)
{
	struct world w;
	struct raw_mail_row *rows;
	char mid[80], at[40];
	size_t n;

	CHECK(world(&w, "impera"));
	for (int i = 0; i < 7; i++) {
		struct mail_outcome o;
		struct buf b;

		snprintf(mid, sizeof mid, "alerta-%d@monitor.hotelcholula.mx", i);
		snprintf(at, sizeof at, "2026-03-09T10:%02d:00-06:00", i * 5);
		simple_mail(&b, "Monitor <alertas@monitor.hotelcholula.mx>", mid,
			    "El sitio no responde", NULL,
			    "El sitio www.hotelcholula.mx no responde.\n");
		CHECK(intake(&w, &o, at, &b));
		buf_free(&b);
		CHECK_INT(o.result, MAIL_REFUSED);
	}
	CHECK(n_outbox(&w, "instructions",
		       "alertas@monitor.hotelcholula.mx") >= 1);
	CHECK(n_outbox(&w, "instructions",
		       "alertas@monitor.hotelcholula.mx") <= 5);
	CHECK_INT(store_raw_mail_list(w.app->store, scratch(), &rows, &n,
				      w.app->provider_id, "refused", 100, NULL), 0);
	CHECK_INT(n, 7);
	finish();
}

/* Too many files: the 32 kept are on the ticket. */
static void
test_forty_attachments_32_on_ticket(void)
{
	struct world w;
	struct mail_outcome o;
	struct ticket_view v;
	struct arena *a;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "14-forty-attachments.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	CHECK_INT(v.nattachments, MIME_MAX_FILES);
	/* The eight left out are not silent: the agent sees a note. */
	{
		bool noted = false;

		for (size_t i = 0; i < v.nmessages; i++)
			if (strcmp(v.messages[i].kind, "internal") == 0 &&
			    strstr(v.messages[i].body, "8 email attachment(s)"))
				noted = true;
		CHECK(noted);
	}
	finish();
}

/* A forwarded message: its text is the request's description. */
static void
test_forwarded_message_is_the_description(void)
{
	struct world w;
	struct mail_outcome o;
	struct ticket_view v;
	struct arena *a;

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "05-forwarded-rfc822.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	a = scratch();
	CHECK(view(&w, a, o.folio, &v));
	CHECK_HAS(v.messages[0].body, "Les reenvío el aviso");
	CHECK_HAS(v.messages[0].body, "código CFDI40147");
	finish();
}

/* CLO-3 (EASI): a reply inside the 3 business days after resolution
 * reopens the ticket; after the window (closed by tick) it opens a new
 * ticket linked to the old one, which stays closed. */
static void
test_clo3_easi_reply_after_window_new_linked_ticket(void)
{
	struct world w;
	struct mail_outcome a1, a2, r;
	struct ticket_row t, n;
	struct tick_report tr;
	struct sp_err err = { 0 };
	struct arena *a;
	struct buf b;
	char subject[120];

	CHECK(world(&w, "easi"));
	simple_mail(&b, "Sofía Peña <spena@clinicadelvalle.mx>",
		    "clo3-a@clinicadelvalle.mx", "No timbra la nómina", NULL,
		    "Error al timbrar la nómina de la quincena.\n");
	CHECK(intake(&w, &a1, "2026-03-11T09:00:00-06:00", &b));
	buf_free(&b);
	simple_mail(&b, "Sofía Peña <spena@clinicadelvalle.mx>",
		    "clo3-b@clinicadelvalle.mx", "No abre el XML", NULL,
		    "El visor de XML no abre.\n");
	CHECK(intake(&w, &a2, "2026-03-11T09:05:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(a1.result, MAIL_NEW_TICKET);
	CHECK_INT(a2.result, MAIL_NEW_TICKET);
	CHECK_HAS(a1.folio, "EASI-2603-");
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, a1.folio, TA_RESOLVE, NULL, &err), 0);
	CHECK_INT(app_ticket_act(w.app, fx_at("2026-03-12T12:00:00-06:00"),
				 &w.agent, a2.folio, TA_RESOLVE, NULL, &err), 0);
	/* Inside the window (Tuesday; Monday 16 is a holiday): reopened. */
	snprintf(subject, sizeof subject, "RE: [%s] No abre el XML", a2.folio);
	simple_mail(&b, "Sofía Peña <spena@clinicadelvalle.mx>",
		    "clo3-c@clinicadelvalle.mx", subject, NULL,
		    "Volvió a fallar.\n");
	CHECK(intake(&w, &r, "2026-03-17T10:00:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_REPLY);
	CHECK_STR(r.folio, a2.folio);
	a = scratch();
	CHECK(ticket(&w, a, a2.folio, &t));
	CHECK_STR(t.state, "open");
	/* Past the window: closed by tick, then a new linked ticket. */
	CHECK_INT(app_tick(w.app, &tr, fx_at("2026-03-18T12:00:00-06:00"),
			   &err), 0);
	CHECK(ticket(&w, a, a1.folio, &t));
	CHECK_STR(t.state, "closed");
	snprintf(subject, sizeof subject, "RE: [%s] No timbra la nómina",
		 a1.folio);
	simple_mail(&b, "Sofía Peña <spena@clinicadelvalle.mx>",
		    "clo3-d@clinicadelvalle.mx", subject, NULL,
		    "Volvió a salir el error de timbrado.\n");
	CHECK(intake(&w, &r, "2026-03-20T10:00:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_NEW_TICKET);
	CHECK(strcmp(r.folio, a1.folio) != 0);
	CHECK(ticket(&w, a, r.folio, &n));
	CHECK_INT(n.parent_id, t.id);
	CHECK_STR(n.channel, "email");
	CHECK(ticket(&w, a, a1.folio, &t));
	CHECK_STR(t.state, "closed");
	CHECK_INT(n_tickets(&w), 3);
	finish();
}

/* PRIV-2: a folio of another customer's ticket threads nothing. */
static void
test_foreign_folio_does_not_thread(void)
{
	struct world w;
	struct mail_outcome o, r;
	struct buf b;
	char subject[120];

	CHECK(world(&w, "intecnia"));
	CHECK(intake_file(&w, &o, T0, "04-iphone-base64-jpg.eml"));
	CHECK_INT(o.result, MAIL_NEW_TICKET);
	snprintf(subject, sizeof subject, "RE: [%s] otra cosa", o.folio);
	simple_mail(&b, "Begoña <bibanez@constructoraibz.com.mx>",
		    "foreign-1@constructoraibz.com.mx", subject, NULL,
		    "Hola.\n");
	CHECK(intake(&w, &r, "2026-03-09T10:10:00-06:00", &b));
	buf_free(&b);
	CHECK_INT(r.result, MAIL_NEW_TICKET);
	CHECK(strcmp(r.folio, o.folio) != 0);
	CHECK_INT(n_messages(&w, o.folio, "public"), 1);
	/* The foreign folio is passed over, not the message: its
	 * In-Reply-To still threads it to the sender's own ticket. */
	{
		struct mail_outcome again;

		simple_mail(&b, "Begoña <bibanez@constructoraibz.com.mx>",
			    "foreign-2@constructoraibz.com.mx", subject,
			    "In-Reply-To: <foreign-1@constructoraibz.com.mx>\n",
			    "Sigo con lo mismo.\n");
		CHECK(intake(&w, &again, "2026-03-09T10:20:00-06:00", &b));
		buf_free(&b);
		CHECK_INT(again.result, MAIL_REPLY);
		CHECK_STR(again.folio, r.folio);
		CHECK_INT(n_messages(&w, o.folio, "public"), 1);
	}
	finish();
}

const struct test mail_tests[] = {
	{ "mime_outlook_win1252_html_only_inline_image_attachment",
	  test_mime_outlook_win1252_html_only_inline_image_attachment },
	{ "mime_gmail_alternative_text_preferred_quote_trimmed",
	  test_mime_gmail_alternative_text_preferred_quote_trimmed },
	{ "mime_thunderbird_latin1_qp_reply", test_mime_thunderbird_latin1_qp_reply },
	{ "mime_iphone_base64_utf8_jpg", test_mime_iphone_base64_utf8_jpg },
	{ "mime_forwarded_message_text_present",
	  test_mime_forwarded_message_text_present },
	{ "mime_encoded_words_from_and_subject",
	  test_mime_encoded_words_from_and_subject },
	{ "mime_malformed_headers_still_readable",
	  test_mime_malformed_headers_still_readable },
	{ "mime_garbage_is_not_a_message", test_mime_garbage_is_not_a_message },
	{ "mime_loop_flags_dsn_auto_bulk", test_mime_loop_flags_dsn_auto_bulk },
	{ "mime_forty_attachments_32_kept", test_mime_forty_attachments_32_kept },
	{ "mime_android_png_screenshot", test_mime_android_png_screenshot },
	{ "mime_crlf_reads_like_lf", test_mime_crlf_reads_like_lf },
	{ "mime_trim_quotes_and_html_helpers",
	  test_mime_trim_quotes_and_html_helpers },
	{ "int3_int5_new_ticket_from_iphone_with_screenshot",
	  test_int3_int5_new_ticket_from_iphone_with_screenshot },
	{ "int3_outlook_inline_image_counts_files_stored",
	  test_int3_outlook_inline_image_counts_files_stored },
	{ "thread_by_folio_in_subject", test_thread_by_folio_in_subject },
	{ "thread_by_in_reply_to_only", test_thread_by_in_reply_to_only },
	{ "duplicate_message_id_and_bytes", test_duplicate_message_id_and_bytes },
	{ "no_message_id_new_ticket_bytes_deduplicated",
	  test_no_message_id_new_ticket_bytes_deduplicated },
	{ "garbage_quarantined_listed_retry_keeps_it",
	  test_garbage_quarantined_listed_retry_keeps_it },
	{ "no_loops_auto_reply_list_bounce_own_message",
	  test_no_loops_auto_reply_list_bounce_own_message },
	{ "dsn_postfix_noted_from_returned_headers",
	  test_dsn_postfix_noted_from_returned_headers },
	{ "sla3_reply_on_waiting_ticket_resumes_clock",
	  test_sla3_reply_on_waiting_ticket_resumes_clock },
	{ "int2_impera_email_refused_with_instructions",
	  test_int2_impera_email_refused_with_instructions },
	{ "unknown_sender_intecnia_creates_contact",
	  test_unknown_sender_intecnia_creates_contact },
	{ "sch7_credential_never_in_outbox", test_sch7_credential_never_in_outbox },
	{ "sch7_credential_in_subject_not_echoed",
	  test_sch7_credential_in_subject_not_echoed },
	{ "auto_replies_rate_limited_per_sender",
	  test_auto_replies_rate_limited_per_sender },
	{ "auto_replies_rate_limited_instructions_impera",
	  test_auto_replies_rate_limited_instructions_impera },
	{ "forty_attachments_32_on_ticket", test_forty_attachments_32_on_ticket },
	{ "forwarded_message_is_the_description",
	  test_forwarded_message_is_the_description },
	{ "clo3_easi_reply_after_window_new_linked_ticket",
	  test_clo3_easi_reply_after_window_new_linked_ticket },
	{ "foreign_folio_does_not_thread", test_foreign_folio_does_not_thread },
	{ 0 },
};
