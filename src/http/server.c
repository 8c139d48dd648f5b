#include "http.h"

#include "../mail/smtp.h"
#include "../util/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

struct http_server {
	struct app *app; /* the request thread's; timers use their own */
	const struct serve_conf *conf;
	struct http_metrics metrics;
	pthread_mutex_t lock; /* metrics are read by another thread */
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *
http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
http_cookie(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
http_form(struct http_req *r, const char *name)
{
	for (int i = 0; i < r->nform; i++)
		if (strcmp(r->form_name[i], name) == 0)
			return r->form_value[i].ptr;
	return NULL;
}

/* libmicrohttpd decodes application/x-www-form-urlencoded and calls
 * this for each piece of each field. */
static enum MHD_Result
on_form(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *filename, const char *type, const char *encoding,
	const char *data, uint64_t off, size_t size)
{
	struct http_req *r = cls;
	int i;

	(void)kind;
	(void)encoding;
	if (filename) {
		/* A new file starts at offset 0; later pieces append. */
		if (off == 0) {
			struct http_file *f;

			if (r->nfiles >= 8)
				return MHD_YES;
			f = &r->files[r->nfiles++];
			f->field = arena_strdup(&r->arena, key);
			f->filename = arena_strdup(&r->arena, filename);
			f->mime = arena_strdup(&r->arena, type ? type :
					       "application/octet-stream");
			buf_init(&f->data, 10 << 20);
		}
		if (r->nfiles && size &&
		    buf_add(&r->files[r->nfiles - 1].data, data, size))
			r->too_big = true;
		return MHD_YES;
	}
	(void)type;
	(void)off;
	for (i = 0; i < r->nform; i++)
		if (strcmp(r->form_name[i], key) == 0)
			break;
	if (i == r->nform) {
		if (r->nform >= HTTP_FORM_FIELDS)
			return MHD_YES; /* extra fields are not read */
		r->form_name[i] = arena_strdup(&r->arena, key);
		buf_init(&r->form_value[i], 1 << 20);
		r->nform++;
	}
	if (size && buf_add(&r->form_value[i], data, size))
		r->too_big = true;
	return MHD_YES;
}

const struct http_metrics *
http_metrics(struct http_server *srv)
{
	return &srv->metrics;
}

static void
count(struct http_server *srv, int status, int64_t ns)
{
	static const int64_t bounds_ms[] = { 1, 5, 10, 50, 100, 500, 1000 };
	int64_t us = ns / 1000;
	int b = 7;

	for (int i = 0; i < 7; i++)
		if (us <= bounds_ms[i] * 1000) {
			b = i;
			break;
		}
	pthread_mutex_lock(&srv->lock);
	srv->metrics.requests[status >= 100 && status < 600 ? status / 100 : 0]++;
	srv->metrics.latency_buckets[b]++;
	srv->metrics.latency_us_sum += (uint64_t)us;
	srv->metrics.requests_total++;
	pthread_mutex_unlock(&srv->lock);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload,
	   size_t *upload_size, void **ctx)
{
	struct http_server *srv = cls;
	struct http_req *r = *ctx;
	struct http_res res = { 0 };
	struct MHD_Response *resp;
	enum MHD_Result ok;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return MHD_NO;
		r->srv = srv;
		r->method = method;
		r->path = url;
		r->conn = conn;
		r->started_ns = now_ns();
		r->who = app_system;
		r->who.kind = "anonymous";
		buf_init(&r->body, HTTP_BODY_MAX);
		arena_init(&r->arena, 64u << 20);
		{
			const char *ct = MHD_lookup_connection_value(
				conn, MHD_HEADER_KIND, "Content-Type");

			if (ct && (strncasecmp(ct, "application/x-www-form-urlencoded",
					       33) == 0 ||
				   strncasecmp(ct, "multipart/form-data", 19) == 0))
				r->post = MHD_create_post_processor(conn, 16384,
								    on_form, r);
		}
		*ctx = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->post && !r->too_big &&
		    MHD_post_process(r->post, upload, *upload_size) != MHD_YES)
			r->too_big = true;
		/* Over the limit the rest is read and dropped; the answer is
		 * 413 once the request is complete. */
		if (!r->too_big && buf_add(&r->body, upload, *upload_size))
			r->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	api_handle(srv, srv->app, r, &res);
	resp = MHD_create_response_from_buffer(res.len, res.body,
					       MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(res.body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
				res.type ? res.type : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (res.etag[0])
		MHD_add_response_header(resp, "ETag", res.etag);
	if (res.set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", res.set_cookie);
	if (res.location[0])
		MHD_add_response_header(resp, "Location", res.location);
	if (res.disposition && !strpbrk(res.disposition, "\r\n"))
		MHD_add_response_header(resp, "Content-Disposition",
					res.disposition);
	if (res.type && strncmp(res.type, "text/html", 9) == 0) {
		/* Pages load nothing from elsewhere and run no inline script. */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; style-src 'unsafe-inline'; "
					"frame-ancestors 'none'; form-action 'self'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	}
	ok = MHD_queue_response(conn, (unsigned)res.status, resp);
	MHD_destroy_response(resp);
	r->status = res.status;
	return ok;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
	     enum MHD_RequestTerminationCode code)
{
	struct http_server *srv = cls;
	struct http_req *r = *ctx;
	int64_t took;
	int status;

	(void)conn;
	if (r == NULL)
		return;
	took = now_ns() - r->started_ns;
	status = code == MHD_REQUEST_TERMINATED_COMPLETED_OK ? r->status : 0;
	count(srv, status, took);
	if (srv->conf->access_log) {
		char when[32];
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(srv->conf->access_log, "%s %s %s %s:%lld %d %lldus\n",
			when, r->method, r->path, r->who.kind,
			(long long)r->who.id, status, (long long)(took / 1000));
		fflush(srv->conf->access_log);
	}
	buf_free(&r->body);
	if (r->post)
		MHD_destroy_post_processor(r->post);
	for (int i = 0; i < r->nform; i++)
		buf_free(&r->form_value[i]);
	for (int i = 0; i < r->nfiles; i++)
		buf_free(&r->files[i].data);
	arena_free(&r->arena);
	free(r);
	*ctx = NULL;
}

static int
parse_listen(struct sockaddr_in *sa, const char *listen, struct sp_err *err)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	int64_t port;

	memset(sa, 0, sizeof *sa);
	if (colon == NULL || (size_t)(colon - listen) >= sizeof host ||
	    str_to_i64(&port, colon + 1, 1, 65535))
		return sp_err_set(err, SP_EINVAL, "listen", "--listen takes "
				  "ADDRESS:PORT, such as 127.0.0.1:8080, not "
				  "'%s'", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return sp_err_set(err, SP_EINVAL, "listen", "'%s' is not an IPv4 "
				  "address", host);
	return 0;
}

/* Timers and the outbox, on their own connection, between signals. */
static void
background(const struct serve_conf *conf, struct app *bg)
{
	struct tick_report tr;
	struct sp_err err = { 0 };
	int64_t now = (int64_t)time(NULL);

	if (app_tick(bg, &tr, now, &err))
		fprintf(stderr, "soporte serve: timers: %s\n", err.msg);
	if (conf->send_mail) {
		struct smtp_conf sc;
		struct send_report sr;

		smtp_conf_from_env(&sc);
		sp_err_clear(&err);
		if (smtp_flush(bg, &sc, now, &sr, &err))
			fprintf(stderr, "soporte serve: outbox: %s\n", err.msg);
	}
}

int
http_serve(const struct serve_conf *conf, struct sp_err *err)
{
	struct http_server srv = { 0 };
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	struct app *bg = NULL;
	sigset_t set;
	int rc, sig = 0;

	if ((rc = parse_listen(&sa, conf->listen, err)))
		return rc;
	if ((rc = app_open(&srv.app, conf->db, conf->provider, err)))
		return rc;
	if ((rc = app_open(&bg, conf->db, conf->provider, err))) {
		app_close(srv.app);
		return rc;
	}
	srv.conf = conf;
	pthread_mutex_init(&srv.lock, NULL);
	/* Signals go to this thread only: the server's thread never sees
	 * them, and sigtimedwait below waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* One polling thread: requests share one database connection, as
	 * SQLite serialises writers anyway. */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_USE_ITC |
			     MHD_USE_ERROR_LOG,
			     0, NULL, NULL, on_request, &srv,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)HTTP_CONNECTIONS_MAX,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)HTTP_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)HTTP_HEADER_MAX,
			     MHD_OPTION_END);
	if (d == NULL) {
		rc = sp_err_set(err, SP_EIO, "listen", "cannot listen on %s (%s)",
				conf->listen, strerror(errno));
		goto out;
	}
	fprintf(stderr, "soporte serve: %s on http://%s\n", srv.app->policy->id,
		conf->listen);
	while (sig != SIGTERM && sig != SIGINT) {
		struct timespec ts = { conf->tick_seconds > 0 ?
				       conf->tick_seconds : 30, 0 };

		background(conf, bg);
		sig = sigtimedwait(&set, NULL, &ts);
	}
	fprintf(stderr, "soporte serve: stopping\n");
	/* Graceful: no new connections; those in flight finish. */
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	rc = 0;
out:
	app_close(bg);
	app_close(srv.app);
	pthread_mutex_destroy(&srv.lock);
	return rc;
}
