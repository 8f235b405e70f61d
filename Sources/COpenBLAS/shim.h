#ifndef LLAMATERM_COPENBLAS_SHIM_H
#define LLAMATERM_COPENBLAS_SHIM_H
// Debian puts OpenBLAS's cblas.h under the multiarch include folder.
#if __has_include(<x86_64-linux-gnu/cblas.h>)
#include <x86_64-linux-gnu/cblas.h>
#elif __has_include(<aarch64-linux-gnu/cblas.h>)
#include <aarch64-linux-gnu/cblas.h>
#else
#include <cblas.h>
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

// A DYNAMIC_ARCH OpenBLAS picks its kernels by CPU model when it loads; 0.3.21 does not know
// Xeons newer than it and falls back to its SSE3 "Prescott" kernels there (sgemm about 15x
// slower). When that happened on a CPU with AVX-512 (or AVX2 and FMA), and the user did not name a
// core with OPENBLAS_CORETYPE, this selects the kernels for that instruction set the way that
// variable would at load time (OpenBLAS's exported gotoblas_dynamic_quit/init; looked up at run
// time, absent from builds without DYNAMIC_ARCH). Returns the core chosen, or NULL when nothing
// changed. Call before any BLAS work, from one thread.
static inline const char *lt_openblas_select_core(void) {
#if defined(__x86_64__)
    if (getenv("OPENBLAS_CORETYPE") != NULL) return NULL;
    const char *current = openblas_get_corename();
    static const char *const fallbacks[] = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "unknown"};
    int fellBack = 0;
    for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
        if (current != NULL && strcmp(current, fallbacks[i]) == 0) fellBack = 1;
    }
    if (!fellBack) return NULL;
    const char *wanted = NULL;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
        wanted = "SkylakeX";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        wanted = "Haswell";
    }
    if (wanted == NULL) return NULL;
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (quit == NULL || init == NULL) return NULL;
    setenv("OPENBLAS_CORETYPE", wanted, 1);
    quit();
    init();
    unsetenv("OPENBLAS_CORETYPE");
    return openblas_get_corename();
#else
    return NULL;
#endif
}
#endif
