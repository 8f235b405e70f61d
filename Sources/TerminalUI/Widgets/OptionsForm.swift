import ChatCore
import Foundation

/// One field of the advanced options form, with the values it accepts.
public struct OptionField: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case integer(ClosedRange<Int>)
        case decimal(ClosedRange<Double>)
        case choice([String])
        /// An integer in range, or blank / the `none` word (e.g. "random", "auto") for no value.
        case optionalInteger(ClosedRange<UInt64>, none: String)
    }

    public var id: String
    public var label: String
    public var kind: Kind
    public var defaultValue: String
    public var help: String

    public init(id: String, label: String, kind: Kind, defaultValue: String, help: String) {
        self.id = id; self.label = label; self.kind = kind; self.defaultValue = defaultValue; self.help = help
    }

    /// The accepted values, as shown beside the field.
    public var rangeText: String {
        switch kind {
        case .integer(let r): return "\(r.lowerBound)–\(r.upperBound)"
        case .decimal(let r): return "\(OptionField.format(r.lowerBound))–\(OptionField.format(r.upperBound))"
        case .choice(let c): return c.joined(separator: "|")
        case .optionalInteger(let r, let none): return "\(none) or \(r.lowerBound)–\(r.upperBound == UInt64.max ? "2⁶⁴-1" : String(r.upperBound))"
        }
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() ? String(format: "%.1f", d) : String(d)
    }

    /// Nil when `text` is acceptable, else a message saying why not.
    public func validate(_ text: String) -> String? {
        let t = text.trimmed
        switch kind {
        case .integer(let r):
            guard let v = Int(t) else { return "\(label): \"\(t)\" is not a whole number (\(rangeText))" }
            return r.contains(v) ? nil : "\(label): \(v) is out of range (\(rangeText))"
        case .optionalInteger(let r, let none):
            if t.isEmpty || t.lowercased() == none { return nil }
            guard let v = UInt64(t) else { return "\(label): \"\(t)\" is not a whole number or \(none) (\(rangeText))" }
            return r.contains(v) ? nil : "\(label): \(v) is out of range (\(rangeText))"
        case .decimal(let r):
            guard let v = Double(t), v.isFinite else { return "\(label): \"\(t)\" is not a number (\(rangeText))" }
            return r.contains(v) ? nil : "\(label): \(t) is out of range (\(rangeText))"
        case .choice(let c):
            return c.contains(t) ? nil : "\(label): choose one of \(rangeText)"
        }
    }

    /// A field for one of the chat core's generation options (same name, range and default).
    public init(_ d: OptionDescriptor) {
        let kind: Kind
        switch d.kind {
        case .integer(let r): kind = .integer(r)
        case .number(let r): kind = .decimal(r)
        case .optionalInteger(let r, let none): kind = .optionalInteger(r, none: none)
        case .choice(let c): kind = .choice(c)
        }
        self.init(id: d.name, label: d.label, kind: kind, defaultValue: d.defaultText, help: d.help)
    }

    /// The generation options llamaterm offers: the chat core's, in its order.
    public static var standard: [OptionField] { OptionDescriptor.all.map(OptionField.init) }

    /// The id of the UI's own setting in the form (not a generation option).
    public static let themeID = "theme"

    /// The theme setting, choosing among `names` (the current one first when given).
    public static func theme(_ names: [String], current: String = "dark") -> OptionField {
        OptionField(id: themeID, label: "Theme", kind: .choice(names.isEmpty ? ["dark"] : names), defaultValue: current,
                    help: "Colours of the interface (themes/*.toml and $XDG_CONFIG_HOME/llamaterm/themes/).")
    }

    /// The form's fields: the generation options, then the theme.
    public static func all(themes: [String] = ["dark", "light", "high-contrast"], current: String = "dark") -> [OptionField] {
        standard + [theme(themes, current: current)]
    }
}

/// The advanced options form: a list of fields edited in place, validated as you type.
public struct OptionsForm: Hashable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case handled
        /// A field took a new valid value.
        case changed
        case ignored
    }

    public var fields: [OptionField]
    /// The accepted value of each field, by id.
    public private(set) var values: [String: String]
    public private(set) var selected = 0
    /// The text being typed into the selected field, when it differs from its value.
    public private(set) var draft: String?
    /// Why the last typed text was refused.
    public private(set) var error: String?

    public init(fields: [OptionField] = OptionField.all(), values: [String: String] = [:]) {
        self.fields = fields
        var v: [String: String] = [:]
        for f in fields { v[f.id] = f.defaultValue }
        self.values = v
        setValues(values)
    }

    /// Accepts every valid value in `values` (others are ignored); returns the refused ids.
    @discardableResult
    public mutating func setValues(_ new: [String: String]) -> [String] {
        var refused: [String] = []
        for (id, value) in new {
            guard let f = fields.first(where: { $0.id == id }) else { continue }
            if f.validate(value) == nil { values[id] = value.trimmed } else { refused.append(id) }
        }
        draft = nil
        return refused.sorted()
    }

    /// The generation options' values (without the UI's own settings).
    public var generationValues: [String: String] { values.filter { $0.key != OptionField.themeID } }

    /// The field being edited.
    public var selectedField: OptionField? { fields.indices.contains(selected) ? fields[selected] : nil }

    /// All generation options back to their defaults (the theme stays).
    public mutating func reset() {
        for f in fields where f.id != OptionField.themeID { values[f.id] = f.defaultValue }
        draft = nil
        error = nil
    }

    /// The text shown in field `index`.
    public func displayText(_ index: Int) -> String {
        if index == selected, let d = draft { return d }
        return values[fields[index].id] ?? ""
    }

    public mutating func handle(_ event: KeyEvent) -> Outcome {
        guard !fields.isEmpty else { return .ignored }
        let field = fields[selected]
        if let c = event.typedCharacter {
            if case .choice = field.kind {
                if c == " " { return cycle(1) }
                return .ignored
            }
            // The first key typed into a field replaces its value, like a spreadsheet cell.
            return edit((draft ?? "") + String(c))
        }
        switch (event.key, event.modifiers) {
        case (.up, []): move(-1)
        case (.down, []): move(1)
        case (.home, _): move(-selected)
        case (.end, _): move(fields.count)
        case (.left, []):
            if case .choice = field.kind { return cycle(-1) }
            return .ignored
        case (.right, []):
            if case .choice = field.kind { return cycle(1) }
            return .ignored
        case (.backspace, _):
            var t = draft ?? values[field.id] ?? ""
            if !t.isEmpty { t.removeLast() }
            return edit(t)
        case (.char("u"), .ctrl): return edit("")
        case (.enter, []):
            move(1)
        case (.escape, []):
            if draft != nil { draft = nil; error = nil; return .handled }
            return .ignored
        default: return .ignored
        }
        return .handled
    }

    mutating func move(_ delta: Int) {
        draft = nil
        selected = min(max(0, selected + delta), fields.count - 1)
    }

    mutating func edit(_ text: String) -> Outcome {
        let field = fields[selected]
        draft = text
        if let problem = field.validate(text) {
            error = problem
            return .handled
        }
        error = nil
        values[field.id] = text.trimmed
        return .changed
    }

    mutating func cycle(_ delta: Int) -> Outcome {
        guard case .choice(let options) = fields[selected].kind, !options.isEmpty else { return .ignored }
        let current = options.firstIndex(of: values[fields[selected].id] ?? "") ?? 0
        values[fields[selected].id] = options[(current + delta + options.count) % options.count]
        draft = nil
        error = nil
        return .changed
    }

    /// Draws the form into `rect`.
    public func draw(into buffer: inout ScreenBuffer, rect: Rect, focused: Bool, theme: Theme) {
        guard !rect.isEmpty else { return }
        let labelWidth = min(20, fields.map { CharWidth.width(of: $0.label) }.max() ?? 10) + 2
        let valueWidth = min(18, max(8, rect.width - labelWidth - 4))
        // Rows: fields, blank, help of the selected field, error.
        let footer = 3
        let visible = max(1, rect.height - footer)
        let top = max(0, selected - visible + 1)
        for slot in 0..<min(visible, fields.count) {
            let i = top + slot
            guard i < fields.count else { break }
            let f = fields[i]
            let y = rect.y + slot
            let isSel = i == selected
            let changed = (values[f.id] ?? "") != f.defaultValue
            buffer.put((isSel ? "▸ " : "  ") + f.label, x: rect.x, y: y, style: isSel && focused ? theme[.accent] : theme[.base], maxWidth: labelWidth)
            let fieldRect = Rect(x: rect.x + labelWidth, y: y, width: valueWidth, height: 1)
            let invalid = isSel && draft != nil && error != nil
            let fieldStyle = isSel ? theme[focused ? .selection : .selectionInactive] : theme[.selectionInactive]
            buffer.fill(fieldRect, style: fieldStyle)
            var shown = displayText(i)
            if case .choice = f.kind { shown = "‹ " + shown + " ›" }
            if shown.isEmpty, case .optionalInteger(_, let none) = f.kind { shown = none }
            buffer.put(" " + shown, x: fieldRect.x, y: y, style: invalid ? theme[.error].over(fieldStyle.bg) : fieldStyle, maxWidth: valueWidth)
            if isSel && focused, case .choice = f.kind {} else if isSel && focused {
                buffer.cursor = (min(fieldRect.x + 1 + CharWidth.width(of: displayText(i)), fieldRect.maxX - 1), y)
            }
            let rangeX = fieldRect.maxX + 1
            buffer.put((changed ? "● " : "  ") + f.rangeText, x: rangeX, y: y, style: theme[.dim], maxWidth: max(0, rect.maxX - rangeX))
        }
        let helpY = rect.y + min(visible, fields.count) + 1
        if helpY < rect.maxY {
            buffer.put(CharWidth.truncate(fields[selected].help, to: rect.width), x: rect.x, y: helpY, style: theme[.dim])
        }
        if let e = error, helpY + 1 < rect.maxY {
            buffer.put(CharWidth.truncate("✗ " + e + " (kept " + (values[fields[selected].id] ?? "") + ")", to: rect.width),
                       x: rect.x, y: helpY + 1, style: theme[.error])
        }
    }
}
