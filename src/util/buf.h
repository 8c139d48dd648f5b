/* buf.h — a growable string: never NULL, always NUL-terminated, with a
 * maximum size fixed at init so no input can grow it without bound. */
#ifndef SP_BUF_H
#define SP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;  /* never NULL once initialised */
	size_t len;
	size_t cap;
	size_t max; /* largest len allowed */
	int oom;    /* set once an append failed; later appends are no-ops */
};

#define BUF_MAX_DEFAULT ((size_t)64 << 20)

void buf_init(struct buf *b, size_t max);
/* Each returns 0, or SP_ETOOBIG / SP_ENOMEM and leaves b as it was. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Hands the storage over; the caller frees it; b is empty again. */
char *buf_detach(struct buf *b, size_t *len);
void buf_free(struct buf *b);

#endif
