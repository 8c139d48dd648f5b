#include "imap.h"

#include "../util/buf.h"
#include "../util/str.h"
#include "intake.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define IMAP_MAX_MESSAGE (25 << 20)

void
imap_conf_from_env(struct imap_conf *c)
{
	const char *v;

	memset(c, 0, sizeof *c);
	c->url = (v = getenv("SOPORTE_IMAP_URL")) && *v ? v : NULL;
	c->user = (v = getenv("SOPORTE_IMAP_USER")) && *v ? v : NULL;
	c->pass = getenv("SOPORTE_IMAP_PASS");
	c->timeout = 120;
	c->limit = 500;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct buf *b = userp;

	return buf_add(b, ptr, size * nmemb) ? 0 : size * nmemb;
}

/* One IMAP command on the mailbox URL; the untagged answer in `out`. */
static int
imap_command(const struct imap_conf *c, const char *command, struct buf *out,
	     struct sp_err *err)
{
	static bool global;
	char ebuf[CURL_ERROR_SIZE] = "";
	CURL *h;
	CURLcode rc;

	if (!global) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global = true;
	}
	h = curl_easy_init();
	if (h == NULL)
		return sp_err_set(err, SP_ENOMEM, "imap", "libcurl failed to "
				  "start");
	buf_reset(out);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout > 0 ? c->timeout : 120L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->pass ? c->pass : "");
	}
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		return sp_err_set(err, SP_EIO, "imap", "%s on %s failed: %s",
				  command, c->url,
				  ebuf[0] ? ebuf : curl_easy_strerror(rc));
	return 0;
}

/* Downloads one message by UID (libcurl's FETCH BODY[]: servers mark
 * it \Seen as they send it; see imap_fetch for how nothing is lost). */
static int
imap_download(const struct imap_conf *c, int64_t uid, struct buf *out,
	      struct sp_err *err)
{
	char url[4096], ebuf[CURL_ERROR_SIZE] = "";
	CURL *h = curl_easy_init();
	CURLcode rc;

	if (h == NULL)
		return sp_err_set(err, SP_ENOMEM, "imap", "libcurl failed to "
				  "start");
	snprintf(url, sizeof url, "%s;UID=%lld", c->url, (long long)uid);
	buf_reset(out);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout > 0 ? c->timeout : 120L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->pass ? c->pass : "");
	}
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		return sp_err_set(err, SP_EIO, "imap", "fetching UID %lld from "
				  "%s failed: %s", (long long)uid, c->url,
				  ebuf[0] ? ebuf : curl_easy_strerror(rc));
	return 0;
}

int
imap_fetch(struct app *app, const struct imap_conf *c, int64_t now,
	   struct fetch_report *out, struct sp_err *err)
{
	struct buf resp, msg;
	const char *p;
	int64_t uids[1000];
	int nuids = 0, rc;

	memset(out, 0, sizeof *out);
	if (c->url == NULL)
		return sp_err_set(err, SP_EINVAL, "imap", "no mailbox: give "
				  "--imap URL or SOPORTE_IMAP_URL "
				  "(imaps://host/INBOX)");
	buf_init(&resp, 1 << 20);
	buf_init(&msg, IMAP_MAX_MESSAGE);
	if ((rc = imap_command(c, "UID SEARCH UNSEEN", &resp, err)))
		goto out;
	/* "* SEARCH 4 7 9" */
	p = strstr(resp.ptr, "SEARCH");
	if (p) {
		p += 6;
		while (*p && nuids < (int)(sizeof uids / sizeof uids[0]) &&
		       nuids < c->limit) {
			char *end;
			long long u = strtoll(p, &end, 10);

			if (end == p)
				break;
			if (u > 0)
				uids[nuids++] = u;
			p = end;
		}
	}
	for (int i = 0; i < nuids; i++) {
		struct mail_outcome o;
		struct sp_err e = { 0 };
		char cmd[96];

		if (imap_download(c, uids[i], &msg, &e)) {
			out->failed++;
			continue;
		}
		if (mail_intake(app, &o, now, msg.ptr, msg.len, "mail-fetch",
				&e)) {
			/* Not committed (a lock, a full disk): the message goes
			 * back to unseen and is taken on the next run. */
			snprintf(cmd, sizeof cmd, "UID STORE %lld -FLAGS (\\Seen)",
				 (long long)uids[i]);
			imap_command(c, cmd, &resp, &e);
			out->failed++;
			continue;
		}
		/* Committed: now it may be seen (the download may have marked
		 * it already; this makes sure on servers that did not). */
		out->fetched++;
		out->by[o.result]++;
		snprintf(cmd, sizeof cmd, "UID STORE %lld +FLAGS (\\Seen)",
			 (long long)uids[i]);
		if (imap_command(c, cmd, &resp, &e))
			out->failed++; /* fetched again next time: deduplicated */
	}
	rc = 0;
out:
	buf_free(&resp);
	buf_free(&msg);
	return rc;
}
