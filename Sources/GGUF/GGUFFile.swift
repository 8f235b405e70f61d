/// A parsed GGUF file (versions 2 and 3): header, metadata, tensor infos, and the tensor data as
/// views into a lazy memory mapping. Parsing checks every count, length and offset against the file
/// size before using it, so no byte sequence can crash the process or make it allocate absurdly.
public final class GGUFFile: @unchecked Sendable {
    /// The format version (2 or 3).
    public let version: UInt32
    /// Key/value metadata in file order.
    public let metadata: GGUFMetadata
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute offset of the data section.
    public let dataOffset: Int
    /// The underlying mapping.
    public let file: MappedFile
    private let tensorIndex: [String: Int]

    /// The default data alignment when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// Deepest nesting of arrays accepted (real files use 1).
    static let maximumArrayDepth = 4

    /// Opens and parses the file at `path`.
    public convenience init(path: String) throws {
        try self.init(mapped: MappedFile(path: path))
    }

    /// Parses a GGUF image held in memory.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(mapped: MappedFile(copying: bytes))
    }

    /// Parses an already mapped file.
    public init(mapped: MappedFile) throws {
        file = mapped
        var r = ByteReader(mapped.bytes)
        let size = mapped.size

        let magic = Array(mapped.bytes.prefix(4))
        guard magic == Array("GGUF".utf8) else { throw GGUFError.notGGUF(magic: magic) }
        _ = try r.take(4, "the magic")
        version = try r.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }

        let tensorCountOffset = r.offset
        let tensorCount = try r.read(UInt64.self, "the tensor count")
        let kvCountOffset = r.offset
        let kvCount = try r.read(UInt64.self, "the metadata count")
        // Each metadata entry needs at least a key length, a key byte and a type; each tensor info
        // at least a name length, a dimension count, one dimension, a type and an offset.
        guard kvCount <= UInt64(r.remaining / 13) else {
            throw GGUFError.invalid(offset: kvCountOffset, message: "metadata count \(kvCount) is impossible in a file of \(size) bytes")
        }
        guard tensorCount <= UInt64(r.remaining / 32) else {
            throw GGUFError.invalid(offset: tensorCountOffset, message: "tensor count \(tensorCount) is impossible in a file of \(size) bytes")
        }

        var meta = GGUFMetadata()
        for i in 0..<Int(kvCount) {
            let keyOffset = r.offset
            let key = try r.readString("the key of metadata entry \(i)")
            if meta.contains(key) {
                throw GGUFError.invalid(offset: keyOffset, message: "metadata key \"\(key)\" appears twice")
            }
            let typeOffset = r.offset
            let rawType = try r.read(UInt32.self, "the type of metadata \"\(key)\"")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.invalid(offset: typeOffset, message: "metadata \"\(key)\" has unknown value type \(rawType)")
            }
            meta[key] = try Self.readValue(&r, type: type, key: key, depth: 0)
        }
        metadata = meta

        var align = Self.defaultAlignment
        if let v = meta["general.alignment"] {
            guard case .uint32(let a) = v, a > 0, a & (a - 1) == 0, a <= 1 << 20 else {
                throw GGUFError.invalid(offset: 0, message: "general.alignment must be a power of two (UInt32), found \(v)")
            }
            align = Int(a)
        }
        alignment = align

        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(Int(tensorCount))
        var names: [String: Int] = [:]
        for i in 0..<Int(tensorCount) {
            let nameOffset = r.offset
            let name = try r.readString("the name of tensor \(i)")
            if names[name] != nil {
                throw GGUFError.invalid(offset: nameOffset, message: "tensor \"\(name)\" appears twice")
            }
            let dimsOffset = r.offset
            let nDims = try r.read(UInt32.self, "the dimension count of tensor \"\(name)\"")
            guard (1...4).contains(nDims) else {
                throw GGUFError.invalid(offset: dimsOffset, message: "tensor \"\(name)\" has \(nDims) dimensions (1 to 4 allowed)")
            }
            var dims: [Int] = []
            var elements = 1
            for d in 0..<Int(nDims) {
                let dimOffset = r.offset
                let n = try r.read(UInt64.self, "dimension \(d) of tensor \"\(name)\"")
                guard n > 0, n <= UInt64(Int32.max) else {
                    throw GGUFError.invalid(offset: dimOffset, message: "tensor \"\(name)\" dimension \(d) is \(n)")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(n))
                guard !overflow, product <= Int(Int32.max) * 64 else {
                    throw GGUFError.invalid(offset: dimOffset, message: "tensor \"\(name)\" has too many elements")
                }
                elements = product
                dims.append(Int(n))
            }
            let typeOffset = r.offset
            let rawType = try r.read(UInt32.self, "the type of tensor \"\(name)\"")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.invalid(offset: typeOffset, message: "tensor \"\(name)\" has unknown type \(rawType)")
            }
            guard dims[0] % type.blockSize == 0 else {
                throw GGUFError.invalid(offset: dimsOffset, message: "tensor \"\(name)\" row length \(dims[0]) is not a multiple of the \(type.name) block size \(type.blockSize)")
            }
            let offsetOffset = r.offset
            let offset = try r.read(UInt64.self, "the data offset of tensor \"\(name)\"")
            guard offset <= UInt64(size) else {
                throw GGUFError.invalid(offset: offsetOffset, message: "tensor \"\(name)\" offset \(offset) lies past the end of the file (size \(size))")
            }
            guard Int(offset) % align == 0 else {
                throw GGUFError.misaligned(name: name, offset: Int(offset), alignment: align)
            }
            names[name] = i
            infos.append(GGUFTensorInfo(name: name, dimensions: dims, type: type, offset: Int(offset)))
        }
        tensors = infos
        tensorIndex = names

        let headerEnd = r.offset
        dataOffset = (headerEnd + align - 1) / align * align
        for t in infos {
            let start = dataOffset + t.offset
            let end = start + t.byteCount
            guard end <= size else {
                throw GGUFError.tensorOutOfBounds(name: t.name, start: start, end: end, fileSize: size)
            }
        }
    }

    private static func readValue(_ r: inout ByteReader, type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        let what = "the value of metadata \"\(key)\""
        switch type {
        case .uint8: return .uint8(try r.read(UInt8.self, what))
        case .int8: return .int8(try r.read(Int8.self, what))
        case .uint16: return .uint16(try r.read(UInt16.self, what))
        case .int16: return .int16(try r.read(Int16.self, what))
        case .uint32: return .uint32(try r.read(UInt32.self, what))
        case .int32: return .int32(try r.read(Int32.self, what))
        case .uint64: return .uint64(try r.read(UInt64.self, what))
        case .int64: return .int64(try r.read(Int64.self, what))
        case .float32: return .float32(try r.readFloat(what))
        case .float64: return .float64(try r.readDouble(what))
        case .bool:
            let at = r.offset
            let b = try r.read(UInt8.self, what)
            guard b <= 1 else { throw GGUFError.invalid(offset: at, message: "metadata \"\(key)\" has bool value \(b)") }
            return .bool(b == 1)
        case .string: return .string(try r.readString(what))
        case .array:
            let at = r.offset
            guard depth < maximumArrayDepth else {
                throw GGUFError.invalid(offset: at, message: "metadata \"\(key)\" nests arrays deeper than \(maximumArrayDepth)")
            }
            let rawType = try r.read(UInt32.self, "the element type of metadata \"\(key)\"")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.invalid(offset: at, message: "metadata \"\(key)\" has unknown array element type \(rawType)")
            }
            let countAt = r.offset
            let count = try r.read(UInt64.self, "the element count of metadata \"\(key)\"")
            guard count <= UInt64(r.remaining / elementType.minimumSize) else {
                throw GGUFError.invalid(offset: countAt, message: "metadata \"\(key)\" claims \(count) elements but only \(r.remaining) bytes remain")
            }
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                values.append(try readValue(&r, type: elementType, key: key, depth: depth + 1))
            }
            return .array(elementType, values)
        }
    }

    /// The tensor named `name`, if present.
    public func tensor(named name: String) -> GGUFTensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// The raw bytes of a tensor, a view into the mapping (valid while this file lives).
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[(dataOffset + tensor.offset)..<(dataOffset + tensor.offset + tensor.byteCount)])
    }

    /// The raw bytes of the tensor named `name`; throws `missingTensor` when absent.
    public func data(named name: String) throws -> UnsafeRawBufferPointer {
        guard let t = tensor(named: name) else { throw GGUFError.missingTensor(name) }
        return data(of: t)
    }

    /// The file's size in bytes.
    public var fileSize: Int { file.size }
}
