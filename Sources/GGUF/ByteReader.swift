/// A bounds-checked little-endian cursor over a byte buffer. Every read checks the remaining length
/// first and throws `GGUFError.truncated` naming the offset and what was being read.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw GGUFError.truncated(offset: bytes.count, what: what()) }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw GGUFError.truncated(offset: bytes.count, what: what()) }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A GGUF string: a 64-bit length then that many bytes. Invalid UTF-8 is repaired, not fatal.
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try read(UInt64.self, "the length of \(what())")
        guard length <= UInt64(remaining) else {
            // A length that fits the file but runs past its end is a truncation; a larger one is garbage.
            if length <= UInt64(bytes.count) { throw GGUFError.truncated(offset: bytes.count, what: what()) }
            throw GGUFError.invalid(offset: start, message: "\(what()) has length \(length) but only \(remaining) bytes remain")
        }
        let raw = try take(Int(length), what())
        return String(decoding: raw, as: UTF8.self)
    }
}
