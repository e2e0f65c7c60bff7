package org.blip4j.eval;

/**
 * The summation order of {@code np.mean} on a float64 vector (numpy's pairwise summation), so that corpus ROUGE-L
 * and CIDEr agree with pycocoevalcap to the last bits instead of only to ~1e-15.
 */
final class NumpyMath {
    private static final int BLOCK = 128;

    private NumpyMath() {
    }

    static double mean(double[] values) {
        return pairwiseSum(values, 0, values.length) / values.length;
    }

    /** numpy/_core/src/umath/loops_utils.h: pairwise_sum for doubles. */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= BLOCK) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
        }
    }
}
