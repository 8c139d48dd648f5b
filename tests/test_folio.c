/* test_folio.c — core/folio: human-readable ticket numbers (INT-1). */
#include "test.h"

#include "../src/core/folio.h"
#include "../src/util/err.h"

struct folio_case {
	const char *format;
	int64_t seq;
	int year, month;
	const char *want;
};

/* INT-1 */
static void
int1_folio_expands_every_token(void)
{
	static const struct folio_case cases[] = {
		{ "INT-{yyyy}-{seq:5}", 42, 2026, 3, "INT-2026-00042" },
		{ "{yy}{mm}-{seq:4}", 7, 2026, 3, "2603-0007" },
		{ "EASI/{yyyy}/{mm}/{seq:3}", 1, 2026, 12, "EASI/2026/12/001" },
		{ "#{seq:6}", 123456, 2030, 1, "#123456" },
		{ "{seq:9}", 1, 2026, 1, "000000001" },
		{ "IMP{yy}{seq:3}", 5, 2009, 1, "IMP09005" },
		{ "{yyyy}{yyyy}-{seq:3}", 5, 2026, 1, "20262026-005" },
		{ "T-{seq:3}-{mm}", 999, 2026, 9, "T-999-09" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct folio_case *c = &cases[i];
		char out[64];
		int rc = folio_format(out, sizeof out, c->format, c->seq,
				      c->year, c->month);

		if (rc != 0 || strcmp(out, c->want) != 0)
			t_fail(__FILE__, __LINE__, "'%s' seq %lld: rc %d, '%s', "
			       "want '%s'", c->format, (long long)c->seq, rc,
			       out, c->want);
	}
}

/* INT-1: a folio is unique, so a sequence past its width grows instead
 * of wrapping or failing. */
static void
int1_folio_sequence_past_its_digits_grows(void)
{
	char out[64];

	CHECK_INT(folio_format(out, sizeof out, "INT-{yyyy}-{seq:5}", 99999,
			       2026, 1), 0);
	CHECK_STR(out, "INT-2026-99999");
	CHECK_INT(folio_format(out, sizeof out, "INT-{yyyy}-{seq:5}", 100000,
			       2026, 1), 0);
	CHECK_STR(out, "INT-2026-100000");
	CHECK_INT(folio_format(out, sizeof out, "{seq:3}-X", 1234567, 2026, 1), 0);
	CHECK_STR(out, "1234567-X");
	CHECK_INT(folio_format(out, sizeof out, "{seq:3}",
			       INT64_C(9223372036854775807), 2026, 1), 0);
	CHECK_STR(out, "9223372036854775807");
}

/* INT-1 */
static void
int1_folio_too_small_buffer_is_etoobig(void)
{
	char out[32];
	const char *f = "INT-{yyyy}-{seq:5}"; /* "INT-2026-00042": 14 bytes */

	CHECK_INT(folio_format(out, 15, f, 42, 2026, 1), 0);
	CHECK_STR(out, "INT-2026-00042");
	memset(out, 'z', sizeof out);
	CHECK_INT(folio_format(out, 14, f, 42, 2026, 1), SP_ETOOBIG);
	CHECK_INT(folio_format(out, 5, f, 42, 2026, 1), SP_ETOOBIG);
	CHECK_INT(folio_format(out, 1, f, 42, 2026, 1), SP_ETOOBIG);
	CHECK_INT(folio_format(out, 0, f, 42, 2026, 1), SP_ETOOBIG);
	/* Growth past the digits counts against the size too. */
	CHECK_INT(folio_format(out, 15, f, 100000, 2026, 1), SP_ETOOBIG);
	CHECK_INT(folio_format(out, 16, f, 100000, 2026, 1), 0);
	CHECK_STR(out, "INT-2026-100000");
	/* Whatever was written stays inside the buffer and terminated. */
	memset(out, 'z', sizeof out);
	CHECK_INT(folio_format(out, 8, f, 42, 2026, 1), SP_ETOOBIG);
	CHECK(memchr(out, '\0', 8) != NULL);
	CHECK(out[8] == 'z');
}

/* INT-1: the period a sequence runs in, per reset kind. */
static void
int1_folio_period_per_reset_kind(void)
{
	char p[16];

	folio_period(p, FOLIO_NEVER, 2026, 3);
	CHECK_STR(p, "");
	folio_period(p, FOLIO_YEARLY, 2026, 3);
	CHECK_STR(p, "2026");
	folio_period(p, FOLIO_YEARLY, 2027, 12);
	CHECK_STR(p, "2027");
	folio_period(p, FOLIO_MONTHLY, 2026, 3);
	CHECK_STR(p, "2026-03");
	folio_period(p, FOLIO_MONTHLY, 2026, 12);
	CHECK_STR(p, "2026-12");
	/* Two months of one year are distinct periods; two years too. */
	{
		char a[16], b[16];

		folio_period(a, FOLIO_MONTHLY, 2026, 1);
		folio_period(b, FOLIO_MONTHLY, 2026, 2);
		CHECK(strcmp(a, b) != 0);
		folio_period(a, FOLIO_YEARLY, 2026, 1);
		folio_period(b, FOLIO_YEARLY, 2026, 12);
		CHECK_STR(a, b);
	}
}

const struct test folio_tests[] = {
	{ "int1_folio_expands_every_token", int1_folio_expands_every_token },
	{ "int1_folio_sequence_past_its_digits_grows",
	  int1_folio_sequence_past_its_digits_grows },
	{ "int1_folio_too_small_buffer_is_etoobig",
	  int1_folio_too_small_buffer_is_etoobig },
	{ "int1_folio_period_per_reset_kind", int1_folio_period_per_reset_kind },
	{ 0 },
};
