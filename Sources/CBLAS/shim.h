// OpenBLAS's CBLAS interface. Only LumenTensor/BLAS.swift calls into it.
#include <cblas.h>
