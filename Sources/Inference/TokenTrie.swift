import Tokenizers

/// Token sequences by their prefixes: each stored sequence (an entry id) is recorded at every node
/// of its path, so the longest prefix a query shares with any stored sequence is one walk down the
/// query's tokens, whatever the number of entries.
struct TokenTrie {
    private struct Node {
        var children: [TokenID: Int] = [:]
        /// Entries whose sequence passes through (or ends at) this node.
        var entries: Set<Int> = []
        /// Entries whose sequence ends at this node.
        var ending: Set<Int> = []
    }

    private var nodes: [Node] = [Node()]
    private var freeNodes: [Int] = []

    /// Records `entry` along `tokens`.
    mutating func insert(_ tokens: [TokenID], entry: Int) {
        var node = 0
        nodes[0].entries.insert(entry)
        for t in tokens {
            if let next = nodes[node].children[t] {
                node = next
            } else {
                let next = allocateNode()
                nodes[node].children[t] = next
                node = next
            }
            nodes[node].entries.insert(entry)
        }
        nodes[node].ending.insert(entry)
    }

    /// Forgets `entry`, stored along `tokens`; nodes no entry passes through any more are freed.
    mutating func remove(_ tokens: [TokenID], entry: Int) {
        nodes[0].entries.remove(entry)
        nodes[0].ending.remove(entry)
        var node = 0
        for t in tokens {
            guard let next = nodes[node].children[t] else { return }
            nodes[next].entries.remove(entry)
            nodes[next].ending.remove(entry)
            if nodes[next].entries.isEmpty {
                nodes[node].children[t] = nil
                release(subtree: next)
                return
            }
            node = next
        }
    }

    /// The most leading tokens of `query` some entry shares, and the entries that share them
    /// (empty when none shares even the first token).
    func longestPrefix(of query: [TokenID]) -> (length: Int, entries: Set<Int>) {
        var node = 0, length = 0
        for t in query {
            guard let next = nodes[node].children[t] else { break }
            node = next
            length += 1
        }
        return (length, length == 0 ? [] : nodes[node].entries)
    }

    /// The entries whose whole sequence is a prefix of `query` (or equals it).
    func entries(endingAlong query: [TokenID]) -> [Int] {
        var found = Array(nodes[0].ending)
        var node = 0
        for t in query {
            guard let next = nodes[node].children[t] else { break }
            node = next
            found.append(contentsOf: nodes[node].ending)
        }
        return found
    }

    private mutating func allocateNode() -> Int {
        if let i = freeNodes.popLast() { nodes[i] = Node(); return i }
        nodes.append(Node())
        return nodes.count - 1
    }

    private mutating func release(subtree root: Int) {
        var stack = [root]
        while let i = stack.popLast() {
            stack.append(contentsOf: nodes[i].children.values)
            nodes[i] = Node()
            freeNodes.append(i)
        }
    }
}
