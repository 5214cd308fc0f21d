// OpenBLAS's CBLAS header, found through pkg-config's openblas.pc (not the generic blas).
#ifndef BIOMECH_COPENBLAS_SHIM_H
#define BIOMECH_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
