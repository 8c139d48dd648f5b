/* markdown_fuzz.c — any article text as HTML: never a crash, and never
 * a tag the renderer did not write (no '<' followed by a letter that is
 * not one of its own tags). Also the topic words of any subject. */
#include "../src/core/topic.h"
#include "../src/util/markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {
	"p>", "/p>", "h2>", "/h2>", "h3>", "/h3>", "h4>", "/h4>", "h5>",
	"/h5>", "ul>", "/ul>", "ol>", "/ol>", "li>", "/li>", "blockquote>",
	"/blockquote>", "br>", "pre>", "/pre>", "code>", "/code>", "strong>",
	"/strong>", "em>", "/em>", "a rel=\"nofollow noopener\" href=\"", "/a>",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	struct topic t;
	char *text;

	if (size > 16384)
		return 0;
	buf_init(&b, 1 << 22);
	if (markdown_html(&b, (const char *)data, size) == 0 &&
	    buf_addc(&b, '\0') == 0)
		for (const char *p = strchr(b.ptr, '<'); p; p = strchr(p + 1, '<')) {
			bool ours = false;

			for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
				if (strncmp(p + 1, tags[i], strlen(tags[i])) == 0)
					ours = true;
			if (!ours)
				abort();
		}
	buf_free(&b);
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	topic_of(&t, text);
	if (t.n > TOPIC_WORDS)
		abort();
	free(text);
	return 0;
}
