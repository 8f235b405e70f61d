// The Tokenizers module; see ARCHITECTURE.md.
