import ChatCore
import GGUF
import Testing
import TestSupport
import Tokenizers
@testable import TerminalUI

/// The inspector's parts from a real Llama 2 prompt (the fixture vocabulary).
@Suite struct PromptInspectionBuilderTests {
    @Test func llama2PromptIsSplitIntoSpecialsStructureAndText() throws {
        let file = try GGUFFile(path: TestPaths.fixture("ggml-vocab-llama-spm.gguf").path)
        let tokenizer = try Tokenizer(metadata: file.metadata)
        let renderer = PromptRenderer(format: PromptFormats.make(.llama2), tokenizer: tokenizer)
        let turns = [Turn(user: "Hi", assistant: "Hello!"), Turn(user: "What is 2+2?")]
        let full = try renderer.render(system: "Be brief.", turns: turns[...])
        let kept = try renderer.render(system: "Be brief.", turns: turns[1...])
        let inspection = PromptInspectionBuilder.build(prompt: kept, full: full, firstKeptTurn: 1, formatName: "llama2", window: 4096)

        // The kept parts are exactly the prompt sent, and their token counts add up to its length.
        let keptParts = inspection.parts.filter { !$0.dropped }
        #expect(keptParts.map(\.text).joined() == kept.text)
        #expect(inspection.keptTokens == kept.ids.count)
        #expect(kept.text.hasPrefix("<s>[INST] <<SYS>>"))
        // BOS/EOS are special tokens, [INST] and <<SYS>> structure.
        #expect(inspection.parts.contains { $0.kind == .specialToken && $0.text == "<s>" })
        #expect(inspection.parts.contains { $0.kind == .specialToken && $0.text == "</s>" })
        #expect(inspection.parts.contains { $0.kind == .structure && $0.text == "[INST]" })
        #expect(inspection.parts.contains { $0.kind == .structure && $0.text == "<<SYS>>" })
        // Turn 0 is dropped (greyed), the last user message is kept.
        #expect(inspection.parts.contains { $0.dropped && $0.text.contains("Hello!") })
        #expect(inspection.parts.contains { !$0.dropped && $0.text.contains("What is 2+2?") })
        #expect(!inspection.parts.contains { $0.dropped && $0.text.contains("Be brief.") })
    }
}
