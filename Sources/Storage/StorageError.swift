import Foundation

/// Everything that can go wrong in the storage layer, with enough context (the database path, the
/// SQL error message, the record involved) to print one clear line.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    /// The folder for the database could not be created or secured.
    case cannotCreateFolder(path: String, reason: String)
    /// The database file could not be opened (missing folder, permissions, not a database...).
    case cannotOpen(path: String, reason: String)
    /// The file was migrated by a newer llamaterm: it is left untouched.
    case newerDatabase(path: String, unknownMigrations: [String])
    /// An SQLite error while reading or writing (disk full, read-only file, corruption...).
    case sqlite(path: String, message: String)
    /// No conversation has this id.
    case conversationNotFound(id: Int64, path: String)
    /// No message has this id (in this conversation, when one is given).
    case messageNotFound(id: Int64, path: String)
    /// A value the API was given is not acceptable (empty title, unknown role...).
    case invalidArgument(String)
    /// An export file could not be read or parsed.
    case invalidImport(path: String, reason: String)
    /// An export could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreateFolder(path, reason):
            return "cannot create the database folder \(path): \(reason)"
        case let .cannotOpen(path, reason):
            return "cannot open the database \(path): \(reason)"
        case let .newerDatabase(path, unknown):
            return "the database \(path) was written by a newer version of llamaterm "
                + "(unknown migrations: \(unknown.joined(separator: ", "))); upgrade llamaterm, "
                + "or use another file with --db. The file was not modified."
        case let .sqlite(path, message):
            return "database error in \(path): \(message)"
        case let .conversationNotFound(id, path):
            return "no conversation with id \(id) in \(path)"
        case let .messageNotFound(id, path):
            return "no message with id \(id) in \(path)"
        case let .invalidArgument(text):
            return text
        case let .invalidImport(path, reason):
            return "cannot import \(path): \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
