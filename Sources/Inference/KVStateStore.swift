import Foundation
import Tokenizers

/// Where a request's reused keys and values came from.
public enum ReuseSource: String, Sendable, Equatable, Codable {
    /// Nothing was reused: the whole prompt was evaluated.
    case none
    /// The live KV cache or a state kept in memory.
    case memory
    /// A state file saved by an earlier run (or another process).
    case disk
}

/// The KV states an engine keeps besides its live cache: a bounded pool in memory and, when
/// configured, the state files on disk. Before each request it makes the cache hold the longest
/// prefix of the prompt any of them has; after a reply it saves the cache to disk. Used only on
/// the engine's queue.
final class KVStateStore: @unchecked Sendable {
    private(set) var pool: KVStatePool
    let disk: KVDiskCache?
    /// The tokens last saved to disk (not saved again unchanged).
    private var savedTokens: [TokenID] = []

    /// A live state that would lose at least this many positions to a diverging prompt is copied
    /// into the pool first (a few retokenized tokens at the end of a reply are not worth a copy).
    static let keepThreshold = 16
    /// A state file is read only for at least this many shared tokens (reading a whole file for
    /// a shared start-of-text token costs more than evaluating it).
    static let minimumDiskReuse = 32

    init(memoryLimit: Int, disk: KVDiskCache?) {
        pool = KVStatePool(byteLimit: memoryLimit)
        self.disk = disk
    }

    /// Lines for the user since the last call (files rejected, saves that failed).
    func takeNotes() -> [String] {
        guard let disk, !disk.notes.isEmpty else { return [] }
        defer { disk.notes.removeAll() }
        return disk.notes
    }

    /// Makes `cache` hold the longest prefix of `prompt` available (the live positions, a pooled
    /// state or a state file) and says how long it is and where it came from. The cache may hold
    /// positions past the prefix; the caller truncates.
    func prepare(_ cache: KVCache, for prompt: [TokenID]) -> (length: Int, source: ReuseSource) {
        let live = cache.commonPrefixLength(with: prompt)
        if cache.count - live >= Self.keepThreshold { pool.keep(cache) }
        let pooledLength = pool.longestPrefix(of: prompt)?.length ?? 0
        let saved = disk?.longestPrefix(of: prompt).flatMap { $0.length >= Self.minimumDiskReuse ? $0 : nil }
        let savedLength = saved?.length ?? 0
        if live >= pooledLength && live >= savedLength { return (live, live > 0 ? .memory : .none) }
        if let saved, let disk, savedLength > pooledLength {
            // Loading overwrites the live positions: keep them in memory in case the file fails.
            if live > 0 { pool.keep(cache) }
            if disk.load(saved.name, into: cache) {
                savedTokens = cache.tokens
                return (savedLength, .disk)
            }
        }
        // The best in memory (the live prefix itself may be in the pool now).
        if let pooled = pool.longestPrefix(of: prompt), pooled.length > (cache.count > 0 ? live : 0) {
            pooled.snapshot.restore(into: cache, length: pooled.length)
            return (pooled.length, .memory)
        }
        let kept = cache.commonPrefixLength(with: prompt)
        return (kept, kept > 0 ? .memory : .none)
    }

    /// Saves the session's cache to disk unless it is what was last saved or loaded. A reply's
    /// positions were computed one token at a time as it was generated; they are evaluated again
    /// in one pass first (about a tenth of the time generating them took), so the saved state
    /// holds exactly what evaluating the conversation as a prompt gives, and a resumed reply is
    /// the reply a full evaluation gives.
    func persist(_ session: InferenceSession) {
        let cache = session.cache
        guard let disk, cache.count > 0, cache.tokens != savedTokens else { return }
        if cache.count - cache.batchedCount >= 2 {
            let tail = Array(cache.tokens[cache.batchedCount...])
            cache.truncate(to: cache.batchedCount)
            do { try session.evaluate(tail) } catch {
                disk.notes.append("kv cache: not saved: \(error)")
                return
            }
        }
        disk.save(cache)
        savedTokens = cache.tokens
    }

    /// Forgets every pooled state (the live cache is the caller's).
    func removeAllFromMemory() { pool.removeAll() }
}
