/*
 * The machine's fp32 multiply-add ceiling: how many GFLOP/s the cores can do when they do nothing but fused
 * multiply-adds, with enough independent accumulators to hide the instructions' latency. No matrix product, image
 * encoder or training step can run faster than this, so docs/BENCHMARKS.md states each workload's speed as a share
 * of it ("useful GFLOP/s ÷ peak").
 *
 *   gcc -O2 -fopenmp -o /tmp/fma_peak blip4j-cli/src/main/native/fma_peak.c && /tmp/fma_peak
 *
 * It prints one line per thread count (1 … the number of online CPUs): GFLOP/s and the clock it implies at the
 * vector width it used. AVX-512 where the CPU has it, else (or with FMA_PEAK_WIDTH=256) AVX2 + FMA. Not part of
 * the build; run by hand.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ACCUMULATORS 24 /* ≥ latency × pipes of every x86 core in use; 24 + 2 fit AVX-512's 32 registers */
#define ROUNDS 100000000L

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f"))) static float run512(long rounds) {
    __m512 acc[ACCUMULATORS];
    __m512 mul = _mm512_set1_ps(1.0000001f), add = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_set1_ps((float) i);
    for (long r = 0; r < rounds; r++) {
#pragma GCC unroll 24
        for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
    }
    __m512 s = acc[0];
    for (int i = 1; i < ACCUMULATORS; i++) s = _mm512_add_ps(s, acc[i]);
    return _mm512_reduce_add_ps(s);
}

/* AVX2 has 16 registers: 12 accumulators + 2 constants, no spills */
#define ACCUMULATORS_256 12

__attribute__((target("avx2,fma"))) static float run256(long rounds) {
    __m256 acc[ACCUMULATORS_256];
    __m256 mul = _mm256_set1_ps(1.0000001f), add = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < ACCUMULATORS_256; i++) acc[i] = _mm256_set1_ps((float) i);
    for (long r = 0; r < rounds; r++) {
#pragma GCC unroll 12
        for (int i = 0; i < ACCUMULATORS_256; i++) acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
    }
    __m256 s = acc[0];
    for (int i = 1; i < ACCUMULATORS_256; i++) s = _mm256_add_ps(s, acc[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    return lanes[0] + lanes[7];
}

int main(void) {
    const char *width = getenv("FMA_PEAK_WIDTH"); /* "256": AVX2 even where AVX-512 exists */
    int wide = __builtin_cpu_supports("avx512f") && !(width && atoi(width) == 256);
    if (!wide && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        fprintf(stderr, "fma_peak: this CPU has neither AVX-512 nor AVX2 with FMA\n");
        return 2;
    }
    int lanes = wide ? 16 : 8;
    int perRound = wide ? ACCUMULATORS : ACCUMULATORS_256;
    int cpus = (int) sysconf(_SC_NPROCESSORS_ONLN);
    printf("fp32 FMA, %s, %d accumulators\n", wide ? "AVX-512" : "AVX2", perRound);
    for (int threads = 1; threads <= cpus; threads++) {
        float sink = 0;
        double t0 = now();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        sink += wide ? run512(ROUNDS) : run256(ROUNDS * 2);
        double seconds = now() - t0;
        double flops = (double) threads * (wide ? ROUNDS : ROUNDS * 2) * perRound * lanes * 2;
        double perCoreGhz = flops / seconds / threads / (2.0 * lanes) / 1e9;
        /* the sink keeps the loops from being optimised away */
        printf("  threads %d  %7.1f GFLOP/s  (%.2f G vector FMAs per s per thread)%s\n", threads,
                flops / seconds / 1e9, perCoreGhz, sink == 12345.0f ? " " : "");
    }
    return 0;
}
