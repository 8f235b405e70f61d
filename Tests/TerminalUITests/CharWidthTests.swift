import Foundation
import Testing
@testable import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// The C library's `wcwidth` (Glibc's Swift module does not export it).
@_silgen_name("wcwidth") func c_wcwidth(_ c: Int32) -> Int32

@Suite struct CharWidthTests {
    @Test func asciiAndControls() {
        #expect(CharWidth.width(of: "a" as Character) == 1)
        #expect(CharWidth.width(of: " " as Character) == 1)
        #expect(CharWidth.width(of: "\u{7}" as Character) == 0)
        #expect(CharWidth.width(of: "hello") == 5)
    }

    @Test func wideAndFullwidth() {
        #expect(CharWidth.width(of: "你" as Character) == 2)
        #expect(CharWidth.width(of: "한" as Character) == 2)
        #expect(CharWidth.width(of: "Ａ" as Character) == 2)      // U+FF21 fullwidth A
        #expect(CharWidth.width(of: "\u{3000}" as Character) == 2) // ideographic space
        #expect(CharWidth.width(of: "ｱ" as Character) == 1)      // U+FF71 halfwidth katakana
        #expect(CharWidth.width(of: "䷀" as Character) == 1)      // U+4DC0 hexagram: neutral, between wide blocks
        #expect(CharWidth.width(of: "你好！") == 6)
    }

    @Test func emoji() {
        #expect(CharWidth.width(of: "🦙" as Character) == 2)
        #expect(CharWidth.width(of: "👍🏽" as Character) == 2)       // with skin-tone modifier
        #expect(CharWidth.width(of: "👨‍👩‍👧" as Character) == 2)    // ZWJ family
        #expect(CharWidth.width(of: "🇫🇷" as Character) == 2)      // flag
        #expect(CharWidth.width(of: "❤️" as Character) == 2)       // text emoji + VS16
        #expect(CharWidth.width(of: "❤" as Character) == 1)       // text presentation by default
        #expect(CharWidth.width(of: "⌚" as Character) == 2)
    }

    @Test func combiningMarksAreZeroWidth() {
        #expect(CharWidth.width(of: "e\u{301}" as Character) == 1)
        #expect(CharWidth.width(of: "\u{301}" as Unicode.Scalar) == 0)
        #expect(CharWidth.width(of: "\u{200B}" as Unicode.Scalar) == 0)
        #expect(CharWidth.width(of: "crêpe\u{0300}s") == 6)
    }

    @Test func truncation() {
        #expect(CharWidth.truncate("hello world", to: 6) == "hello…")
        #expect(CharWidth.truncate("你好你好", to: 5) == "你好…")
        #expect(CharWidth.truncate("short", to: 10) == "short")
    }

    /// The C library's `wcwidth` (UTF-8 locale) agrees on scalars whose width is settled.
    @Test func agreesWithGlibcWcwidth() throws {
        #if canImport(Glibc)
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { return }
        defer { setlocale(LC_CTYPE, "C") }
        var samples: [UInt32] = Array(0x20...0x7E) + Array(0xA0...0x2FF) + [0x301, 0x20D7, 0x200B]
        samples += Array(0x1100...0x115F) + Array(0x3041...0x3096) + Array(0x4E00...0x4E40) + Array(0xAC00...0xAC40)
        samples += Array(0xFF01...0xFF60) + Array(0xFF61...0xFF9F) + [0x1F600, 0x1F680, 0x1F999, 0x231A, 0x2614, 0x20000]
        // Not compared: U+4DC0-4DFF (Yijing hexagrams) are East Asian Neutral in Unicode and one
        // column in xterm and VTE; glibc 2.36 alone makes them wide.
        var disagreements: [String] = []
        for v in samples {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let c = Int(c_wcwidth(Int32(v)))
            let ours = CharWidth.width(of: scalar)
            if max(c, 0) != ours { disagreements.append(String(format: "U+%04X glibc=%d ours=%d", v, c, ours)) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #endif
    }
}
