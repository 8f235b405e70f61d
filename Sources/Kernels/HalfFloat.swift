/// Loads of the 16-bit floats GGUF blocks carry, at any byte offset (blocks are not aligned).
@inline(__always)
func loadHalf(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
    Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

/// bfloat16 is the top half of a float32.
@inline(__always)
func loadBFloat(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
    Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << 16)
}

/// Rounds a float to the nearest half-precision value (how ggml stores block scales).
@inline(__always)
func roundToHalf(_ x: Float) -> Float { Float(Float16(x)) }
