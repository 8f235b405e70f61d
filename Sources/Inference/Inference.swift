// The Inference module; see ARCHITECTURE.md.
