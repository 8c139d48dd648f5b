/* svg.h — bar charts as SVG, to be written inline in an HTML page. A
 * chart has a viewBox (it scales with its container), a <title> and a
 * <desc> it is labelled by, every text escaped through html.h, no
 * script and no reference to anything outside it, and colours from a
 * small palette whose shades also differ in grey, for print. Each bar
 * segment carries data-value (the figure) and a <title> naming its
 * group, bar and segment, so a reader or a test can match it to a
 * table. */
#ifndef SP_SVG_H
#define SP_SVG_H

#include "buf.h"

#include <stddef.h>

#define SVG_WIDTH 720          /* viewBox width, both kinds */
#define SVG_HEIGHT 320         /* viewBox height of svg_bars */
#define SVG_MAX_VALUES 4096    /* groups x bars x stacks */
#define SVG_MAX_BYTES (4 << 20) /* one chart, written */
#define SVG_PALETTE_SIZE 6

struct svg_chart {
	const char *id;     /* [a-z0-9_-], 1 to 32: unique in the page */
	const char *title;  /* required; the chart's accessible name */
	const char *desc;   /* required; what it shows, in words */
	/* Categories: along the x axis (svg_bars), or one row each
	 * (svg_hbars). */
	const char *const *groups;
	size_t ngroups;
	/* Bars side by side within a group; with one bar, names may be
	 * NULL. svg_hbars takes one bar. */
	const char *const *bars;
	size_t nbars;
	/* Segments piled up in a bar: the legend. With one segment, names
	 * may be NULL, and the colour goes by bar. */
	const char *const *stacks;
	size_t nstacks;
	/* values[(g * nbars + b) * nstacks + s], finite and >= 0. */
	const double *values;
	/* Palette index per segment (per bar with one segment); NULL: in
	 * order. */
	const unsigned *colors;
	const char *unit;   /* after a value in a title ("tickets", "h") */
	/* svg_hbars: a text after each row's bar; NULL: none. */
	const char *const *notes;
	/* A line of text under the legend, such as the order of the bars
	 * in a group when their names do not fit under them; NULL: none. */
	const char *caption;
};

/* A vertical chart: groups along the x axis, bars side by side in each
 * group, segments stacked in each bar; a y axis with round steps.
 * Appends the whole chart to b and returns 0, or appends nothing and
 * returns SP_EINVAL (a bad id, a missing title or name, a negative
 * value...), SP_ETOOBIG (over SVG_MAX_VALUES or SVG_MAX_BYTES, or over
 * b's maximum) or SP_ENOMEM. */
int svg_bars(struct buf *b, const struct svg_chart *c);
/* A horizontal chart: one row per group, its segments end to end; the
 * height grows with the rows. */
int svg_hbars(struct buf *b, const struct svg_chart *c);
/* Colour i of the palette ("#rrggbb"), for a legend outside a chart. */
const char *svg_color(unsigned i);

#endif
