/* test_svg.c — the chart writer (util/svg.h): what it emits is parsed
 * back, checked well-formed (balanced tags, quoted attributes, only
 * known entities), its labels escaped, and its bars measured against
 * the values they stand for. */
#include "../src/util/err.h"
#include "../src/util/svg.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <stdbool.h>
#include <strings.h>

/* Well-formed enough for an XML parser: every tag closed in order,
 * attributes quoted, no '<' inside them, '&' only as an entity.
 * Returns NULL or what is wrong. */
static const char *
wellformed(const char *s)
{
	const char *stack[64];
	size_t len[64], depth = 0;
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;",
					    "&#39;" };

	while (*s) {
		if (*s == '&') {
			size_t i;

			for (i = 0; i < 5; i++)
				if (strncmp(s, ents[i], strlen(ents[i])) == 0)
					break;
			if (i == 5)
				return "a bare &";
			s += strlen(ents[i]);
			continue;
		}
		if (*s == '>')
			return "a bare >";
		if (*s != '<') {
			s++;
			continue;
		}
		if (s[1] == '/') {
			const char *n = s + 2;
			size_t k = strcspn(n, ">");

			if (depth == 0 || k != len[depth - 1] ||
			    strncmp(n, stack[depth - 1], k) != 0)
				return "a closing tag that does not match";
			depth--;
			s = n + k + (n[k] ? 1 : 0);
			continue;
		}
		{
			const char *n = s + 1;
			size_t k = strcspn(n, " />");
			const char *p = n + k;
			bool self = false;

			if (k == 0)
				return "a tag without a name";
			for (;;) {
				while (*p == ' ')
					p++;
				if (*p == '>')
					break;
				if (p[0] == '/' && p[1] == '>') {
					self = true;
					p++;
					break;
				}
				/* name="value" */
				p += strcspn(p, "=> ");
				if (*p != '=' || p[1] != '"')
					return "an attribute without quotes";
				p += 2;
				for (; *p && *p != '"'; p++)
					if (*p == '<')
						return "a < inside an attribute";
				if (*p != '"')
					return "an attribute not closed";
				p++;
			}
			if (!self) {
				if (depth == 64)
					return "too deep";
				stack[depth] = n;
				len[depth++] = k;
			}
			s = p + 1;
		}
	}
	return depth ? "a tag left open" : NULL;
}

/* The value of attribute `name` in the tag that starts at `tag`. */
static double
attr(const char *tag, const char *name)
{
	char key[40];
	const char *end = strchr(tag, '>'), *p;

	snprintf(key, sizeof key, " %s=\"", name);
	p = strstr(tag, key);
	if (p == NULL || (end && p > end))
		return NAN;
	return strtod(p + strlen(key), NULL);
}

struct bar {
	double x, y, w, h, v;
};

/* Every segment (a <rect> with data-value), in order. */
static size_t
bars(const char *svg, struct bar *out, size_t max)
{
	size_t n = 0;

	for (const char *p = strstr(svg, "<rect "); p && n < max;
	     p = strstr(p + 1, "<rect ")) {
		double v = attr(p, "data-value");

		if (isnan(v))
			continue;
		out[n++] = (struct bar){ attr(p, "x"), attr(p, "y"),
					 attr(p, "width"), attr(p, "height"),
					 v };
	}
	return n;
}

/* Markup that would run or fetch something: a script element (in any
 * case), an on* handler attribute, a link. */
static bool
active(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, "<script", 7) == 0 ||
		    strncasecmp(p, "href", 4) == 0 ||
		    strncasecmp(p, "url(", 4) == 0)
			return true;
		if (p[0] == ' ' && p[1] == 'o' && p[2] == 'n') {
			const char *q = p + 3;

			while (*q >= 'a' && *q <= 'z')
				q++;
			if (q > p + 3 && *q == '=')
				return true;
		}
	}
	return false;
}

static void
test_svg_bars_wellformed_escaped_accessible(void)
{
	static const char *const months[] = { "2026-09", "<script>", "a & b" };
	static const char *const prios[] = { "\"quoted\"", "it's" };
	static const char *const stacks[] = { "met", "breached", "<b>open</b>" };
	double v[3 * 2 * 3];
	struct svg_chart c = {
		.id = "sla-fr", .title = "SLA <title>", .desc = "Desc & more",
		.groups = months, .ngroups = 3, .bars = prios, .nbars = 2,
		.stacks = stacks, .nstacks = 3, .values = v, .unit = "tickets",
		.caption = "Order: <i>left</i> to right",
	};
	struct buf b;
	const char *bad;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		v[i] = (double)(i % 4);
	buf_init(&b, 1 << 20);
	CHECK_INT(svg_bars(&b, &c), 0);
	bad = wellformed(b.ptr);
	if (bad) {
		t_fail(__FILE__, __LINE__, "%s:\n%s", bad, b.ptr);
		buf_free(&b);
		return;
	}
	CHECK(strncmp(b.ptr, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "viewBox=\"0 0 720 320\"", 61) == 0);
	CHECK_HAS(b.ptr, "role=\"img\" aria-labelledby=\"sla-fr-title "
		  "sla-fr-desc\"");
	CHECK_HAS(b.ptr, "<title id=\"sla-fr-title\">SLA &lt;title&gt;</title>");
	CHECK_HAS(b.ptr, "<desc id=\"sla-fr-desc\">Desc &amp; more</desc>");
	/* Labels are text, never markup. */
	CHECK_HAS(b.ptr, "&lt;script&gt;");
	CHECK_HAS(b.ptr, "a &amp; b");
	CHECK_HAS(b.ptr, "&quot;quoted&quot;");
	CHECK_HAS(b.ptr, "it&#39;s");
	CHECK_HAS(b.ptr, "&lt;b&gt;open&lt;/b&gt;");
	CHECK_HAS(b.ptr, ">Order: &lt;i&gt;left&lt;/i&gt; to right</text>");
	/* Nothing runs and nothing is fetched. */
	CHECK(!active(b.ptr));
	/* A segment names its group, bar and segment in its title. */
	CHECK_HAS(b.ptr, "<title>&lt;script&gt; · it&#39;s · breached: ");
	CHECK_HAS(b.ptr, "tickets</title>");
	CHECK(strstr(b.ptr, "</svg>") == b.ptr + b.len - 6);
	buf_free(&b);
}

static void
test_svg_bars_heights_proportional_and_stacked(void)
{
	static const char *const groups[] = { "ene", "feb", "mar", "abr" };
	static const char *const stacks[] = { "a", "b" };
	static const double v[] = { 3, 1, 0, 7, 2.5, 5, 10, 0 };
	struct svg_chart c = {
		.id = "p", .title = "t", .desc = "d", .groups = groups,
		.ngroups = 4, .nbars = 1, .stacks = stacks, .nstacks = 2,
		.values = v,
	};
	struct bar r[16];
	struct buf b;
	double k = 0;
	size_t n;

	buf_init(&b, 1 << 20);
	CHECK_INT(svg_bars(&b, &c), 0);
	CHECK(wellformed(b.ptr) == NULL);
	n = bars(b.ptr, r, 16);
	CHECK_INT(n, 8);
	for (size_t i = 0; i < n; i++) {
		CHECK(fabs(r[i].v - v[i]) < 1e-9);
		if (v[i] == 0) {
			CHECK(r[i].h == 0);
			continue;
		}
		if (k == 0)
			k = r[i].h / v[i];
		/* Two decimals in the output: within 0.01 of exact. */
		CHECK(fabs(r[i].h - v[i] * k) < 0.011);
	}
	CHECK(k > 0);
	/* Stacked: each segment sits on the one before. */
	for (size_t i = 0; i < n; i += 2) {
		CHECK(fabs(r[i + 1].y + r[i + 1].h - r[i].y) < 0.011);
		CHECK(r[i].x == r[i + 1].x);
	}
	/* The tallest bar (10) fits under the axis's top. */
	CHECK(r[6].y >= 0);
	buf_free(&b);
}

static void
test_svg_bars_grouped_side_by_side(void)
{
	static const char *const groups[] = { "2026-10", "2026-11" };
	static const char *const prios[] = { "Alta", "Media", "Baja" };
	static const double v[] = { 1, 2, 3, 4, 5, 6 };
	struct svg_chart c = {
		.id = "g", .title = "t", .desc = "d", .groups = groups,
		.ngroups = 2, .bars = prios, .nbars = 3, .nstacks = 1,
		.values = v, .unit = "h",
	};
	struct bar r[8];
	struct buf b;

	buf_init(&b, 1 << 20);
	CHECK_INT(svg_bars(&b, &c), 0);
	CHECK(wellformed(b.ptr) == NULL);
	CHECK_INT(bars(b.ptr, r, 8), 6);
	/* Left to right, one colour per bar, named in the legend. */
	for (int i = 1; i < 6; i++)
		CHECK(r[i].x > r[i - 1].x);
	CHECK(fabs(r[5].h / r[0].h - 6) < 0.01);
	CHECK_HAS(b.ptr, ">Media</text>");
	CHECK_HAS(b.ptr, svg_color(2));
	CHECK_HAS(b.ptr, "<title>2026-11 · Baja: 6 h</title>");
	buf_free(&b);
}

static void
test_svg_hbars_widths_labels_notes(void)
{
	static const char *const rows[] = {
		"EASI-C-2026-0001 · Ferretería López y Hermanos de Querétaro",
		"<script>alert(1)</script>",
	};
	static const char *const stacks[] = { "consumido", "disponible" };
	static const char *const notes[] = { "1:30 de 10:00 h", "a & b" };
	static const double v[] = { 1.5, 8.5, 4, 0 };
	struct svg_chart c = {
		.id = "hours", .title = "Horas", .desc = "Por contrato",
		.groups = rows, .ngroups = 2, .nbars = 1, .stacks = stacks,
		.nstacks = 2, .values = v, .unit = "h", .notes = notes,
	};
	struct bar r[8];
	struct buf b, b2;
	double k;

	buf_init(&b, 1 << 20);
	CHECK_INT(svg_hbars(&b, &c), 0);
	CHECK(wellformed(b.ptr) == NULL);
	CHECK_INT(bars(b.ptr, r, 8), 4);
	k = r[0].w / 1.5;
	CHECK(fabs(r[1].w - 8.5 * k) < 0.011);
	CHECK(fabs(r[2].w - 4 * k) < 0.011);
	CHECK(r[3].w == 0);
	/* End to end on one row. */
	CHECK(fabs(r[0].x + r[0].w - r[1].x) < 0.011);
	CHECK(r[0].y == r[1].y && r[2].y > r[0].y);
	/* A long name is cut on a character, whole in its title. */
	CHECK_HAS(b.ptr, "<title>EASI-C-2026-0001 · Ferretería López y "
		  "Hermanos de Querétaro</title>EASI-C-2026-0001 · "
		  "Ferretería Lóp…</text>");
	CHECK_HAS(b.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK(!active(b.ptr));
	CHECK_HAS(b.ptr, ">a &amp; b</text>");
	CHECK_HAS(b.ptr, "<title>EASI-C-2026-0001 · Ferretería López y "
		  "Hermanos de Querétaro · consumido: 1.5 h</title>");
	/* More rows, a taller viewBox; the width stays. */
	buf_init(&b2, 1 << 20);
	c.ngroups = 1;
	CHECK_INT(svg_hbars(&b2, &c), 0);
	CHECK_HAS(b2.ptr, "viewBox=\"0 0 720 ");
	CHECK(strcmp(strstr(b.ptr, "viewBox"), strstr(b2.ptr, "viewBox")) != 0);
	CHECK(wellformed(b2.ptr) == NULL);
	buf_free(&b);
	buf_free(&b2);
}

static void
test_svg_refusals_leave_the_buffer_alone(void)
{
	static const char *const g[] = { "a", "b" };
	static const char *const s2[] = { "x", NULL };
	/* Room for every case below: 2 groups x 2 segments at most. */
	double v[] = { 1, -1, 0, 0 };
	struct svg_chart c = {
		.id = "ok", .title = "t", .desc = "d", .groups = g,
		.ngroups = 2, .nbars = 1, .nstacks = 1, .values = v,
	};
	struct buf b;

	buf_init(&b, 1 << 20);
	buf_adds(&b, "<p>");
	CHECK_INT(svg_bars(&b, &c), SP_EINVAL); /* negative */
	v[1] = NAN;
	CHECK_INT(svg_bars(&b, &c), SP_EINVAL);
	v[1] = 2;
	c.id = "a\"><script>";
	CHECK_INT(svg_bars(&b, &c), SP_EINVAL);
	c.id = "ok";
	c.title = NULL;
	CHECK_INT(svg_hbars(&b, &c), SP_EINVAL);
	c.title = "t";
	c.nstacks = 2;
	c.stacks = s2; /* a segment without a name */
	CHECK_INT(svg_bars(&b, &c), SP_EINVAL);
	c.nstacks = 1;
	c.stacks = NULL;
	c.nbars = 2; /* hbars takes one bar */
	CHECK_INT(svg_hbars(&b, &c), SP_EINVAL);
	c.nbars = 1;
	c.ngroups = SVG_MAX_VALUES + 1;
	CHECK_INT(svg_bars(&b, &c), SP_ETOOBIG);
	c.ngroups = 2;
	CHECK_STR(b.ptr, "<p>");
	/* Over the caller's maximum: nothing half-written. */
	{
		struct buf small;

		buf_init(&small, 300);
		buf_adds(&small, "<p>");
		CHECK_INT(svg_bars(&small, &c), SP_ETOOBIG);
		CHECK_STR(small.ptr, "<p>");
		buf_free(&small);
	}
	CHECK_INT(svg_bars(&b, &c), 0);
	CHECK(strncmp(b.ptr, "<p><svg ", 8) == 0);
	buf_free(&b);
}

static void
test_svg_empty_zero_and_control_characters(void)
{
	static const char *const g[] = { "tab\there", "bell\a" };
	static const double zero[] = { 0, 0 };
	struct svg_chart c = {
		.id = "z", .title = "t", .desc = "d", .groups = g,
		.ngroups = 2, .nbars = 1, .nstacks = 1, .values = zero,
	};
	struct buf b;

	buf_init(&b, 1 << 20);
	CHECK_INT(svg_bars(&b, &c), 0);
	CHECK(wellformed(b.ptr) == NULL);
	/* XML allows no control characters: they become spaces. */
	CHECK_HAS(b.ptr, ">tab here</text>");
	CHECK_HAS(b.ptr, "bell </text>");
	CHECK(strchr(b.ptr, '\a') == NULL && strchr(b.ptr, '\t') == NULL);
	buf_reset(&b);
	c.ngroups = 0;
	CHECK_INT(svg_hbars(&b, &c), 0);
	CHECK(wellformed(b.ptr) == NULL);
	buf_free(&b);
}

const struct test svg_tests[] = {
	{ "svg_bars_wellformed_escaped_accessible",
	  test_svg_bars_wellformed_escaped_accessible },
	{ "svg_bars_heights_proportional_and_stacked",
	  test_svg_bars_heights_proportional_and_stacked },
	{ "svg_bars_grouped_side_by_side", test_svg_bars_grouped_side_by_side },
	{ "svg_hbars_widths_labels_notes", test_svg_hbars_widths_labels_notes },
	{ "svg_refusals_leave_the_buffer_alone",
	  test_svg_refusals_leave_the_buffer_alone },
	{ "svg_empty_zero_and_control_characters",
	  test_svg_empty_zero_and_control_characters },
	{ 0 },
};
