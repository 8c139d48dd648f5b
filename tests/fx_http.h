/* fx_http.h — a soporte server on loopback for the HTTP suites: start
 * it on a demo database, call the API with a token or the pages with a
 * session cookie, stop it with SIGTERM. */
#ifndef SP_FX_HTTP_H
#define SP_FX_HTTP_H

#include "../src/util/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fx_server {
	pid_t pid;
	int port;
	char base[64];
};

struct fx_reply {
	long status;
	struct buf body;
	char etag[32];
	char type[64];         /* Content-Type */
	char disposition[128]; /* Content-Disposition */
	char login[64];        /* the sp_login cookie a page set, if any */
	char set_cookie[256];  /* the Set-Cookie header, if any */
};


/* One API request; the reply's status (0: no answer), body and ETag.
 * token, body and extra_header may be NULL. */
long fx_http(struct fx_reply *r, struct fx_server *s, const char *method,
	     const char *path, const char *token, const char *body,
	     const char *extra_header);
/* soporte serve on db, on a port of this process's own; false if it
 * does not answer /healthz within 15 s. */
bool fx_serve(struct fx_server *s, const char *db);
/* SIGTERM, then its exit status. */
int fx_serve_stop(struct fx_server *s);
/* The Intecnia demo on db, with API tokens for an agent, a customer
 * (Ferretería López) and another organization's customer. */
bool fx_demo_tokens(const char *db, char agent[80], char customer[80],
		    char other[80]);
/* The reply's body as JSON (NULL if it is not). */
json_t *fx_json(struct fx_reply *r);
/* A page: GET when body is NULL, else a url-encoded POST. With a 303
 * after a POST that set a session, the body is the new cookie; after a
 * multipart post, the Location. */
long fx_form(struct fx_reply *r, struct fx_server *s, const char *path,
	     const char *cookie, const char *body);
/* fx_form with the whole Cookie header given (NULL: none). */
long fx_form_with(struct fx_reply *r, struct fx_server *s, const char *path,
		  const char *cookies, const char *body);
/* A multipart form post (the portal's new ticket) with fields (name,
 * value pairs ending in NULL) and one file named "screenshot". */
long fx_multipart(struct fx_reply *r, struct fx_server *s, const char *path,
		  const char *cookie, const char *const *fields,
		  const void *file, size_t file_len, const char *file_type);
/* Signs in as a browser does: GET /login for the form's token and its
 * cookie, then the post with both and the url-encoded form_body (email,
 * password). The reply is fx_form's: after a 303, the body is the new
 * session cookie. */
long fx_login(struct fx_reply *r, struct fx_server *s, const char *form_body);
/* fx_login, then the session cookie and the CSRF token found on
 * `page`. */
bool fx_sign_in(struct fx_server *s, const char *form_body, char cookie[80],
		char csrf[64], const char *page);

/* The demo's passwords: Ana Torres (ana.torres@PACK.example, an agent)
 * and Luis López (luis@ferreterialopez.mx, a customer). */
#define FX_AGENT_PASSWORD "contraseña-larga-1"
#define FX_CUSTOMER_PASSWORD "clave-del-cliente-1"
bool fx_demo_passwords(const char *db, const char *pack);
/* fx_serve, failing the test when the server does not come up. */
bool fx_serve_or_fail(struct fx_server *s, const char *db);

#endif
