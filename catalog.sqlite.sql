-- biomech catalog schema (SQLite). Authoritative; filled in by the catalog stage (biomech-catalog).
-- Not created yet: the catalog stage adds its tables, views and PRAGMA user_version here.
PRAGMA user_version = 0;
