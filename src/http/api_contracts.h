/* api_contracts.h — the API's directory, contracts, attendance preview,
 * quotes and invoices (api_contracts.c), beside the tickets of api.c. */
#ifndef SP_API_CONTRACTS_H
#define SP_API_CONTRACTS_H

#include "http.h"

#include <jansson.h>

/* Answers the request when its path is one of these resources (after
 * authentication); false leaves it to api.c. */
bool api_contracts_handle(struct app *app, struct http_req *r,
			  struct http_res *out);

/* An attendance preview as JSON: the debit, its steps, the balance
 * before and after, whether logging it would be accepted (rc, err: what
 * app_attendance_preview returned) and a sentence for people in lang
 * ("es" for the API; the console's live preview passes the agent's). */
json_t *api_contracts_preview_json(const struct attendance_preview *p,
				   int rc, const struct sp_err *err,
				   const char *lang);

#endif
