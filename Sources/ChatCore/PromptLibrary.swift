import Foundation

/// A named system prompt.
public struct SystemPrompt: Sendable, Hashable, Codable {
    /// Where a prompt comes from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Built into llamaterm (`prompts/`).
        case builtin
        /// The user's prompt folder (overrides a built-in of the same name).
        case user
    }

    /// The file name without `.txt`, used by `--prompt-name` and `/prompt`.
    public var name: String
    /// The first line of the file.
    public var title: String
    /// The prompt text ("" for no system prompt).
    public var text: String
    public var source: Source

    public init(name: String, title: String, text: String, source: Source) {
        self.name = name
        self.title = title
        self.text = text
        self.source = source
    }

    /// Parses a prompt file: the first line is the title, the rest the text (trailing newlines
    /// dropped). A file with one line has an empty text.
    public init(name: String, fileContents: String, source: Source) {
        let normalized = fileContents.replacingOccurrences(of: "\r\n", with: "\n")
        var title = normalized
        var text = ""
        if let nl = normalized.firstIndex(of: "\n") {
            title = String(normalized[..<nl])
            text = String(normalized[normalized.index(after: nl)...])
        }
        while text.hasSuffix("\n") { text.removeLast() }
        self.init(name: name, title: title.trimmingCharacters(in: .whitespaces), text: text, source: source)
    }

    /// The file form: title line, text, final newline.
    public var fileContents: String { title + "\n" + (text.isEmpty ? "" : text + "\n") }
}

/// The system-prompt library: the built-in prompts plus the user's folder
/// (`$XDG_CONFIG_HOME/llamaterm/prompts/`, else `~/.config/llamaterm/prompts/`), one `NAME.txt`
/// file per prompt. User prompts add to the built-ins and override those with the same name.
public struct PromptLibrary: Sendable {
    /// The user's prompt folder (nil: built-ins only).
    public var userDirectory: URL?

    public init(userDirectory: URL? = PromptLibrary.defaultUserDirectory()) {
        self.userDirectory = userDirectory
    }

    /// `$XDG_CONFIG_HOME/llamaterm/prompts`, else `~/.config/llamaterm/prompts`.
    public static func defaultUserDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config")
        return URL(fileURLWithPath: config).appendingPathComponent("llamaterm/prompts")
    }

    /// The built-in prompts, in display order.
    public static var builtins: [SystemPrompt] {
        BuiltinPrompts.all.map { SystemPrompt(name: $0.name, title: $0.title, text: $0.text, source: .builtin) }
    }

    /// The name of Llama 2's default system prompt.
    public static let llama2DefaultName = "llama2-default"

    /// Every prompt, built-ins first (user versions replacing them in place), then the user's own
    /// prompts by name; files that cannot be read are listed in `problems` and skipped.
    public func list() -> (prompts: [SystemPrompt], problems: [ChatError]) {
        var prompts = Self.builtins
        var problems: [ChatError] = []
        for (name, result) in userFiles() {
            switch result {
            case .success(let p):
                if let i = prompts.firstIndex(where: { $0.name == name }) { prompts[i] = p } else { prompts.append(p) }
            case .failure(let e):
                problems.append(e)
            }
        }
        return (prompts, problems)
    }

    /// The prompt named `name` (the user's version first).
    public func load(_ name: String) throws -> SystemPrompt {
        if let dir = userDirectory {
            let url = dir.appendingPathComponent(name + ".txt")
            if Self.isValidName(name), FileManager.default.fileExists(atPath: url.path) {
                return try Self.read(url, name: name)
            }
        }
        if let b = Self.builtins.first(where: { $0.name == name }) { return b }
        throw ChatError.promptNotFound(name: name, available: list().prompts.map(\.name))
    }

    /// Saves a prompt to the user folder (creating it), replacing any prompt of that name.
    @discardableResult
    public func save(name: String, title: String, text: String) throws -> URL {
        guard Self.isValidName(name) else { throw ChatError.invalidPromptName(name) }
        guard let dir = userDirectory else { throw ChatError.promptFile(path: name, message: "no user prompt folder") }
        let url = dir.appendingPathComponent(name + ".txt")
        let singleLineTitle = title.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        let prompt = SystemPrompt(name: name, title: singleLineTitle.isEmpty ? name : singleLineTitle, text: text, source: .user)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(prompt.fileContents.utf8).write(to: url, options: .atomic)
        } catch {
            throw ChatError.promptFile(path: url.path, message: error.localizedDescription)
        }
        return url
    }

    /// Deletes a user prompt (built-ins cannot be deleted; deleting an override restores the built-in).
    public func delete(_ name: String) throws {
        guard Self.isValidName(name), let dir = userDirectory else { throw ChatError.invalidPromptName(name) }
        let url = dir.appendingPathComponent(name + ".txt")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ChatError.promptNotFound(name: name, available: list().prompts.filter { $0.source == .user }.map(\.name))
        }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw ChatError.promptFile(path: url.path, message: error.localizedDescription)
        }
    }

    /// Letters, digits, `-`, `_`, `.`; not starting with `.`; at most 100 characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0) }
    }

    private func userFiles() -> [(String, Result<SystemPrompt, ChatError>)] {
        guard let dir = userDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap { file in
            let name = String(file.dropLast(4))
            guard Self.isValidName(name) else { return nil }
            return (name, Result { try Self.read(dir.appendingPathComponent(file), name: name) }.mapError {
                ($0 as? ChatError) ?? .promptFile(path: file, message: "\($0)")
            })
        }
    }

    private static func read(_ url: URL, name: String) throws -> SystemPrompt {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ChatError.promptFile(path: url.path, message: error.localizedDescription)
        }
        guard let s = String(data: data, encoding: .utf8) else {
            throw ChatError.promptFile(path: url.path, message: "not valid UTF-8")
        }
        return SystemPrompt(name: name, fileContents: s, source: .user)
    }
}
