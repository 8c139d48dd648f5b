#include "smtp.h"

#include "mime.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct upload {
	const char *data;
	size_t len, off;
};

static size_t
read_cb(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct upload *u = userp;
	size_t want = size * nmemb, left = u->len - u->off;
	size_t n = want < left ? want : left;

	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

void
smtp_conf_from_env(struct smtp_conf *c)
{
	const char *v;

	memset(c, 0, sizeof *c);
	c->url = (v = getenv("SOPORTE_SMTP_URL")) && *v ? v : "smtp://127.0.0.1:25";
	c->user = (v = getenv("SOPORTE_SMTP_USER")) && *v ? v : NULL;
	c->pass = getenv("SOPORTE_SMTP_PASS");
	c->timeout = 60;
}

int
smtp_send(const struct smtp_conf *c, const char *from, const char *to,
	  const char *data, size_t len, struct sp_err *err)
{
	static bool global;
	struct upload u = { data, len, 0 };
	struct curl_slist *rcpt = NULL;
	char ebuf[CURL_ERROR_SIZE] = "", fromb[400], tob[400];
	CURL *h;
	CURLcode rc;

	if (!global) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global = true;
	}
	h = curl_easy_init();
	if (h == NULL)
		return sp_err_set(err, SP_ENOMEM, "smtp", "libcurl failed to start");
	snprintf(fromb, sizeof fromb, "<%s>", from);
	snprintf(tob, sizeof tob, "<%s>", to);
	rcpt = curl_slist_append(rcpt, tob);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, fromb);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout > 0 ? c->timeout : 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->pass ? c->pass : "");
		/* Credentials only over TLS. */
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		return sp_err_set(err, SP_EIO, "smtp", "sending to %s through "
				  "%s failed: %s", to, c->url,
				  ebuf[0] ? ebuf : curl_easy_strerror(rc));
	return 0;
}

int
smtp_flush(struct app *app, const struct smtp_conf *c, int64_t now,
	   struct send_report *out, struct sp_err *err)
{
	const char *from = app->policy->provider.email;
	const char *name = app->policy->provider.short_name;

	memset(out, 0, sizeof *out);
	for (;;) {
		struct outbox_row *due;
		struct arena a;
		size_t n;
		int rc;

		arena_init(&a, 0);
		if ((rc = app_outbox_due(app, &a, &due, &n, now, 50, err))) {
			arena_free(&a);
			return rc;
		}
		if (n == 0) {
			arena_free(&a);
			return 0;
		}
		for (size_t i = 0; i < n; i++) {
			struct sp_err e = { 0 };
			char *data = NULL;
			size_t len;

			rc = mime_build(&data, &len, &due[i], from, name, now, &e);
			if (rc == 0)
				rc = smtp_send(c, from, due[i].to_addr, data, len,
					       &e);
			free(data);
			if (rc == 0)
				out->sent++;
			else
				out->failed++;
			if ((rc = app_outbox_done(app, now, due[i].id, rc == 0,
						  e.msg[0] ? e.msg : NULL, err))) {
				arena_free(&a);
				return rc;
			}
		}
		arena_free(&a);
	}
}
