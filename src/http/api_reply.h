/* api_reply.h — answers for the /api/v1 handlers (api.c and its
 * siblings), so each resource's file answers the same way. */
#ifndef SP_API_REPLY_H
#define SP_API_REPLY_H

#include "http.h"

#include <jansson.h>

/* Takes the reference to body. */
void api_reply_json(struct http_res *out, int status, json_t *body);
void api_reply_error(struct http_res *out, int status, const char *code,
		     const char *message, const char *field);
/* An app error, with the 4xx its code means (422 bad value, 404, 409...). */
void api_reply_err(struct http_res *out, const struct sp_err *e);
/* The request body as a JSON object (the caller decrefs), or NULL with
 * the answer saying what is wrong already in out. */
json_t *api_body_json(struct http_req *r, struct http_res *out);
/* The request's body as JSON, or NULL with the parser's message: what
 * api_body_json checks (server.c parses it ahead, on the event loop). */
json_t *http_body_parse(struct http_req *r, json_error_t *je);
/* o[k] as a string; NULL when absent or not a string. */
const char *api_str(json_t *o, const char *k);
/* A base64 text decoded into the request's arena; false (nothing set)
 * when it is absent or not base64. */
bool api_base64(struct http_req *r, const char *text, const void **bin,
		size_t *len);
/* True for agents; else a 403 is in out. */
bool api_agents_only(struct http_req *r, struct http_res *out);

#endif
