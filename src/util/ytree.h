/* ytree.h — a YAML document as a tree of nodes that remember where they
 * stand in the file (line and column, 1-based). The only module that sees
 * libyaml. Tags and anchors are resolved; values stay text. */
#ifndef SP_YTREE_H
#define SP_YTREE_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	int line, col;
	char *str;	/* scalar text (YNODE_SCALAR) */
	bool plain;	/* scalar was unquoted: may be a number, bool, null */
	size_t n;	/* items (SEQ) or pairs (MAP) */
	struct ynode **items; /* SEQ items, or MAP values */
	struct ynode **keys;  /* MAP keys (scalars) */
};

/* Parses one document from `text`. On a syntax error returns SP_EINVAL
 * with err->msg starting "LINE:COL: ". Limits depth and node count
 * so a hostile file cannot exhaust memory. */
int ytree_parse(struct ynode **out, const char *text, size_t len,
		struct sp_err *err);
void ytree_free(struct ynode *n);
/* The value under `key` in a map, or NULL. */
struct ynode *ytree_get(const struct ynode *map, const char *key);
/* A plain scalar that YAML 1.1 reads as null ("", "~", "null"). */
bool ytree_is_null(const struct ynode *n);

#endif
