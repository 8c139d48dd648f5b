/* test.h — the in-house test runner. A suite is an array of tests ending
 * with {0}; run.c lists the suites. CHECK stops the test at the first
 * failure and reports file:line and the expression. */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct test {
	const char *name;
	void (*fn)(void);
};

struct suite {
	const char *name;
	const struct test *tests;
	bool unit; /* pure, no processes or files: also run under valgrind */
};

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
extern int t_current_failed;
/* A fresh empty directory for this test (removed after). */
const char *t_tmpdir(void);

#define CHECK(c)                                                        \
	do {                                                            \
		if (!(c)) {                                             \
			t_fail(__FILE__, __LINE__, "%s", #c);           \
			return;                                         \
		}                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                 \
	do {                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);     \
		if (a_ != b_) {                                         \
			t_fail(__FILE__, __LINE__, "%s == %lld, want %lld", \
			       #a, a_, b_);                             \
			return;                                         \
		}                                                       \
	} while (0)

#define CHECK_STR(a, b)                                                 \
	do {                                                            \
		const char *a_ = (a), *b_ = (b);                        \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {  \
			t_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", \
			       #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			return;                                         \
		}                                                       \
	} while (0)

/* Haystack contains needle. */
#define CHECK_HAS(h, n)                                                 \
	do {                                                            \
		const char *h_ = (h), *n_ = (n);                        \
		if (h_ == NULL || strstr(h_, n_) == NULL) {             \
			t_fail(__FILE__, __LINE__, "%s does not contain \"%s\":\n%s", \
			       #h, n_, h_ ? h_ : "(null)");             \
			return;                                         \
		}                                                       \
	} while (0)

#endif
