// The Storage module; see ARCHITECTURE.md.
