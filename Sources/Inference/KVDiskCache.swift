import CKernels
import Foundation
import Synchronization
import Tokenizers

/// Where KV states are saved between runs, and how much they may take.
public struct KVDiskSettings: Sendable, Equatable {
    /// The folder of state files (created 0700 when missing).
    public var directory: String
    /// The most bytes the folder's state files may take together (all models); the least
    /// recently used go first.
    public var byteLimit: Int

    public init(directory: String = KVDiskSettings.defaultDirectory, byteLimit: Int = KVDiskSettings.defaultByteLimit) {
        self.directory = directory
        self.byteLimit = byteLimit
    }

    /// 4 GiB.
    public static let defaultByteLimit = 4 << 30

    /// `$XDG_CACHE_HOME/llamaterm/kv`, or `~/.cache/llamaterm/kv`.
    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".cache")
        return ((base as NSString).appendingPathComponent("llamaterm") as NSString).appendingPathComponent("kv")
    }
}

/// One saved state file, as `llamaterm cache list` shows it.
public struct KVStateListing: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var lastUsed: Date
    /// nil when the header cannot be read.
    public var modelLabel: String?
    public var tokens: Int?
}

/// The state files of one model and its settings in the cache folder: found by the longest token
/// prefix they share with a prompt, read in place into the KV cache, written atomically
/// (a temporary file renamed), evicted least recently used beyond the byte limit. A file that is
/// damaged or made for other settings is removed, with one line in `notes` saying why.
///
/// Several processes may share the folder: each writes its own temporary file, renames are atomic,
/// and a file removed while another process reads it stays readable to that reader.
final class KVDiskCache: @unchecked Sendable {
    let settings: KVDiskSettings
    let identity: KVStateIdentity
    let modelLabel: String
    /// Lines for the user (a file rejected, a save that failed), taken by the engine.
    var notes: [String] = []

    /// File names by index entry, and their tokens, loaded on first use.
    private var files: [Int: (name: String, tokens: [TokenID])] = [:]
    private var trie = TokenTrie()
    private var nextID = 0
    private var scanned = false
    private static let suffix = ".kv"
    private static let temporaryCounter = Atomic<Int>(0)
    /// `UTIME_NOW` of <sys/stat.h> (a macro Swift does not import).
    private static let utimeNow = (1 << 30) - 1

    /// The part of every file name that names the model and settings (a checksum of the identity
    /// fields of the header): sessions with another model, context or RoPE settings keep their
    /// own files and never see, or remove, these.
    let identityKey: String

    init(settings: KVDiskSettings, identity: KVStateIdentity, modelLabel: String) {
        self.settings = settings
        self.identity = identity
        self.modelLabel = modelLabel
        let fields = Array(KVStateFile.headerBytes(identity: identity, tokens: [], modelLabel: "")[8..<56])
        identityKey = Self.hex(fields.withUnsafeBytes { KVStateFile.checksum($0) })
    }

    /// The file name of the state holding exactly `tokens`.
    func fileName(for tokens: [TokenID]) -> String {
        identityKey + "-" + Self.hex(tokens.withUnsafeBytes { KVStateFile.checksum($0) }) + Self.suffix
    }

    private func path(_ name: String) -> String { (settings.directory as NSString).appendingPathComponent(name) }

    /// The saved state sharing the most leading tokens with `prompt`, and how many.
    func longestPrefix(of prompt: [TokenID]) -> (name: String, length: Int)? {
        scanIfNeeded()
        let (length, ids) = trie.longestPrefix(of: prompt)
        guard length > 0, let id = ids.min(by: { files[$0]!.tokens.count < files[$1]!.tokens.count }) else { return nil }
        return (files[id]!.name, length)
    }

    /// Opens the state file at `path` and reads its header; nil when it cannot be opened (gone).
    /// The caller closes the descriptor.
    private static func openState(_ path: String) throws -> (fd: Int32, header: KVStateFile.Header)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        do {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw InferenceError.kvState(path: path, message: "cannot stat it") }
            return (fd, try KVStateFile.readHeader(fd: fd, size: Int(st.st_size), path: path))
        } catch {
            close(fd)
            throw error
        }
    }

    /// Reads the state file `name` into `cache` (which then holds all of its tokens). Returns
    /// false, with a note, and removes the file when it cannot be used; the cache is then empty.
    func load(_ name: String, into cache: KVCache) -> Bool {
        let p = path(name)
        do {
            guard let (fd, header) = try Self.openState(p) else {
                forget(name)
                notes.append("kv cache: \(p) is gone (\(String(cString: strerror(errno)))); evaluating the history again")
                return false
            }
            defer { close(fd) }
            if let why = identity.mismatch(with: header.identity) { throw InferenceError.kvState(path: p, message: why) }
            try KVStateFile.load(fd: fd, header: header, into: cache, path: p)
            var times = [timespec(tv_sec: 0, tv_nsec: Self.utimeNow), timespec(tv_sec: 0, tv_nsec: Self.utimeNow)]
            _ = futimens(fd, &times)
            return true
        } catch {
            cache.clear()
            reject(name, because: error)
            return false
        }
    }

    /// Saves `cache`'s positions (a temporary file renamed over the final name), drops saved
    /// states its tokens extend, then evicts beyond the limit. A failure (a full disk, a
    /// read-only folder) leaves a note and no file.
    func save(_ cache: KVCache) {
        let tokens = cache.tokens
        guard !tokens.isEmpty else { return }
        guard KVStateFile.fileSize(count: tokens.count, identity: identity, modelLabel: modelLabel) <= settings.byteLimit else { return }
        scanIfNeeded()
        let name = fileName(for: tokens)
        let final = path(name)
        do {
            try Self.makeDirectory(settings.directory)
            let serial = Self.temporaryCounter.wrappingAdd(1, ordering: .relaxed).newValue
            let temporary = path(".tmp-\(getpid())-\(serial)-\(name)")
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw InferenceError.kvState(path: temporary, message: "cannot create it: \(String(cString: strerror(errno)))")
            }
            do {
                try KVStateFile.write(fd: fd, cache: cache, identity: identity, modelLabel: modelLabel, path: temporary)
                close(fd)
            } catch {
                close(fd)
                unlink(temporary)
                throw error
            }
            guard rename(temporary, final) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(temporary)
                throw InferenceError.kvState(path: final, message: "cannot rename the new file into place: \(why)")
            }
        } catch {
            notes.append("kv cache: not saved: \(error)")
            return
        }
        for id in trie.entries(endingAlong: tokens) where files[id]!.name != name {
            unlink(path(files[id]!.name))
            forget(id)
        }
        if !files.values.contains(where: { $0.name == name }) { add(name, tokens) }
        evict(keeping: name)
    }

    /// Every state file of the folder (all models), newest first, with what its header says.
    static func list(directory: String) -> [KVStateListing] {
        files(in: directory).map { f in
            var listing = f
            if let (fd, h) = try? openState(f.path) {
                listing.modelLabel = h.modelLabel
                listing.tokens = h.tokens.count
                close(fd)
            }
            return listing
        }
    }

    /// Every state file of the folder, newest first: path, size and last use only.
    private static func files(in directory: String) -> [KVStateListing] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var result: [KVStateListing] = []
        for name in names where name.hasSuffix(suffix) && !name.hasPrefix(".") {
            let p = (directory as NSString).appendingPathComponent(name)
            var st = stat()
            guard stat(p, &st) == 0 else { continue }
            result.append(KVStateListing(path: p, bytes: Int(st.st_size),
                                         lastUsed: Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9)))
        }
        return result.sorted { $0.lastUsed > $1.lastUsed }
    }

    /// Removes every state file (and leftover temporary file) of the folder; returns how many
    /// files and bytes.
    @discardableResult
    static func clear(directory: String) -> (files: Int, bytes: Int) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var count = 0, bytes = 0
        for name in names where name.hasSuffix(suffix) {
            let p = (directory as NSString).appendingPathComponent(name)
            var st = stat()
            if stat(p, &st) == 0, unlink(p) == 0 {
                count += 1
                bytes += Int(st.st_size)
            }
        }
        return (count, bytes)
    }

    // MARK: the index

    /// Reads the headers of this model's files once: each becomes an index entry, or is removed
    /// with a note when it cannot serve this session. Temporary files older than an hour (left by
    /// a killed process) are removed.
    private func scanIfNeeded() {
        guard !scanned else { return }
        scanned = true
        let names = (try? FileManager.default.contentsOfDirectory(atPath: settings.directory)) ?? []
        let key = identityKey
        for name in names {
            let p = path(name)
            if name.hasPrefix(".tmp-") {
                var st = stat()
                if stat(p, &st) == 0, time(nil) - st.st_mtim.tv_sec > 3600 { unlink(p) }
                continue
            }
            guard name.hasPrefix(key + "-"), name.hasSuffix(Self.suffix) else { continue }
            do {
                guard let (fd, header) = try Self.openState(p) else { continue }
                close(fd)
                if let why = identity.mismatch(with: header.identity) { throw InferenceError.kvState(path: p, message: why) }
                add(name, header.tokens)
            } catch {
                reject(name, because: error)
            }
        }
    }

    private func add(_ name: String, _ tokens: [TokenID]) {
        let id = nextID
        nextID += 1
        files[id] = (name, tokens)
        trie.insert(tokens, entry: id)
    }

    private func forget(_ id: Int) {
        guard let f = files.removeValue(forKey: id) else { return }
        trie.remove(f.tokens, entry: id)
    }

    private func forget(_ name: String) {
        for (id, f) in files where f.name == name { forget(id) }
    }

    private func reject(_ name: String, because error: Error) {
        let p = path(name)
        unlink(p)
        forget(name)
        notes.append("kv cache: removed \(p): \(Self.reason(error)); evaluating the history again")
    }

    private static func reason(_ error: Error) -> String {
        if case InferenceError.kvState(_, let message) = error { return message }
        return String(describing: error)
    }

    /// Removes the least recently used state files of the folder (any model) until the total
    /// fits the limit; `name`, just written, goes last.
    private func evict(keeping name: String) {
        var listed = Self.files(in: settings.directory)
        var total = listed.reduce(0) { $0 + $1.bytes }
        listed.sort { a, b in
            let ak = (a.path as NSString).lastPathComponent == name, bk = (b.path as NSString).lastPathComponent == name
            return ak != bk ? bk : a.lastUsed < b.lastUsed
        }
        for f in listed where total > settings.byteLimit {
            if unlink(f.path) == 0 {
                total -= f.bytes
                forget((f.path as NSString).lastPathComponent)
            }
        }
    }

    private static func makeDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw InferenceError.kvState(path: directory, message: "cannot create the folder: \(error.localizedDescription)")
        }
        chmod(directory, 0o700)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
