/*
 * The MKL inside libtorch picks its kernels by CPU vendor: on AMD processors that have AVX-512 it still takes the
 * AVX2 ones. Preloaded by the ./blip launcher (only on AMD CPUs whose flags include the AVX-512 subsets MKL's
 * AVX-512 kernels use), this reports MKL's AVX-512 code path from its CPU detection, the function libtorch resolves
 * dynamically. Measured in docs/BENCHMARKS.md; BLIP_MKL_AVX512=0 turns it off. ONNX Runtime is not affected.
 */
int mkl_serv_cpu_detect(void) {
    return 7; /* MKL's code for its AVX-512 (Skylake-SP) branch */
}
