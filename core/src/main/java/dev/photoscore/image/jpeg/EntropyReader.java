package dev.photoscore.image.jpeg;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bits of a scan's entropy-coded data (ITU T.81 F.2.2.5): stuffed {@code 0xFF 0x00} pairs give {@code 0xFF},
 * and a marker ends the data. Past a marker or the file's end the reader supplies zero bits, as libjpeg does, but
 * counts them: a block that needs one of them means the data ended early, which {@link #checkNotPastEnd} reports as
 * a damaged photo (libjpeg only warns "premature end of data segment" and fills the rest with grey).
 */
final class EntropyReader {

    private static final int END_OF_DATA = 0x100;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    /** Where the next segment of entropy-coded data starts in {@link #data} (after the last marker read). */
    private int next;
    /**
     * The current segment's bytes (up to the next marker) with the stuffing taken out: {@code 0xFF 0x00} is
     * {@code 0xFF}, fill bytes before a marker are gone. So the hot loops load eight bytes at a time with one
     * comparison, where 0xFF bytes (one in about a hundred here) would otherwise cost a slow path each.
     */
    private final byte[] clean;
    private int cleanEnd;
    private int position;
    /**
     * The unread bits, left-aligned: the next bit is bit 63. Below the {@link #bits} counted ones the buffer may
     * hold the bits of the next bytes (an eight-byte load counts only the whole bytes that fit).
     */
    private long buffer;
    private int bits;
    /** Zero bits added after the segment's end, counted so that using one is noticed. */
    private int padding;
    /** The marker that ends the segment (its code, or {@link #END_OF_DATA} when the file ends first). */
    private int marker;

    /** A reader of the entropy-coded data from {@code data[start]} on. */
    EntropyReader(byte[] data, int start) {
        this.data = data;
        this.clean = new byte[data.length - start];
        next = start;
        readSegment();
    }

    /**
     * The bytes {@code new EntropyReader(data, start)} holds: a copy of the entropy-coded data, at most the file
     * from {@code start} on.
     */
    static long footprint(byte[] data, int start) {
        return data.length - start;
    }

    /**
     * Copies the data from {@link #next} up to the next marker into {@link #clean}, unstuffed, and leaves
     * {@link #next} on the marker's code; the buffer starts empty.
     */
    private void readSegment() {
        byte[] in = data;
        int from = next;
        int out = 0;
        marker = END_OF_DATA;
        while (from < in.length) {
            // Eight bytes at once while none is 0xFF (the classic test for a zero byte, on the complement).
            if (from + 8 <= in.length) {
                long word = (long) BIG_ENDIAN_LONG.get(in, from);
                long inverted = ~word;
                if (((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) == 0) {
                    BIG_ENDIAN_LONG.set(clean, out, word);
                    from += 8;
                    out += 8;
                    continue;
                }
            }
            byte b = in[from];
            if (b != (byte) 0xFF) {
                clean[out++] = b;
                from++;
                continue;
            }
            while (from + 1 < in.length && in[from + 1] == (byte) 0xFF) {
                from++; // fill bytes before a marker
            }
            if (from + 1 >= in.length) {
                from = in.length; // a lone 0xFF at the file's end: no marker follows
                break;
            }
            if (in[from + 1] == 0) {
                clean[out++] = (byte) 0xFF;
                from += 2;
                continue;
            }
            marker = in[from + 1] & 0xFF;
            from++;
            break;
        }
        next = from;
        cleanEnd = out;
        position = 0;
        buffer = 0;
        bits = 0;
        padding = 0;
    }

    /**
     * Tops the buffer up to at least 57 bits: enough for two Huffman codes and their extra bits (2 x (16 + 11)).
     * Eight bytes at once (they are shifted in as whole bytes fit; the rest wait for the next load: Giesen's
     * "variant 4"), byte by byte near the segment's end, and zero bits past it, counted as {@link #padding}
     * (libjpeg too supplies zeros there).
     */
    void refill() {
        if (position + 8 <= cleanEnd) {
            buffer |= (long) BIG_ENDIAN_LONG.get(clean, position) >>> bits;
            position += (63 - bits) >>> 3;
            bits |= 56;
        } else {
            fill();
        }
    }

    /** {@link #refill} byte by byte: at the segment's end. */
    private void fill() {
        buffer &= bits == 0 ? 0 : -1L << (64 - bits); // the uncounted bits of an eight-byte load go
        while (bits <= 56) {
            if (position < cleanEnd) {
                buffer |= (long) (clean[position++] & 0xFF) << (56 - bits);
            } else {
                padding += 8;
            }
            bits += 8;
        }
    }

    /**
     * Decodes one block (F.2.2): its DC difference and AC run/size codes. The coefficients up to zig-zag index
     * {@code last} go into {@code coefficients} (zig-zag order, still quantised, all zero before); the codes of the
     * rest are read (they have to be, to find the next block) but their values are neither worked out nor kept.
     *
     * @param last the last zig-zag index kept: 63 for the whole block, less for a block only its lowest frequencies
     *             are needed of
     * @return the component's new DC predictor
     * @throws IOException a code that no table entry has, or a run past the block's 64 coefficients
     */
    int decodeBlock(HuffmanTable dc, HuffmanTable ac, int predictor, int[] coefficients, int last)
            throws IOException {
        refill();
        int size = decode(dc);
        if (size > 11) {
            throw new IOException("Corrupt JPEG data: bad DC difference size " + size);
        }
        int value = predictor + receiveExtended(size);
        coefficients[0] = value;
        int[] fast = ac.fastAc;
        // The reader's state in locals for the block's hot loops (written back before anything that reads the
        // fields), and refill()'s common case inline: it runs before every code.
        byte[] bytes = clean;
        int at = position;
        int end = cleanEnd;
        long buf = buffer;
        int count = bits;
        int k = 1;
        for (; k <= last; k++) {
            if (at + 8 <= end) {
                buf |= (long) BIG_ENDIAN_LONG.get(bytes, at) >>> count;
                at += (63 - count) >>> 3;
                count |= 56;
            } else {
                position = at;
                buffer = buf;
                bits = count;
                fill();
                at = position;
                buf = buffer;
                count = bits;
            }
            int peek = (int) (buf >>> (64 - HuffmanTable.LOOKUP_BITS));
            int entry = fast[peek];
            int run;
            int coefficient;
            if (entry != 0) {
                int used = entry & 0xFF;
                buf <<= used;
                count -= used;
                run = (entry >> 8) & 0xFF;
                if (run == HuffmanTable.END_OF_BLOCK) {
                    k = 64;
                    break;
                }
                coefficient = entry >> 16;
            } else {
                int code = ac.lookup[peek];
                int runSize;
                if (code != 0) {
                    int used = code >>> 8;
                    buf <<= used;
                    count -= used;
                    runSize = code & 0xFF;
                } else {
                    buffer = buf;
                    bits = count;
                    runSize = decode(ac);
                    buf = buffer;
                    count = bits;
                }
                run = runSize >> 4;
                size = runSize & 15;
                if (size == 0) {
                    if (run != 15) {
                        k = 64; // end of block
                        break;
                    }
                    k += 15;
                    continue;
                }
                if (size > 10) {
                    throw new IOException("Corrupt JPEG data: bad AC coefficient size " + size);
                }
                int extra = (int) (buf >>> (64 - size));
                buf <<= size;
                count -= size;
                coefficient = extra < 1 << (size - 1) ? extra - (1 << size) + 1 : extra;
            }
            k += run;
            if (k > last) {
                if (k > 63) {
                    throw new IOException("Corrupt JPEG data: an AC run past the block's end");
                }
                k++;
                break;
            }
            coefficients[k] = coefficient;
        }
        // The coefficients past the last one kept: each code's length and its extra bits skipped in one look-up.
        int[] skip = ac.skipAc;
        while (k < 64) {
            if (at + 8 <= end) {
                buf |= (long) BIG_ENDIAN_LONG.get(bytes, at) >>> count;
                at += (63 - count) >>> 3;
                count |= 56;
            } else {
                position = at;
                buffer = buf;
                bits = count;
                fill();
                at = position;
                buf = buffer;
                count = bits;
            }
            int entry = skip[(int) (buf >>> (64 - HuffmanTable.LOOKUP_BITS))];
            if (entry == 0) {
                buffer = buf;
                bits = count;
                int symbol = decode(ac);
                buf = buffer;
                count = bits;
                entry = HuffmanTable.skipEntry(symbol, 0);
                if (entry == 0) {
                    throw new IOException("Corrupt JPEG data: bad AC coefficient size " + (symbol & 15));
                }
            }
            int used = entry & 0xFF;
            buf <<= used;
            count -= used;
            k += (entry >> 8) & 0xFF;
            if (k > 64 && (entry & HuffmanTable.ENDS_BLOCK) == 0) {
                throw new IOException("Corrupt JPEG data: an AC run past the block's end");
            }
        }
        position = at;
        buffer = buf;
        bits = count;
        return value;
    }

    /** The next Huffman-coded symbol; the buffer must hold at least 16 bits ({@link #refill}). */
    int decode(HuffmanTable table) throws IOException {
        int entry = table.lookup[(int) (buffer >>> (64 - HuffmanTable.LOOKUP_BITS))];
        if (entry != 0) {
            skipBits(entry >>> 8);
            return entry & 0xFF;
        }
        int code16 = (int) (buffer >>> 48);
        for (int length = HuffmanTable.LOOKUP_BITS + 1; length <= 16; length++) {
            int code = code16 >>> (16 - length);
            if (code <= table.maxCode[length]) {
                skipBits(length);
                int index = code + table.symbolOffset[length];
                if (index < 0 || index >= table.symbols.length) {
                    break;
                }
                return table.symbols[index];
            }
        }
        throw new IOException("Corrupt JPEG data: bad Huffman code");
    }

    private void skipBits(int count) {
        buffer <<= count;
        bits -= count;
    }

    /**
     * The next {@code size} bits as a signed coefficient (F.2.2.1, EXTEND); the buffer must hold them.
     */
    int receiveExtended(int size) {
        if (size == 0) {
            return 0;
        }
        int value = (int) (buffer >>> (64 - size));
        skipBits(size);
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /** Fails when a decoded block used bits from past the data's end: the file is cut short or damaged. */
    void checkNotPastEnd() throws IOException {
        if (padding > bits) {
            throw new IOException("Premature end of JPEG data: the entropy-coded data ends before the last block");
        }
    }

    /**
     * Steps over the restart marker that must follow a restart interval ({@code RSTn}, n counting 0..7): only the
     * last byte's fill bits may be left before it.
     */
    void restart(int expected) throws IOException {
        fill();
        checkNotPastEnd();
        if (bits - padding >= 8 || marker != 0xD0 + expected) {
            throw new IOException("Corrupt JPEG data: restart marker RST" + expected + " missing");
        }
        next++;
        readSegment();
    }

    /**
     * After the last block: whether the data ends with the end-of-image marker, as a one-scan baseline JPEG does.
     *
     * @throws IOException the data ended without a marker (a truncated file), or bytes are left over
     */
    boolean endsWithEndOfImage() throws IOException {
        fill();
        checkNotPastEnd();
        if (marker == END_OF_DATA) {
            throw new IOException("Premature end of JPEG file");
        }
        if (bits - padding >= 8) {
            throw new IOException("Corrupt JPEG data: extraneous bytes before the end of the image");
        }
        return marker == 0xD9;
    }
}
