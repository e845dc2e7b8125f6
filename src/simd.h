/*
** simd.h -- what the vectorised kernels share (nutrition.c, food.c).
**
** LEAP_SIMD is defined where the compiler can build AVX2 functions
** (x86-64 with gcc); such functions carry AVX2 and run only when
** SimState.simd says so (the processor has AVX2 and the run did not ask
** for --plain-kernel).  Every vectorised loop does its plain twin's
** arithmetic, lane by lane, in the same order, and keeps sums that depend
** on order (floating point) in plain passes: both give the same bytes,
** which tests/history.sh checks.
*/
#ifndef LEAP_SIMD_H
#define LEAP_SIMD_H

#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LEAP_SIMD 1
#define AVX2 __attribute__((target("avx2")))
/* AVX-512 with 32- and 16-bit lanes and masks (the person kernel's sixteen
   lanes, nutrition.c); the same float operations as AVX2, so the same bytes */
#define AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512dq,avx512vl")))

#define VI(v) _mm256_set1_epi32(v)
#define VF(v) _mm256_set1_ps(v)
#define VAND(a, b) _mm256_and_si256(a, b)
#define VMASKF(m) _mm256_castsi256_ps(m)
#define VMASKI(m) _mm256_castps_si256(m)

AVX2 static inline __m256i add64(__m256i acc, __m256i v)   /* acc (4 x int64) += the 8 int32 of v */
{
    acc = _mm256_add_epi64(acc, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
    return _mm256_add_epi64(acc, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
}

AVX2 static inline int64_t hsum64(__m256i a)
{
    int64_t t[4];
    _mm256_storeu_si256((__m256i *)t, a);
    return t[0] + t[1] + t[2] + t[3];
}

AVX2 static inline int64_t hsum32(__m256i a)
{
    int32_t t[8];
    _mm256_storeu_si256((__m256i *)t, a);
    int64_t s = 0;
    for (int j = 0; j < 8; j++) s += t[j];
    return s;
}
#endif

/* The widest vectorised kernels this processor can run: SIMD_AVX512 (the
   person kernel sixteen persons at once, the rest as SIMD_AVX2),
   SIMD_AVX2, or SIMD_PLAIN (none). */
enum { SIMD_PLAIN = 0, SIMD_AVX2 = 1, SIMD_AVX512 = 2 };
static inline int simd_available(void)
{
#ifdef LEAP_SIMD
    if (!__builtin_cpu_supports("avx2")) return SIMD_PLAIN;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return SIMD_AVX512;
    return SIMD_AVX2;
#else
    return SIMD_PLAIN;
#endif
}

#endif
