int llamaterm_ckernels_version(void) { return 1; }
