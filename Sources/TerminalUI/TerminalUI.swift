// The TerminalUI module; see ARCHITECTURE.md.
