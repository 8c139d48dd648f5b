/* fixture.h — helpers for tests that use real files and processes. */
#ifndef SP_FIXTURE_H
#define SP_FIXTURE_H

#include "../src/app/app.h"
#include "../src/util/buf.h"

/* The policies folder ($SOPORTE_POLICIES, else ./policies). */
const char *fx_policies(void);
/* A path inside this test's temporary folder. */
const char *fx_path(const char *name);
/* A new database at fx_path("t.db") with provider `pack`, opened.
 * Returns NULL (and fails the test) if that does not work. */
struct app *fx_app(const char *pack, int64_t now);
/* Instant from ISO 8601 text; aborts the test run on bad text. */
int64_t fx_at(const char *iso);

/* Runs the soporte binary ($SOPORTE_BIN) with the arguments (ending in
 * NULL), stdin from `in` (NULL: empty). Captures both outputs. Returns
 * the exit status, or -1 if it could not run. */
struct fx_run {
	int status;
	struct buf out, err;
};
int fx_cli(struct fx_run *r, const char *in, ...) __attribute__((sentinel));
/* The same with the arguments in an array ending in NULL. */
int fx_cli_argv(struct fx_run *r, const char *in, const char *const *args);
void fx_run_free(struct fx_run *r);
/* True if status is 0; else fails the test at file:line with `what` and
 * the run's output. For OK(what, call) in the CLI suites. */
bool fx_ok(const struct fx_run *r, int status, const char *what,
	   const char *file, int line);

/* A whole file into b (initialised here, up to 64 MiB); false if it
 * cannot be read. */
bool fx_read_file(const char *path, struct buf *b);
/* Writes len bytes to path, replacing it; false on any failure. */
bool fx_write_file(const char *path, const void *data, size_t len);

#endif
