// SQLITE_TRANSIENT is a cast macro and sqlite3_config is variadic; Swift can use neither directly.
#ifndef BIOMECH_CSQLITE_SHIM_H
#define BIOMECH_CSQLITE_SHIM_H
#include <sqlite3.h>

static inline sqlite3_destructor_type biomech_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline int biomech_sqlite_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}
#endif
