/* triad.c -- the STREAM triad a[i] = b[i] + s c[i] (McCalpin), on all
   threads, over arrays far larger than the caches: the memory bandwidth this
   machine sustains, for comparing with what leap's weekly loop moves.
   Prints the best of 5 passes in GB/s (3 x 8 bytes per element). */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    size_t n = (size_t)(argc > 1 ? atol(argv[1]) : 1L << 26);
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    if (!a || !b || !c) { fprintf(stderr, "triad: out of memory\n"); return 1; }
#pragma omp parallel for
    for (size_t i = 0; i < n; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double t = omp_get_wtime();
#pragma omp parallel for
        for (size_t i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        t = omp_get_wtime() - t;
        if (t < best) best = t;
    }
    printf("%.2f\n", 3.0 * (double)n * sizeof(double) / best / 1e9 + 0 * a[n / 2]);
    free(a); free(b); free(c);
    return 0;
}
