import Tokenizers

/// KV states kept in memory beside the live cache, bounded by bytes and evicted least recently
/// used first: going back to a conversation, compare column or replay variant continues from its
/// own longest cached prefix. Lookup walks a token trie, never the entries one by one.
struct KVStatePool {
    /// The most bytes the snapshots may hold together (0 keeps none).
    let byteLimit: Int
    private(set) var byteCount = 0
    private var entries: [Int: (snapshot: KVSnapshot, lastUse: UInt64)] = [:]
    private var trie = TokenTrie()
    private var nextID = 0
    private var clock: UInt64 = 0

    init(byteLimit: Int) { self.byteLimit = max(0, byteLimit) }

    /// Number of snapshots held.
    var count: Int { entries.count }

    /// The snapshot sharing the most leading tokens with `prompt`, and how many (0 and nil when
    /// none shares any). Marks it used.
    mutating func longestPrefix(of prompt: [TokenID]) -> (snapshot: KVSnapshot, length: Int)? {
        let (length, ids) = trie.longestPrefix(of: prompt)
        guard length > 0, let id = ids.max(by: { entries[$0]!.lastUse < entries[$1]!.lastUse }) else { return nil }
        clock += 1
        entries[id]!.lastUse = clock
        return (entries[id]!.snapshot, length)
    }

    /// Whether some snapshot holds at least all of `tokens`.
    func covers(_ tokens: [TokenID]) -> Bool {
        trie.longestPrefix(of: tokens).length == tokens.count && !tokens.isEmpty
    }

    /// Keeps a copy of `cache`'s positions, unless a held snapshot already covers them. Snapshots
    /// whose tokens are a prefix of the new one's are dropped (it serves every prompt they
    /// would); then the least recently used go until the total fits.
    mutating func keep(_ cache: KVCache) {
        let tokens = cache.tokens
        guard !tokens.isEmpty, tokens.count * cache.bytesPerPosition <= byteLimit, !covers(tokens) else { return }
        for id in trie.entries(endingAlong: tokens) { remove(id) }
        let snapshot = KVSnapshot(copying: cache)
        clock += 1
        let id = nextID
        nextID += 1
        entries[id] = (snapshot, clock)
        trie.insert(tokens, entry: id)
        byteCount += snapshot.byteCount
        while byteCount > byteLimit, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            remove(oldest)
        }
    }

    /// Drops every snapshot.
    mutating func removeAll() {
        for id in Array(entries.keys) { remove(id) }
    }

    private mutating func remove(_ id: Int) {
        guard let e = entries.removeValue(forKey: id) else { return }
        trie.remove(e.snapshot.tokens, entry: id)
        byteCount -= e.snapshot.byteCount
    }
}
