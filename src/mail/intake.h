/* intake.h — one path for every way mail arrives (mail-in, mail-import,
 * mail-fetch): raw committed first, then parsed and threaded. */
#ifndef SP_INTAKE_H
#define SP_INTAKE_H

#include "../app/app.h"

/* Stores, parses and accepts one message. A message that cannot be
 * parsed, or that a use case refuses, is quarantined (kept for agents):
 * that is a success for the caller (nothing is lost). A temporary fault
 * (SP_EBUSY, SP_EIO) is returned so the MTA or the fetcher retries; the
 * raw bytes, if stored, are processed again then. */
int mail_intake(struct app *app, struct mail_outcome *out, int64_t now,
		const void *raw, size_t len, const char *source,
		struct sp_err *err);
/* Runs a stored message again (after its quarantine was looked at). */
int mail_retry(struct app *app, struct mail_outcome *out, int64_t now,
	       int64_t raw_id, struct sp_err *err);

#endif
