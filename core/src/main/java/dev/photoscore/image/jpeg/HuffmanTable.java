package dev.photoscore.image.jpeg;

import java.io.IOException;

/**
 * One Huffman table of a JPEG's DHT segment (ITU T.81 annex C), ready for decoding: codes of up to
 * {@value #LOOKUP_BITS} bits are found in one table look-up (nearly every code of a photo), longer ones by the
 * canonical code's per-length limits (F.2.2.3).
 */
final class HuffmanTable {

    /** Codes this long or shorter are decoded by one look-up. */
    static final int LOOKUP_BITS = 11;
    /** {@link #fast}'s run field for the end-of-block code. */
    static final int END_OF_BLOCK = 0xFF;
    /** A {@link #skip} entry's flag for a code that may end the block anywhere: end of block, or 16 zeros. */
    static final int ENDS_BLOCK = 1 << 16;
    /** Where a {@link #skipSeveral} entry holds the advance before its last code (0 for one code). */
    static final int SEVERAL_SHIFT = 17;

    /** By the next {@link #LOOKUP_BITS} bits: {@code length << 8 | symbol}, or 0 when the code is longer. */
    final int[] lookup = new int[1 << LOOKUP_BITS];
    /** By code length 1..16: the largest code of that length, or -1 when there is none. */
    final int[] maxCode = new int[18];
    /** By code length: what to add to a code of that length to get its symbol's index in {@link #symbols}. */
    final int[] symbolOffset = new int[17];
    final int[] symbols;
    /**
     * By the next {@link #LOOKUP_BITS} bits, in the low half: the whole coefficient when its code and extra bits fit
     * in them, {@code value << 16 | run << 8 | bits used} ({@link #END_OF_BLOCK} as the run for symbol 0, an AC
     * table's end of block, a DC table's difference 0), else 0. Most of a photo's coefficients are small and decoded
     * by this one look-up (stb_image's idea). The bits used are the low six bits, so the buffer is shifted by the
     * entry itself. In the high half, when the bits hold a second whole coefficient after a first (neither an end
     * of block; three in four of the 12 MP bench JPEG's lowest coefficients): {@code second's value << 16 | its run
     * << 12 | both's advance << 6 | both's bits}, else 0.
     */
    final long[] fast = new long[1 << LOOKUP_BITS];
    /**
     * For an AC table, by the next {@link #LOOKUP_BITS} bits: {@link #skipEntry} of the code they start with, or 0
     * when the code is longer or its size is bad. What skipping a coefficient takes, its value not worked out.
     * The bits to skip are the low six bits, as in {@link #fast}.
     */
    final int[] skip = new int[1 << LOOKUP_BITS];
    /**
     * As {@link #skip}, but as many codes at once as the bits hold (with the extra bits of all but the last; none
     * of them but the last ending the block or skipping 16 zeros): {@code the advance before the last code <<
     * SEVERAL_SHIFT | all together's entry}. For use only while that advance stays inside the block (the last code
     * may be the next block's), else {@link #skip}'s entry is the one.
     */
    final int[] skipSeveral = new int[1 << LOOKUP_BITS];

    /**
     * @param counts  how many codes each length 1..16 has ({@code counts[0]} is length 1)
     * @param symbols the symbols in code order
     * @throws IOException the counts overflow the code space (a damaged table)
     */
    HuffmanTable(int[] counts, int[] symbols) throws IOException {
        this.symbols = symbols.clone();
        int code = 0;
        int index = 0;
        for (int length = 1; length <= 16; length++) {
            int count = counts[length - 1];
            symbolOffset[length] = index - code;
            if (count == 0) {
                maxCode[length] = -1;
            } else {
                if (code + count > 1 << length) {
                    throw new IOException("Corrupt JPEG data: bogus Huffman table definition");
                }
                for (int i = 0; i < count; i++, code++, index++) {
                    if (length <= LOOKUP_BITS) {
                        int shift = LOOKUP_BITS - length;
                        for (int fill = 0; fill < 1 << shift; fill++) {
                            lookup[code << shift | fill] = length << 8 | symbols[index];
                        }
                    }
                }
                maxCode[length] = code - 1;
            }
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
        int[] single = new int[1 << LOOKUP_BITS];
        for (int bits = 0; bits < lookup.length; bits++) {
            int entry = lookup[bits];
            if (entry == 0) {
                continue;
            }
            int length = entry >>> 8;
            skip[bits] = skipEntry(entry & 0xFF, length);
            int run = (entry >> 4) & 15;
            int size = entry & 15;
            if (size == 0) {
                if (run == 0) {
                    single[bits] = END_OF_BLOCK << 8 | length;
                }
            } else if (length + size <= LOOKUP_BITS) {
                int extra = (bits >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
                int value = extra < 1 << (size - 1) ? extra - (1 << size) + 1 : extra;
                single[bits] = value << 16 | run << 8 | (length + size);
            }
        }
        for (int bits = 0; bits < single.length; bits++) {
            int first = single[bits];
            int used = first & 0xFF;
            int second = used < LOOKUP_BITS ? single[bits << used & (1 << LOOKUP_BITS) - 1] : 0;
            int both = 0;
            if (first != 0 && (first >> 8 & 0xFF) != END_OF_BLOCK && second != 0
                    && (second >> 8 & 0xFF) != END_OF_BLOCK && (second & 0xFF) <= LOOKUP_BITS - used) {
                int run = second >> 8 & 0xFF;
                both = second & 0xFFFF0000 | run << 12 | ((first >> 8 & 0xFF) + run + 2) << 6 | used + (second & 0xFF);
            }
            fast[bits] = (long) both << 32 | first & 0xFFFFFFFFL;
        }
        for (int bits = 0; bits < skip.length; bits++) {
            // Codes added one by one while the next code (not its extra bits) is in the bits too and the last one
            // neither ends the block nor skips 16 zeros.
            int entry = skip[bits];
            while (entry != 0 && (entry & ENDS_BLOCK) == 0) {
                int used = entry & 0xFF;
                if (used >= LOOKUP_BITS) {
                    break;
                }
                int rest = bits << used & (1 << LOOKUP_BITS) - 1; // the bits after the codes so far, then zeros
                int next = skip[rest];
                if (next == 0 || lookup[rest] >>> 8 > LOOKUP_BITS - used) {
                    break; // a bad symbol, or a code longer than the bits left
                }
                int advance = entry >> 8 & 0xFF;
                entry = advance << SEVERAL_SHIFT | next & ENDS_BLOCK | (advance + (next >> 8 & 0xFF)) << 8
                        | used + (next & 0xFF);
            }
            skipSeveral[bits] = entry;
        }
    }

    /**
     * The symbol whose code starts {@code bits} (left-aligned: the code's first bit is bit 63), by {@link #lookup}
     * or else the canonical code's per-length limits (F.2.2.3).
     *
     * @return {@code code length << 8 | symbol}
     * @throws IOException no symbol has such a code
     */
    int code(long bits) throws IOException {
        int entry = lookup[(int) (bits >>> (64 - LOOKUP_BITS))];
        if (entry != 0) {
            return entry;
        }
        int code16 = (int) (bits >>> 48);
        for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
            int code = code16 >>> (16 - length);
            if (code <= maxCode[length]) {
                int index = code + symbolOffset[length];
                if (index < 0 || index >= symbols.length) {
                    break;
                }
                return length << 8 | symbols[index];
            }
        }
        throw new IOException("Corrupt JPEG data: bad Huffman code");
    }

    /**
     * How to step over the AC symbol {@code symbol} (run << 4 | size) whose code is {@code codeLength} bits:
     * {@code bits to skip | zig-zag positions to advance << 8}, the bits being the code's and the coefficient's
     * extra bits. An end of block (and any other size-0 symbol but 16 zeros, as libjpeg takes them) advances 64 and,
     * like 16 zeros, is flagged {@link #ENDS_BLOCK}: it may end past the block's last coefficient.
     *
     * @return the entry, or 0 for a coefficient size over 10 (a damaged photo)
     */
    static int skipEntry(int symbol, int codeLength) {
        int run = symbol >> 4;
        int size = symbol & 15;
        if (size == 0) {
            return ENDS_BLOCK | (run == 15 ? 16 : 64) << 8 | codeLength;
        }
        if (size > 10) {
            return 0;
        }
        return (run + 1) << 8 | (codeLength + size);
    }
}
