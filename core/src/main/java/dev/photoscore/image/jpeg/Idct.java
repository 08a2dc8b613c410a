package dev.photoscore.image.jpeg;

/**
 * Inverse DCTs of one 8x8 block of coefficients (in zig-zag order, as the data holds them; quantised) to samples
 * 0..255.
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

    /** By row-major index: the coefficient's index in zig-zag order. */
    private static final int[] ZIGZAG_INDEX = new int[64];

    static {
        for (int k = 0; k < 64; k++) {
            ZIGZAG_INDEX[JpegFrame.ZIGZAG[k]] = k;
        }
    }

    /** The most samples a side {@link #scaled} gives: a reduced decode is at most half size. */
    static final int MAX_SCALED = 4;

    private final int n;
    /**
     * {@code basis[x * 4 + u]}: the 1-D n-point inverse DCT's weight of frequency u at sample x, zero where x or u
     * is n or more. Always 4x4 so that the loops below have constant bounds, which the JIT unrolls.
     */
    private final float[] basis = new float[16];
    private final float[] work = new float[16];
    /** {@code zigzagAt[v * 4 + u]}: the zig-zag index of frequency (u, v), for u and v below n. */
    private final int[] zigzagAt = new int[16];
    /** The dequantised lowest frequencies, {@code [v * 4 + u]}; zero where u or v is n or more. */
    private final float[] frequencies = new float[16];
    private final int last;

    /** A transform to {@code n x n} samples per block, 1..{@value #MAX_SCALED}. */
    Idct(int n) {
        if (n < 1 || n > MAX_SCALED) {
            throw new IllegalArgumentException("a scaled inverse DCT gives 1 to " + MAX_SCALED
                    + " samples a side, not " + n);
        }
        this.n = n;
        int lastIndex = 0;
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                zigzagAt[v * 4 + u] = ZIGZAG_INDEX[v * 8 + u];
                lastIndex = Math.max(lastIndex, zigzagAt[v * 4 + u]);
            }
        }
        last = lastIndex;
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < n; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1;
                double weight = 0.5 * c * Math.cos((2 * x + 1) * u * Math.PI / (2 * n));
                // Exactly 0 where the cosine is (odd frequencies at an odd n's middle sample), as the symmetry needs.
                basis[x * 4 + u] = Math.abs(weight) < 1e-9 ? 0 : (float) weight;
            }
        }
    }

    /** The last zig-zag index among the lowest {@code n x n} coefficients: what {@link #scaled} reads. */
    int lastIndex() {
        return last;
    }

    /**
     * The block's {@code n x n} samples into {@code out} at {@code offset}, rows {@code stride} apart, from its
     * coefficients in zig-zag order (up to {@link #lastIndex}). Each 1-D pass uses the basis' symmetry, sample
     * {@code n - 1 - x} = even frequencies' part minus odd frequencies' part of sample {@code x}: half the
     * multiplications.
     */
    void scaled(int[] coefficients, int[] quant, byte[] out, int offset, int stride) {
        switch (n) {
            case 3 -> scaled3(coefficients, quant, out, offset, stride);
            case 2 -> scaled2(coefficients, quant, out, offset, stride);
            default -> scaledAny(coefficients, quant, out, offset, stride);
        }
    }

    /**
     * {@link #scaled} at 3/8 (a 12-megapixel photo's scale), written out: the same float operations in the same
     * order, less those whose weight is zero (u or v of 3, and the odd frequencies at the middle sample), which add
     * nothing (at most a zero's sign, which no sum or clamp sees), so the samples are {@link #scaledAny}'s to the bit.
     */
    private void scaled3(int[] c, int[] q, byte[] out, int offset, int stride) {
        // Rows of frequencies (v), each to its three samples across (x): w[v * 3 + x]; then the columns.
        float[] w = work;
        row3(c[0] * q[0], c[1] * q[1], c[5] * q[2], w, 0);
        row3(c[2] * q[8], c[4] * q[9], c[7] * q[10], w, 3);
        row3(c[3] * q[16], c[8] * q[17], c[12] * q[18], w, 6);
        for (int x = 0; x < 3; x++) {
            column3(w[x], w[3 + x], w[6 + x], out, offset + x, stride);
        }
    }

    /** {@link #scaled3}'s pass over one row of frequencies F(0..2) to its three samples, into {@code w[at..]}. */
    private void row3(float f0, float f1, float f2, float[] w, int at) {
        float even = basis[0] * f0 + basis[2] * f2;
        float odd = basis[1] * f1;
        w[at] = even + odd;
        w[at + 1] = basis[4] * f0 + basis[6] * f2;
        w[at + 2] = even - odd;
    }

    /** {@link #scaled3}'s pass over one column of row results w(0..2) to its three samples down. */
    private void column3(float w0, float w1, float w2, byte[] out, int at, int stride) {
        float even = 128.5f + basis[0] * w0 + basis[2] * w2;
        float odd = basis[1] * w1;
        out[at] = sample(even + odd);
        out[at + stride] = sample(128.5f + basis[4] * w0 + basis[6] * w2);
        out[at + 2 * stride] = sample(even - odd);
    }

    /** {@link #scaled} at 2/8 (a 24-megapixel photo's scale), written out as {@link #scaled3} is. */
    private void scaled2(int[] c, int[] q, byte[] out, int offset, int stride) {
        float b00 = basis[0];
        float b01 = basis[1];
        float f0 = c[0] * q[0];
        float f1 = c[1] * q[1];
        float w00 = b00 * f0 + b01 * f1;
        float w01 = b00 * f0 - b01 * f1;
        f0 = c[2] * q[8];
        f1 = c[4] * q[9];
        float w10 = b00 * f0 + b01 * f1;
        float w11 = b00 * f0 - b01 * f1;
        float even = 128.5f + b00 * w00;
        float odd = b01 * w10;
        out[offset] = sample(even + odd);
        out[offset + stride] = sample(even - odd);
        even = 128.5f + b00 * w01;
        odd = b01 * w11;
        out[offset + 1] = sample(even + odd);
        out[offset + stride + 1] = sample(even - odd);
    }

    /** A sample's value, truncated to an integer and clamped to 0..255. */
    private static byte sample(float value) {
        return (byte) clamp((int) value);
    }

    /** {@link #scaled} at any n, the loops bounded by 4 (the JIT unrolls them). */
    private void scaledAny(int[] coefficients, int[] quant, byte[] out, int offset, int stride) {
        float[] b = basis;
        float[] w = work;
        float[] f = frequencies;
        int[] at = zigzagAt;
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                f[v * 4 + u] = coefficients[at[v * 4 + u]] * quant[v * 8 + u];
            }
        }
        int half = (n + 1) / 2;
        // Rows of frequencies: w[v * 4 + x] = sum over u of basis(x, u) * F(v, u); rows from n on stay zero.
        for (int v = 0; v < n; v++) {
            float f0 = f[v * 4];
            float f1 = f[v * 4 + 1];
            float f2 = f[v * 4 + 2];
            float f3 = f[v * 4 + 3];
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
                out[bottom + x] = sample(even - odd);
                out[top + x] = sample(even + odd);
            }
        }
    }

    /**
     * The block's 8x8 samples into {@code out} at {@code offset}, rows {@code stride} apart, from its coefficients in
     * zig-zag order, as libjpeg's {@code jpeg_idct_islow}: dequantised into {@code work} ({@value #FULL_WORK} ints),
     * columns first with {@value #PASS1_BITS} extra bits, then rows, each rounded as libjpeg's {@code DESCALE}.
     */
    static void full(int[] coefficients, int[] quant, int[] work, byte[] out, int offset, int stride) {
        for (int k = 0; k < 64; k++) {
            int natural = JpegFrame.ZIGZAG[k];
            work[natural] = coefficients[k] * quant[natural];
        }
        // Each pass's results are written back over the column or row just read (read whole first).
        int[] z = ZIGZAG_INDEX;
        for (int col = 0; col < 8; col++) {
            // As libjpeg: a column whose AC coefficients are all zero (as stored: a zero step is not one) is flat.
            if (coefficients[z[8 + col]] == 0 && coefficients[z[16 + col]] == 0 && coefficients[z[24 + col]] == 0
                    && coefficients[z[32 + col]] == 0 && coefficients[z[40 + col]] == 0
                    && coefficients[z[48 + col]] == 0 && coefficients[z[56 + col]] == 0) {
                int dc = work[col] << PASS1_BITS;
                for (int row = 0; row < 8; row++) {
                    work[row * 8 + col] = dc;
                }
                continue;
            }
            pass(work, col, 8, work[col], work[8 + col], work[16 + col], work[24 + col], work[32 + col],
                    work[40 + col], work[48 + col], work[56 + col]);
            for (int row = 0; row < 8; row++) {
                work[row * 8 + col] = descale(work[row * 8 + col], CONST_BITS - PASS1_BITS);
            }
        }
        for (int y = 0; y < 8; y++) {
            int r = y * 8;
            pass(work, r, 1, work[r], work[r + 1], work[r + 2], work[r + 3], work[r + 4], work[r + 5], work[r + 6],
                    work[r + 7]);
            int at = offset + y * stride;
            for (int x = 0; x < 8; x++) {
                out[at + x] = (byte) clamp(descale(work[r + x], CONST_BITS + PASS1_BITS + 3) + 128);
            }
        }
    }

    /** libjpeg's {@code DESCALE}: {@code value} shifted right by {@code bits}, rounded. */
    private static int descale(int value, int bits) {
        return value + (1 << (bits - 1)) >> bits;
    }

    /**
     * One 8-point pass of {@code jpeg_idct_islow} over {@code i0..i7}, into {@code out[at + k * step]}, not yet
     * descaled ({@link #full} does that, the same int arithmetic a step later). Kept within the 325 bytes of
     * bytecode up to which C2 inlines a hot method (321 now; the array and indices first, in the one-byte local
     * slots): with the descaling inside it was 436, called 16 times a block, which cost 15 % of {@link #full}.
     */
    private static void pass(int[] out, int at, int step, int i0, int i1, int i2, int i3, int i4, int i5, int i6,
                             int i7) {
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
        // Odd part: i7, i5, i3 and i1 in the roles of libjpeg's tmp0..tmp3.
        z1 = i7 + i1;
        int z2 = i5 + i3;
        int z3 = i7 + i3;
        int z4 = i5 + i1;
        int z5 = (z3 + z4) * FIX_1_175875602;
        i7 *= FIX_0_298631336;
        i5 *= FIX_2_053119869;
        i3 *= FIX_3_072711026;
        i1 *= FIX_1_501321110;
        z1 *= -FIX_0_899976223;
        z2 *= -FIX_2_562915447;
        z3 = z3 * -FIX_1_961570560 + z5;
        z4 = z4 * -FIX_0_390180644 + z5;
        i7 += z1 + z3;
        i5 += z2 + z4;
        i3 += z2 + z3;
        i1 += z1 + z4;
        out[at] = tmp10 + i1;
        out[at + 7 * step] = tmp10 - i1;
        out[at + step] = tmp11 + i3;
        out[at + 6 * step] = tmp11 - i3;
        out[at + 2 * step] = tmp12 + i5;
        out[at + 5 * step] = tmp12 - i5;
        out[at + 3 * step] = tmp13 + i7;
        out[at + 4 * step] = tmp13 - i7;
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }
}
