/* jflat.h — reads one string member out of the text of a flat JSON
 * object without parsing it into a json_t: the SLA engine reads a
 * ticket's event bodies at every change to the ticket, and a full
 * parse of ticket.created's body cost more than the rest of that read.
 * It reads only what it can read exactly as jansson's json_loads would;
 * for anything else it says so, and the caller parses. */
#ifndef SP_JFLAT_H
#define SP_JFLAT_H

#include <stddef.h>

/* The string value of member `key` of the object in `text`, unescaped
 * into out (size bytes with the NUL); the last one if the key repeats,
 * as in jansson. 1 when found, 0 when the object has no such member,
 * -1 when the text holds what this does not read (a value that is not
 * a string, an integer or a literal; \u escapes; a value longer than
 * size - 1; bad JSON): then parse it. */
int jflat_str(const char *text, const char *key, char *out, size_t size);

#endif
