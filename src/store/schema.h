/* schema.h — the database's forward-only migrations. Migration i brings
 * the schema from version i to i+1; a released migration never changes. */
#ifndef SP_SCHEMA_H
#define SP_SCHEMA_H

#include <stddef.h>

/* 'SPRT': marks the file as soporte's (PRAGMA application_id). */
#define SCHEMA_APPLICATION_ID 0x53505254

extern const char *const schema_migrations[];
extern const size_t schema_nmigrations;

#endif
