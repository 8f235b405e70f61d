import Foundation

/// Builds a GGUF (version 3) file in memory: metadata plus tensors given as raw block bytes. Used by
/// tests to make tiny models of any shape and block type.
public struct GGUFWriter: Sendable {
    /// Metadata to write, in order.
    public var metadata: GGUFMetadata
    /// Data alignment; written as `general.alignment` when it differs from the default.
    public var alignment: Int
    private var tensors: [(info: GGUFTensorInfo, data: [UInt8])] = []

    public init(metadata: GGUFMetadata = GGUFMetadata(), alignment: Int = GGUFFile.defaultAlignment) {
        self.metadata = metadata
        self.alignment = alignment
    }

    /// Adds a tensor from raw bytes in its block type's layout. Dimensions are innermost first.
    public mutating func addTensor(name: String, type: GGMLType, dimensions: [Int], data: [UInt8]) throws {
        let info = GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: 0)
        guard dimensions.count >= 1, dimensions.count <= 4, dimensions.allSatisfy({ $0 > 0 }),
              dimensions[0] % type.blockSize == 0 else {
            throw GGUFError.invalid(offset: 0, message: "tensor \"\(name)\" has invalid dimensions \(dimensions) for \(type.name)")
        }
        guard data.count == info.byteCount else {
            throw GGUFError.invalid(offset: 0, message: "tensor \"\(name)\" needs \(info.byteCount) bytes, got \(data.count)")
        }
        tensors.append((info, data))
    }

    /// Adds an F32 tensor.
    public mutating func addTensor(name: String, dimensions: [Int], floats: [Float]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * 4)
        for f in floats { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        try addTensor(name: name, type: .f32, dimensions: dimensions, data: bytes)
    }

    /// The whole file.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        var meta = metadata
        if alignment != GGUFFile.defaultAlignment { meta["general.alignment"] = .uint32(UInt32(alignment)) }
        out += Array("GGUF".utf8)
        append(UInt32(3), to: &out)
        append(UInt64(tensors.count), to: &out)
        append(UInt64(meta.entries.count), to: &out)
        for (key, value) in meta.entries {
            appendString(key, to: &out)
            append(value.type.rawValue, to: &out)
            appendValue(value, to: &out)
        }
        var offset = 0
        var offsets: [Int] = []
        for t in tensors {
            offsets.append(offset)
            offset += (t.data.count + alignment - 1) / alignment * alignment
        }
        for (i, t) in tensors.enumerated() {
            appendString(t.info.name, to: &out)
            append(UInt32(t.info.dimensions.count), to: &out)
            for d in t.info.dimensions { append(UInt64(d), to: &out) }
            append(t.info.type.rawValue, to: &out)
            append(UInt64(offsets[i]), to: &out)
        }
        pad(&out)
        for t in tensors {
            out += t.data
            pad(&out)
        }
        return out
    }

    /// Writes the file to `url`.
    public func write(to url: URL) throws {
        do { try Data(serialized()).write(to: url) }
        catch { throw GGUFError.io(path: url.path, message: error.localizedDescription) }
    }

    private func pad(_ out: inout [UInt8]) {
        let target = (out.count + alignment - 1) / alignment * alignment
        out += [UInt8](repeating: 0, count: target - out.count)
    }

    private func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private func appendString(_ s: String, to out: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        append(UInt64(utf8.count), to: &out)
        out += utf8
    }

    private func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        case .bool(let v): append(UInt8(v ? 1 : 0), to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let type, let values):
            append(type.rawValue, to: &out)
            append(UInt64(values.count), to: &out)
            for v in values { appendValue(v, to: &out) }
        }
    }
}
