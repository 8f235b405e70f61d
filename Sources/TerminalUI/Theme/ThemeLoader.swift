import Foundation

/// Finds a theme by name: the user's `$XDG_CONFIG_HOME/llamaterm/themes/NAME.toml` (default
/// `~/.config/...`), then `themes/NAME.toml` beside the repository or binary, then the built-in
/// copies. `NO_COLOR` (set and not empty) turns any theme monochrome.
public struct ThemeLoader: Sendable {
    public var environment: [String: String]
    public var extraDirectories: [String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, extraDirectories: [String] = []) {
        self.environment = environment
        self.extraDirectories = extraDirectories
    }

    /// The folders searched for theme files, first match wins.
    public var searchDirectories: [String] {
        var dirs: [String] = []
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        dirs.append(config + "/llamaterm/themes")
        dirs.append(contentsOf: extraDirectories)
        return dirs
    }

    /// Whether colours are switched off by `NO_COLOR`.
    public var noColor: Bool { !(environment["NO_COLOR"] ?? "").isEmpty }

    /// The theme called `name` (default `dark`), or an error naming what was searched.
    public func load(_ name: String?) throws -> Theme {
        let name = (name?.isEmpty == false ? name : nil) ?? environment["LLAMATERM_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "dark"
        var theme: Theme?
        if name.contains("/") {
            let text = try String(contentsOfFile: name, encoding: .utf8)
            theme = try Theme(toml: text, source: name)
        } else {
            for dir in searchDirectories {
                let path = dir + "/" + name + ".toml"
                if FileManager.default.fileExists(atPath: path) {
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    theme = try Theme(toml: text, source: path)
                    break
                }
            }
            if theme == nil, let text = BuiltinThemes.text(named: name) {
                theme = try Theme(toml: text, source: name)
            }
        }
        guard let found = theme else { throw ThemeError.unknownTheme(name: name, searched: searchDirectories) }
        return noColor ? found.monochrome() : found
    }

    /// Names of every theme available: built-in and the user's.
    public func availableNames() -> [String] {
        var names = Set(BuiltinThemes.names)
        for dir in searchDirectories {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".toml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }
}
