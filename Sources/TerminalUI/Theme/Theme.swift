import Foundation

/// What a style is used for; themes give each role a style.
public enum StyleRole: String, CaseIterable, Sendable {
    case base, dim, accent, border
    case borderFocused = "border_focused", title, titleFocused = "title_focused"
    case userLabel = "user_label", userText = "user_text"
    case assistantLabel = "assistant_label", assistantText = "assistant_text"
    case note, code, selection, selectionInactive = "selection_inactive"
    case statusBar = "status_bar", statusAccent = "status_accent"
    case hintKey = "hint_key", hintLabel = "hint_label"
    case error, warning, success
    case specialToken = "special_token", structure, dropped, dialog
    case meterUsed = "meter_used", meterFree = "meter_free"
}

/// Errors reading a theme.
public enum ThemeError: Error, CustomStringConvertible, Equatable {
    case syntax(source: String, line: Int, detail: String)
    case badColor(source: String, role: String, value: String)
    case unknownTheme(name: String, searched: [String])

    public var description: String {
        switch self {
        case .syntax(let source, let line, let detail): return "theme \(source), line \(line): \(detail)"
        case .badColor(let source, let role, let value):
            return "theme \(source), [\(role)]: \"\(value)\" is not a colour (use default, an ANSI name, 0-255 or #rrggbb)"
        case .unknownTheme(let name, let searched):
            return "no theme named \(name) (built in: \(BuiltinThemes.names.joined(separator: ", ")); searched \(searched.joined(separator: ", ")))"
        }
    }
}

/// A set of styles by role.
public struct Theme: Equatable, Sendable {
    public var name: String
    public private(set) var styles: [StyleRole: Style]

    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role` (the base style for roles the theme leaves out).
    public subscript(_ role: StyleRole) -> Style { styles[role] ?? styles[.base] ?? .plain }

    /// The dark default theme.
    public static let dark: Theme = (try? Theme(toml: BuiltinThemes.dark, source: "dark")) ?? Theme(name: "plain", styles: [:]).monochrome()

    /// Reads a theme from TOML text.
    public init(toml: String, source: String) throws {
        let doc = try TOMLSubset.parse(toml, source: source)
        name = doc[""]?["name"] ?? source
        var styles: [StyleRole: Style] = [:]
        let baseSection = doc["base"] ?? [:]
        for role in StyleRole.allCases {
            guard let section = doc[role.rawValue] else { continue }
            var style = Style()
            for (key, field) in [("fg", 0), ("bg", 1)] {
                guard let value = section[key] else {
                    // Backgrounds inherit the base background so panes look uniform.
                    if field == 1, role != .base, let b = baseSection["bg"], let c = Color(parsing: b) { style.bg = c }
                    continue
                }
                guard let color = Color(parsing: value) else {
                    throw ThemeError.badColor(source: source, role: role.rawValue, value: value)
                }
                if field == 0 { style.fg = color } else { style.bg = color }
            }
            style.attributes = Attributes(parsing: section["attrs"] ?? "")
            styles[role] = style
        }
        if styles[.base] == nil { styles[.base] = .plain }
        self.styles = styles
    }

    /// The theme without colours (for `NO_COLOR` and monochrome terminals): attributes carry the
    /// meaning instead (selection and focus in reverse or bold).
    public func monochrome() -> Theme {
        var out: [StyleRole: Style] = [:]
        for role in StyleRole.allCases {
            var attrs = self[role].attributes
            switch role {
            case .selection, .titleFocused, .hintKey, .statusAccent, .specialToken: attrs.insert(.reverse)
            case .statusBar: attrs.insert(.reverse)
            case .borderFocused, .accent, .userLabel, .assistantLabel, .error: attrs.insert(.bold)
            case .dim, .dropped, .border, .meterFree: attrs.insert(.dim)
            case .selectionInactive: attrs.insert(.underline)
            default: break
            }
            out[role] = Style(attributes: attrs)
        }
        return Theme(name: name, styles: out)
    }
}
