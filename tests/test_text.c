/* test_text.c — knowledge-base Markdown as safe HTML, and the topic
 * words behind the duplicate warning (INT-4). Pure. */
#include "test.h"

#include "../src/core/topic.h"
#include "../src/util/i18n.h"
#include "../src/util/markdown.h"

#include <stdlib.h>
#include <string.h>

static char *
md(const char *src)
{
	struct buf b;
	size_t n;

	buf_init(&b, 1 << 20);
	if (markdown_html(&b, src, strlen(src)) || buf_addc(&b, '\0')) {
		buf_free(&b);
		return strdup("(full)");
	}
	return buf_detach(&b, &n);
}

#define MD(src, want)                                                   \
	do {                                                            \
		char *got_ = md(src);                                   \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

static void
test_markdown_blocks_and_marks(void)
{
	MD("# Timbrado\n\nSi el **PAC** no responde, *espere* 5 minutos.",
	   "<h2>Timbrado</h2><p>Si el <strong>PAC</strong> no responde, "
	   "<em>espere</em> 5 minutos.</p>");
	MD("Pasos:\n\n1. Abra `Configuración`\n2. Elija *Timbrado*\n\n- uno\n- dos",
	   "<p>Pasos:</p><ol><li>Abra <code>Configuración</code></li><li>Elija "
	   "<em>Timbrado</em></li></ol><ul><li>uno</li><li>dos</li></ul>");
	MD("```\nif (a < b) **x**\n```\ndespués",
	   "<pre><code>if (a &lt; b) **x**\n</code></pre><p>después</p>");
	MD("> Nota: reinicie\n> el servicio",
	   "<blockquote>Nota: reinicie<br>el servicio<br></blockquote>");
	MD("Vea [la guía](https://soporte.example/guia?a=1&b=2) o [aquí](/kb/x).",
	   "<p>Vea <a rel=\"nofollow noopener\" href=\"https://soporte.example/"
	   "guia?a=1&amp;b=2\">la guía</a> o <a rel=\"nofollow noopener\" "
	   "href=\"/kb/x\">aquí</a>.</p>");
	/* Unclosed marks are text; an escaped star is a star. */
	MD("2 * 3 = 6 y \\*no\\* es énfasis [sin cierre",
	   "<p>2 * 3 = 6 y *no* es énfasis [sin cierre</p>");
	MD("línea uno\r\nlínea dos", "<p>línea uno\nlínea dos</p>");
}

/* Nothing in an article can open a tag or run script: raw HTML is text
 * and links keep their href only for http(s), mailto or this site. */
static void
test_markdown_is_inert(void)
{
	MD("<script>alert(1)</script>",
	   "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	MD("<img src=x onerror=alert(1)> \"'",
	   "<p>&lt;img src=x onerror=alert(1)&gt; &quot;&#39;</p>");
	MD("[clic](javascript:alert(1))", "<p>clic)</p>");
	MD("[clic](JaVaScRiPt:alert`1`)", "<p>clic</p>");
	MD("[clic](data:text/html;base64,PHNjcmlwdD4=)", "<p>clic</p>");
	MD("[clic](//evil.example/x)", "<p>clic</p>");
	MD("[clic](https://x.example/\"onmouseover=alert(1))",
	   "<p>clic)</p>");
	MD("[**<b>x</b>**](/ok)", "<p><a rel=\"nofollow noopener\" href=\"/ok\">"
	   "<strong>&lt;b&gt;x&lt;/b&gt;</strong></a></p>");
	MD("`<script>`", "<p><code>&lt;script&gt;</code></p>");
	/* Deep nesting is cut off, not followed without end. */
	{
		char src[400], *got;

		memset(src, 0, sizeof src);
		for (int i = 0; i < 60; i++)
			strcat(src, "[");
		strcat(src, "x");
		for (int i = 0; i < 60; i++)
			strcat(src, "](/a)");
		got = md(src);
		CHECK(strncmp(got, "<p>", 3) == 0);
		CHECK(strstr(got, "<script") == NULL);
		free(got);
	}
}

static void
test_markdown_excerpt_plain_and_whole_characters(void)
{
	struct buf b;

	buf_init(&b, 4096);
	{
		const char *src = "# Título\n\n**Ñandú** <b>";

		CHECK_INT(markdown_excerpt(&b, src, strlen(src), 100), 0);
	}
	buf_addc(&b, '\0');
	CHECK_STR(b.ptr, "Título Ñandú &lt;b");
	buf_reset(&b);
	/* Cut after 5 characters, never inside the two bytes of "ñ". */
	CHECK_INT(markdown_excerpt(&b, "añañañ", 9, 5), 0);
	buf_addc(&b, '\0');
	CHECK_STR(b.ptr, "añaña…");
	buf_free(&b);
}

/* INT-4: likely duplicates share their topic words, whatever the
 * accents, case, inflection or filler words. */
static void
test_topic_same_int4(void)
{
	struct topic a, b;

	topic_of(&a, "No timbra la factura");
	CHECK_INT(a.n, 2);
	CHECK_STR(a.w[0], "timbra");
	CHECK_STR(a.w[1], "factur");
	topic_of(&b, "URGENTE: error al timbrar facturas");
	CHECK(topic_same(&a, &b));
	topic_of(&b, "Facturación: no puedo timbrar");
	CHECK(topic_same(&a, &b));
	topic_of(&b, "La impresora no imprime la factura");
	CHECK(!topic_same(&a, &b));
	topic_of(&a, "Actualización de CONTPAQi Nóminas");
	topic_of(&b, "actualizacion contpaqi nominas");
	CHECK(topic_same(&a, &b));
	topic_of(&a, "Respaldo");
	topic_of(&b, "respaldos");
	CHECK(topic_same(&a, &b));
	topic_of(&b, "Hola, ayuda por favor");
	CHECK_INT(b.n, 0);
	CHECK(!topic_same(&a, &b));
	/* Every stop word is found, first to last of the (binary-searched)
	 * list, in any case; a word that only starts like one is kept. */
	topic_of(&b, "And ANTE ayuda problema Problem urgente YOUR you");
	CHECK_INT(b.n, 0);
	topic_of(&b, "andamio problemas");
	CHECK_INT(b.n, 2);
	/* Quotes and FTS syntax in a subject are only separators. */
	topic_of(&a, "\"x\" OR NEAR(a b) *");
	CHECK_INT(a.n, 1);
	CHECK_STR(a.w[0], "near");
	/* Bytes that are not UTF-8 separate words, they do not crash. */
	topic_of(&a, "caf\xc3 \xff\xfe impresora\xe2\x82\xac");
	CHECK_INT(a.n, 2);
	CHECK_STR(a.w[1], "impres");
}

/* The language of a person or a browser, and dates as each writes them. */
static void
test_i18n_lang_and_datetime(void)
{
	char out[40];

	CHECK_STR(i18n_lang("en-US,en;q=0.9,es;q=0.8"), "en");
	CHECK_STR(i18n_lang("es-MX, en;q=0.5"), "es");
	CHECK_STR(i18n_lang("fr-FR, en;q=0.5"), "en");
	CHECK_STR(i18n_lang("eng, esperanto"), "es");
	CHECK_STR(i18n_lang(NULL), "es");
	CHECK_STR(i18n_lang(""), "es");
	/* 2026-11-23 15:05 on the provider's wall clock. */
	CHECK_STR(i18n_datetime("es", 1795446300, out), "23/11/2026 15:05");
	CHECK_STR(i18n_datetime("en", 1795446300, out), "Nov 23, 2026, 3:05 PM");
	CHECK_STR(i18n_datetime("en", 1795392000, out), "Nov 23, 2026, 12:00 AM");
	CHECK_STR(i18n_date("es", 1795446300, out), "23/11/2026");
	CHECK_STR(i18n_date("en", 1795446300, out), "Nov 23, 2026");
	/* Before the epoch, the day is still the one the clock shows. */
	CHECK_STR(i18n_date("es", -1, out), "31/12/1969");
	/* Spanish is the source: the message itself; an unknown message
	 * in English stays as written rather than vanishing. */
	CHECK_STR(i18n_text("es", "Cola"), "Cola");
	CHECK_STR(i18n_text("en", "no existe en el catálogo"),
		  "no existe en el catálogo");
}

const struct test text_tests[] = {
	{ "i18n_lang_and_datetime", test_i18n_lang_and_datetime },
	{ "markdown_blocks_and_marks", test_markdown_blocks_and_marks },
	{ "markdown_is_inert", test_markdown_is_inert },
	{ "markdown_excerpt_plain_and_whole_characters",
	  test_markdown_excerpt_plain_and_whole_characters },
	{ "topic_same_int4", test_topic_same_int4 },
	{ 0 },
};
