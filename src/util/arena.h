/* arena.h — bump allocation freed all at once: one pack, one request. */
#ifndef SP_ARENA_H
#define SP_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used, total, max;
};

/* `max` bounds the total bytes (0 = 256 MiB). */
void arena_init(struct arena *a, size_t max);
/* Zeroed, aligned for any type; NULL when out of memory or over max. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
