#include "ytree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YTREE_MAX_DEPTH 32
#define YTREE_MAX_NODES 200000

struct ybuild {
	yaml_document_t *doc;
	size_t count;
	struct sp_err *err;
};

static struct ynode *ybuild_node(struct ybuild *b, yaml_node_t *yn, int depth);

static struct ynode *
ynode_new(struct ybuild *b, yaml_node_t *yn, enum ynode_kind kind)
{
	struct ynode *n;

	if (++b->count > YTREE_MAX_NODES) {
		sp_err_set(b->err, SP_ETOOBIG, "", "too many nodes (over %d)",
			   YTREE_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (n == NULL) {
		sp_err_set(b->err, SP_ENOMEM, "", "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->line = (int)yn->start_mark.line + 1;
	n->col = (int)yn->start_mark.column + 1;
	return n;
}

static struct ynode *
ybuild_node(struct ybuild *b, yaml_node_t *yn, int depth)
{
	struct ynode *n = NULL;
	size_t i, cnt;

	if (depth > YTREE_MAX_DEPTH) {
		sp_err_set(b->err, SP_ETOOBIG, "", "%zu:%zu: nested deeper "
			   "than %d levels (or an alias refers to itself)",
			   yn->start_mark.line + 1, yn->start_mark.column + 1,
			   YTREE_MAX_DEPTH);
		return NULL;
	}
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		n = ynode_new(b, yn, YNODE_SCALAR);
		if (n == NULL)
			return NULL;
		n->str = strndup((const char *)yn->data.scalar.value,
				 yn->data.scalar.length);
		n->plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (n->str == NULL ||
		    strlen(n->str) != yn->data.scalar.length) {
			sp_err_set(b->err, SP_EINVAL, "",
				   "%d:%d: text holds a NUL character",
				   n->line, n->col);
			ytree_free(n);
			return NULL;
		}
		return n;
	case YAML_SEQUENCE_NODE:
		n = ynode_new(b, yn, YNODE_SEQ);
		if (n == NULL)
			return NULL;
		cnt = (size_t)(yn->data.sequence.items.top -
			       yn->data.sequence.items.start);
		n->items = calloc(cnt ? cnt : 1, sizeof *n->items);
		if (n->items == NULL)
			goto fail;
		for (i = 0; i < cnt; i++) {
			yaml_node_t *c = yaml_document_get_node(
				b->doc, yn->data.sequence.items.start[i]);

			n->items[i] = ybuild_node(b, c, depth + 1);
			if (n->items[i] == NULL)
				goto fail;
			n->n++;
		}
		return n;
	case YAML_MAPPING_NODE:
		n = ynode_new(b, yn, YNODE_MAP);
		if (n == NULL)
			return NULL;
		cnt = (size_t)(yn->data.mapping.pairs.top -
			       yn->data.mapping.pairs.start);
		n->items = calloc(cnt ? cnt : 1, sizeof *n->items);
		n->keys = calloc(cnt ? cnt : 1, sizeof *n->keys);
		if (n->items == NULL || n->keys == NULL)
			goto fail;
		for (i = 0; i < cnt; i++) {
			yaml_node_pair_t *p = &yn->data.mapping.pairs.start[i];
			yaml_node_t *k = yaml_document_get_node(b->doc, p->key);
			yaml_node_t *v = yaml_document_get_node(b->doc, p->value);

			if (k->type != YAML_SCALAR_NODE) {
				sp_err_set(b->err, SP_EINVAL, "",
					   "%zu:%zu: a key must be plain text",
					   k->start_mark.line + 1,
					   k->start_mark.column + 1);
				goto fail;
			}
			n->keys[i] = ybuild_node(b, k, depth + 1);
			if (n->keys[i] == NULL)
				goto fail;
			n->n++;
			for (size_t j = 0; j < i; j++)
				if (strcmp(n->keys[j]->str, n->keys[i]->str) == 0) {
					sp_err_set(b->err, SP_EINVAL, "",
						   "%d:%d: key '%s' appears twice "
						   "(first at line %d)",
						   n->keys[i]->line, n->keys[i]->col,
						   n->keys[i]->str, n->keys[j]->line);
					goto fail;
				}
			n->items[i] = ybuild_node(b, v, depth + 1);
			if (n->items[i] == NULL)
				goto fail;
		}
		return n;
	default:
		sp_err_set(b->err, SP_EINVAL, "", "empty YAML node");
		return NULL;
	}
fail:
	if (b->err && b->err->code == 0)
		sp_err_set(b->err, SP_ENOMEM, "", "out of memory");
	ytree_free(n);
	return NULL;
}

int
ytree_parse(struct ynode **out, const char *text, size_t len,
	    struct sp_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ybuild b = { &doc, 0, err };
	yaml_node_t *root;
	struct ynode *tree;

	if (!yaml_parser_initialize(&parser))
		return sp_err_set(err, SP_ENOMEM, "", "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		sp_err_set(err, SP_EINVAL, "", "%zu:%zu: %s%s%s",
			   parser.problem_mark.line + 1,
			   parser.problem_mark.column + 1,
			   parser.problem ? parser.problem : "YAML error",
			   parser.context ? " " : "",
			   parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return SP_EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		yaml_document_delete(&doc);
		yaml_parser_delete(&parser);
		return sp_err_set(err, SP_EINVAL, "", "1:1: the file is empty");
	}
	tree = ybuild_node(&b, root, 0);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (tree == NULL)
		return err && err->code ? err->code : SP_EINVAL;
	*out = tree;
	return 0;
}

void
ytree_free(struct ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		ytree_free(n->items[i]);
		if (n->keys)
			ytree_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->str);
	free(n);
}

struct ynode *
ytree_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

bool
ytree_is_null(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && n->plain &&
	       (n->str[0] == '\0' || strcmp(n->str, "~") == 0 ||
		strcmp(n->str, "null") == 0);
}
