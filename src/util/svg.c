/* svg.c — bar charts as inline SVG (svg.h). Every text goes through
 * html_text(); numbers are written by this file alone, in C's "%.2f"
 * (soporte never calls setlocale, so the point is a point). */
#include "svg.h"

#include "err.h"
#include "html.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Okabe and Ito's colour-blind-safe hues where they fit, picked so
 * that the first three also differ in grey (print): dark blue, orange
 * red, light blue-grey. */
static const char *const palette[SVG_PALETTE_SIZE] = {
	"#1f4e79", "#d55e00", "#a9b8c8", "#009e73", "#e69f00", "#56b4e9",
};

#define GRID "#d0d5dd"
#define INK "#1d2430"
#define CHAR_W 6.5 /* an estimate of a character's width at 11px */
#define LABEL_MAX 34 /* characters of a row's name in svg_hbars */

/* A chart is written here first, and reaches the caller's buffer whole
 * or not at all; the first error sticks. */
struct out {
	struct buf b;
	int rc;
};

static void
put(struct out *o, const char *s)
{
	if (o->rc == 0)
		o->rc = buf_adds(&o->b, s);
}

static void
putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (o->rc == 0)
		o->rc = buf_vprintf(&o->b, fmt, ap);
	va_end(ap);
}

const char *
svg_color(unsigned i)
{
	return palette[i % SVG_PALETTE_SIZE];
}

/* Element text or an attribute value: the five specials escaped, and
 * control characters, which XML does not allow, as spaces. */
static void
text(struct out *o, const char *s)
{
	for (; s && *s && o->rc == 0; s++) {
		unsigned char c = (unsigned char)*s;
		char one[2] = { (char)c, '\0' };

		o->rc = c < 0x20 || c == 0x7f ? buf_addc(&o->b, ' ') :
			html_text(&o->b, one);
	}
}

/* A number: two decimals at most, no trailing zeros. */
static void
num(struct out *o, double v)
{
	char s[64];
	size_t n;

	if (fabs(v) < 0.005)
		v = 0; /* no "-0" */
	snprintf(s, sizeof s, "%.2f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	put(o, s);
}

/* Characters, not bytes, of UTF-8 text. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' ||
		      id[i] == '_'))
			return false;
	return true;
}

static size_t
nvalues(const struct svg_chart *c)
{
	return c->ngroups * c->nbars * c->nstacks;
}

static double
value(const struct svg_chart *c, size_t g, size_t bar, size_t s)
{
	return c->values[(g * c->nbars + bar) * c->nstacks + s];
}

static const char *
name(const char *const *names, size_t n, size_t i)
{
	return names && i < n ? names[i] : NULL;
}

static int
check(const struct svg_chart *c, bool one_bar)
{
	size_t nv;

	if (!id_ok(c->id) || c->title == NULL || c->desc == NULL ||
	    c->nbars == 0 || c->nstacks == 0 || (one_bar && c->nbars != 1) ||
	    (c->ngroups && c->groups == NULL))
		return SP_EINVAL;
	if (c->ngroups > SVG_MAX_VALUES || c->nbars > SVG_MAX_VALUES ||
	    c->nstacks > SVG_MAX_VALUES || nvalues(c) > SVG_MAX_VALUES)
		return SP_ETOOBIG;
	nv = nvalues(c);
	if (nv && c->values == NULL)
		return SP_EINVAL;
	for (size_t i = 0; i < nv; i++)
		if (!isfinite(c->values[i]) || c->values[i] < 0)
			return SP_EINVAL;
	/* Names are needed where there is more than one to tell apart. */
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == NULL)
			return SP_EINVAL;
	for (size_t i = 0; c->nbars > 1 && i < c->nbars; i++)
		if (name(c->bars, c->nbars, i) == NULL)
			return SP_EINVAL;
	for (size_t i = 0; c->nstacks > 1 && i < c->nstacks; i++)
		if (name(c->stacks, c->nstacks, i) == NULL)
			return SP_EINVAL;
	return 0;
}

static const char *
color(const struct svg_chart *c, size_t bar, size_t s)
{
	size_t i = c->nstacks > 1 ? s : bar;
	size_t n = c->nstacks > 1 ? c->nstacks : c->nbars;

	return svg_color(c->colors && i < n ? c->colors[i] : (unsigned)i);
}

/* The largest bar, and whether every value is whole (a count). */
static double
largest(const struct svg_chart *c, bool *whole)
{
	double max = 0;

	*whole = true;
	for (size_t g = 0; g < c->ngroups; g++)
		for (size_t bar = 0; bar < c->nbars; bar++) {
			double sum = 0;

			for (size_t s = 0; s < c->nstacks; s++) {
				double v = value(c, g, bar, s);

				sum += v;
				if (v != floor(v))
					*whole = false;
			}
			if (sum > max)
				max = sum;
		}
	return max;
}

/* A round step (1, 2 or 5 times a power of ten) for about four grid
 * lines, at least 1 for counts; the axis ends at a whole step. */
static double
step_for(double max, bool whole, double *top)
{
	double raw, mag, f, step;

	if (max <= 0) {
		*top = 1;
		return whole ? 1 : 0.25;
	}
	raw = max / 4;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	if (whole && step < 1)
		step = 1;
	*top = step * ceil(max / step - 1e-9);
	return step;
}

static void
open_svg(struct out *o, const struct svg_chart *c, double height)
{
	put(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	num(o, SVG_WIDTH);
	put(o, " ");
	num(o, height);
	put(o, "\" width=\"100%\" role=\"img\" aria-labelledby=\"");
	text(o, c->id);
	put(o, "-title ");
	text(o, c->id);
	put(o, "-desc\" font-family=\"system-ui, sans-serif\" "
		 "font-size=\"11\" fill=\"" INK "\"><title id=\"");
	text(o, c->id);
	put(o, "-title\">");
	text(o, c->title);
	put(o, "</title><desc id=\"");
	text(o, c->id);
	put(o, "-desc\">");
	text(o, c->desc);
	put(o, "</desc><rect width=\"100%\" height=\"100%\" "
		 "fill=\"#ffffff\"/>");
}

static void
label(struct out *o, double x, double y, const char *anchor, const char *s)
{
	put(o, "<text x=\"");
	num(o, x);
	put(o, "\" y=\"");
	num(o, y);
	putf(o, "\" text-anchor=\"%s\">", anchor);
	text(o, s);
	put(o, "</text>");
}

/* The legend: one swatch per segment, or per bar with one segment; it
 * wraps to more lines as needed. Returns the height it took. */
static double
legend(struct out *o, const struct svg_chart *c, double x0)
{
	const char *const *names = c->nstacks > 1 ? c->stacks : c->bars;
	size_t n = c->nstacks > 1 ? c->nstacks : c->nbars;
	double x = x0, y = 8;

	if (n < 2 && c->caption == NULL)
		return 0;
	put(o, "<g class=\"legend\">");
	for (size_t i = 0; n > 1 && i < n; i++) {
		double w = 18 + CHAR_W * (double)chars(names[i]) + 14;

		if (x > x0 && x + w > SVG_WIDTH - 8) {
			x = x0;
			y += 16;
		}
		put(o, "<rect x=\"");
		num(o, x);
		put(o, "\" y=\"");
		num(o, y);
		putf(o, "\" width=\"11\" height=\"11\" fill=\"%s\"/>"
			   "<text x=\"", c->nstacks > 1 ? color(c, 0, i) :
			   color(c, i, 0));
		num(o, x + 16);
		put(o, "\" y=\"");
		num(o, y + 10);
		put(o, "\">");
		text(o, names[i]);
		put(o, "</text>");
		x += w;
	}
	if (c->caption) {
		if (n > 1)
			y += 16;
		label(o, x0, y + 10, "start", c->caption);
	}
	put(o, "</g>");
	return y + 11 + 10;
}

/* A segment with the figure it stands for. */
static void
segment(struct out *o, const struct svg_chart *c, size_t g, size_t bar,
	size_t s, double x, double y, double w, double h)
{
	const char *bn = c->nbars > 1 ? name(c->bars, c->nbars, bar) : NULL;
	const char *sn = c->nstacks > 1 ? name(c->stacks, c->nstacks, s) :
					  NULL;
	double v = value(c, g, bar, s);

	put(o, "<rect x=\"");
	num(o, x);
	put(o, "\" y=\"");
	num(o, y);
	put(o, "\" width=\"");
	num(o, w);
	put(o, "\" height=\"");
	num(o, h);
	putf(o, "\" fill=\"%s\" data-value=\"", color(c, bar, s));
	num(o, v);
	put(o, "\"><title>");
	text(o, c->groups[g]);
	if (bn) {
		put(o, " · ");
		text(o, bn);
	}
	if (sn) {
		put(o, " · ");
		text(o, sn);
	}
	put(o, ": ");
	num(o, v);
	if (c->unit) {
		put(o, " ");
		text(o, c->unit);
	}
	put(o, "</title></rect>");
}

static void
number_label(struct out *o, double x, double y, const char *anchor, double v)
{
	put(o, "<text x=\"");
	num(o, x);
	put(o, "\" y=\"");
	num(o, y);
	putf(o, "\" text-anchor=\"%s\">", anchor);
	num(o, v);
	put(o, "</text>");
}

static void
line(struct out *o, double x1, double y1, double x2, double y2,
     const char *stroke)
{
	put(o, "<line x1=\"");
	num(o, x1);
	put(o, "\" y1=\"");
	num(o, y1);
	put(o, "\" x2=\"");
	num(o, x2);
	put(o, "\" y2=\"");
	num(o, y2);
	putf(o, "\" stroke=\"%s\" stroke-width=\"1\"/>", stroke);
}

/* Closes the chart and hands it to the caller's buffer, or nothing. */
static int
done(struct out *o, struct buf *b)
{
	int rc;

	put(o, "</svg>");
	rc = o->rc ? o->rc : buf_add(b, o->b.ptr, o->b.len);
	buf_free(&o->b);
	return rc;
}

int
svg_bars(struct buf *b, const struct svg_chart *c)
{
	const double x0 = 48, x1 = SVG_WIDTH - 12;
	bool whole, bar_labels;
	double max, top, step, k, y0, y1, gw, bw, gap;
	size_t stride = 1, widest = 0;
	struct out out = { .rc = 0 }, *o = &out;
	int rc;

	if ((rc = check(c, false)))
		return rc;
	max = largest(c, &whole);
	step = step_for(max, whole, &top);
	buf_init(&o->b, SVG_MAX_BYTES);
	open_svg(o, c, SVG_HEIGHT);
	y0 = legend(o, c, x0) + 12;
	/* Bars are named under themselves when grouped and stacked (the
	 * legend names the segments then). */
	bar_labels = c->nbars > 1 && c->nstacks > 1;
	y1 = SVG_HEIGHT - (bar_labels ? 36 : 22);
	k = (y1 - y0) / top;
	put(o, "<g class=\"axis\">");
	for (double v = 0; v <= top + step / 2; v += step) {
		line(o, x0, y1 - v * k, x1, y1 - v * k, GRID);
		number_label(o, x0 - 6, y1 - v * k + 4, "end", v);
	}
	put(o, "</g>");
	gw = c->ngroups ? (x1 - x0) / (double)c->ngroups : 0;
	bw = gw * 0.8 / (double)c->nbars;
	gap = bw > 8 ? 2 : 0;
	for (size_t g = 0; g < c->ngroups; g++)
		if (chars(c->groups[g]) > widest)
			widest = chars(c->groups[g]);
	/* Group names that do not fit side by side: every stride-th. */
	while (gw > 0 && (double)stride * gw < CHAR_W * (double)widest + 6)
		stride++;
	put(o, "<g class=\"bars\">");
	for (size_t g = 0; g < c->ngroups; g++) {
		double gx = x0 + (double)g * gw + gw * 0.1;

		for (size_t bar = 0; bar < c->nbars; bar++) {
			double x = gx + (double)bar * bw, y = y1;
			const char *bn = name(c->bars, c->nbars, bar);

			for (size_t s = 0; s < c->nstacks; s++) {
				double h = value(c, g, bar, s) * k;

				y -= h;
				segment(o, c, g, bar, s, x + gap / 2, y,
					bw - gap, h);
			}
			/* Under the bar only when it clearly fits; else
			 * the caller says the order (caption). */
			if (bar_labels && bn &&
			    CHAR_W * (double)chars(bn) + 4 <= bw)
				label(o, x + bw / 2, y1 + 12, "middle", bn);
		}
		if (g % stride == 0)
			label(o, x0 + (double)g * gw + gw / 2,
			      y1 + (bar_labels ? 28 : 15), "middle",
			      c->groups[g]);
	}
	put(o, "</g>");
	line(o, x0, y1, x1, y1, INK);
	return done(o, b);
}

int
svg_hbars(struct buf *b, const struct svg_chart *c)
{
	const double x0 = 230, x1 = SVG_WIDTH - 130, row = 24, barh = 16;
	bool whole;
	double max, top, step, k, y0, y1, height, lh;
	struct out out = { .rc = 0 }, *o = &out, lo = { .rc = 0 };
	int rc;

	if ((rc = check(c, true)))
		return rc;
	max = largest(c, &whole);
	step = step_for(max, whole, &top);
	/* The legend's height first: the viewBox's height needs it. */
	buf_init(&lo.b, SVG_MAX_BYTES);
	lh = legend(&lo, c, 8);
	y0 = lh + 8;
	y1 = y0 + row * (double)c->ngroups;
	height = y1 + 24;
	buf_init(&o->b, SVG_MAX_BYTES);
	open_svg(o, c, height);
	if (lo.rc == 0)
		put(o, lo.b.ptr);
	else
		o->rc = lo.rc;
	buf_free(&lo.b);
	k = (x1 - x0) / top;
	put(o, "<g class=\"axis\">");
	for (double v = 0; v <= top + step / 2; v += step) {
		line(o, x0 + v * k, y0, x0 + v * k, y1, GRID);
		number_label(o, x0 + v * k, y1 + 14, "middle", v);
	}
	put(o, "</g><g class=\"bars\">");
	for (size_t g = 0; g < c->ngroups; g++) {
		double y = y0 + row * (double)g, x = x0;
		const char *gn = c->groups[g];

		/* A long name is cut, and whole in its <title>. */
		put(o, "<text x=\"");
		num(o, x0 - 8);
		put(o, "\" y=\"");
		num(o, y + row / 2 + 4);
		put(o, "\" text-anchor=\"end\"><title>");
		text(o, gn);
		put(o, "</title>");
		if (chars(gn) > LABEL_MAX) {
			size_t i = 0, n = 0;
			struct buf cut;

			while (gn[i] && n < LABEL_MAX - 1) {
				i++;
				while (((unsigned char)gn[i] & 0xc0) == 0x80)
					i++;
				n++;
			}
			buf_init(&cut, i + 1);
			buf_add(&cut, gn, i);
			text(o, cut.ptr);
			buf_free(&cut);
			put(o, "…");
		} else {
			text(o, gn);
		}
		put(o, "</text>");
		for (size_t s = 0; s < c->nstacks; s++) {
			double w = value(c, g, 0, s) * k;

			segment(o, c, g, 0, s, x, y + (row - barh) / 2, w, barh);
			x += w;
		}
		if (c->notes && c->notes[g])
			label(o, x1 + 8, y + row / 2 + 4, "start", c->notes[g]);
	}
	put(o, "</g>");
	line(o, x0, y0, x0, y1, INK);
	return done(o, b);
}
