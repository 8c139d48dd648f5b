/* imap.h — fetching a mailbox by IMAP(S) through libcurl. A message is
 * marked \Seen only after soporte committed it. */
#ifndef SP_IMAP_H
#define SP_IMAP_H

#include "../app/app.h"

struct imap_conf {
	const char *url;  /* imap://host:143/INBOX, imaps://host/INBOX */
	const char *user, *pass;
	long timeout;
	int limit;        /* messages per run */
};

/* Reads SOPORTE_IMAP_URL, SOPORTE_IMAP_USER, SOPORTE_IMAP_PASS. */
void imap_conf_from_env(struct imap_conf *c);

struct fetch_report {
	int fetched, failed;
	int by[MAIL_QUARANTINED + 1];
};

/* Takes the unseen messages through mail_intake, each marked \Seen once
 * committed; one that fails temporarily stays unseen for the next run. */
int imap_fetch(struct app *app, const struct imap_conf *c, int64_t now,
	       struct fetch_report *out, struct sp_err *err);

#endif
