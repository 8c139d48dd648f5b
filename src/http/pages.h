/* pages.h — what every web page shares (console.c): the frame, the
 * session and the CSRF check, for the files that add pages beside the
 * console's own (the knowledge base, the portal, reports). */
#ifndef SP_PAGES_H
#define SP_PAGES_H

#include "http.h"

#define COOKIE "sp_session"

/* The page in body (taken) as the answer, text/html. */
void page_send(struct http_res *out, int status, struct buf *body);
/* Opens a page: head, styles, the header with its links for `who`
 * (NULL: signed out), and <main>. */
void page_head(struct buf *b, struct http_req *r, struct app *app,
	       const char *title, const struct login *who);
/* 303 to `to`. */
void page_redirect(struct http_res *out, const char *to);
/* The signed-in person, if any (pages anyone may read). */
bool page_session(struct app *app, struct http_req *r, struct login *who);
/* The session, or an answer sending the person to sign in. */
bool page_signed_in(struct app *app, struct http_req *r, struct login *who,
		    struct http_res *out);
/* Every form posts the session's token back; anything else is refused
 * with 403 (a page elsewhere cannot act in the person's name). */
bool page_csrf_ok(struct http_req *r, const struct login *who,
		  struct http_res *out);

/* The knowledge base's pages and the new-ticket suggestions
 * (kb_pages.c). True when the path was one of theirs. */
bool kb_pages_handle(struct app *app, struct http_req *r,
		     struct http_res *out);
/* The agents' reports, /console/reports (reports.c): SLA compliance
 * by priority and month, hours per contract (REP-1, REP-2). True when
 * the path was its own. */
bool console_reports(struct app *app, struct http_req *r,
		     struct http_res *out);

#endif
