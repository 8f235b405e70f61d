import Foundation
import GGUF
import Testing
@testable import ChatCore
import TestSupport

/// The layouts' text form (before tokenization), against Meta's reference and the model cards.
@Suite struct PromptLayoutTests {
    static func text(_ pieces: [PromptPiece]) -> String {
        pieces.map { p -> String in
            switch p.segment {
            case .bos: return "<s>"
            case .defaultBOS: return ""
            case .eos: return "</s>"
            case .control(let s), .marker(let s), .text(let s): return s
            }
        }.joined()
    }

    struct Dialog { var system: String?; var turns: [String]; var text: String; var ids: [Int32] }

    static func llama2Dialogs() throws -> [Dialog] {
        let data = try Data(contentsOf: TestPaths.fixture("reference.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let dialogs = try #require(json["llama2_chat"] as? [[String: Any]])
        return try dialogs.map { d in
            Dialog(system: d["system"] as? String, turns: try #require(d["turns"] as? [String]),
                   text: try #require(d["text"] as? String),
                   ids: try #require(d["ids"] as? [Int]).map { Int32($0) })
        }
    }

    static func turns(_ flat: [String]) -> [Turn] {
        stride(from: 0, to: flat.count, by: 2).map { Turn(user: flat[$0], assistant: $0 + 1 < flat.count ? flat[$0 + 1] : nil) }
    }

    @Test func llama2TextMatchesMetasReference() throws {
        let dialogs = try Self.llama2Dialogs()
        #expect(dialogs.count == 4)
        for d in dialogs {
            let pieces = Llama2Format().layout(system: d.system ?? "", turns: Self.turns(d.turns)[...])
            #expect(Self.text(pieces) == d.text)
        }
    }

    @Test func llama2BlankSystemHasNoBlockAndDroppedTurnsMoveTheSystem() {
        let turns = Self.turns(["a", "b", "c"])
        #expect(Self.text(Llama2Format().layout(system: " \n ", turns: turns[...])) == "<s>[INST] a [/INST] b </s><s>[INST] c [/INST]")
        #expect(Self.text(Llama2Format().layout(system: "S", turns: turns[1...])) == "<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nc [/INST]")
    }

    @Test func chatmlWithSmolLM2sDefaultSystem() throws {
        let file = try GGUFFile(path: TestPaths.defaultModel.path)
        let template = try #require(file.metadata.string("tokenizer.chat_template"))
        let detection = ChatTemplateDetector.resolve(.auto, metadata: file.metadata)
        #expect(detection.format == .chatml)
        #expect(!detection.isFallback)
        let format = try #require(PromptFormats.make(.chatml, chatTemplate: template) as? ChatMLFormat)
        #expect(format.defaultSystem == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let turns = Self.turns(["Hi", "Hello!", "Bye"])
        #expect(Self.text(format.layout(system: "", turns: turns[...])) ==
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
            + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n")
        #expect(Self.text(format.layout(system: "Be brief.", turns: turns[1...])) ==
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func otherFormatsFollowTheirModelCards() {
        let turns = Self.turns(["Hi", "Hello!", "Bye"])
        #expect(Self.text(Llama3Format().layout(system: "S", turns: turns[...])) ==
            "<s><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(Self.text(ZephyrFormat().layout(system: "S", turns: turns[...])) ==
            "<|system|>\nS</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n<|user|>\nBye</s>\n<|assistant|>\n")
        #expect(Self.text(MistralFormat().layout(system: "", turns: turns[...])) ==
            "<s>[INST] Hi [/INST]Hello!</s>[INST] Bye [/INST]")
        #expect(Self.text(MistralFormat().layout(system: "S", turns: turns[...])) ==
            "<s>[INST] S\n\nHi [/INST]Hello!</s>[INST] Bye [/INST]")
    }

    @Test func templateDetection() {
        #expect(ChatTemplateDetector.format(ofTemplate: "{{ '<|im_start|>' + role }}") == .chatml)
        #expect(ChatTemplateDetector.format(ofTemplate: "<|start_header_id|>") == .llama3)
        #expect(ChatTemplateDetector.format(ofTemplate: "'<|user|>\\n' ... '<|assistant|>'") == .zephyr)
        #expect(ChatTemplateDetector.format(ofTemplate: "<|user|> <|assistant|> <|end|>") == nil, "phi-3 is not zephyr")
        #expect(ChatTemplateDetector.format(ofTemplate: "[INST] <<SYS>>\\n") == .llama2)
        #expect(ChatTemplateDetector.format(ofTemplate: "'[INST] ' + message['content'] + ' [/INST]'") == .mistral)
        #expect(ChatTemplateDetector.detect("<start_of_turn>") == nil)
    }

    @Test func autoFallsBackToLlama2ForTheLlamaVocabularyAndSaysSo() throws {
        let file = try GGUFFile(path: TestPaths.fixture("ggml-vocab-llama-spm.gguf").path)
        let d = ChatTemplateDetector.resolve(.auto, metadata: file.metadata)
        #expect(d.format == .llama2)
        #expect(d.isFallback)
        #expect(d.reason == "the model has no chat template; using llama2 for its SentencePiece Llama vocabulary")
        #expect(ChatTemplateDetector.resolve(.zephyr, metadata: file.metadata).format == .zephyr)
    }

    @Test func markersInUserOrSystemTextWarn() {
        let turns = [Turn(user: "ok", assistant: "fine"), Turn(user: "what is [INST]?")]
        let w = Llama2Format().injectionWarnings(system: "<<SYS>> hi", turns: turns[...])
        #expect(w == ["the system prompt contains <<SYS>> (sent as plain text)",
                      "user message 2 contains [INST] (sent as plain text)"])
        let c = ChatMLFormat().injectionWarnings(system: "", turns: [Turn(user: "<|im_start|>system")][...])
        #expect(c == ["user message 1 contains <|im_start|> (sent as plain text)"])
        #expect(Llama2Format().injectionWarnings(system: "plain", turns: turns[0..<1]).isEmpty)
    }
}
