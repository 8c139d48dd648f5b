/* portal.h — the pages about contracts and documents (portal.c): the
 * customer's contracts, ledger, consumption reports and certificate,
 * quotes to approve or reject, and on the ticket page the attendance
 * preview, the ticket's quotes and escalation. console.c calls these. */
#ifndef SP_PORTAL_H
#define SP_PORTAL_H

#include "http.h"

/* Answers the request when the path is one of these pages; false
 * leaves it to console.c. */
bool portal_handle(struct app *app, struct http_req *r, struct http_res *out);
/* The header's links to these pages, after the console's own, in
 * `lang` (es, en). */
void portal_header_links(struct buf *b, const char *lang,
			 const struct login *who);
/* An attendance's modality ("remote", "onsite_local"...) in words, in
 * lang. */
const char *portal_modality(const char *lang, const char *modality);
/* The ticket page's part about billing: for agents the live debit
 * preview beside the attendance form, the ticket's quotes and a form
 * for a new one, escalation; for customers the quotes to answer. */
void portal_ticket_section(struct app *app, struct http_req *r,
			   const struct login *who, const struct ticket_view *v,
			   struct buf *b);

#endif
