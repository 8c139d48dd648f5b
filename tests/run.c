/* run.c — runs every suite, or those whose suite/test name contains an
 * argument; --unit runs only the pure suites. Ends with
 * "N passed, N failed". */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#define SUITE(x) extern const struct test x[];
#define UNIT_SUITE(x) extern const struct test x[];
#include "suites.h"
#undef SUITE
#undef UNIT_SUITE

static const struct suite suites[] = {
#define SUITE(x) { #x, x, false },
#define UNIT_SUITE(x) { #x, x, true },
#include "suites.h"
#undef SUITE
#undef UNIT_SUITE
};

int t_current_failed;
static char tmpdir[256];

void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (!t_current_failed)
		fprintf(stderr, "\n");
	t_current_failed = 1;
	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

const char *
t_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		snprintf(tmpdir, sizeof tmpdir, "%s/soporte-test-XXXXXX",
			 base && *base ? base : "/tmp");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(70);
		}
	}
	return tmpdir;
}

static void
t_cleanup_tmp(void)
{
	char cmd[300];

	if (tmpdir[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	tmpdir[0] = '\0';
}

static bool
wanted(int argc, char **argv, const char *suite, const char *test)
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = true;
		if (strstr(suite, argv[i]) || strstr(test, argv[i]))
			return true;
	}
	return !any;
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	bool unit_only = false;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--unit") == 0)
			unit_only = true;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
		if (unit_only && !suites[s].unit)
			continue;
		for (const struct test *t = suites[s].tests; t->name; t++) {
			if (!wanted(argc, argv, suites[s].name, t->name))
				continue;
			t_current_failed = 0;
			t->fn();
			t_cleanup_tmp();
			if (t_current_failed) {
				failed++;
				printf("FAIL %s/%s\n", suites[s].name, t->name);
			} else {
				passed++;
				printf("ok   %s/%s\n", suites[s].name, t->name);
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
