// The Kernels module; see ARCHITECTURE.md.
