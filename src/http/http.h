/* http.h — soporte serve: the JSON API on GNU libmicrohttpd. server.c is
 * the only file that sees libmicrohttpd; api.c answers requests through
 * app/ like every other front end. */
#ifndef SP_HTTP_H
#define SP_HTTP_H

#include "../app/app.h"
#include "../util/buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HTTP_BODY_MAX (8 << 20)   /* a request body (attachments inside) */
/* Request line and headers; as nginx's default (4 × 8 KiB), and each
 * connection's memory, so kept small. */
#define HTTP_HEADER_MAX (32 << 10)
#define HTTP_CONNECTIONS_MAX 256
#define HTTP_TIMEOUT_S 30          /* an idle or slow client is dropped */

struct http_server;

#define HTTP_FORM_FIELDS 16

struct http_req {
	struct http_server *srv;
	const char *method;
	const char *path;     /* without the query */
	void *conn;           /* libmicrohttpd's, for server.c */
	struct buf body;
	bool too_big;
	struct arena arena;   /* per request */
	int64_t started_ns;
	struct actor who;     /* after authentication */
	char lang[4];         /* es, en: the person's, else the browser's */
	int status;           /* the answer's, for the access log */
	void *post;           /* libmicrohttpd's form parser, for server.c */
	int nform;            /* form fields, decoded */
	const char *form_name[HTTP_FORM_FIELDS];
	struct buf form_value[HTTP_FORM_FIELDS];
	int nfiles;           /* files of a multipart form */
	struct http_file {
		const char *field, *filename, *mime;
		struct buf data;
	} files[8];
	/* For server.c: */
	bool queued;          /* handed to the worker thread */
	bool suspended;       /* ... its connection not yet resumed */
	void *resp;           /* its answer, libmicrohttpd's */
	struct http_req *next; /* in the worker's queue */
	/* The body as JSON, parsed on the event loop before the worker
	 * gets the request (api_body_json takes it): a json_t, or NULL
	 * with the parser's message. */
	bool json_ready;
	void *json;
	char json_error[160];
};

struct http_res {
	int status;
	char *body;           /* malloc'ed; server.c frees */
	size_t len;
	const char *type;
	char etag[32];
	char set_cookie[200]; /* a Set-Cookie header, when not empty */
	char location[300];   /* a Location header (redirects) */
	const char *disposition; /* a Content-Disposition header, when set;
				  * lives in the request's arena */
	/* The answer to a GET depends only on the path, the Authorization
	 * header, the committed data and the second: server.c may give it
	 * again while none of them changes. */
	bool cacheable;
};

/* Request headers, query arguments, cookies and form fields (url-encoded
 * or multipart), decoded (NULL when absent); files are in r->files. */
const char *http_header(struct http_req *r, const char *name);
const char *http_query(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);
const char *http_form(struct http_req *r, const char *name);

/* The web pages: the agents' console and the customers' portal
 * (console.c). True when the path was one of theirs. */
bool console_handle(struct app *app, struct http_req *r, struct http_res *out);

/* Files compiled in from web/, at /static/NAME (static.c). True when
 * the path was one of them. */
bool static_handle(struct http_req *r, struct http_res *out);

/* /api/v1/kb and /api/v1/search (api_kb.c), after authentication. True
 * when the path was one of theirs. */
bool api_kb_handle(struct app *app, struct http_req *r, struct http_res *out);
/* /api/v1/reports/sla and /hours (api_reports.c), after authentication.
 * True when the path was one of theirs. */
bool api_reports(struct app *app, struct http_req *r, struct http_res *out);

/* PNG and JPEG by their first bytes (files.c). */
bool http_is_png(const void *data, size_t len);
bool http_is_jpeg(const void *data, size_t len);
/* A stored file as the answer: type from its bytes, inline only for PNG
 * and JPEG, the name in Content-Disposition safely encoded. -1 when out
 * of memory (nothing set). */
int http_send_file(struct http_res *out, struct arena *a, const char *filename,
		   const void *data, size_t len);

/* Ticket attachments up and down, and the SLA queue (api_tickets.c),
 * after authentication. True when the path was one of theirs. */
bool api_tickets_handle(struct app *app, struct http_req *r,
			struct http_res *out);
/* GET /api/v1/tickets?sort=sla: active tickets in the pack's SLA order
 * (SLA-4), with what is left on the nearest clock. */
void api_queue(struct app *app, struct http_req *r, struct http_res *out);

/* Answers one request (api.c). */
void api_handle(struct http_server *srv, struct app *app, struct http_req *r,
		struct http_res *out);

struct http_metrics {
	uint64_t requests[6];     /* by status class: 1xx..5xx, [0] other */
	uint64_t latency_buckets[8]; /* <=1,5,10,50,100,500,1000 ms, more */
	uint64_t latency_us_sum;
	uint64_t requests_total;
};

struct serve_conf {
	const char *db, *provider;
	const char *listen;       /* "127.0.0.1:8080" */
	FILE *access_log;         /* NULL: none */
	int tick_seconds;         /* timers and outbox, in the same process */
	bool send_mail;           /* flush the outbox by SMTP each tick */
	int batch_max;            /* writes a commit at most; 0: 64, 1: none
				   * shared (group commit off) */
};

/* Runs until SIGTERM or SIGINT, then finishes the requests in flight
 * and returns. Errors starting (address in use...) come back. */
int http_serve(const struct serve_conf *conf, struct sp_err *err);
/* The server's counters (for /metrics), as they are now. */
void http_metrics(struct http_server *srv, struct http_metrics *out);

#endif
