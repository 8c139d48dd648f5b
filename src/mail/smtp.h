/* smtp.h — sending the outbox by SMTP through libcurl. */
#ifndef SP_SMTP_H
#define SP_SMTP_H

#include "../app/app.h"

struct smtp_conf {
	const char *url;  /* smtp://host:port, smtps://host:465 */
	const char *user, *pass; /* NULL: no authentication */
	long timeout;     /* seconds per message */
};

/* Reads SOPORTE_SMTP_URL, SOPORTE_SMTP_USER, SOPORTE_SMTP_PASS. */
void smtp_conf_from_env(struct smtp_conf *c);
int smtp_send(const struct smtp_conf *c, const char *from, const char *to,
	      const char *data, size_t len, struct sp_err *err);

struct send_report {
	int sent, failed;
};
/* Sends what is due in the outbox; each message is marked sent, or
 * failed with its retry time (app_outbox_done). */
int smtp_flush(struct app *app, const struct smtp_conf *c, int64_t now,
	       struct send_report *out, struct sp_err *err);

#endif
