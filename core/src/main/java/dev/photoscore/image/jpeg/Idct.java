package dev.photoscore.image.jpeg;

/**
 * Inverse DCTs of one 8x8 block of coefficients (row-major, quantised) to samples 0..255.
 *
 * <p>{@link #scaled}: the block's lowest {@code n x n} coefficients through an {@code n}-point inverse DCT, which
 * samples the block's continuous reconstruction at the centres of an {@code n x n} grid over it: the block
 * reduced to {@code n/8} of its size without filtering anything but the frequencies the smaller grid cannot hold
 * (libjpeg-turbo's scaled decoding does the same). A flat block keeps its value at every {@code n}. Up to
 * {@value #MAX_SCALED}: the decoder reduces only photos at least twice its minimum size.
 *
 * <p>{@link #full}: the 8-point inverse DCT in floating point by Arai, Agui and Nakajima's factorisation, as libjpeg's
 * {@code jidctflt.c}; within a level of libjpeg's integer IDCT, which ImageIO uses.
 */
final class Idct {

    /** AAN's scale factors: cos(k pi / 16) * sqrt(2), 1 for k = 0; folded into the quantisation steps. */
    private static final double[] AAN_SCALE = new double[8];

    static {
        for (int k = 0; k < 8; k++) {
            AAN_SCALE[k] = k == 0 ? 1 : Math.cos(k * Math.PI / 16) * Math.sqrt(2);
        }
    }

    /** The floats {@link #full} works in. */
    static final int FULL_WORK = 72;

    /** The most samples a side {@link #scaled} gives: a reduced decode is at most half size. */
    static final int MAX_SCALED = 4;

    private final int n;
    /**
     * {@code basis[x * 4 + u]}: the 1-D n-point inverse DCT's weight of frequency u at sample x, zero where x or u
     * is n or more. Always 4x4 so that the loops below have constant bounds, which the JIT unrolls.
     */
    private final float[] basis = new float[16];
    private final float[] work = new float[16];

    /** A transform to {@code n x n} samples per block, 1..{@value #MAX_SCALED}. */
    Idct(int n) {
        if (n < 1 || n > MAX_SCALED) {
            throw new IllegalArgumentException("a scaled inverse DCT gives 1 to " + MAX_SCALED
                    + " samples a side, not " + n);
        }
        this.n = n;
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < n; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1;
                double weight = 0.5 * c * Math.cos((2 * x + 1) * u * Math.PI / (2 * n));
                // Exactly 0 where the cosine is (odd frequencies at an odd n's middle sample), as the symmetry needs.
                basis[x * 4 + u] = Math.abs(weight) < 1e-9 ? 0 : (float) weight;
            }
        }
    }

    /** Quantisation steps (row-major) with AAN's scale factors and the final division by 8 folded in, for {@link #full}. */
    static float[] fullMultipliers(int[] quant) {
        float[] multipliers = new float[64];
        for (int row = 0; row < 8; row++) {
            for (int col = 0; col < 8; col++) {
                multipliers[row * 8 + col] = (float) (quant[row * 8 + col] * AAN_SCALE[row] * AAN_SCALE[col] / 8);
            }
        }
        return multipliers;
    }

    /**
     * The block's {@code n x n} samples into {@code out} at {@code offset}, rows {@code stride} apart. Each 1-D pass
     * uses the basis' symmetry, sample {@code n - 1 - x} = even frequencies' part minus odd frequencies' part of
     * sample {@code x}: half the multiplications.
     */
    void scaled(int[] coefficients, int[] quant, byte[] out, int offset, int stride) {
        float[] b = basis;
        float[] w = work;
        int half = (n + 1) / 2;
        // Rows of frequencies: w[v * 4 + x] = sum over u of basis(x, u) * F(v, u); rows from n on stay zero.
        for (int v = 0; v < n; v++) {
            int r = v * 8;
            float f0 = coefficients[r] * quant[r];
            float f1 = coefficients[r + 1] * quant[r + 1];
            float f2 = coefficients[r + 2] * quant[r + 2];
            float f3 = coefficients[r + 3] * quant[r + 3];
            for (int x = 0; x < half; x++) {
                float even = b[x * 4] * f0 + b[x * 4 + 2] * f2;
                float odd = b[x * 4 + 1] * f1 + b[x * 4 + 3] * f3;
                w[v * 4 + x] = even + odd;
                w[v * 4 + n - 1 - x] = even - odd;
            }
        }
        for (int y = 0; y < half; y++) {
            int top = offset + y * stride;
            int bottom = offset + (n - 1 - y) * stride;
            float b0 = b[y * 4];
            float b1 = b[y * 4 + 1];
            float b2 = b[y * 4 + 2];
            float b3 = b[y * 4 + 3];
            for (int x = 0; x < n; x++) {
                float even = 128.5f + b0 * w[x] + b2 * w[8 + x];
                float odd = b1 * w[4 + x] + b3 * w[12 + x];
                out[bottom + x] = (byte) clamp((int) (even - odd));
                out[top + x] = (byte) clamp((int) (even + odd));
            }
        }
    }

    /**
     * The block's 8x8 samples into {@code out} at {@code offset}, rows {@code stride} apart; {@code work} holds
     * {@value #FULL_WORK} floats.
     */
    static void full(int[] coefficients, float[] multipliers, float[] work, byte[] out, int offset, int stride) {
        for (int col = 0; col < 8; col++) {
            if (coefficients[8 + col] == 0 && coefficients[16 + col] == 0 && coefficients[24 + col] == 0
                    && coefficients[32 + col] == 0 && coefficients[40 + col] == 0 && coefficients[48 + col] == 0
                    && coefficients[56 + col] == 0) {
                float dc = coefficients[col] * multipliers[col];
                for (int row = 0; row < 8; row++) {
                    work[row * 8 + col] = dc;
                }
                continue;
            }
            pass(coefficients[col] * multipliers[col], coefficients[8 + col] * multipliers[8 + col],
                    coefficients[16 + col] * multipliers[16 + col], coefficients[24 + col] * multipliers[24 + col],
                    coefficients[32 + col] * multipliers[32 + col], coefficients[40 + col] * multipliers[40 + col],
                    coefficients[48 + col] * multipliers[48 + col], coefficients[56 + col] * multipliers[56 + col],
                    work, col, 8);
        }
        for (int y = 0; y < 8; y++) {
            int r = y * 8;
            pass(work[r], work[r + 1], work[r + 2], work[r + 3], work[r + 4], work[r + 5], work[r + 6], work[r + 7],
                    work, 64, 1);
            int at = offset + y * stride;
            for (int x = 0; x < 8; x++) {
                out[at + x] = (byte) clamp((int) (work[64 + x] + 128.5f));
            }
        }
    }

    /** One 8-point AAN inverse DCT of scaled inputs {@code i0..i7} into {@code out[at + k * step]}. */
    private static void pass(float i0, float i1, float i2, float i3, float i4, float i5, float i6, float i7,
                             float[] out, int at, int step) {
        // Even part.
        float tmp10 = i0 + i4;
        float tmp11 = i0 - i4;
        float tmp13 = i2 + i6;
        float tmp12 = (i2 - i6) * 1.414213562f - tmp13;
        float tmp0 = tmp10 + tmp13;
        float tmp3 = tmp10 - tmp13;
        float tmp1 = tmp11 + tmp12;
        float tmp2 = tmp11 - tmp12;
        // Odd part.
        float z13 = i5 + i3;
        float z10 = i5 - i3;
        float z11 = i1 + i7;
        float z12 = i1 - i7;
        float tmp7 = z11 + z13;
        float tmp11b = (z11 - z13) * 1.414213562f;
        float z5 = (z10 + z12) * 1.847759065f;
        float tmp10b = 1.082392200f * z12 - z5;
        float tmp12b = -2.613125930f * z10 + z5;
        float tmp6 = tmp12b - tmp7;
        float tmp5 = tmp11b - tmp6;
        float tmp4 = tmp10b + tmp5;
        out[at] = tmp0 + tmp7;
        out[at + 7 * step] = tmp0 - tmp7;
        out[at + step] = tmp1 + tmp6;
        out[at + 6 * step] = tmp1 - tmp6;
        out[at + 2 * step] = tmp2 + tmp5;
        out[at + 5 * step] = tmp2 - tmp5;
        out[at + 4 * step] = tmp3 + tmp4;
        out[at + 3 * step] = tmp3 - tmp4;
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }
}
