import Foundation

/// An `http://host[:port][/base/path]` server address. Only plain HTTP: put a TLS proxy in front
/// of a server that needs HTTPS.
public struct ServerURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The path prefix without a trailing slash ("" for the root).
    public var basePath: String

    /// Parses `text`; throws `RemoteError.invalidURL` naming what is wrong.
    public init(parsing text: String) throws {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("https://") {
            throw RemoteError.invalidURL(text, reason: "https is not supported; use http:// (or a local TLS proxy)")
        }
        guard rest.hasPrefix("http://") else {
            throw RemoteError.invalidURL(text, reason: "it must start with http://")
        }
        rest = rest.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<q]) }
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.isEmpty else { throw RemoteError.invalidURL(text, reason: "it has no host") }
        if authority.contains("@") { throw RemoteError.invalidURL(text, reason: "credentials in the URL are not supported; use --api-key-env") }
        var h = Substring(authority)
        var p = 80
        if h.hasPrefix("[") {
            guard let close = h.firstIndex(of: "]") else { throw RemoteError.invalidURL(text, reason: "unclosed [ in the host") }
            let after = h[h.index(after: close)...]
            let inner = h[h.index(after: h.startIndex)..<close]
            if after.hasPrefix(":") { p = try Self.port(after.dropFirst(), text) } else if !after.isEmpty {
                throw RemoteError.invalidURL(text, reason: "unexpected text after the host")
            }
            h = inner
        } else if let colon = h.lastIndex(of: ":") {
            p = try Self.port(h[h.index(after: colon)...], text)
            h = h[..<colon]
        }
        guard !h.isEmpty else { throw RemoteError.invalidURL(text, reason: "it has no host") }
        host = String(h)
        port = p
        basePath = path
    }

    private static func port(_ s: Substring, _ text: String) throws -> Int {
        guard let p = Int(s), (1...65535).contains(p) else {
            throw RemoteError.invalidURL(text, reason: "the port \"\(s)\" is not a number from 1 to 65535")
        }
        return p
    }

    /// `base path + path` (path starts with "/").
    public func path(_ path: String) -> String { basePath + path }

    /// The value of the Host header.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? h : "\(h):\(port)"
    }

    public var description: String { "http://\(hostHeader)\(basePath)" }

    /// The same server without a trailing `/v1` (where llama.cpp and vLLM put `/tokenize`).
    public var withoutVersionSuffix: ServerURL {
        var u = self
        if u.basePath.hasSuffix("/v1") { u.basePath.removeLast(3) }
        return u
    }
}
