/* schema.h — the database's forward-only migrations. Migration i brings
 * the schema from version i to i+1; a released migration never changes. */
#ifndef SP_SCHEMA_H
#define SP_SCHEMA_H

#include <stddef.h>

/* 'SPRT': marks the file as soporte's (PRAGMA application_id). */
#define SCHEMA_APPLICATION_ID 0x53505254

/* A migration that is this step of the store's rather than SQL: every
 * CHECK (column IN ('a', 'b', ...)) in the tables' SQL is rewritten as
 * CHECK (column = 'a' OR column = 'b' ...), which means the same.
 * SQLite tests an IN list of more than two values by building a
 * temporary b-tree, at every row written: a tenth of a ticket's
 * creation. New tables are written with comparisons from the start. */
#define SCHEMA_STEP_CHECKS_AS_COMPARISONS "-- step: checks as comparisons"

extern const char *const schema_migrations[];
extern const size_t schema_nmigrations;

#endif
