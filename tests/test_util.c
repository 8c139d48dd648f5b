/* test_util.c — util/: buffers, arenas, checked parsing, UTF-8, civil time
 * and the YAML tree. Pure: no files, no processes. */
#include "test.h"

#include "../src/util/arena.h"
#include "../src/util/buf.h"
#include "../src/util/html.h"
#include "../src/util/jflat.h"
#include "../src/util/jw.h"
#include "../src/util/civil.h"
#include "../src/util/err.h"
#include "../src/util/str.h"
#include "../src/util/ytree.h"

#include <jansson.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

/* ---- buf ------------------------------------------------------------ */

static void
buf_starts_empty_and_terminated(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(b.ptr != NULL);
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	CHECK_INT(b.max, BUF_MAX_DEFAULT);
	buf_free(&b);
	CHECK(b.ptr != NULL);
	CHECK_STR(b.ptr, "");
}

static void
buf_grows_keeping_every_byte(void)
{
	struct buf b;
	int rc = 0;

	buf_init(&b, 0);
	for (int i = 0; i < 10000 && rc == 0; i++)
		rc = buf_addc(&b, (char)('a' + i % 26));
	CHECK_INT(rc, 0);
	CHECK_INT(b.len, 10000);
	CHECK(b.cap > b.len);
	CHECK_INT(strlen(b.ptr), 10000);
	for (size_t i = 0; i < 10000; i++)
		if (b.ptr[i] != (char)('a' + i % 26)) {
			t_fail(__FILE__, __LINE__, "byte %zu is '%c'", i,
			       b.ptr[i]);
			break;
		}
	CHECK_INT(buf_add(&b, "xyz", 0), 0); /* zero bytes: no change */
	CHECK_INT(b.len, 10000);
	CHECK_INT(buf_adds(&b, "END"), 0);
	CHECK_STR(b.ptr + 10000, "END");
	buf_free(&b);
}

static void
buf_max_size_refuses_and_leaves_buffer_intact(void)
{
	struct buf b;

	buf_init(&b, 10);
	CHECK_INT(buf_adds(&b, "12345678"), 0);
	CHECK_INT(buf_adds(&b, "abc"), SP_ETOOBIG);
	CHECK_INT(b.len, 8);
	CHECK_STR(b.ptr, "12345678");
	CHECK_INT(buf_printf(&b, "%d", 123), SP_ETOOBIG);
	CHECK_STR(b.ptr, "12345678");
	/* max is the largest length allowed: exactly 10 fits. */
	CHECK_INT(buf_adds(&b, "90"), 0);
	CHECK_STR(b.ptr, "1234567890");
	CHECK_INT(buf_addc(&b, 'x'), SP_ETOOBIG);
	CHECK_INT(buf_add(&b, "x", (size_t)-1), SP_ETOOBIG);
	CHECK_INT(b.len, 10);
	CHECK_STR(b.ptr, "1234567890");
	/* Refusal is not sticky: after a reset the buffer works again. */
	buf_reset(&b);
	CHECK_STR(b.ptr, "");
	CHECK_INT(buf_adds(&b, "ok"), 0);
	CHECK_STR(b.ptr, "ok");
	buf_free(&b);
}

static void
buf_printf_formats_and_grows(void)
{
	struct buf b;
	char big[300];

	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_init(&b, 0);
	CHECK_INT(buf_printf(&b, "%s-%d-%05.1f", "x", 42, 3.5), 0);
	CHECK_STR(b.ptr, "x-42-003.5");
	CHECK_INT(buf_printf(&b, "[%s]", big), 0);
	CHECK_INT(b.len, 10 + 2 + 299);
	CHECK(b.ptr[b.len] == '\0');
	CHECK(b.ptr[11] == 'q' && b.ptr[309] == 'q' && b.ptr[310] == ']');
	CHECK_INT(buf_printf(&b, "%s", ""), 0);
	CHECK_INT(b.len, 311);
	buf_free(&b);
}

static void
buf_detach_hands_over_storage(void)
{
	struct buf b;
	size_t len = 99;
	char *s;

	buf_init(&b, 100);
	CHECK_INT(buf_adds(&b, "hola mundo"), 0);
	s = buf_detach(&b, &len);
	CHECK_STR(s, "hola mundo");
	CHECK_INT(len, 10);
	CHECK(b.ptr != NULL);
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	CHECK_INT(b.max, 100); /* the limit survives */
	free(s);
	/* Detaching an empty buffer still gives a string the caller frees. */
	s = buf_detach(&b, &len);
	CHECK(s != NULL);
	CHECK_STR(s, "");
	CHECK_INT(len, 0);
	free(s);
	CHECK_INT(buf_adds(&b, "again"), 0);
	CHECK_STR(b.ptr, "again");
	buf_free(&b);
}

/* ---- arena ---------------------------------------------------------- */

static void
arena_allocations_are_zeroed_aligned_and_distinct(void)
{
	struct arena a;
	unsigned char *p[100];

	arena_init(&a, 0);
	for (int i = 0; i < 100; i++) {
		size_t n = (size_t)(i * 37 % 500 + 1);

		p[i] = arena_alloc(&a, n);
		CHECK(p[i] != NULL);
		CHECK((uintptr_t)p[i] % alignof(max_align_t) == 0);
		for (size_t k = 0; k < n; k++)
			CHECK(p[i][k] == 0);
		memset(p[i], i + 1, n);
	}
	/* No allocation overwrote another. */
	for (int i = 0; i < 100; i++)
		CHECK(p[i][0] == (unsigned char)(i + 1));
	{
		char *s = arena_strdup(&a, "día");

		CHECK_STR(s, "día");
	}
	{
		/* Larger than a block. */
		char *big = arena_alloc(&a, 100000);

		CHECK(big != NULL);
		big[99999] = 'z';
	}
	arena_free(&a);
	CHECK(a.head == NULL);
	CHECK_INT(a.total, 0);
	arena_free(&a); /* twice is harmless */
}

static void
arena_max_bounds_total_bytes(void)
{
	struct arena a;
	int got = 0;

	arena_init(&a, 64 << 10);
	while (arena_alloc(&a, 1000) != NULL && got < 1000)
		got++;
	CHECK(got > 0);
	CHECK(got < 1000);
	CHECK(a.total <= (size_t)64 << 10);
	CHECK(arena_alloc(&a, (size_t)65 << 10) == NULL);
	arena_free(&a);
}

static void
arena_refuses_sizes_that_would_wrap(void)
{
	struct arena a;

	arena_init(&a, 0);
	CHECK(arena_alloc(&a, 8) != NULL);
	CHECK(arena_alloc(&a, SIZE_MAX) == NULL);
	CHECK(arena_alloc(&a, SIZE_MAX - 8) == NULL);
	CHECK(arena_alloc(&a, SIZE_MAX - 40) == NULL);
	CHECK(arena_calloc(&a, SIZE_MAX / 2, 3) == NULL);
	CHECK(arena_calloc(&a, 3, SIZE_MAX / 2) == NULL);
	CHECK(arena_calloc(&a, 10, 10) != NULL);
	arena_free(&a);
}

/* ---- str ------------------------------------------------------------ */

static void
str_to_i64_accepts_whole_numbers_in_range(void)
{
	int64_t v = 0;

	CHECK_INT(str_to_i64(&v, "0", 0, 10), 0);
	CHECK_INT(v, 0);
	CHECK_INT(str_to_i64(&v, "10", 0, 10), 0);
	CHECK_INT(v, 10);
	CHECK_INT(str_to_i64(&v, "-5", -5, 5), 0);
	CHECK_INT(v, -5);
	CHECK_INT(str_to_i64(&v, "9223372036854775807", INT64_MIN, INT64_MAX), 0);
	CHECK(v == INT64_MAX);
	CHECK_INT(str_to_i64(&v, "-9223372036854775808", INT64_MIN, INT64_MAX), 0);
	CHECK(v == INT64_MIN);
}

static void
str_to_i64_refuses_junk_range_empty_overflow(void)
{
	static const char *const bad[] = {
		"", " 1", "1 ", "+1", "1x", "x1", "0x10", "1.0", "1e3", "-",
		"--1", "١", "9223372036854775808", "-9223372036854775809",
		"99999999999999999999999",
	};
	int64_t v = 77;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (str_to_i64(&v, bad[i], INT64_MIN, INT64_MAX) != SP_EINVAL)
			t_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
	CHECK_INT(v, 77); /* untouched on failure */
	CHECK_INT(str_to_i64(&v, "11", 0, 10), SP_EINVAL);
	CHECK_INT(str_to_i64(&v, "-1", 0, 10), SP_EINVAL);
	CHECK_INT(str_to_i64(&v, NULL, 0, 10), SP_EINVAL);
	CHECK_INT(v, 77);
}

struct utf8_case {
	const char *s;
	size_t n;
	bool ok;
	const char *what;
};

#define U8(lit, ok, what) { lit, sizeof(lit) - 1, ok, what }

static void
str_utf8_valid_refuses_every_malformation(void)
{
	static const struct utf8_case cases[] = {
		U8("", true, "empty"),
		U8("plain ascii", true, "ascii"),
		U8("a\xc3\xb1o", true, "2-byte ñ"),
		U8("\xe2\x82\xac", true, "3-byte €"),
		U8("\xf0\x9f\x98\x80", true, "4-byte emoji"),
		U8("\xf4\x8f\xbf\xbf", true, "U+10FFFF"),
		U8("\xef\xbf\xbf", true, "U+FFFF"),
		U8("\xc0\x80", false, "overlong NUL"),
		U8("\xc1\xbf", false, "overlong 2-byte"),
		U8("\xe0\x80\xaf", false, "overlong 3-byte '/'"),
		U8("\xe0\x9f\xbf", false, "overlong 3-byte U+07FF"),
		U8("\xf0\x8f\xbf\xbf", false, "overlong 4-byte U+FFFF"),
		U8("\xed\xa0\x80", false, "surrogate D800"),
		U8("\xed\xbf\xbf", false, "surrogate DFFF"),
		U8("\xf4\x90\x80\x80", false, "above U+10FFFF"),
		U8("\xf5\x80\x80\x80", false, "F5 lead"),
		U8("\xff", false, "FF"),
		U8("\x80", false, "lone continuation"),
		U8("a\xc3", false, "truncated 2-byte"),
		U8("\xe2\x82", false, "truncated 3-byte"),
		U8("\xf0\x9f\x98", false, "truncated 4-byte"),
		U8("\xe2\x28\xa1", false, "bad continuation"),
		U8("\xc3\xb1\x80", false, "stray continuation after char"),
		U8("a\0b", false, "NUL inside"),
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (str_utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			t_fail(__FILE__, __LINE__, "%s: want %s", cases[i].what,
			       cases[i].ok ? "valid" : "invalid");
	/* n bounds the check: a valid prefix of a longer string is valid. */
	CHECK(str_utf8_valid("ab\xff", 2));
	CHECK(!str_utf8_valid("ab\xff", 3));
}

static void
str_text_valid_refuses_control_characters(void)
{
	CHECK(str_text_valid("Falla en CONTPAQi\tv14", 21, false));
	CHECK(!str_text_valid("line\nbreak", 10, false));
	CHECK(str_text_valid("line\nbreak", 10, true));
	CHECK(!str_text_valid("cr\r", 3, false));
	CHECK(str_text_valid("cr\r\n", 4, true));
	CHECK(!str_text_valid("bell\a", 5, true));
	CHECK(!str_text_valid("esc\x1b[0m", 8, true));
	CHECK(!str_text_valid("del\x7f", 4, true));
	/* C1 controls are control characters too; U+0085 (NEL) is a line
	 * break to some readers. */
	CHECK(!str_text_valid("nel\xc2\x85", 5, true));
	CHECK(!str_text_valid("csi\xc2\x9b", 5, true));
	CHECK(str_text_valid("nbsp\xc2\xa0", 6, false)); /* U+00A0 is not */
	CHECK(!str_text_valid("bad\xff", 4, true));
	CHECK(str_text_valid("", 0, false));
}

static void
str_is_id_checks_charset_and_length(void)
{
	CHECK(str_is_id("intecnia", 40));
	CHECK(str_is_id("empresarial_plus", 40));
	CHECK(str_is_id("sev1", 40));
	CHECK(str_is_id("a", 1));
	CHECK(str_is_id("abc", 3));
	CHECK(!str_is_id("abcd", 3));
	CHECK(!str_is_id("", 40));
	CHECK(!str_is_id(NULL, 40));
	CHECK(!str_is_id("1sev", 40));
	CHECK(!str_is_id("_x", 40));
	CHECK(!str_is_id("Sev1", 40));
	CHECK(!str_is_id("sev-1", 40));
	CHECK(!str_is_id("sev 1", 40));
	CHECK(!str_is_id("añejo", 40));
}

static void
str_distance_counts_edits_up_to_cap(void)
{
	CHECK_INT(str_distance("calendar", "calendar", 5), 0);
	CHECK_INT(str_distance("", "abc", 5), 3);
	CHECK_INT(str_distance("abc", "", 5), 3);
	CHECK_INT(str_distance("kitten", "sitting", 10), 3);
	CHECK_INT(str_distance("calender", "calendars", 5), 2);
	CHECK_INT(str_distance("provder", "provider", 5), 1);
	CHECK_INT(str_distance("ab", "ba", 5), 2); /* no transpositions */
	CHECK_INT(str_distance("kitten", "sitting", 2), 2);
	CHECK_INT(str_distance("abcdef", "uvwxyz", 3), 3);
	{
		char a[80], b[80];

		memset(a, 'a', 79);
		a[79] = '\0';
		memcpy(b, a, 80);
		/* Too long to compare: answers the cap, never a guess. */
		CHECK_INT(str_distance(a, b, 4), 4);
	}
}

static void
str_copy_and_eq(void)
{
	char small[4];

	CHECK_INT(str_copy(small, "abcdef", sizeof small), 6);
	CHECK_STR(small, "abc");
	CHECK_INT(str_copy(small, "ab", sizeof small), 2);
	CHECK_STR(small, "ab");
	CHECK(str_eq("a", "a"));
	CHECK(!str_eq("a", "b"));
	CHECK(!str_eq(NULL, "a"));
	CHECK(!str_eq(NULL, NULL));
}

/* ---- civil ---------------------------------------------------------- */

static void
civil_days_known_anchors(void)
{
	CHECK_INT(civil_days(1970, 1, 1), 0);
	CHECK_INT(civil_days(1969, 12, 31), -1);
	CHECK_INT(civil_days(2000, 3, 1), 11017);
	CHECK_INT(civil_days(2026, 1, 1), 20454);
	CHECK_INT(civil_days(1, 1, 1), -719162);
	CHECK_INT(civil_days(2024, 3, 1) - civil_days(2024, 2, 28), 2);
	CHECK_INT(civil_days(2100, 3, 1) - civil_days(2100, 2, 28), 1);
	CHECK_INT(civil_days(2000, 3, 1) - civil_days(2000, 2, 28), 2);
	CHECK_INT(civil_month_days(2024, 2), 29);
	CHECK_INT(civil_month_days(2026, 2), 28);
	CHECK_INT(civil_month_days(1900, 2), 28);
	CHECK_INT(civil_month_days(2000, 2), 29);
	CHECK_INT(civil_month_days(2026, 13), 0);
	CHECK(civil_date_valid(2024, 2, 29));
	CHECK(!civil_date_valid(2026, 2, 29));
	CHECK(!civil_date_valid(2026, 4, 31));
	CHECK(!civil_date_valid(0, 1, 1));
	CHECK(!civil_date_valid(2026, 0, 1));
	CHECK(!civil_date_valid(2026, 1, 0));
}

static void
civil_days_round_trip_years_1_to_9999(void)
{
	int64_t first = civil_days(1, 1, 1), last = civil_days(9999, 12, 31);
	struct civil_date prev = civil_from_days(first - 1);

	CHECK_INT(prev.y, 0);
	CHECK_INT(prev.m, 12);
	CHECK_INT(prev.d, 31);
	for (int64_t d = first; d <= last; d++) {
		struct civil_date c = civil_from_days(d);
		bool next_ok;

		if (!civil_date_valid(c.y, c.m, c.d) ||
		    civil_days(c.y, c.m, c.d) != d) {
			t_fail(__FILE__, __LINE__, "day %lld -> %d-%d-%d",
			       (long long)d, c.y, c.m, c.d);
			return;
		}
		/* Each day follows the previous one. */
		next_ok = (c.y == prev.y && c.m == prev.m && c.d == prev.d + 1) ||
			  (c.y == prev.y && c.m == prev.m + 1 && c.d == 1 &&
			   prev.d == civil_month_days(prev.y, prev.m)) ||
			  (c.y == prev.y + 1 && c.m == 1 && c.d == 1 &&
			   prev.m == 12 && prev.d == 31);
		if (!next_ok) {
			t_fail(__FILE__, __LINE__, "%d-%d-%d after %d-%d-%d",
			       c.y, c.m, c.d, prev.y, prev.m, prev.d);
			return;
		}
		prev = c;
	}
	/* Far outside the range too: arithmetic stays exact. */
	for (int y = -100000; y <= 100000; y += 997) {
		struct civil_date c = civil_from_days(civil_days(y, 7, 15));

		CHECK(c.y == y && c.m == 7 && c.d == 15);
	}
}

static void
civil_weekday_is_iso(void)
{
	CHECK_INT(civil_weekday(0), 3); /* 1970-01-01 Thursday */
	CHECK_INT(civil_weekday(-1), 2);
	CHECK_INT(civil_weekday(-7), 3);
	CHECK_INT(civil_weekday(-8), 2);
	CHECK_INT(civil_weekday(civil_days(2026, 2, 2)), 0);  /* Monday */
	CHECK_INT(civil_weekday(civil_days(2026, 3, 15)), 6); /* Sunday */
	CHECK_INT(civil_weekday(civil_days(2000, 1, 1)), 5);  /* Saturday */
	CHECK_INT(civil_weekday(civil_days(1582, 10, 15)), 4); /* Friday */
	for (int64_t d = -5000; d < 5000; d++)
		if (civil_weekday(d + 1) != (civil_weekday(d) + 1) % 7) {
			t_fail(__FILE__, __LINE__, "weekday breaks at %lld",
			       (long long)d);
			return;
		}
}

/* SLA-1: the moving holidays of the Ley Federal del Trabajo, art. 74. */
static void
civil_nth_weekday_finds_lft_holidays(void)
{
	CHECK_INT(civil_nth_weekday(2026, 2, 0, 1), civil_days(2026, 2, 2));
	CHECK_INT(civil_nth_weekday(2026, 3, 0, 3), civil_days(2026, 3, 16));
	CHECK_INT(civil_nth_weekday(2026, 11, 0, 3), civil_days(2026, 11, 16));
	CHECK_INT(civil_nth_weekday(2025, 2, 0, 1), civil_days(2025, 2, 3));
	CHECK_INT(civil_nth_weekday(2025, 3, 0, 3), civil_days(2025, 3, 17));
	CHECK_INT(civil_nth_weekday(2025, 11, 0, 3), civil_days(2025, 11, 17));
	CHECK_INT(civil_nth_weekday(2024, 11, 0, 3), civil_days(2024, 11, 18));
	/* The 1st is itself the weekday asked for. */
	CHECK_INT(civil_nth_weekday(2026, 6, 0, 1), civil_days(2026, 6, 1));
	CHECK_INT(civil_nth_weekday(2026, 2, 6, 1), civil_days(2026, 2, 1));
	CHECK_INT(civil_nth_weekday(2026, 2, 5, 4), civil_days(2026, 2, 28));
}

static void
civil_parse_date_strict(void)
{
	static const char *const bad[] = {
		"", "2026-2-01", "2026-02-1", "2026/02/01", "2026-02-29",
		"2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01",
		"2026-02-01x", " 2026-02-01", "+026-02-01", "2026-0a-01",
		"26-02-01", "20260201",
	};
	struct civil_date c = { 7, 7, 7 };

	CHECK_INT(civil_parse_date(&c, "2024-02-29"), 0);
	CHECK(c.y == 2024 && c.m == 2 && c.d == 29);
	CHECK_INT(civil_parse_date(&c, "9999-12-31"), 0);
	CHECK(c.y == 9999 && c.m == 12 && c.d == 31);
	c = (struct civil_date){ 7, 7, 7 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (civil_parse_date(&c, bad[i]) != SP_EINVAL)
			t_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
	CHECK(c.y == 7 && c.m == 7 && c.d == 7);
}

static void
civil_parse_hhmm_minutes_and_24(void)
{
	static const char *const bad[] = {
		"", "9:00", "09:0", "09-00", "0900", "23:60", "25:00", "24:01",
		"09:00 ", "-1:00", "ab:cd", "09:00:00",
	};
	int m = -1;

	CHECK_INT(civil_parse_hhmm(&m, "00:00", false), 0);
	CHECK_INT(m, 0);
	CHECK_INT(civil_parse_hhmm(&m, "09:30", false), 0);
	CHECK_INT(m, 570);
	CHECK_INT(civil_parse_hhmm(&m, "23:59", false), 0);
	CHECK_INT(m, 1439);
	CHECK_INT(civil_parse_hhmm(&m, "24:00", false), SP_EINVAL);
	CHECK_INT(m, 1439);
	CHECK_INT(civil_parse_hhmm(&m, "24:00", true), 0);
	CHECK_INT(m, 1440);
	m = -1;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (civil_parse_hhmm(&m, bad[i], true) != SP_EINVAL)
			t_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
	CHECK_INT(m, -1);
}

static void
civil_parse_instant_offsets_z_and_missing_seconds(void)
{
	/* 2026-03-14T00:30:00Z */
	int64_t want = civil_days(2026, 3, 14) * 86400 + 30 * 60, t = 0;
	static const char *const same[] = {
		"2026-03-13T18:30:00-06:00", "2026-03-13T18:30-06:00",
		"2026-03-14T00:30:00Z", "2026-03-14T00:30Z",
		"2026-03-14 00:30:00Z", "2026-03-14T06:00:00+05:30",
		"2026-03-14T00:30:00+00:00", "2026-03-14T00:30:00-00:00",
		"2026-03-14T14:30:00+14:00",
	};

	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		t = 0;
		if (civil_parse_instant(&t, same[i]) != 0 || t != want)
			t_fail(__FILE__, __LINE__, "'%s' -> %lld, want %lld",
			       same[i], (long long)t, (long long)want);
	}
	CHECK_INT(civil_parse_instant(&t, "2026-03-14T00:30:59Z"), 0);
	CHECK_INT(t, want + 59);
	CHECK_INT(civil_parse_instant(&t, "1969-12-31T23:59:59Z"), 0);
	CHECK_INT(t, -1);
	CHECK_INT(civil_parse_instant(&t, "1970-01-01T00:00:00Z"), 0);
	CHECK_INT(t, 0);
}

static void
civil_parse_instant_refuses_bad_inputs(void)
{
	static const char *const bad[] = {
		"", "2026-03-13", "2026-03-13T18:30:00", /* no offset */
		"2026-03-13T18:30", "2026-03-13T24:00Z", "2026-03-13T18:60Z",
		"2026-03-13T18:30:60Z", "2026-03-13T18:30:00+15:00",
		"2026-03-13T18:30:00+05:60", "2026-03-13T18:30:00-0600",
		"2026-03-13T18:30:00-06", "2026-03-13T18:30:00z",
		"2026-03-13t18:30:00Z", "2026-03-13X18:30:00Z",
		"2026-03-13T18:30:00Zjunk", "2026-03-13T18:30:00-06:00 ",
		"2026-02-30T00:00Z", "2026-03-13T18:30:0Z",
		"2026-03-13T18:30:", "2026-03-13T18:30:5",
		"2026-03-13T8:30:00Z", "2026-03-13T18:3Z",
		"2026-03-13T18:30:00.5Z", "2026-03-13T18:30:00+05:3",
	};
	int64_t t = 12345;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (civil_parse_instant(&t, bad[i]) != SP_EINVAL)
			t_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
	CHECK_INT(t, 12345);
}

static void
civil_parse_local_reports_missing_offset(void)
{
	int64_t t = 0;
	bool has = true;

	CHECK_INT(civil_parse_local(&t, &has, "2026-03-13T18:30"), 0);
	CHECK(!has);
	CHECK_INT(t, civil_days(2026, 3, 13) * 86400 + 18 * 3600 + 30 * 60);
	CHECK_INT(civil_parse_local(&t, &has, "2026-03-13 18:30:15"), 0);
	CHECK(!has);
	CHECK_INT(t, civil_days(2026, 3, 13) * 86400 + 18 * 3600 + 30 * 60 + 15);
	CHECK_INT(civil_parse_local(&t, &has, "2026-03-13T18:30-06:00"), 0);
	CHECK(has);
	CHECK_INT(t, civil_days(2026, 3, 14) * 86400 + 30 * 60);
	CHECK_INT(civil_parse_local(&t, &has, "2026-03-13T18:30:00Q"), SP_EINVAL);
	CHECK_INT(civil_parse_local(&t, &has, "2026-03-13T25:30"), SP_EINVAL);
}

static void
civil_format_writes_iso8601_and_round_trips(void)
{
	char out[32];
	int64_t t = civil_days(2026, 3, 14) * 86400 + 30 * 60;
	static const int offsets[] = { 0, -6 * 3600, -8 * 3600, 5 * 3600 + 1800,
				       14 * 3600, -(9 * 3600 + 30 * 60) };

	civil_format(out, t, -6 * 3600);
	CHECK_STR(out, "2026-03-13T18:30:00-06:00");
	civil_format(out, t, 0);
	CHECK_STR(out, "2026-03-14T00:30:00Z");
	civil_format(out, t, 5 * 3600 + 30 * 60);
	CHECK_STR(out, "2026-03-14T06:00:00+05:30");
	civil_format(out, -1, 0);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	civil_format(out, -86400, 0);
	CHECK_STR(out, "1969-12-31T00:00:00Z");
	/* parse(format(x)) == x over a wide range, either side of 1970. */
	for (int64_t s = -5000000000LL; s <= 5000000000LL; s += 7777777) {
		for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
			int64_t back = 0;

			civil_format(out, s, offsets[k]);
			if (civil_parse_instant(&back, out) != 0 || back != s) {
				t_fail(__FILE__, __LINE__, "%lld -> %s -> %lld",
				       (long long)s, out, (long long)back);
				return;
			}
		}
	}
}

/* ---- ytree ---------------------------------------------------------- */

static int
yparse(struct ynode **out, const char *text, struct sp_err *e)
{
	sp_err_clear(e);
	*out = NULL;
	return ytree_parse(out, text, strlen(text), e);
}

static void
ytree_builds_maps_and_lists_with_positions(void)
{
	static const char doc[] =
		"# comment\n"
		"name: \"Intecnia\"\n"
		"hours:\n"
		"  - 5\n"
		"  - '20'\n"
		"week:\n"
		"  mon: [\"09:00-14:00\", \"16:00-19:00\"]\n"
		"empty_map: {}\n"
		"empty_list: []\n";
	struct ynode *root, *v, *w;
	struct sp_err e;

	CHECK_INT(yparse(&root, doc, &e), 0);
	CHECK(root->kind == YNODE_MAP);
	CHECK_INT(root->n, 5);
	CHECK_INT(root->line, 2);
	CHECK_INT(root->col, 1);
	CHECK_STR(root->keys[0]->str, "name");
	CHECK_INT(root->keys[0]->line, 2);

	v = ytree_get(root, "name");
	CHECK(v && v->kind == YNODE_SCALAR);
	CHECK_STR(v->str, "Intecnia");
	CHECK(!v->plain);
	CHECK_INT(v->line, 2);
	CHECK_INT(v->col, 7);

	v = ytree_get(root, "hours");
	CHECK(v && v->kind == YNODE_SEQ);
	CHECK_INT(v->n, 2);
	CHECK_STR(v->items[0]->str, "5");
	CHECK(v->items[0]->plain);
	CHECK_INT(v->items[0]->line, 4);
	CHECK_INT(v->items[0]->col, 5);
	CHECK_STR(v->items[1]->str, "20");
	CHECK(!v->items[1]->plain);
	CHECK_INT(v->items[1]->line, 5);

	v = ytree_get(root, "week");
	CHECK(v && v->kind == YNODE_MAP);
	w = ytree_get(v, "mon");
	CHECK(w && w->kind == YNODE_SEQ);
	CHECK_INT(w->n, 2);
	CHECK_STR(w->items[1]->str, "16:00-19:00");
	CHECK_INT(w->items[1]->line, 7);
	CHECK_INT(w->items[1]->col, 24);

	v = ytree_get(root, "empty_map");
	CHECK(v && v->kind == YNODE_MAP && v->n == 0);
	v = ytree_get(root, "empty_list");
	CHECK(v && v->kind == YNODE_SEQ && v->n == 0);

	CHECK(ytree_get(root, "missing") == NULL);
	CHECK(ytree_get(ytree_get(root, "hours"), "5") == NULL); /* not a map */
	CHECK(ytree_get(NULL, "x") == NULL);
	ytree_free(root);
	ytree_free(NULL);
}

static void
ytree_resolves_anchors_and_aliases(void)
{
	static const char doc[] =
		"base: &h [\"09:00-18:00\"]\n"
		"mon: *h\n"
		"tue: *h\n";
	struct ynode *root, *v;
	struct sp_err e;

	CHECK_INT(yparse(&root, doc, &e), 0);
	v = ytree_get(root, "tue");
	CHECK(v && v->kind == YNODE_SEQ && v->n == 1);
	CHECK_STR(v->items[0]->str, "09:00-18:00");
	ytree_free(root);
}

static void
ytree_refuses_duplicate_keys_naming_both_lines(void)
{
	static const char doc[] =
		"pack: easi\n"
		"format: 1\n"
		"calendars:\n"
		"  main: {}\n"
		"pack: isys\n";
	static const char nested[] =
		"a:\n"
		"  x: 1\n"
		"  y: 2\n"
		"  x: 3\n";
	struct ynode *root = NULL;
	struct sp_err e;

	CHECK_INT(yparse(&root, doc, &e), SP_EINVAL);
	CHECK(root == NULL);
	CHECK_INT(e.code, SP_EINVAL);
	CHECK_HAS(e.msg, "5:1:");
	CHECK_HAS(e.msg, "'pack'");
	CHECK_HAS(e.msg, "line 1");
	CHECK_INT(yparse(&root, nested, &e), SP_EINVAL);
	CHECK_HAS(e.msg, "4:3:");
	CHECK_HAS(e.msg, "'x'");
	CHECK_HAS(e.msg, "line 2");
}

static void
ytree_syntax_errors_carry_line_and_column(void)
{
	struct ynode *root = NULL;
	struct sp_err e;

	CHECK_INT(yparse(&root, "a: 1\nb: [1, 2\nc: 3\n", &e), SP_EINVAL);
	CHECK(root == NULL);
	CHECK(strncmp(e.msg, "3:", 2) == 0);
	CHECK(strlen(e.msg) > 6);
	CHECK_INT(yparse(&root, "a: 1\n b: 2\n", &e), SP_EINVAL);
	CHECK(strncmp(e.msg, "2:3: ", 5) == 0);
	CHECK_HAS(e.msg, "mapping values");
	CHECK_INT(yparse(&root, "a: 1\n\tb: 2\n", &e), SP_EINVAL);
	CHECK(strncmp(e.msg, "2:", 2) == 0);
	CHECK_INT(yparse(&root, "a: 'open\n", &e), SP_EINVAL);
	CHECK(strncmp(e.msg, "2:1: ", 5) == 0);
	CHECK_INT(yparse(&root, "a: *nowhere\n", &e), SP_EINVAL);
	CHECK(strncmp(e.msg, "1:4: ", 5) == 0);
	CHECK_INT(yparse(&root, "? [1]\n: 2\n", &e), SP_EINVAL);
	CHECK_HAS(e.msg, "key must be plain text");
	CHECK_INT(yparse(&root, "a: \"x\\0y\"\n", &e), SP_EINVAL);
	CHECK_HAS(e.msg, "NUL");
	CHECK_INT(yparse(&root, "", &e), SP_EINVAL);
	CHECK_HAS(e.msg, "empty");
	CHECK_INT(yparse(&root, "# nothing but a comment\n", &e), SP_EINVAL);
	CHECK_HAS(e.msg, "empty");
}

static void
ytree_refuses_self_referential_alias(void)
{
	struct ynode *root = NULL;
	struct sp_err e;

	CHECK(yparse(&root, "a: &x [1, *x]\n", &e) != 0);
	CHECK(root == NULL);
	CHECK(e.code != 0);
	CHECK_HAS(e.msg, "alias");
	CHECK(yparse(&root, "a: &x {b: *x}\n", &e) != 0);
	CHECK(root == NULL);
}

static void
ytree_refuses_deep_nesting_and_alias_bombs(void)
{
	/* Nine levels of ten aliases each: 10^9 nodes once expanded. */
	static const char bomb[] =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	struct ynode *root = NULL;
	struct sp_err e;
	char deep[400];
	size_t k = 0;

	CHECK_INT(yparse(&root, bomb, &e), SP_ETOOBIG);
	CHECK(root == NULL);
	CHECK_HAS(e.msg, "too many nodes");

	for (int i = 0; i < 100; i++)
		deep[k++] = '[';
	for (int i = 0; i < 100; i++)
		deep[k++] = ']';
	deep[k] = '\0';
	CHECK(yparse(&root, deep, &e) != 0);
	CHECK(root == NULL);
	CHECK(e.msg[0] != '\0');

	/* 30 levels is fine. */
	k = 0;
	for (int i = 0; i < 30; i++)
		deep[k++] = '[';
	for (int i = 0; i < 30; i++)
		deep[k++] = ']';
	deep[k] = '\0';
	CHECK_INT(yparse(&root, deep, &e), 0);
	ytree_free(root);
}

static void
ytree_is_null_only_for_plain_null_spellings(void)
{
	static const char doc[] =
		"a:\n"
		"b: ~\n"
		"c: null\n"
		"d: ''\n"
		"e: \"null\"\n"
		"f: nothing\n"
		"g: []\n"
		"h: \"~\"\n";
	struct ynode *root;
	struct sp_err e;

	CHECK_INT(yparse(&root, doc, &e), 0);
	CHECK(ytree_is_null(ytree_get(root, "a")));
	CHECK(ytree_is_null(ytree_get(root, "b")));
	CHECK(ytree_is_null(ytree_get(root, "c")));
	CHECK(!ytree_is_null(ytree_get(root, "d")));
	CHECK(!ytree_is_null(ytree_get(root, "e")));
	CHECK(!ytree_is_null(ytree_get(root, "f")));
	CHECK(!ytree_is_null(ytree_get(root, "g")));
	CHECK(!ytree_is_null(ytree_get(root, "h")));
	CHECK(!ytree_is_null(NULL));
	ytree_free(root);
}

/* ---- jw ------------------------------------------------------------- */

/* What jansson wrote for {"k": s} (NULL when json_pack refused s). */
static char *
jansson_of(const char *s)
{
	json_t *o = json_pack("{s:s}", "k", s);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(o);
	return text;
}

static char *
jw_of(const char *s)
{
	struct jw w;
	char *text;

	jw_init(&w);
	jw_str(&w, "k", s);
	if (jw_end(&w, &text))
		return NULL;
	return text;
}

/* Whether jw writes (or refuses) s as jansson does; says how if not. */
static bool
jw_same(const char *s, int line, const char *what, int n)
{
	char *want = jansson_of(s), *got = jw_of(s);
	bool same = (want == NULL && got == NULL) ||
		    (want && got && strcmp(want, got) == 0);

	if (!same)
		t_fail(__FILE__, line, "%s %d: jw %s, jansson %s", what, n,
		       got ? got : "(null)", want ? want : "(null)");
	free(want);
	free(got);
	return same;
}

/* Event bodies are compared and searched as text (sla.c's recorded()),
 * so jw must write jansson's bytes: every ASCII byte, escapes and all. */
static void
jw_writes_every_ascii_byte_as_jansson(void)
{
	for (int c = 1; c < 0x80; c++) {
		char s[4] = { 'a', (char)c, 'b', 0 };

		if (!jw_same(s, __LINE__, "byte", c))
			return;
	}
}

/* UTF-8 passes as it is; what jansson refuses jw refuses. */
static void
jw_takes_and_refuses_utf8_as_jansson(void)
{
	static const char *const cases[] = {
		"Ferretería", "€ 10", "😀", "\xe2\x80\xa8", "\xc2\x80",
		"\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "\xff", "ab\xe2\x82", "\x80", "",
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (!jw_same(cases[i], __LINE__, "case", (int)i))
			return;
}

static void
jw_writes_ints_nulls_and_objects_as_jansson(void)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:s?, s:s}", "a",
			      (json_int_t)INT64_MIN, "b", (json_int_t)-1,
			      "c", (json_int_t)0, "d", (json_int_t)INT64_MAX,
			      "e", NULL, "f", "x");
	char *want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS), *got;
	struct jw w;

	json_decref(o);
	jw_init(&w);
	jw_int(&w, "a", INT64_MIN);
	jw_int(&w, "b", -1);
	jw_int(&w, "c", 0);
	jw_int(&w, "d", INT64_MAX);
	jw_str_or_null(&w, "e", NULL);
	jw_str(&w, "f", "x");
	CHECK_INT(jw_end(&w, &got), 0);
	CHECK_STR(got, want);
	free(got);
	free(want);
	/* Arrays of strings, none, one or several, escapes and all. */
	{
		static const char *const of[] = { "A-1", "b\"\\\n", "ñ" };

		for (size_t n = 0; n <= 3; n++) {
			json_t *arr = json_array();

			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_string(of[i]));
			o = json_pack("{s:o, s:i}", "of", arr, "z", 1);
			want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
			json_decref(o);
			jw_init(&w);
			jw_strs(&w, "of", of, n);
			jw_int(&w, "z", 1);
			CHECK_INT(jw_end(&w, &got), 0);
			CHECK_STR(got, want);
			free(got);
			free(want);
		}
	}
	/* No members: {} as jansson. */
	jw_init(&w);
	CHECK_INT(jw_end(&w, &got), 0);
	CHECK_STR(got, "{}");
	free(got);
	/* A NULL where "s" wanted a string: no body, as json_pack's NULL. */
	jw_init(&w);
	jw_str(&w, "a", NULL);
	jw_int(&w, "b", 1);
	CHECK_INT(jw_end(&w, &got), 0);
	CHECK(got == NULL);
}

/* ---- jflat ---------------------------------------------------------- */

/* jflat_str agrees with json_loads whenever it answers (>= 0). */
static bool
jflat_agrees(const char *text, const char *key, int line)
{
	char got[64];
	int rc = jflat_str(text, key, got, sizeof got);
	json_t *j;
	const char *want;
	bool same;

	if (rc < 0)
		return true;
	j = json_loads(text, 0, NULL);
	want = j ? json_string_value(json_object_get(j, key)) : NULL;
	same = j && json_is_object(j) &&
	       (rc == 1 ? want && strcmp(want, got) == 0
			: json_object_get(j, key) == NULL);
	if (!same)
		t_fail(__FILE__, line, "jflat %d \"%s\" on %s[%s], jansson "
		       "%s", rc, rc == 1 ? got : "", text, key,
		       j ? (want ? want : "(no string)") : "(not JSON)");
	json_decref(j);
	return same;
}

/* The bodies our writers write are read without a parse, and right. */
static void
jflat_reads_event_bodies(void)
{
	static const char created[] = "{\"assignee_id\":0,\"category\":"
		"\"soporte\",\"channel\":\"email\",\"contact_id\":1,\"folio\":"
		"\"EASI-2605-0001\",\"id\":-12,\"organization_id\":1,"
		"\"parent_id\":null,\"priority\":\"high\",\"product_id\":0,"
		"\"state\":\"new\",\"subject\":\"Dice \\\"error\\\"\\tC:\\\\t"
		"emp \\/ ñ € 😀\",\"x\":true,\"y\":false}";
	char v[64];

	CHECK_INT(jflat_str(created, "state", v, sizeof v), 1);
	CHECK_STR(v, "new");
	CHECK_INT(jflat_str(created, "priority", v, sizeof v), 1);
	CHECK_STR(v, "high");
	CHECK_INT(jflat_str(created, "subject", v, sizeof v), 1);
	CHECK_STR(v, "Dice \"error\"\tC:\\temp / ñ € 😀");
	CHECK_INT(jflat_str(created, "kind", v, sizeof v), 0);
	CHECK_INT(jflat_str(" { \"kind\" : \"public\" ,\n\"channel\":null } ",
			    "kind", v, sizeof v), 1);
	CHECK_STR(v, "public");
	CHECK_INT(jflat_str("{}", "state", v, sizeof v), 0);
	/* The last of a repeated key, as jansson. */
	CHECK_INT(jflat_str("{\"s\":\"a\",\"s\":\"b\"}", "s", v, sizeof v), 1);
	CHECK_STR(v, "b");
	CHECK(jflat_agrees(created, "state", __LINE__));
	CHECK(jflat_agrees(created, "subject", __LINE__));
	CHECK(jflat_agrees("{\"s\":\"a\",\"s\":\"b\"}", "s", __LINE__));
}

/* What it cannot read exactly it leaves to the parser. */
static void
jflat_leaves_the_rest_to_jansson(void)
{
	static const char *const cases[] = {
		"{\"of\":[\"A-1\"],\"state\":\"new\"}",
		"{\"state\":\"n\\u0065w\"}", "{\"state\":1}",
		"{\"n\":1.5,\"state\":\"new\"}", "{\"n\":01,\"state\":\"new\"}",
		"{\"n\":12345678901234567890,\"state\":\"new\"}",
		"{\"state\":\"new\"} x", "{\"state\":\"new\"", "[\"state\"]",
		"{\"state\":\"a\tb\"}", "{\"state\":\"\xc0\x80\"}",
		"{\"state\":\"new\",}", "{\"state\":\"\\x\"}", "",
		("{\"state\":\"0123456789012345678901234567890123456789012345"
		 "678901234567890123456789\"}"),
	};
	char v[64];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (jflat_str(cases[i], "state", v, sizeof v) != -1) {
			t_fail(__FILE__, __LINE__, "case %zu read", i);
			return;
		}
}

/* Bodies with a byte changed, cut short or repeated: wherever jflat
 * answers, jansson answers the same. */
static void
jflat_agrees_with_jansson_on_damaged_bodies(void)
{
	static const char body[] = " {\"a\":-1,\"kind\":\"pu\\\"b\\\\lic\","
		"\"b\":null, \"c\":true,\"state\":\"ñew\"}";
	static const char bytes[] = "\"\\:,{}[] \t0-1.eE\x80\xc3\xa9nult";
	static const char *const keys[] = { "kind", "state", "a", "zz" };
	uint32_t r = 12345;
	size_t n = sizeof body - 1;

	for (int i = 0; i < 4000; i++) {
		char t[sizeof body + 8];
		size_t at, len = n;

		memcpy(t, body, n + 1);
		r = r * 1103515245u + 12345u;
		at = (r >> 8) % n;
		switch ((r >> 4) % 3) {
		case 0:
			t[at] = bytes[(r >> 20) % (sizeof bytes - 1)];
			break;
		case 1:
			t[at] = '\0';
			len = at;
			break;
		default:
			memmove(t + at + 1, t + at, len - at + 1);
			len++;
		}
		for (size_t k = 0; k < 4; k++)
			if (!jflat_agrees(t, keys[k], __LINE__))
				return;
	}
}

/* ---- err ------------------------------------------------------------ */

static void
sp_err_keeps_the_first_error(void)
{
	struct sp_err e;

	sp_err_clear(&e);
	CHECK_INT(sp_err_set(&e, SP_EINVAL, "priority", "bad %s", "value"),
		  SP_EINVAL);
	CHECK_INT(sp_err_set(&e, SP_EIO, "disk", "later"), SP_EIO);
	CHECK_INT(e.code, SP_EINVAL);
	CHECK_STR(e.field, "priority");
	CHECK_STR(e.msg, "bad value");
	CHECK_INT(sp_err_set(NULL, SP_ENOTFOUND, NULL, "x"), SP_ENOTFOUND);
	sp_err_clear(&e);
	CHECK_INT(e.code, 0);
	CHECK_INT(sp_code_exit(SP_EINVAL), 65);
	CHECK_INT(sp_code_exit(SP_OK), 0);
	CHECK_STR(sp_code_name(SP_ECONFLICT), "conflict");
}

/* Escaping per context: each of the five characters that matter, in
 * text and in attributes (cgit once got & and " wrong in attributes). */
static void
test_html_escapes_the_five_in_text_and_attributes(void)
{
	struct buf b;

	buf_init(&b, 4096);
	CHECK_INT(html_text(&b, "a&b<c>d\"e'f"), 0);
	CHECK_STR(b.ptr, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	CHECK_INT(html_attr(&b, "\" onmouseover='x' &<>"), 0);
	CHECK_STR(b.ptr, "&quot; onmouseover=&#39;x&#39; &amp;&lt;&gt;");
	buf_reset(&b);
	CHECK_INT(html_text(&b, "<script>alert(1)</script> ñ"), 0);
	CHECK_STR(b.ptr, "&lt;script&gt;alert(1)&lt;/script&gt; ñ");
	buf_reset(&b);
	CHECK_INT(html_url_part(&b, "INT-2026 00042/?&=\"'<ñ"), 0);
	CHECK_STR(b.ptr, "INT-2026%2000042%2F%3F%26%3D%22%27%3C%C3%B1");
	buf_reset(&b);
	CHECK_INT(html_printf(&b, "<p title=\"%s\">%s %d %lld %%</p>",
			      "a\"b", "<i>", 7, (long long)-8), 0);
	CHECK_STR(b.ptr, "<p title=\"a&quot;b\">&lt;i&gt; 7 -8 %</p>");
	buf_reset(&b);
	CHECK_INT(html_printf(&b, "%x", 1), SP_EINVAL);
	buf_free(&b);
}

const struct test util_tests[] = {
	{ "html_escapes_the_five_in_text_and_attributes", test_html_escapes_the_five_in_text_and_attributes },
	{ "buf_starts_empty_and_terminated", buf_starts_empty_and_terminated },
	{ "buf_grows_keeping_every_byte", buf_grows_keeping_every_byte },
	{ "buf_max_size_refuses_and_leaves_buffer_intact",
	  buf_max_size_refuses_and_leaves_buffer_intact },
	{ "buf_printf_formats_and_grows", buf_printf_formats_and_grows },
	{ "buf_detach_hands_over_storage", buf_detach_hands_over_storage },
	{ "arena_allocations_are_zeroed_aligned_and_distinct",
	  arena_allocations_are_zeroed_aligned_and_distinct },
	{ "arena_max_bounds_total_bytes", arena_max_bounds_total_bytes },
	{ "arena_refuses_sizes_that_would_wrap",
	  arena_refuses_sizes_that_would_wrap },
	{ "str_to_i64_accepts_whole_numbers_in_range",
	  str_to_i64_accepts_whole_numbers_in_range },
	{ "str_to_i64_refuses_junk_range_empty_overflow",
	  str_to_i64_refuses_junk_range_empty_overflow },
	{ "str_utf8_valid_refuses_every_malformation",
	  str_utf8_valid_refuses_every_malformation },
	{ "str_text_valid_refuses_control_characters",
	  str_text_valid_refuses_control_characters },
	{ "str_is_id_checks_charset_and_length",
	  str_is_id_checks_charset_and_length },
	{ "str_distance_counts_edits_up_to_cap",
	  str_distance_counts_edits_up_to_cap },
	{ "str_copy_and_eq", str_copy_and_eq },
	{ "civil_days_known_anchors", civil_days_known_anchors },
	{ "civil_days_round_trip_years_1_to_9999",
	  civil_days_round_trip_years_1_to_9999 },
	{ "civil_weekday_is_iso", civil_weekday_is_iso },
	{ "sla1_civil_nth_weekday_finds_lft_holidays",
	  civil_nth_weekday_finds_lft_holidays },
	{ "civil_parse_date_strict", civil_parse_date_strict },
	{ "civil_parse_hhmm_minutes_and_24", civil_parse_hhmm_minutes_and_24 },
	{ "civil_parse_instant_offsets_z_and_missing_seconds",
	  civil_parse_instant_offsets_z_and_missing_seconds },
	{ "civil_parse_instant_refuses_bad_inputs",
	  civil_parse_instant_refuses_bad_inputs },
	{ "civil_parse_local_reports_missing_offset",
	  civil_parse_local_reports_missing_offset },
	{ "civil_format_writes_iso8601_and_round_trips",
	  civil_format_writes_iso8601_and_round_trips },
	{ "ytree_builds_maps_and_lists_with_positions",
	  ytree_builds_maps_and_lists_with_positions },
	{ "ytree_resolves_anchors_and_aliases",
	  ytree_resolves_anchors_and_aliases },
	{ "ytree_refuses_duplicate_keys_naming_both_lines",
	  ytree_refuses_duplicate_keys_naming_both_lines },
	{ "ytree_syntax_errors_carry_line_and_column",
	  ytree_syntax_errors_carry_line_and_column },
	{ "ytree_refuses_self_referential_alias",
	  ytree_refuses_self_referential_alias },
	{ "ytree_refuses_deep_nesting_and_alias_bombs",
	  ytree_refuses_deep_nesting_and_alias_bombs },
	{ "ytree_is_null_only_for_plain_null_spellings",
	  ytree_is_null_only_for_plain_null_spellings },
	{ "jw_writes_every_ascii_byte_as_jansson",
	  jw_writes_every_ascii_byte_as_jansson },
	{ "jw_takes_and_refuses_utf8_as_jansson",
	  jw_takes_and_refuses_utf8_as_jansson },
	{ "jw_writes_ints_nulls_and_objects_as_jansson",
	  jw_writes_ints_nulls_and_objects_as_jansson },
	{ "jflat_reads_event_bodies", jflat_reads_event_bodies },
	{ "jflat_leaves_the_rest_to_jansson", jflat_leaves_the_rest_to_jansson },
	{ "jflat_agrees_with_jansson_on_damaged_bodies",
	  jflat_agrees_with_jansson_on_damaged_bodies },
	{ "sp_err_keeps_the_first_error", sp_err_keeps_the_first_error },
	{ 0 },
};
