#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_BLOCK 16384

void
arena_init(struct arena *a, size_t max)
{
	a->head = NULL;
	a->used = a->total = 0;
	a->max = max ? max : (size_t)256 << 20;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t al = sizeof(max_align_t);
	void *p;

	/* Refuse before rounding: a request near SIZE_MAX would wrap to a
	 * tiny block and memset past it. */
	if (n > a->max || n > SIZE_MAX - sizeof *b - al)
		return NULL;
	n = (n + al - 1) / al * al;
	if (n == 0)
		n = al;
	if (b == NULL || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		/* total <= max always holds, so this cannot wrap. */
		if (size > a->max - a->total)
			return NULL;
		b = malloc(sizeof *b + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		a->total += size;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

void *
arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, count * size);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(a, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	arena_init(a, a->max);
}
