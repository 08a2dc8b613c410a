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
 * <p>{@link #full}: the 8-point inverse DCT in libjpeg's integer arithmetic ({@code jidctint.c}, "islow": Loeffler,
 * Ligtenberg and Moschytz's factorisation with 13-bit constants), which the JDK's libjpeg, under ImageIO, uses: the
 * crop's samples are ImageIO's to the bit. The detectors that read the crop measure second differences of smooth
 * enlarged photos, where a floating-point IDCT's different rounding alone moved their measures.
 */
final class Idct {

    /** The ints {@link #full} works in. */
    static final int FULL_WORK = 64;
    private static final int CONST_BITS = 13;
    private static final int PASS1_BITS = 2;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

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
     * The block's 8x8 samples into {@code out} at {@code offset}, rows {@code stride} apart, as libjpeg's
     * {@code jpeg_idct_islow}: columns first into {@code work} ({@value #FULL_WORK} ints) with {@value #PASS1_BITS}
     * extra bits, then rows, each rounded as libjpeg's {@code DESCALE}.
     */
    static void full(int[] coefficients, int[] quant, int[] work, byte[] out, int offset, int stride) {
        for (int col = 0; col < 8; col++) {
            if (coefficients[8 + col] == 0 && coefficients[16 + col] == 0 && coefficients[24 + col] == 0
                    && coefficients[32 + col] == 0 && coefficients[40 + col] == 0 && coefficients[48 + col] == 0
                    && coefficients[56 + col] == 0) {
                int dc = coefficients[col] * quant[col] << PASS1_BITS;
                for (int row = 0; row < 8; row++) {
                    work[row * 8 + col] = dc;
                }
                continue;
            }
            pass(coefficients[col] * quant[col], coefficients[8 + col] * quant[8 + col],
                    coefficients[16 + col] * quant[16 + col], coefficients[24 + col] * quant[24 + col],
                    coefficients[32 + col] * quant[32 + col], coefficients[40 + col] * quant[40 + col],
                    coefficients[48 + col] * quant[48 + col], coefficients[56 + col] * quant[56 + col],
                    CONST_BITS - PASS1_BITS, work, col, 8, 0);
        }
        for (int y = 0; y < 8; y++) {
            int r = y * 8;
            // The rows' results are written back over the row just read (each row is read whole first).
            pass(work[r], work[r + 1], work[r + 2], work[r + 3], work[r + 4], work[r + 5], work[r + 6], work[r + 7],
                    CONST_BITS + PASS1_BITS + 3, work, r, 1, 128);
            int at = offset + y * stride;
            for (int x = 0; x < 8; x++) {
                out[at + x] = (byte) clamp(work[r + x]);
            }
        }
    }

    /**
     * One 8-point pass of {@code jpeg_idct_islow} over {@code i0..i7}, each result descaled by {@code shift} bits
     * (rounded) plus {@code level}, into {@code out[at + k * step]}.
     */
    private static void pass(int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7, int shift, int[] out,
                             int at, int step, int level) {
        // Even part.
        int z1 = (i2 + i6) * FIX_0_541196100;
        int tmp2 = z1 - i6 * FIX_1_847759065;
        int tmp3 = z1 + i2 * FIX_0_765366865;
        int tmp0 = (i0 + i4) << CONST_BITS;
        int tmp1 = (i0 - i4) << CONST_BITS;
        int tmp10 = tmp0 + tmp3;
        int tmp13 = tmp0 - tmp3;
        int tmp11 = tmp1 + tmp2;
        int tmp12 = tmp1 - tmp2;
        // Odd part.
        int t0 = i7;
        int t1 = i5;
        int t2 = i3;
        int t3 = i1;
        z1 = t0 + t3;
        int z2 = t1 + t2;
        int z3 = t0 + t2;
        int z4 = t1 + t3;
        int z5 = (z3 + z4) * FIX_1_175875602;
        t0 *= FIX_0_298631336;
        t1 *= FIX_2_053119869;
        t2 *= FIX_3_072711026;
        t3 *= FIX_1_501321110;
        z1 *= -FIX_0_899976223;
        z2 *= -FIX_2_562915447;
        z3 = z3 * -FIX_1_961570560 + z5;
        z4 = z4 * -FIX_0_390180644 + z5;
        t0 += z1 + z3;
        t1 += z2 + z4;
        t2 += z2 + z3;
        t3 += z1 + z4;
        int round = 1 << (shift - 1);
        out[at] = (tmp10 + t3 + round >> shift) + level;
        out[at + 7 * step] = (tmp10 - t3 + round >> shift) + level;
        out[at + step] = (tmp11 + t2 + round >> shift) + level;
        out[at + 6 * step] = (tmp11 - t2 + round >> shift) + level;
        out[at + 2 * step] = (tmp12 + t1 + round >> shift) + level;
        out[at + 5 * step] = (tmp12 - t1 + round >> shift) + level;
        out[at + 3 * step] = (tmp13 + t0 + round >> shift) + level;
        out[at + 4 * step] = (tmp13 - t0 + round >> shift) + level;
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }
}
