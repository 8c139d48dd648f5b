/* api_reply.c — how every /api/v1 handler answers: JSON bodies, errors
 * as {"error": {"code", "message", "field"}} with the matching 4xx, and
 * the request body read as a JSON object. */
#include "api_reply.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void
api_reply_json(struct http_res *out, int status, json_t *body)
{
	out->status = status;
	out->body = json_dumps(body, JSON_COMPACT);
	out->len = out->body ? strlen(out->body) : 0;
	out->type = "application/json";
	json_decref(body);
}

static int
status_of(int code)
{
	switch (code) {
	case SP_EINVAL: return 422;
	case SP_ENOTFOUND: return 404;
	case SP_ECONFLICT: return 409;
	case SP_ETOOBIG: return 413;
	case SP_EBUSY: return 503;
	case SP_EFORMAT: return 400;
	case SP_EPERM: return 403;
	default: return 500;
	}
}

void
api_reply_error(struct http_res *out, int status, const char *code,
	    const char *message, const char *field)
{
	api_reply_json(out, status, json_pack("{s:{s:s, s:s, s:s?}}", "error",
					  "code", code, "message", message,
					  "field", field && *field ? field : NULL));
}

void
api_reply_err(struct http_res *out, const struct sp_err *e)
{
	api_reply_error(out, status_of(e->code), sp_code_name(e->code), e->msg,
		    e->field);
}

json_t *
http_body_parse(struct http_req *r, json_error_t *je)
{
	return json_loadb(r->body.ptr, r->body.len, JSON_REJECT_DUPLICATES, je);
}

/* The request body as a JSON object, or an answer saying what is wrong. */
json_t *
api_body_json(struct http_req *r, struct http_res *out)
{
	json_error_t je;
	json_t *j;
	char msg[300];

	if (r->too_big) {
		api_reply_error(out, 413, "too_big", "the request body is over 8 MiB",
			    NULL);
		return NULL;
	}
	if (r->json_ready) {
		j = r->json;
		snprintf(je.text, sizeof je.text, "%s", r->json_error);
		r->json = NULL;
		r->json_ready = false;
	} else {
		j = http_body_parse(r, &je);
	}
	if (j == NULL || !json_is_object(j)) {
		snprintf(msg, sizeof msg, "the body must be a JSON object%s%s",
			 j ? "" : ": ", j ? "" : je.text);
		json_decref(j);
		api_reply_error(out, 400, "bad_json", msg, NULL);
		return NULL;
	}
	return j;
}

const char *
api_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

bool
api_agents_only(struct http_req *r, struct http_res *out)
{
	if (strcmp(r->who.kind, "agent") == 0)
		return true;
	api_reply_error(out, 403, "forbidden", "this is for the provider's agents",
		    NULL);
	return false;
}


bool
api_base64(struct http_req *r, const char *text, const void **bin,
	   size_t *len)
{
	size_t cap = text ? strlen(text) : 0;
	unsigned char *out = text ? arena_alloc(&r->arena, cap + 1) : NULL;

	if (out == NULL || sodium_base642bin(out, cap, text, cap, NULL, len,
					     NULL, sodium_base64_VARIANT_ORIGINAL))
		return false;
	*bin = out;
	return true;
}
