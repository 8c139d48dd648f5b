#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

int
sp_err_set(struct sp_err *e, int code, const char *field, const char *fmt,
	   ...)
{
	va_list ap;

	if (e == NULL || e->code != 0)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

void
sp_err_clear(struct sp_err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof *e);
}

const char *
sp_code_name(int code)
{
	switch (code) {
	case SP_OK: return "ok";
	case SP_EINVAL: return "invalid";
	case SP_ENOTFOUND: return "not_found";
	case SP_ECONFLICT: return "conflict";
	case SP_ETOOBIG: return "too_big";
	case SP_EIO: return "io";
	case SP_EBUSY: return "busy";
	case SP_ENOMEM: return "no_memory";
	case SP_EFORMAT: return "bad_format";
	case SP_EPERM: return "forbidden";
	default: return "error";
	}
}

int
sp_code_exit(int code)
{
	switch (code) {
	case SP_OK: return 0;
	case SP_EINVAL: return EX_DATAERR;
	case SP_ENOTFOUND: return EX_NOINPUT;
	case SP_ECONFLICT: return EX_DATAERR;
	case SP_ETOOBIG: return EX_DATAERR;
	case SP_EBUSY: return EX_TEMPFAIL;
	case SP_EFORMAT: return EX_DATAERR;
	case SP_EPERM: return EX_NOPERM;
	case SP_ENOMEM: return EX_OSERR;
	default: return EX_IOERR;
	}
}
