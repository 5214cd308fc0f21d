import BiomechCore
import Database
import Foundation

/// Opens the catalog database, creating it from `catalog.sqlite.sql` or migrating it as needed.
public enum CatalogStore {
    /// The version-1 schema, `catalog.sqlite.sql` at the repository root, compiled into the program.
    public static var schema: String { String(decoding: PackageResources.catalog_sqlite_sql, as: UTF8.self) }

    /// The schema version this program writes (`PRAGMA user_version`).
    public static let version = 4

    /// Steps from one version to the next: `migrations[v]` takes a version-`v` catalog to `v + 1`.
    /// Version 0 is an empty file, which the schema creates (version 1); new catalogs then take the
    /// same steps as old ones, so each file in `migrations/` is the one definition of what it adds.
    static let migrations: [Int: String] = [
        1: String(decoding: PackageResources.v2_sequences_sql, as: UTF8.self),
        2: String(decoding: PackageResources.v3_windows_sql, as: UTF8.self),
        3: String(decoding: PackageResources.v4_youtube_sql, as: UTF8.self),
    ]

    /// Opens (creating when missing) a catalog for writing, in WAL mode with foreign keys on.
    public static func open(_ path: String) throws -> Database {
        let db = try Database(path: path, mode: .create)
        try db.executeScript("PRAGMA journal_mode = WAL")
        try migrate(db)
        return db
    }

    /// Opens an existing catalog read-only (the `query` command), refusing one of another version.
    public static func openReadOnly(_ path: String) throws -> Database {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CatalogError(path, "no catalog here; create it with `biomech-catalog scan`")
        }
        let db = try Database(path: path, mode: .readOnly)
        let found = try db.userVersion
        guard found == version else {
            throw CatalogError(path, "catalog schema version \(found), this biomech reads version \(version); run `biomech-catalog scan` to migrate")
        }
        return db
    }

    /// Brings `db` to `target`, one transaction per step (a failed step leaves the previous version).
    static func migrate(_ db: Database, to target: Int = version, steps: [Int: String] = migrations) throws {
        var current = try db.userVersion
        guard current <= target else {
            throw CatalogError(db.path, "catalog schema version \(current) is newer than this biomech's (\(target)); use a newer biomech-catalog")
        }
        if current == 0 {
            let tables = try db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'").int ?? 0
            guard tables == 0 else { throw CatalogError(db.path, "not a biomech catalog (tables present but no schema version)") }
            try db.transaction { try db.executeScript(schema) }
            current = try db.userVersion
        }
        while current < target {
            guard let step = steps[current] else { throw CatalogError(db.path, "no migration from schema version \(current)") }
            try db.transaction { try db.executeScript(step) }
            let reached = try db.userVersion
            guard reached > current else { throw CatalogError(db.path, "the migration from version \(current) did not raise user_version") }
            current = reached
        }
    }
}

/// A catalog-level failure (a bad database file, a missing catalog); names the file.
public struct CatalogError: BiomechError {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(path): \(message)" }
}
