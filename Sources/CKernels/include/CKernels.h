#ifndef CKERNELS_H
#define CKERNELS_H
// The few kernels Swift cannot make fast on its own: AVX-512 (VNNI) intrinsics.
// Every function here has a scalar reference in the Kernels module and a test comparing the two.
#include "lt_vecmath.h"
#include "lt_quant.h"
#include "lt_attention.h"
#include "lt_compat.h"
#include "lt_gemm.h"
#include "lt_checksum.h"
#include "lt_fpenv.h"
#include "lt_amx.h"
#endif
