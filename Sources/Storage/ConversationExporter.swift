import Foundation

/// Turns stored conversations into files people and tools read (JSON in Hugging Face's chat
/// format, Markdown) and JSON files back into conversations.
public enum ConversationExporter {
    /// The JSON export of one conversation (pretty-printed, keys sorted, ending in a newline).
    /// Exporting, importing and exporting again gives the same text.
    public static func json(_ c: ConversationWithMessages) throws -> String {
        let conv = c.conversation
        var messages: [ChatJSONMessage] = []
        var metadata: [ChatJSONMessageMetadata] = []
        if let system = conv.systemPrompt {
            messages.append(ChatJSONMessage(role: "system", content: system))
            metadata.append(ChatJSONMessageMetadata(kind: "system_prompt"))
        }
        for m in c.messages {
            messages.append(ChatJSONMessage(role: m.role.rawValue, content: m.content))
            metadata.append(ChatJSONMessageMetadata(
                kind: nil, created: Timestamp.iso(m.createdAt), updated: Timestamp.iso(m.updatedAt),
                status: m.status.rawValue, token_count: m.tokenCount, error: m.errorMessage,
                provenance: m.provenance.map(provenance)))
        }
        let file = ChatJSONFile(
            messages: messages,
            llamaterm: ChatJSONMetadata(
                version: ChatJSONMetadata.currentVersion, title: conv.title,
                title_is_custom: conv.titleIsCustom, created: Timestamp.iso(conv.createdAt),
                updated: Timestamp.iso(conv.updatedAt), system_prompt_name: conv.systemPromptName,
                options: JSONValue.fromStored(conv.optionsJSON), model: conv.modelFile,
                prompt_format: conv.promptFormat, pinned: conv.pinned, archived: conv.archived,
                messages: metadata))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(file), as: UTF8.self) + "\n"
    }

    /// Reads a JSON export (ours, or any Hugging Face chat file: a `messages` array of
    /// `{role, content}` with roles system/user/assistant) into what `insertConversation` takes.
    /// `source` names the file in error messages.
    public static func parseJSON(_ data: Data, source: String) throws -> (NewConversation, [NewMessage]) {
        let file: ChatJSONFile
        do {
            file = try JSONDecoder().decode(ChatJSONFile.self, from: data)
        } catch let error as DecodingError {
            throw StorageError.invalidImport(path: source, reason: describe(error))
        } catch {
            throw StorageError.invalidImport(path: source, reason: "not valid JSON")
        }
        let meta = file.llamaterm
        if let version = meta?.version, version > ChatJSONMetadata.currentVersion {
            throw StorageError.invalidImport(
                path: source, reason: "written by a newer llamaterm (format version \(version))")
        }
        let perMessage = meta?.messages
        if let perMessage, perMessage.count != file.messages.count {
            throw StorageError.invalidImport(
                path: source,
                reason: "llamaterm.messages has \(perMessage.count) entries for \(file.messages.count) messages")
        }
        func date(_ text: String?, _ what: String) throws -> Date? {
            guard let text else { return nil }
            guard let d = Timestamp.parse(text) else {
                throw StorageError.invalidImport(path: source, reason: "\(what): bad time \"\(text)\" (want ISO 8601 UTC)")
            }
            return d
        }
        var systemPrompt: String?
        var messages: [NewMessage] = []
        for (index, message) in file.messages.enumerated() {
            let m = perMessage?[index]
            let isSystemPrompt = perMessage != nil ? m?.kind == "system_prompt" : (index == 0 && message.role == "system")
            if isSystemPrompt {
                guard systemPrompt == nil else {
                    throw StorageError.invalidImport(path: source, reason: "message \(index): a second system prompt")
                }
                systemPrompt = message.content
                continue
            }
            guard let role = MessageRole(rawValue: message.role) else {
                throw StorageError.invalidImport(
                    path: source, reason: "message \(index): unsupported role \"\(message.role)\" (want system, user or assistant)")
            }
            var status = MessageStatus.complete
            if let text = m?.status {
                guard let s = MessageStatus(rawValue: text) else {
                    throw StorageError.invalidImport(path: source, reason: "message \(index): unknown status \"\(text)\"")
                }
                status = s
            }
            messages.append(NewMessage(
                role: role, content: message.content,
                createdAt: try date(m?.created, "message \(index)"),
                updatedAt: try date(m?.updated, "message \(index)"),
                tokenCount: m?.token_count, status: status, errorMessage: m?.error,
                provenance: try m?.provenance.map(provenance)))
        }
        let conversation = NewConversation(
            title: meta?.title, titleIsCustom: meta?.title_is_custom ?? false,
            systemPrompt: systemPrompt, systemPromptName: meta?.system_prompt_name,
            optionsJSON: try meta?.options?.storedText(), modelFile: meta?.model,
            promptFormat: meta?.prompt_format, createdAt: try date(meta?.created, "llamaterm.created"),
            updatedAt: try date(meta?.updated, "llamaterm.updated"),
            pinned: meta?.pinned ?? false, archived: meta?.archived ?? false)
        return (conversation, messages)
    }

    /// Reads the JSON file at `path` and adds it to `store` as a new conversation.
    public static func importJSON(file path: String, into store: any ConversationStore) throws -> StoredConversation {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StorageError.invalidImport(path: path, reason: DatabaseLocation.reason(error))
        }
        let (conversation, messages) = try parseJSON(data, source: path)
        return try store.insertConversation(conversation, messages: messages)
    }

    /// Writes every conversation of `store` into `folder` (created if missing) as
    /// `conversation-<id>.json` and `conversation-<id>.md`. Returns the number of conversations.
    @discardableResult
    public static func exportAll(from store: any ConversationStore, to folder: String) throws -> Int {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StorageError.cannotWrite(path: folder, reason: DatabaseLocation.reason(error))
        }
        let ids = try store.allConversationIds()
        for id in ids {
            let c = try store.conversation(id)
            let base = (folder as NSString).appendingPathComponent(String(format: "conversation-%06lld", id))
            try write(try json(c), to: base + ".json")
            try write(markdown(c), to: base + ".md")
        }
        return ids.count
    }

    /// Writes `text` to `path` atomically (a full disk leaves any previous file intact).
    public static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StorageError.cannotWrite(path: path, reason: DatabaseLocation.reason(error))
        }
    }

    static func provenance(_ p: ReplyProvenance) -> ChatJSONProvenance {
        ChatJSONProvenance(
            model_file: p.modelFile, model_size: p.modelSize, prompt_format: p.promptFormat,
            options: JSONValue.fromStored(p.optionsJSON), seed: p.seed,
            system_prompt_hash: p.systemPromptHash, prompt_tokens: p.promptTokens,
            prefill_tokens: p.prefillTokens, prefill_seconds: p.prefillSeconds,
            decode_tokens: p.decodeTokens, decode_seconds: p.decodeSeconds)
    }

    static func provenance(_ p: ChatJSONProvenance) throws -> ReplyProvenance {
        ReplyProvenance(
            modelFile: p.model_file, modelSize: p.model_size, promptFormat: p.prompt_format,
            optionsJSON: try p.options?.storedText(), seed: p.seed,
            systemPromptHash: p.system_prompt_hash, promptTokens: p.prompt_tokens,
            prefillTokens: p.prefill_tokens, prefillSeconds: p.prefill_seconds,
            decodeTokens: p.decode_tokens, decodeSeconds: p.decode_seconds)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case let .dataCorrupted(ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(ctx.codingPath))"
        case let .keyNotFound(key, ctx):
            return "missing \"\(key.stringValue)\" at \(path(ctx.codingPath))"
        case let .typeMismatch(type, ctx):
            return "wrong type at \(path(ctx.codingPath)) (want \(type))"
        case let .valueNotFound(_, ctx):
            return "missing value at \(path(ctx.codingPath))"
        @unknown default:
            return "not a chat export"
        }
    }
}
