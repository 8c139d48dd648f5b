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
void fx_run_free(struct fx_run *r);

#endif
