#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only, lazily paged memory mapping of a whole file. Pages are read from disk only when
/// touched, so opening a multi-gigabyte model is instant and costs no resident memory up front.
public final class MappedFile: @unchecked Sendable {
    /// The first byte of the mapping (nil for an empty file).
    public let base: UnsafeRawPointer?
    /// The file's size in bytes.
    public let size: Int
    /// The path the file was opened from (or a label for in-memory buffers).
    public let path: String
    private let ownership: Ownership

    private enum Ownership { case mapped, allocated, borrowed }

    /// Maps the file at `path`; throws `GGUFError.io` naming the path and the system's reason.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GGUFError.io(path: path, message: Self.reason(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw GGUFError.io(path: path, message: Self.reason(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError.io(path: path, message: "not a regular file")
        }
        size = Int(info.st_size)
        ownership = .mapped
        if size == 0 { base = nil; return }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw GGUFError.io(path: path, message: Self.reason(errno)) }
        base = UnsafeRawPointer(p)
    }

    /// A private in-memory copy of `bytes` (for parsing data that is not in a file).
    public init(copying bytes: [UInt8], label: String = "<memory>") {
        path = label
        size = bytes.count
        ownership = .allocated
        if bytes.isEmpty { base = nil; return }
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        base = UnsafeRawPointer(p)
    }

    /// A view of memory owned by someone else, who keeps it alive longer than this object.
    init(borrowing base: UnsafeRawPointer?, size: Int, label: String) {
        self.base = base
        self.size = size
        self.path = label
        ownership = .borrowed
    }

    /// The whole mapping as a buffer.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    /// Asks the kernel to read the range ahead (a hint; failures are ignored).
    public func willNeed(offset: Int, count: Int) {
        guard let base, count > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), offset + count - start, MADV_WILLNEED)
    }

    deinit {
        guard let base else { return }
        switch ownership {
        case .mapped: munmap(UnsafeMutableRawPointer(mutating: base), size)
        case .allocated: base.deallocate()
        case .borrowed: break
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
