/// The themes shipped with llamaterm, the same text as `themes/*.toml` (a test keeps them equal),
/// built in so the binary works from any folder.
public enum BuiltinThemes {
    /// Built-in theme names.
    public static let names = ["dark", "light", "high-contrast"]

    /// The TOML text of a built-in theme.
    public static func text(named name: String) -> String? {
        switch name {
        case "dark": return dark
        case "light": return light
        case "high-contrast": return highContrast
        default: return nil
        }
    }

    public static let dark = #"""
    # llamaterm dark theme (the default). Colours: "default", ANSI names, 0-255, or "#rrggbb".
    # Each [role] has fg, bg and attrs ("bold dim italic underline reverse"); missing roles use [base].
    name = "dark"

    [base]
    fg = "#cdd6f4"
    bg = "default"

    [dim]
    fg = "#7f849c"

    [accent]
    fg = "#89b4fa"
    attrs = "bold"

    [border]
    fg = "#45475a"

    [border_focused]
    fg = "#89b4fa"
    attrs = "bold"

    [title]
    fg = "#a6adc8"

    [title_focused]
    fg = "#1e1e2e"
    bg = "#89b4fa"
    attrs = "bold"

    [user_label]
    fg = "#a6e3a1"
    attrs = "bold"

    [user_text]
    fg = "#cdd6f4"

    [assistant_label]
    fg = "#cba6f7"
    attrs = "bold"

    [assistant_text]
    fg = "#e0e4f5"

    [note]
    fg = "#f9e2af"
    attrs = "italic"

    [code]
    fg = "#f5c2e7"
    bg = "#313244"

    [selection]
    fg = "#1e1e2e"
    bg = "#89b4fa"
    attrs = "bold"

    [selection_inactive]
    fg = "#cdd6f4"
    bg = "#45475a"

    [status_bar]
    fg = "#cdd6f4"
    bg = "#313244"

    [status_accent]
    fg = "#1e1e2e"
    bg = "#cba6f7"
    attrs = "bold"

    [hint_key]
    fg = "#1e1e2e"
    bg = "#89b4fa"
    attrs = "bold"

    [hint_label]
    fg = "#a6adc8"

    [error]
    fg = "#f38ba8"
    attrs = "bold"

    [warning]
    fg = "#fab387"

    [success]
    fg = "#a6e3a1"

    [special_token]
    fg = "#1e1e2e"
    bg = "#f9e2af"
    attrs = "bold"

    [structure]
    fg = "#89dceb"
    attrs = "bold"

    [dropped]
    fg = "#585b70"
    attrs = "dim"

    [dialog]
    fg = "#cdd6f4"
    bg = "#181825"

    [meter_used]
    fg = "#a6e3a1"

    [meter_free]
    fg = "#45475a"
    """#

    public static let light = #"""
    # llamaterm light theme, for terminals with a light background.
    name = "light"

    [base]
    fg = "#4c4f69"
    bg = "default"

    [dim]
    fg = "#8c8fa1"

    [accent]
    fg = "#1e66f5"
    attrs = "bold"

    [border]
    fg = "#bcc0cc"

    [border_focused]
    fg = "#1e66f5"
    attrs = "bold"

    [title]
    fg = "#5c5f77"

    [title_focused]
    fg = "#eff1f5"
    bg = "#1e66f5"
    attrs = "bold"

    [user_label]
    fg = "#40a02b"
    attrs = "bold"

    [user_text]
    fg = "#4c4f69"

    [assistant_label]
    fg = "#8839ef"
    attrs = "bold"

    [assistant_text]
    fg = "#303446"

    [note]
    fg = "#df8e1d"
    attrs = "italic"

    [code]
    fg = "#d20f39"
    bg = "#e6e9ef"

    [selection]
    fg = "#eff1f5"
    bg = "#1e66f5"
    attrs = "bold"

    [selection_inactive]
    fg = "#4c4f69"
    bg = "#ccd0da"

    [status_bar]
    fg = "#4c4f69"
    bg = "#dce0e8"

    [status_accent]
    fg = "#eff1f5"
    bg = "#8839ef"
    attrs = "bold"

    [hint_key]
    fg = "#eff1f5"
    bg = "#1e66f5"
    attrs = "bold"

    [hint_label]
    fg = "#5c5f77"

    [error]
    fg = "#d20f39"
    attrs = "bold"

    [warning]
    fg = "#fe640b"

    [success]
    fg = "#40a02b"

    [special_token]
    fg = "#eff1f5"
    bg = "#df8e1d"
    attrs = "bold"

    [structure]
    fg = "#209fb5"
    attrs = "bold"

    [dropped]
    fg = "#acb0be"
    attrs = "dim"

    [dialog]
    fg = "#4c4f69"
    bg = "#e6e9ef"

    [meter_used]
    fg = "#40a02b"

    [meter_free]
    fg = "#ccd0da"
    """#

    public static let highContrast = #"""
    # llamaterm high-contrast theme: the 16 ANSI colours only, bold where it helps.
    name = "high-contrast"

    [base]
    fg = "brightwhite"
    bg = "black"

    [dim]
    fg = "white"

    [accent]
    fg = "brightyellow"
    attrs = "bold"

    [border]
    fg = "white"
    bg = "black"

    [border_focused]
    fg = "brightyellow"
    bg = "black"
    attrs = "bold"

    [title]
    fg = "brightwhite"
    bg = "black"
    attrs = "bold"

    [title_focused]
    fg = "black"
    bg = "brightyellow"
    attrs = "bold"

    [user_label]
    fg = "brightgreen"
    attrs = "bold underline"

    [user_text]
    fg = "brightwhite"

    [assistant_label]
    fg = "brightcyan"
    attrs = "bold underline"

    [assistant_text]
    fg = "brightwhite"

    [note]
    fg = "brightyellow"
    attrs = "bold"

    [code]
    fg = "brightgreen"
    bg = "black"

    [selection]
    fg = "black"
    bg = "brightyellow"
    attrs = "bold"

    [selection_inactive]
    fg = "black"
    bg = "white"

    [status_bar]
    fg = "black"
    bg = "white"

    [status_accent]
    fg = "black"
    bg = "brightcyan"
    attrs = "bold"

    [hint_key]
    fg = "black"
    bg = "brightyellow"
    attrs = "bold"

    [hint_label]
    fg = "brightwhite"

    [error]
    fg = "brightred"
    attrs = "bold"

    [warning]
    fg = "brightyellow"
    attrs = "bold"

    [success]
    fg = "brightgreen"
    attrs = "bold"

    [special_token]
    fg = "black"
    bg = "brightmagenta"
    attrs = "bold"

    [structure]
    fg = "brightcyan"
    attrs = "bold underline"

    [dropped]
    fg = "white"
    attrs = "dim"

    [dialog]
    fg = "brightwhite"
    bg = "black"

    [meter_used]
    fg = "brightgreen"

    [meter_free]
    fg = "white"
    """#

}
