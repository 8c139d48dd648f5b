#include "http.h"

#include "../mail/smtp.h"
#include "api_reply.h"
#include "../util/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Group commit: a batch commits when the worker has nothing more to
 * answer and the event loop is not reading more, or at HTTP_BATCH_MAX
 * writes, or HTTP_BATCH_NS after its first, whichever comes first. */
#define HTTP_BATCH_MAX 64
#define HTTP_BATCH_NS (2 * 1000 * 1000)
/* On SIGTERM, requests in flight get this long to finish. */
#define HTTP_DRAIN_NS ((int64_t)5 * 1000 * 1000 * 1000)

/* Answers kept: HTTP_CACHE of them, each of at most HTTP_CACHE_BODY
 * bytes, for paths shorter than HTTP_CACHE_PATH. */
#define HTTP_CACHE 16
#define HTTP_CACHE_BODY (64 << 10)
#define HTTP_CACHE_PATH 128

struct cached {
	char path[HTTP_CACHE_PATH];    /* "": empty slot */
	unsigned char auth[crypto_hash_sha256_BYTES];
	struct store_generation gen;
	int64_t second;
	int status;
	const char *type;
	char etag[32];
	char *body;
	size_t len;
	struct actor who;              /* for the access log */
};

/* Two threads share the request connection (app), one at a time: the
 * event loop (libmicrohttpd: sockets, parsing, sending) and the worker,
 * which answers what the loop hands it and commits batches. So reading
 * and sending the next requests goes on while a batch is answered and
 * committed. A read that finds the worker idle is answered on the loop
 * itself, without the hand-over. */
struct http_server {
	struct app *app;
	const struct serve_conf *conf;
	struct http_metrics metrics;
	pthread_mutex_t lock; /* metrics are read by another thread */
	/* The hand-over, under qlock. */
	pthread_mutex_t qlock;
	pthread_cond_t qwake;  /* the worker waits on it */
	struct http_req *qhead, *qtail;
	bool in_pass;          /* the loop is reading: more may come */
	bool worker_busy;      /* the worker has the app (or writes held) */
	bool loop_busy;        /* the loop has the app (a read) */
	int worker_waits;      /* 1: for work; 2: for the loop's pass */
	bool worker_stop;      /* finish what is queued, then return */
	bool worker_gone;
	int wakefd;            /* eventfd: answers let go, for the loop */
	/* The syncer, with group commit: the request connection commits
	 * without waiting for the disk (synchronous = NORMAL), and this
	 * thread syncs the log (fdatasync) while the worker answers the
	 * next batch. An answer waits for the first sync begun after its
	 * commit; under qlock. */
	int walfd;             /* the log; -1: no syncer, commits sync */
	pthread_cond_t swake;
	struct http_req *shead, *stail; /* answers waiting for a sync */
	int insync;            /* ... and those being synced */
	bool sync_stop;
	/* The worker's own. */
	struct http_req **held; /* writes whose answers wait for the commit */
	int nheld, batch_max;
	int64_t batch_started_ns;
	/* The loop's own. */
	atomic_int active;     /* requests begun and not yet completed */
	int suspended;         /* connections handed over, not yet back */
	atomic_bool stopping;  /* SIGTERM: keep-alive ends with each answer */
	bool refusing;         /* stopping, and no new request is taken */
	/* Answers kept, used by whoever has the app. */
	struct cached cache[HTTP_CACHE];
	int cache_next;        /* the slot to reuse */
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

/* A file's name as the person named it: browsers send a '"' in it as
 * %22 (the HTML standard's multipart/form-data encoding). */
static char *
form_filename(struct arena *a, const char *sent)
{
	char *name = arena_strdup(a, sent), *p;

	while (name && (p = strstr(name, "%22"))) {
		*p = '"';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	return name;
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
			f->filename = form_filename(&r->arena, filename);
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

void
http_metrics(struct http_server *srv, struct http_metrics *out)
{
	pthread_mutex_lock(&srv->lock);
	*out = srv->metrics;
	pthread_mutex_unlock(&srv->lock);
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

static struct MHD_Response *
response_of(struct http_server *srv, struct http_res *res)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(res->len, res->body,
					       MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(res->body);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type",
				res->type ? res->type : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (srv->stopping)
		MHD_add_response_header(resp, "Connection", "close");
	if (res->etag[0])
		MHD_add_response_header(resp, "ETag", res->etag);
	if (res->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", res->set_cookie);
	if (res->location[0])
		MHD_add_response_header(resp, "Location", res->location);
	if (res->disposition && !strpbrk(res->disposition, "\r\n"))
		MHD_add_response_header(resp, "Content-Disposition",
					res->disposition);
	if (res->type && strncmp(res->type, "text/html", 9) == 0) {
		/* Pages load nothing from elsewhere and run no inline script. */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; style-src 'unsafe-inline'; "
					"frame-ancestors 'none'; form-action 'self'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	}
	return resp;
}

static void
wake_loop(struct http_server *srv)
{
	uint64_t one = 1;

	if (write(srv->wakefd, &one, sizeof one) < 0 && errno != EAGAIN)
		fprintf(stderr, "soporte serve: waking the event loop: %s\n",
			strerror(errno));
}

/* Lets answers go back to the event loop: their connections resume and
 * the loop wakes to send them. With a syncer and anything committed
 * but not yet synced, they wait for its next sync instead: an answer
 * never reports what is not yet on the disk, nor what it read of it. */
static void
release(struct http_server *srv, struct http_req **rs, int n, bool wrote)
{
	if (n == 0)
		return;
	if (srv->walfd >= 0) {
		pthread_mutex_lock(&srv->qlock);
		if (wrote || srv->insync > 0) {
			for (int i = 0; i < n; i++) {
				rs[i]->next = NULL;
				if (srv->stail)
					srv->stail->next = rs[i];
				else
					srv->shead = rs[i];
				srv->stail = rs[i];
			}
			srv->insync += n;
			pthread_cond_signal(&srv->swake);
			n = 0;
		}
		pthread_mutex_unlock(&srv->qlock);
	}
	for (int i = 0; i < n; i++)
		MHD_resume_connection(rs[i]->conn);
	if (n > 0)
		wake_loop(srv);
}

/* An answer replaced by a 503 with this message. */
static void
answer_unavailable(struct http_server *srv, struct http_req *r,
		   const char *message)
{
	char body[512];
	struct http_res res = { .status = 503 };
	int n = snprintf(body, sizeof body, "{\"error\": {\"code\": "
			 "\"unavailable\", \"message\": \"%s\"}}", message);

	res.len = (size_t)n;
	res.body = strdup(body);
	MHD_destroy_response(r->resp);
	r->resp = res.body ? response_of(srv, &res) : NULL;
	r->status = 503;
}

/* Commits the open batch and lets its answers go (worker); if the commit
 * failed, nothing of the batch was kept and every request in it is told
 * so. */
static void
batch_commit(struct http_server *srv)
{
	struct sp_err err = { 0 };
	int rc = app_batch_commit(srv->app, &err);

	if (rc)
		fprintf(stderr, "soporte serve: commit of %d requests: %s\n",
			srv->nheld, err.msg);
	for (int i = 0; rc && i < srv->nheld; i++)
		answer_unavailable(srv, srv->held[i], "the database could not "
				   "commit this request; nothing of it was "
				   "kept: try again");
	release(srv, srv->held, srv->nheld, rc == 0);
	srv->nheld = 0;
}

/* The syncer thread: syncs the log for the answers waiting, then lets
 * them go; until told to stop and nothing waits. */
static void *
syncer(void *arg)
{
	struct http_server *srv = arg;

	pthread_mutex_lock(&srv->qlock);
	for (;;) {
		struct http_req *r = srv->shead, *next;
		int n = 0;
		bool synced;

		if (r == NULL) {
			if (srv->sync_stop)
				break;
			pthread_cond_wait(&srv->swake, &srv->qlock);
			continue;
		}
		srv->shead = srv->stail = NULL;
		pthread_mutex_unlock(&srv->qlock);
		synced = fdatasync(srv->walfd) == 0;
		if (!synced)
			fprintf(stderr, "soporte serve: syncing the database's "
				"log: %s\n", strerror(errno));
		for (; r; r = next, n++) {
			next = r->next;
			if (!synced)
				answer_unavailable(srv, r, "the disk reported an "
						   "error writing the database: "
						   "this request may not have "
						   "been kept; look before "
						   "trying again");
			MHD_resume_connection(r->conn);
		}
		wake_loop(srv);
		pthread_mutex_lock(&srv->qlock);
		srv->insync -= n;
	}
	pthread_mutex_unlock(&srv->qlock);
	return NULL;
}

/* ---- answers kept ---------------------------------------------------
 * A GET answer its handler marked cacheable depends only on the path,
 * the Authorization header, the data and the second (SLA clocks count
 * seconds). Kept with the store's generation, it is given again while
 * nobody committed anything and within the same second: the very bytes
 * the handler would answer. The header is kept as its digest, so no
 * token is kept or compared byte by byte. */
struct cache_key {
	const char *path;
	unsigned char auth[crypto_hash_sha256_BYTES];
	struct store_generation gen;
	int64_t second;
};

/* The key of a request that may be answered from the cache. */
static bool
cache_key(struct http_server *srv, struct cache_key *k,
	  struct MHD_Connection *conn, const char *url)
{
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       "Authorization");

	if (auth == NULL || strlen(url) >= HTTP_CACHE_PATH ||
	    store_generation(srv->app->store, &k->gen, NULL))
		return false;
	k->path = url;
	crypto_hash_sha256(k->auth, (const unsigned char *)auth, strlen(auth));
	k->second = (int64_t)time(NULL);
	return true;
}

static struct cached *
cache_find(struct http_server *srv, const struct cache_key *k)
{
	for (int i = 0; i < HTTP_CACHE; i++) {
		struct cached *c = &srv->cache[i];

		if (c->second == k->second && strcmp(c->path, k->path) == 0 &&
		    memcmp(c->auth, k->auth, sizeof c->auth) == 0 &&
		    store_generation_same(&c->gen, &k->gen))
			return c;
	}
	return NULL;
}

static void
cache_keep(struct http_server *srv, const struct cache_key *k,
	   const struct http_res *res, const struct actor *who)
{
	struct cached *c = &srv->cache[srv->cache_next];
	char *body;

	/* Headers that point into the request's memory are not kept. */
	if (res->body == NULL || res->disposition ||
	    res->len > HTTP_CACHE_BODY || (body = malloc(res->len + 1)) == NULL)
		return;
	/* A slot with the same path and person is replaced, as it can no
	 * longer be answered; otherwise the next in turn. */
	for (int i = 0; i < HTTP_CACHE; i++)
		if (strcmp(srv->cache[i].path, k->path) == 0 &&
		    memcmp(srv->cache[i].auth, k->auth, sizeof k->auth) == 0)
			c = &srv->cache[i];
	if (c == &srv->cache[srv->cache_next])
		srv->cache_next = (srv->cache_next + 1) % HTTP_CACHE;
	free(c->body);
	memcpy(body, res->body, res->len);
	body[res->len] = '\0';
	str_copy(c->path, k->path, sizeof c->path);
	memcpy(c->auth, k->auth, sizeof c->auth);
	c->gen = k->gen;
	c->second = k->second;
	c->status = res->status;
	c->type = res->type;
	str_copy(c->etag, res->etag, sizeof c->etag);
	c->body = body;
	c->len = res->len;
	c->who = *who;
}

/* The cached answer as a new one, or false. */
static bool
cache_answer(const struct cached *c, struct http_res *res)
{
	memset(res, 0, sizeof *res);
	res->body = malloc(c->len + 1);
	if (res->body == NULL)
		return false;
	memcpy(res->body, c->body, c->len + 1);
	res->len = c->len;
	res->status = c->status;
	res->type = c->type;
	str_copy(res->etag, c->etag, sizeof res->etag);
	return true;
}

static void
cache_free(struct http_server *srv)
{
	for (int i = 0; i < HTTP_CACHE; i++)
		free(srv->cache[i].body);
}

static bool
is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* The answer to a complete request, by whoever has the app. */
static struct MHD_Response *
answer(struct http_server *srv, struct http_req *r)
{
	struct http_res res = { 0 };
	struct cache_key key;
	struct cached *hit;
	bool keyed = false;

	if (!is_write(r->method) && !r->too_big &&
	    (keyed = cache_key(srv, &key, r->conn, r->path)) &&
	    (hit = cache_find(srv, &key)) && cache_answer(hit, &res)) {
		r->who = hit->who;
	} else {
		api_handle(srv, srv->app, r, &res);
		if (keyed && res.cacheable && res.status == 200)
			cache_keep(srv, &key, &res, &r->who);
	}
	r->status = res.status;
	return response_of(srv, &res);
}

/* ---- the worker ----------------------------------------------------- */

/* Queues a complete request for the worker (event loop). */
static void
hand_over(struct http_server *srv, struct http_req *r)
{
	pthread_mutex_lock(&srv->qlock);
	r->next = NULL;
	if (srv->qtail)
		srv->qtail->next = r;
	else
		srv->qhead = r;
	srv->qtail = r;
	if (srv->worker_waits)
		pthread_cond_signal(&srv->qwake);
	pthread_mutex_unlock(&srv->qlock);
}

/* How many writes a batch takes (worker). With a syncer, half of the
 * requests in flight: while one batch is synced the other is answered,
 * rather than everyone waiting for one batch's sync (bench/http.sh, 32
 * clients: 9,100 creates a second against 7,500 with one batch of 32). */
static int
batch_goal(const struct http_server *srv)
{
	int half = atomic_load(&srv->active) / 2;

	if (srv->walfd < 0 || half >= srv->batch_max)
		return srv->batch_max;
	return half > 1 ? half : 1;
}

/* Answers one request handed over (worker). */
static void
work_one(struct http_server *srv, struct http_req *r)
{
	bool write = is_write(r->method);

	/* A read never sees writes that could still be rolled back, and a
	 * full batch makes room. */
	if (srv->nheld && (!write || srv->nheld >= batch_goal(srv)))
		batch_commit(srv);
	if (write && !srv->app->batch && app_batch_begin(srv->app, NULL) == 0)
		srv->batch_started_ns = now_ns();
	r->resp = answer(srv, r);
	if (write && srv->app->batch)
		/* Held until its batch commits: an answer never reports
		 * what is not yet on the disk, nor what it read of it. */
		srv->held[srv->nheld++] = r;
	else
		release(srv, &r, 1, write);
}

/* The worker thread: answers what is queued, in order; when nothing is
 * queued and the loop is not reading more (or the batch is full or
 * old), the batch commits. */
static void *
worker(void *arg)
{
	struct http_server *srv = arg;

	pthread_mutex_lock(&srv->qlock);
	for (;;) {
		struct http_req *r = srv->loop_busy ? NULL : srv->qhead;
		int64_t due = srv->batch_started_ns + HTTP_BATCH_NS;

		if (r) {
			srv->qhead = r->next;
			if (srv->qhead == NULL)
				srv->qtail = NULL;
			srv->worker_busy = true;
			pthread_mutex_unlock(&srv->qlock);
			work_one(srv, r);
		} else if (srv->nheld && (!srv->in_pass ||
					  srv->nheld >= batch_goal(srv) ||
					  now_ns() >= due)) {
			pthread_mutex_unlock(&srv->qlock);
			batch_commit(srv);
		} else if (srv->nheld) {
			/* The loop is reading: wait for what it brings, until
			 * the batch is due. */
			struct timespec ts = { (time_t)(due / 1000000000),
					       (long)(due % 1000000000) };

			srv->worker_waits = 2;
			pthread_cond_timedwait(&srv->qwake, &srv->qlock, &ts);
			srv->worker_waits = 0;
			continue;
		} else {
			srv->worker_busy = false;
			if (srv->worker_stop)
				break;
			srv->worker_waits = 1;
			pthread_cond_wait(&srv->qwake, &srv->qlock);
			srv->worker_waits = 0;
			continue;
		}
		pthread_mutex_lock(&srv->qlock);
	}
	srv->worker_gone = true;
	pthread_mutex_unlock(&srv->qlock);
	return NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload,
	   size_t *upload_size, void **ctx)
{
	struct http_server *srv = cls;
	struct http_req *r = *ctx;
	struct MHD_Response *resp;
	enum MHD_Result ok;
	bool handover;

	(void)version;
	if (r == NULL) {
		if (srv->refusing)
			return MHD_NO;
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return MHD_NO;
		srv->active++;
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
	if (r->queued) {
		/* Back from the worker, answered (a write once its batch
		 * committed, or failed). */
		r->queued = false;
		if (r->suspended) {
			r->suspended = false;
			srv->suspended--;
		}
		resp = r->resp;
		r->resp = NULL;
	} else {
		/* Writes go to the worker, which holds their answers until
		 * their batch commits; a read too while it is busy, so that
		 * it never sees writes that could still be rolled back. Once
		 * the worker has stopped, the loop answers alone. */
		pthread_mutex_lock(&srv->qlock);
		handover = !srv->worker_gone &&
			(is_write(method) || srv->worker_busy || srv->qhead ||
			 srv->insync);
		if (!handover)
			srv->loop_busy = true;
		pthread_mutex_unlock(&srv->qlock);
		if (handover) {
			/* The body's JSON is read here, as the worker is the
			 * busier of the two. */
			if (r->body.len > 0 && !r->too_big && r->post == NULL) {
				json_error_t je;

				r->json = http_body_parse(r, &je);
				str_copy(r->json_error, je.text,
					 sizeof r->json_error);
				r->json_ready = true;
			}
			/* Suspended before the worker can let it go. */
			r->queued = true;
			r->suspended = true;
			srv->suspended++;
			MHD_suspend_connection(conn);
			hand_over(srv, r);
			return MHD_YES;
		}
		resp = answer(srv, r);
		pthread_mutex_lock(&srv->qlock);
		srv->loop_busy = false;
		pthread_mutex_unlock(&srv->qlock);
	}
	if (resp == NULL)
		return MHD_NO;
	ok = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
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
	srv->active--;
	if (r->suspended)
		srv->suspended--;
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
	json_decref(r->json);
	if (r->resp)
		MHD_destroy_response(r->resp);
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

/* Timers and the outbox, on their own connection and thread, every
 * tick_seconds until told to stop. */
struct background {
	const struct serve_conf *conf;
	struct app *app;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

static void
background_run(const struct serve_conf *conf, struct app *bg)
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

static void *
background(void *arg)
{
	struct background *b = arg;

	pthread_mutex_lock(&b->lock);
	while (!b->stop) {
		struct timespec ts;

		pthread_mutex_unlock(&b->lock);
		background_run(b->conf, b->app);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += b->conf->tick_seconds > 0 ? b->conf->tick_seconds : 30;
		pthread_mutex_lock(&b->lock);
		while (!b->stop &&
		       pthread_cond_timedwait(&b->wake, &b->lock, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* One pass of the event loop: waits for the network, a signal or
 * answers the worker let go, and runs libmicrohttpd over what is ready.
 * Returns the signal that came, or 0. */
static int
loop_once(struct http_server *srv, struct MHD_Daemon *d, int epfd, int sigfd)
{
	struct pollfd pf[3] = { { epfd, POLLIN, 0 }, { sigfd, POLLIN, 0 },
				{ srv->wakefd, POLLIN, 0 } };
	MHD_UNSIGNED_LONG_LONG to;
	int ms = 1000, sig = 0;

	if (MHD_get_timeout(d, &to) == MHD_YES && to < 1000)
		ms = (int)to;
	if (poll(pf, 3, ms) > 0) {
		struct signalfd_siginfo si;
		uint64_t n;

		if ((pf[1].revents & POLLIN) &&
		    read(sigfd, &si, sizeof si) == sizeof si)
			sig = (int)si.ssi_signo;
		if ((pf[2].revents & POLLIN) &&
		    read(srv->wakefd, &n, sizeof n) < 0 && errno != EAGAIN)
			fprintf(stderr, "soporte serve: wake: %s\n",
				strerror(errno));
	}
	/* While the loop reads, the worker's batch waits for what it
	 * brings. */
	pthread_mutex_lock(&srv->qlock);
	srv->in_pass = true;
	pthread_mutex_unlock(&srv->qlock);
	MHD_run(d);
	pthread_mutex_lock(&srv->qlock);
	srv->in_pass = false;
	if (srv->worker_waits == 2)
		pthread_cond_signal(&srv->qwake);
	pthread_mutex_unlock(&srv->qlock);
	return sig;
}

/* Asks one thread to stop (its flag set under the queue's lock) and
 * waits for it. */
static void
thread_stop(struct http_server *srv, bool *stop, pthread_cond_t *wake,
	    const pthread_t *thread, bool *started)
{
	if (!*started)
		return;
	pthread_mutex_lock(&srv->qlock);
	*stop = true;
	pthread_cond_signal(wake);
	pthread_mutex_unlock(&srv->qlock);
	pthread_join(*thread, NULL);
	*started = false;
}

/* The worker finishes what it was handed and commits, then the syncer
 * syncs what waits; after them the loop answers alone, and its writes
 * sync as they commit. */
static void
threads_stop(struct http_server *srv, const pthread_t *worker_thread,
	     bool *worker_started, const pthread_t *sync_thread,
	     bool *sync_started)
{
	thread_stop(srv, &srv->worker_stop, &srv->qwake, worker_thread,
		    worker_started);
	thread_stop(srv, &srv->sync_stop, &srv->swake, sync_thread,
		    sync_started);
	if (srv->walfd >= 0 && store_set_durable(srv->app->store, true, NULL))
		fprintf(stderr, "soporte serve: cannot make commits sync\n");
}

/* The database's write-ahead log, for the syncer: opened by the
 * request connection already (WAL mode), it is synced through this
 * descriptor (fdatasync acts on the file, whichever descriptor). */
static int
open_log(const char *db)
{
	char path[4096];

	if (snprintf(path, sizeof path, "%s-wal", db) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDWR | O_CLOEXEC);
}

int
http_serve(const struct serve_conf *conf, struct sp_err *err)
{
	struct http_server srv = { 0 };
	struct background bg = { .conf = conf };
	struct MHD_Daemon *d = NULL;
	struct sockaddr_in sa;
	pthread_condattr_t ca;
	pthread_t bg_thread, work_thread, sync_thread;
	bool bg_started = false, work_started = false, sync_started = false;
	sigset_t set;
	int rc, sigfd = -1, epfd;

	if ((rc = parse_listen(&sa, conf->listen, err)))
		return rc;
#ifdef M_TRIM_THRESHOLD
	/* SQLite builds and drops a small b-tree for each "IN (...)" check
	 * of an insert; with glibc's defaults the heap's top was given back
	 * and faulted in again each time, 2.6 page faults a ticket. Keep up
	 * to 2 MiB free; blocks over 1 MiB (request bodies) still go back. */
	mallopt(M_TRIM_THRESHOLD, 2 << 20);
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	srv.walfd = -1;
	srv.batch_max = conf->batch_max > 0 ? conf->batch_max : HTTP_BATCH_MAX;
	srv.held = calloc((size_t)srv.batch_max, sizeof *srv.held);
	if (srv.held == NULL)
		return sp_err_set(err, SP_ENOMEM, "serve", "out of memory");
	if ((rc = app_open(&srv.app, conf->db, conf->provider, err)) ||
	    (rc = app_open_sibling(&bg.app, srv.app, conf->db, err)))
		goto out_apps;
	/* A 201 means the ticket is on the disk: the log is synced after
	 * every commit, by the syncer with group commit (which shares a
	 * sync among the batches committed while the last one ran), else
	 * by the commit itself. */
	if (srv.batch_max > 1 && (srv.walfd = open_log(conf->db)) < 0)
		fprintf(stderr, "soporte serve: %s-wal: %s; each commit syncs "
			"instead\n", conf->db, strerror(errno));
	if ((rc = store_set_durable(srv.app->store, srv.walfd < 0, err)))
		goto out_apps;
	/* Memory: the request connection keeps 1 MiB of the file, which
	 * holds a batch's pages; the timers', waking every tick, 256 KiB.
	 * The kernel's page cache has the rest. */
	store_set_cache(srv.app->store, 1024, NULL);
	/* A checkpoint every 16 MiB of log rather than 4: the pages every
	 * batch rewrites (the ends of tables and indexes) go to the file
	 * once each time, and the log stays small enough to read fast
	 * (bench/http.sh: 4 % more creates a second). */
	store_set_checkpoint(srv.app->store, 4000, NULL);
	store_set_cache(bg.app->store, 256, NULL);
	srv.conf = conf;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_mutex_init(&srv.qlock, NULL);
	pthread_mutex_init(&bg.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&bg.wake, &ca);
	pthread_cond_init(&srv.qwake, &ca);
	pthread_cond_init(&srv.swake, &ca);
	pthread_condattr_destroy(&ca);
	srv.wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (srv.wakefd < 0) {
		rc = sp_err_set(err, SP_EIO, "serve", "eventfd: %s",
				strerror(errno));
		goto out;
	}
	/* Blocked in every thread (the timers' inherits the mask): they
	 * arrive through sigfd, in the request loop. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sigfd < 0) {
		rc = sp_err_set(err, SP_EIO, "serve", "signalfd: %s",
				strerror(errno));
		goto out;
	}
	/* This thread runs the event loop itself; the worker answers what
	 * it hands over (struct http_server says how they share the one
	 * database connection: SQLite serialises writers anyway). */
	d = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
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
	epfd = MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD)->epoll_fd;
	if (pthread_create(&bg_thread, NULL, background, &bg) != 0) {
		rc = sp_err_set(err, SP_EIO, "serve", "cannot start the timers' "
				"thread");
		goto out;
	}
	bg_started = true;
	if (pthread_create(&work_thread, NULL, worker, &srv) != 0) {
		rc = sp_err_set(err, SP_EIO, "serve", "cannot start the "
				"request worker's thread");
		goto out;
	}
	work_started = true;
	if (srv.walfd >= 0) {
		if (pthread_create(&sync_thread, NULL, syncer, &srv) != 0) {
			rc = sp_err_set(err, SP_EIO, "serve", "cannot start the "
					"syncer's thread");
			goto out;
		}
		sync_started = true;
	}
	fprintf(stderr, "soporte serve: %s on http://%s\n", srv.app->policy->id,
		conf->listen);
	for (int sig = 0; sig != SIGTERM && sig != SIGINT;)
		sig = loop_once(&srv, d, epfd, sigfd);
	fprintf(stderr, "soporte serve: stopping\n");
	/* Graceful: no new connections, and each open one closes after
	 * its next answer; the requests in flight finish, within
	 * HTTP_DRAIN_NS, and their batch commits. Then no new request is
	 * taken, the worker finishes what it was handed, and the answers
	 * it let go are sent: libmicrohttpd must not stop with a
	 * connection still suspended. */
	{
		MHD_socket ls = MHD_quiesce_daemon(d);
		int64_t until = now_ns() + HTTP_DRAIN_NS;

		if (ls != MHD_INVALID_SOCKET)
			close(ls);
		srv.stopping = true;
		while (srv.active > 0 && now_ns() < until)
			loop_once(&srv, d, epfd, sigfd);
		srv.refusing = true;
		threads_stop(&srv, &work_thread, &work_started, &sync_thread,
			     &sync_started);
		for (int i = 0; srv.suspended > 0 && i < 100; i++)
			MHD_run(d);
	}
	rc = 0;
out:
	threads_stop(&srv, &work_thread, &work_started, &sync_thread,
		     &sync_started);
	if (d)
		MHD_stop_daemon(d);
	if (bg_started) {
		pthread_mutex_lock(&bg.lock);
		bg.stop = true;
		pthread_cond_signal(&bg.wake);
		pthread_mutex_unlock(&bg.lock);
		pthread_join(bg_thread, NULL);
	}
	if (sigfd >= 0)
		close(sigfd);
	if (srv.wakefd > 0)
		close(srv.wakefd);
	pthread_cond_destroy(&srv.qwake);
	pthread_cond_destroy(&srv.swake);
	pthread_mutex_destroy(&srv.qlock);
	pthread_cond_destroy(&bg.wake);
	pthread_mutex_destroy(&bg.lock);
	pthread_mutex_destroy(&srv.lock);
out_apps:
	if (srv.walfd >= 0)
		close(srv.walfd);
	app_close(bg.app);
	app_close(srv.app);
	free(srv.held);
	cache_free(&srv);
	return rc;
}
