import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that refuses connections for as long as this object lives: a socket bound to it
/// but never listening. Holding the port keeps another test's server from taking it meanwhile (a
/// port that was merely freed could be reused at once by a parallel test, giving a reset instead).
final class ClosedPort {
    let port: Int
    private let fd: Int32

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard sock >= 0 else { throw POSIXError(.EMFILE) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, size) }
        }
        var length = size
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) }
        }
        guard bound == 0, named == 0 else { close(sock); throw POSIXError(.EADDRINUSE) }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }
}
