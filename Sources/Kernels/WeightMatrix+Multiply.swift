import CKernels
import GGUF

extension WeightMatrix {
    /// Whether `multiply` has a C kernel for this type on this CPU (else it runs the Swift reference).
    public var hasFastKernel: Bool { FastKernels.matvec(type) != nil }

    /// y[r] = dot(row r, x) for every r in `rows` (y is indexed by absolute row). `x` should be
    /// prepared for this matrix's type; if it was prepared for another, the float path is used.
    /// Uses the AVX-512 kernels when the build has them, else `multiplyReference`.
    public func multiply(_ x: PreparedActivation, rows: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        precondition(x.columns == columns, "multiply: activation has \(x.columns) columns, matrix \(columns)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiply: rows \(rows) outside 0..<\(self.rows)")
        if rows.isEmpty { return }
        if x.encoding == PreparedActivation.encoding(for: type), let kernel = FastKernels.matvec(type) {
            let blocks = columns / type.blockSize
            withUnsafePointer(to: x.cView) { view in
                kernel(data.assumingMemoryBound(to: UInt8.self), Int64(rowBytes), Int64(blocks), view,
                       Int64(rows.lowerBound), Int64(rows.upperBound), y)
            }
            return
        }
        multiplyReference(x, rows: rows, into: y)
    }

    /// `multiply` in plain Swift (the scalar reference the fast kernels are tested against).
    public func multiplyReference(_ x: PreparedActivation, rows: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        precondition(x.columns == columns, "multiply: activation has \(x.columns) columns, matrix \(columns)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiply: rows \(rows) outside 0..<\(self.rows)")
        let blocks = columns / type.blockSize
        let kernel: ((UnsafeRawPointer) -> Float)
        if x.encoding == PreparedActivation.encoding(for: type) {
            kernel = rowKernel(x, blocks: blocks)
        } else {
            kernel = { ReferenceDot.generic(type, $0, x.values, columns: columns) }
        }
        for r in rows { y[r] = kernel(row(r)) }
    }

    /// The dot product of one row with `x` (which has the encoding this type wants).
    func rowKernel(_ x: PreparedActivation, blocks: Int) -> (UnsafeRawPointer) -> Float {
        let columns = self.columns, type = self.type
        switch type {
        case .f32:
            return { Ops.dot($0.assumingMemoryBound(to: Float.self), x.values, count: columns) }
        case .q8_0: return { ReferenceDot.q8_0($0, x, blocks: blocks) }
        case .q4_0: return { ReferenceDot.q4_0($0, x, blocks: blocks) }
        case .q4_1: return { ReferenceDot.q4_1($0, x, blocks: blocks) }
        case .q5_0: return { ReferenceDot.q5_0($0, x, blocks: blocks) }
        case .q5_1: return { ReferenceDot.q5_1($0, x, blocks: blocks) }
        case .iq4_nl: return { ReferenceDot.iq4_nl($0, x, blocks: blocks) }
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .iq4_xs:
            return { ReferenceDot.quantized(type, $0, x, columns: columns) }
        default:
            return { ReferenceDot.generic(type, $0, x.values, columns: columns) }
        }
    }
}
