import Foundation

/// Where a library system prompt came from.
public enum SystemPromptOrigin: String, Sendable, Codable, CaseIterable {
    /// Shipped with llamaterm (`prompts/`); refreshed on start.
    case builtin
    /// Written or edited by the user.
    case user
}

/// One entry of the system-prompt library, keyed by its name.
public struct SystemPromptRecord: Sendable, Equatable, Identifiable {
    public var name: String
    public var text: String
    public var origin: SystemPromptOrigin
    public var createdAt: Date
    public var updatedAt: Date
    public var id: String { name }

    public init(name: String, text: String, origin: SystemPromptOrigin, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.text = text
        self.origin = origin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
