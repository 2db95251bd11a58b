#ifndef TENANCY_CSQLITE_SHIM_H
#define TENANCY_CSQLITE_SHIM_H

#include <sqlite3.h>

// Swift cannot call C variadic functions; these wrap the few sqlite3_db_config / sqlite3_config calls
// the connection layer needs.

/// sqlite3_db_config(db, op, value, &out) for the integer on/off options (SQLITE_DBCONFIG_DEFENSIVE, ...).
static inline int tenancy_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}

/// SQLITE_TRANSIENT, which Swift cannot import (it is a cast of -1 to a function pointer).
static inline sqlite3_destructor_type tenancy_sqlite3_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
