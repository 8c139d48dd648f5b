/* topic.c — see topic.h. */
#include "topic.h"

#include <stdlib.h>
#include <string.h>

/* Sorted (strcmp order): looked up by binary search, as every word of
 * every subject compared is (INT-4 reads 20 subjects a new ticket). */
static const char *const stop[] = {
	"and", "ante", "are", "ayuda", "but", "can", "con", "del", "desde",
	"donde", "el", "en", "entre", "era", "esta", "este", "esto", "favor",
	"for", "from", "has", "have", "hay", "help", "hola", "issue", "las",
	"los", "mas", "mis", "muy", "nos", "not", "para", "pero", "please",
	"por", "problem", "problema", "que", "sin", "sobre", "son", "sus",
	"that", "the", "this", "una", "unas", "uno", "unos", "urgente",
	"was", "when", "with", "ya", "you", "your",
};

/* One UTF-8 letter at *s folded to ASCII lower case (0: not a letter or
 * digit); *s moves past it. Latin-1 accents only: what Spanish uses. */
static char
fold(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned cp;

	if (p[0] < 0x80) {
		*s = p + 1;
		if ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= '0' && p[0] <= '9'))
			return (char)p[0];
		if (p[0] >= 'A' && p[0] <= 'Z')
			return (char)(p[0] - 'A' + 'a');
		return 0;
	}
	if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
		*s = p + 2;
		cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
		if (cp >= 0xc0 && cp <= 0xff && cp != 0xd7 && cp != 0xf7) {
			static const char map[] = "aaaaaaaceeeeiiiidnooooo.ouuuuyts"
						  "aaaaaaaceeeeiiiidnooooo.ouuuuyty";
			return map[cp - 0xc0];
		}
		return 0;
	}
	/* Other multi-byte sequences separate words. */
	*s = p + 1;
	while ((**s & 0xc0) == 0x80)
		(*s)++;
	return 0;
}

static int
cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool
is_stop(const char *w)
{
	return bsearch(w, stop, sizeof stop / sizeof stop[0], sizeof stop[0],
		       cmp_word) != NULL;
}

/* Stems are NUL-padded to their full size, so they compare as blocks
 * of TOPIC_STEM + 1 bytes: a few loads, where strcmp was a call for
 * each pair (INT-4 compares a new subject with 20 others). */
static bool
same_stem(const char *a, const char *b)
{
	return memcmp(a, b, TOPIC_STEM + 1) == 0;
}

static void
add_word(struct topic *t, const char *w, size_t len)
{
	char stem[TOPIC_STEM + 1] = { 0 }; /* padded: see same_stem() */

	if (len < 3 || t->n == TOPIC_WORDS)
		return;
	if (is_stop(w))
		return;
	if (len > TOPIC_STEM)
		len = TOPIC_STEM;
	memcpy(stem, w, len);
	for (int i = 0; i < t->n; i++)
		if (same_stem(t->w[i], stem))
			return;
	memcpy(t->w[t->n++], stem, sizeof stem);
}

void
topic_of(struct topic *out, const char *subject)
{
	const unsigned char *s = (const unsigned char *)(subject ? subject : "");
	char word[64];
	size_t len = 0;

	memset(out, 0, sizeof *out);
	for (;;) {
		char c = *s ? fold(&s) : 0;

		if (c && len + 1 < sizeof word) {
			word[len++] = c;
			continue;
		}
		if (c)
			continue; /* an overlong word: the rest is dropped */
		word[len] = '\0';
		add_word(out, word, len);
		len = 0;
		if (*s == '\0')
			break;
	}
}

bool
topic_same(const struct topic *a, const struct topic *b)
{
	int shared = 0, shorter = a->n < b->n ? a->n : b->n;

	if (shorter == 0)
		return false;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++)
			if (same_stem(a->w[i], b->w[j])) {
				shared++;
				break;
			}
	if (a->n == 1 && b->n == 1)
		return shared == 1;
	return shared >= 2 && shared * 10 >= shorter * 6;
}
