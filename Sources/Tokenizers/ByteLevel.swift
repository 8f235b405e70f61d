/// GPT-2's reversible byte-to-character map: byte-level BPE vocabularies spell every byte as a
/// printable character (printable Latin-1 bytes as themselves, the others as U+0100 onwards, e.g.
/// the space as `Ġ`, the newline as `Ċ`).
enum ByteLevel {
    /// The character (scalar value) standing for each byte.
    static let byteToScalar: [UInt32] = {
        var map = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable { map[b] = UInt32(b) } else { map[b] = next; next += 1 }
        }
        return map
    }()

    /// The byte a character stands for, or nil for characters outside the map.
    static func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 256 {
            let b = Int(scalar)
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            return printable ? UInt8(b) : nil
        }
        if scalar < 256 + 68 { return byteToScalarInverse[Int(scalar - 256)] }
        return nil
    }

    private static let byteToScalarInverse: [UInt8] = {
        var inv = [UInt8](repeating: 0, count: 68)
        for b in 0..<256 where byteToScalar[b] >= 256 { inv[Int(byteToScalar[b] - 256)] = UInt8(b) }
        return inv
    }()

    /// The bytes a vocabulary piece stands for, or nil when it has a character outside the map.
    static func bytes(of piece: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(piece.unicodeScalars.count)
        for s in piece.unicodeScalars {
            guard let b = byte(for: s.value) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The vocabulary spelling of one byte.
    static func piece(for byte: UInt8) -> String {
        String(Character(Unicode.Scalar(byteToScalar[Int(byte)])!))
    }
}
