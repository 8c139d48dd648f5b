/* err.h — errors are values: a negative code plus an optional message. */
#ifndef SP_ERR_H
#define SP_ERR_H

#include <stddef.h>

enum sp_code {
	SP_OK = 0,
	SP_EINVAL = -1,    /* bad input: the message says which and where */
	SP_ENOTFOUND = -2, /* no such record */
	SP_ECONFLICT = -3, /* a rule or a concurrent change refuses it */
	SP_ETOOBIG = -4,   /* over a size limit */
	SP_EIO = -5,       /* file, database or system failure */
	SP_EBUSY = -6,     /* locked; a retry may succeed */
	SP_ENOMEM = -7,
	SP_EFORMAT = -8,   /* a file that is not ours or is damaged */
	SP_EPERM = -9,     /* the actor's role may not do this */
};

/* A message a person can act on; `field` names the input at fault when
 * there is one ("priority", "policies/x.yaml:12:3"). */
struct sp_err {
	int code;
	char field[128];
	char msg[512];
};

/* Records the first error only: later calls leave an earlier one alone, so
 * the root cause survives propagation. Returns `code` for tail calls.
 * `e` may be NULL. */
int sp_err_set(struct sp_err *e, int code, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sp_err_clear(struct sp_err *e);
const char *sp_code_name(int code);
/* sysexits.h status for a code: 65 data, 66 no input, 75 tempfail… */
int sp_code_exit(int code);

#endif
