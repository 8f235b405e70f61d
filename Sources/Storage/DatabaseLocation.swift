import Foundation

/// Where the database file is: `--db PATH`, else `LLAMATERM_DB`, else
/// `$XDG_DATA_HOME/llamaterm/llamaterm.sqlite` (`XDG_DATA_HOME` defaults to `~/.local/share`).
public enum DatabaseLocation {
    /// The database path to use, given the command line's `--db` (if any) and the environment.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return expandTilde(explicit) }
        if let env = environment["LLAMATERM_DB"], !env.isEmpty { return expandTilde(env) }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/llamaterm/llamaterm.sqlite"
    }

    static func expandTilde(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }

    /// Creates the file's folder (mode 0700, with any missing parents) and the file itself
    /// (mode 0600) when they do not exist. Existing folders and files keep their modes.
    static func prepare(path: String) throws {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw StorageError.cannotCreateFolder(path: folder, reason: Self.reason(error))
            }
        }
        if !fm.fileExists(atPath: path) {
            // O_EXCL: if another process creates it at the same moment, theirs is kept as is.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                fchmod(fd, 0o600)  // the umask may have removed bits we asked for; never adds any
                close(fd)
            } else if errno != EEXIST {
                throw StorageError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain,
           let text = strerror(Int32(underlying.code)) {
            return String(cString: text)
        }
        return ns.localizedDescription
    }
}
