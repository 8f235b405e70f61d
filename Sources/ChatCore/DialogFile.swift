import Foundation

/// Reads a dialog in Hugging Face's chat format: a JSON array of
/// `{"role": "system"|"user"|"assistant", "content": "..."}`, an optional system message first,
/// then alternating user and assistant messages ending with a user message.
public enum DialogFile {
    /// The conversation in the file at `path`.
    public static func load(path: String) throws -> Conversation {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ChatError.invalidDialog(path: path, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// The conversation in `data` (`path` only names it in errors).
    public static func parse(_ data: Data, path: String = "dialog") throws -> Conversation {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw ChatError.invalidDialog(path: path, message: "not valid JSON")
        }
        guard let array = json as? [Any] else {
            throw ChatError.invalidDialog(path: path, message: "expected a JSON array of {\"role\", \"content\"} objects")
        }
        var messages: [Message] = []
        for (i, element) in array.enumerated() {
            guard let object = element as? [String: Any] else {
                throw ChatError.invalidDialog(path: path, message: "message \(i + 1) is not an object")
            }
            guard let roleText = object["role"] as? String else {
                throw ChatError.invalidDialog(path: path, message: "message \(i + 1) has no \"role\" string")
            }
            guard let role = Role(rawValue: roleText) else {
                throw ChatError.invalidDialog(path: path, message: "message \(i + 1) has role \"\(roleText)\" (expected system, user or assistant)")
            }
            guard let content = object["content"] as? String else {
                throw ChatError.invalidDialog(path: path, message: "message \(i + 1) has no \"content\" string")
            }
            if role == .system && i != 0 {
                throw ChatError.invalidDialog(path: path, message: "message \(i + 1): a system message may only come first")
            }
            messages.append(Message(role: role, content: content))
        }
        let conversation: Conversation
        do { conversation = try Conversation(huggingFace: messages) } catch let e as ChatError {
            if case .invalidConversation(let m) = e { throw ChatError.invalidDialog(path: path, message: m) }
            throw e
        }
        guard conversation.awaitsReply else {
            throw ChatError.invalidDialog(path: path, message: "the dialog must end with a user message")
        }
        return conversation
    }
}
