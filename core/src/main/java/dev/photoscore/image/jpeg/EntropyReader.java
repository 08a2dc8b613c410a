package dev.photoscore.image.jpeg;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bits of a scan's entropy-coded data (ITU T.81 F.2.2.5): stuffed {@code 0xFF 0x00} pairs give {@code 0xFF},
 * and a marker ends the data. Past a marker or the file's end the reader supplies zero bits, as libjpeg does, but
 * counts them: a block that needs one of them means the data ended early, which {@link #checkNotPastEnd} reports as
 * a damaged photo (libjpeg only warns "premature end of data segment" and fills the rest with grey).
 *
 * <p>Speed (the decoder's largest part): each segment (the data up to a marker) is unstuffed once into a copy that
 * ends in zero bytes, so the bit buffer takes eight bytes at a time with no test at all; a code is looked up before
 * the buffer is topped up, so the refill is off the chain from one code to the next.
 */
final class EntropyReader {

    private static final int END_OF_DATA = 0x100;
    /** The zero bytes after a segment's copy: one eight-byte load past its end. */
    private static final int SLACK = 8;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    /** Where the next segment of entropy-coded data starts in {@link #data} (after the last marker read). */
    private int next;
    /**
     * The current segment's bytes (up to the next marker) with the stuffing taken out ({@code 0xFF 0x00} is
     * {@code 0xFF}, fill bytes before a marker are gone), then {@value #SLACK} zero bytes.
     */
    private final byte[] clean;
    private int cleanEnd;
    /**
     * The next byte of {@link #clean} to go into the buffer; past {@link #cleanEnd} when zeros after the segment's
     * end have gone in: the loads read from {@code min(position, cleanEnd)}, all zeros there.
     */
    private int position;
    /**
     * The unread bits, left-aligned: the next bit is bit 63. Below the {@link #bits} counted ones the buffer may
     * hold the bits of the next bytes (an eight-byte load counts only the whole bytes that fit; Giesen's "variant
     * 4"): a later load puts the same bits there.
     */
    private long buffer;
    private int bits;
    /** The marker that ends the segment (its code, or {@link #END_OF_DATA} when the file ends first). */
    private int marker;

    /** A reader of the entropy-coded data from {@code data[start]} on. */
    EntropyReader(byte[] data, int start) {
        this.data = data;
        this.clean = new byte[data.length - start + SLACK];
        next = start;
        readSegment();
    }

    /** The bytes {@code new EntropyReader(data, start)} holds: a copy of the entropy-coded data. */
    static long footprint(byte[] data, int start) {
        return data.length - start + SLACK;
    }

    /**
     * Copies the data from {@link #next} up to the next marker into {@link #clean}, unstuffed, leaves {@link #next}
     * on the marker's code, and fills the buffer from the copy's start.
     */
    private void readSegment() {
        byte[] in = data;
        int from = next;
        int out = 0;
        marker = END_OF_DATA;
        while (from < in.length) {
            // The bytes up to the next 0xFF copied as they are: found eight at a time, copied at once.
            int plain = from;
            while (plain + 8 <= in.length && noByteIsFF((long) BIG_ENDIAN_LONG.get(in, plain))) {
                plain += 8;
            }
            while (plain < in.length && in[plain] != (byte) 0xFF) {
                plain++;
            }
            System.arraycopy(in, from, clean, out, plain - from);
            out += plain - from;
            from = plain;
            if (from == in.length) {
                break;
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
        Arrays.fill(clean, out, out + SLACK, (byte) 0);
        position = 0;
        buffer = 0;
        bits = 0;
        refill();
    }

    /** Whether none of the eight bytes is 0xFF: the classic test for a zero byte, on the complement. */
    private static boolean noByteIsFF(long word) {
        long inverted = ~word;
        return ((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) == 0;
    }

    /** Tops the buffer up to at least 56 bits: enough for two codes and their extra bits (2 x (16 + 11)). */
    private void refill() {
        buffer |= (long) BIG_ENDIAN_LONG.get(clean, Math.min(position, cleanEnd)) >>> bits;
        position += (63 - bits) >>> 3;
        bits |= 56;
    }

    /**
     * The segment's bits not read yet, the zeros after it not counted: negative when a block has used some of
     * those.
     */
    private int bitsLeft() {
        return bits + 8 * (cleanEnd - position);
    }

    /**
     * Decodes one block (F.2.2): its DC difference and AC run/size codes. The coefficients up to zig-zag index
     * {@code last} go into {@code coefficients} (zig-zag order, still quantised, all zero before); the codes of the
     * rest are read (they have to be, to find the next block) but their values are neither worked out nor kept.
     * The buffer holds at least 29 bits before and after (a code and its extra bits, 16 + 11, fit).
     *
     * @param last the last zig-zag index kept: 63 for the whole block, less for a block only its lowest frequencies
     *             are needed of
     * @return the component's new DC predictor
     * @throws IOException a code that no table entry has, or a run past the block's 64 coefficients
     */
    int decodeBlock(HuffmanTable dc, HuffmanTable ac, int predictor, int[] coefficients, int last)
            throws IOException {
        // The reader's state in locals (written back before anything that reads the fields). Each code is looked
        // up first, then the buffer is topped up while the look-up loads: the buffer holds enough for the code.
        byte[] bytes = clean;
        int end = cleanEnd;
        int at = position;
        long buf = buffer;
        int count = bits;
        int peek = (int) (buf >>> (64 - HuffmanTable.LOOKUP_BITS));
        int entry = (int) dc.fast[peek];
        buf |= (long) BIG_ENDIAN_LONG.get(bytes, Math.min(at, end)) >>> count;
        at += (63 - count) >>> 3;
        count |= 56;
        int difference;
        int run = (entry >> 8) & 0xFF;
        if (entry != 0 && (run == 0 || run == HuffmanTable.END_OF_BLOCK)) {
            // A DC symbol is a size alone (its "end of block" is size 0, difference 0): the fast entry holds the
            // difference. One with a run is not a DC symbol: the slow path reports it.
            buf <<= entry;
            count -= entry & 0xFF;
            difference = entry >> 16;
        } else {
            int code = dc.code(buf);
            buf <<= code >>> 8;
            count -= code >>> 8;
            int size = code & 0xFF;
            if (size > 11) {
                throw new IOException("Corrupt JPEG data: bad DC difference size " + size);
            }
            difference = size == 0 ? 0 : extend((int) (buf >>> (64 - size)), size);
            buf <<= size;
            count -= size;
        }
        int value = predictor + difference;
        coefficients[0] = value;
        long[] fast = ac.fast;
        int k = 1;
        for (; k <= last; k++) {
            peek = (int) (buf >>> (64 - HuffmanTable.LOOKUP_BITS));
            long both = fast[peek];
            buf |= (long) BIG_ENDIAN_LONG.get(bytes, Math.min(at, end)) >>> count;
            at += (63 - count) >>> 3;
            count |= 56;
            entry = (int) both;
            int second = (int) (both >> 32);
            if (second != 0 && k + (second >> 6 & 0x3F) <= last + 1) {
                // Two coefficients in one look-up, both among those kept.
                buf <<= second;
                count -= second & 0x3F;
                k += (entry >> 8) & 0xFF;
                coefficients[k] = entry >> 16;
                k += 1 + (second >> 12 & 15);
                coefficients[k] = second >> 16;
                continue;
            }
            int coefficient;
            if (entry != 0) {
                buf <<= entry; // by its low six bits: the bits used
                count -= entry & 0xFF;
                run = (entry >> 8) & 0xFF;
                if (run == HuffmanTable.END_OF_BLOCK) {
                    k = 64;
                    break;
                }
                coefficient = entry >> 16;
            } else {
                int code = ac.code(buf);
                buf <<= code >>> 8;
                count -= code >>> 8;
                int runSize = code & 0xFF;
                run = runSize >> 4;
                int size = runSize & 15;
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
                coefficient = extend((int) (buf >>> (64 - size)), size);
                buf <<= size;
                count -= size;
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
        // The coefficients past the last one kept: codes and their extra bits skipped, several in one look-up.
        int[] several = ac.skipSeveral;
        while (k < 64) {
            peek = (int) (buf >>> (64 - HuffmanTable.LOOKUP_BITS));
            entry = several[peek];
            buf |= (long) BIG_ENDIAN_LONG.get(bytes, Math.min(at, end)) >>> count;
            at += (63 - count) >>> 3;
            count |= 56;
            if (k + (entry >>> HuffmanTable.SEVERAL_SHIFT) > 63) {
                entry = ac.skip[peek]; // the block ends before the last code: that one is the next block's
            }
            if (entry == 0) {
                int code = ac.code(buf);
                int symbol = code & 0xFF;
                entry = HuffmanTable.skipEntry(symbol, code >>> 8);
                if (entry == 0) {
                    throw new IOException("Corrupt JPEG data: bad AC coefficient size " + (symbol & 15));
                }
            }
            buf <<= entry;
            count -= entry & 0xFF;
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

    /** The {@code size}-bit value {@code bits} as a signed coefficient (F.2.2.1, EXTEND). */
    static int extend(int bits, int size) {
        return bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
    }

    /** Fails when a decoded block used bits from past the data's end: the file is cut short or damaged. */
    void checkNotPastEnd() throws IOException {
        if (bitsLeft() < 0) {
            throw new IOException("Premature end of JPEG data: the entropy-coded data ends before the last block");
        }
    }

    /**
     * Steps over the restart marker that must follow a restart interval ({@code RSTn}, n counting 0..7): only the
     * last byte's fill bits may be left before it.
     */
    void restart(int expected) throws IOException {
        checkNotPastEnd();
        if (bitsLeft() >= 8 || marker != 0xD0 + expected) {
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
        checkNotPastEnd();
        if (marker == END_OF_DATA) {
            throw new IOException("Premature end of JPEG file");
        }
        if (bitsLeft() >= 8) {
            throw new IOException("Corrupt JPEG data: extraneous bytes before the end of the image");
        }
        return marker == 0xD9;
    }
}
