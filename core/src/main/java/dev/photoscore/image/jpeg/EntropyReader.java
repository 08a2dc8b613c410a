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
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private int position;
    /** The unread bits, right-aligned: the next bit is bit {@code bits - 1}. */
    private long buffer;
    private int bits;
    /** Zero bits added after the data's end, counted so that using one is noticed. */
    private int padding;
    /** The marker that ended the data (its code, or {@link #END_OF_DATA}), or -1 while there is data. */
    private int marker = -1;

    EntropyReader(byte[] data, int position) {
        this.data = data;
        this.position = position;
    }

    /**
     * Tops the buffer up to at least 32 bits: enough for one Huffman code and its extra bits (16 + 16). Four bytes
     * at once when none of them is 0xFF (nearly always), else byte by byte.
     */
    void fill() {
        if (bits <= 32 && position + 4 <= data.length) {
            int word = (int) BIG_ENDIAN_INT.get(data, position);
            if (noByteIsFF(word)) {
                buffer = buffer << 32 | (word & 0xFFFFFFFFL);
                bits += 32;
                position += 4;
                return;
            }
        }
        while (bits <= 56) {
            int value;
            // At a marker the position stays on its 0xFF, so the common case is one comparison.
            if (position < data.length && data[position] != (byte) 0xFF) {
                value = data[position++] & 0xFF;
            } else {
                value = nextSpecialByte();
            }
            buffer = buffer << 8 | value;
            bits += 8;
        }
    }

    /** Whether none of the four bytes is 0xFF: the classic test for a zero byte, on the complement. */
    private static boolean noByteIsFF(int word) {
        int inverted = ~word;
        return ((inverted - 0x01010101) & ~inverted & 0x80808080) == 0;
    }

    /** The next byte when it is 0xFF (stuffed, fill or a marker) or the data has ended. */
    private int nextSpecialByte() {
        if (marker < 0) {
            while (position + 1 < data.length) {
                int next = data[position + 1] & 0xFF;
                if (next == 0) {
                    position += 2;
                    return 0xFF;
                }
                if (next != 0xFF) {
                    marker = next;
                    padding += 8;
                    return 0;
                }
                position++; // fill bytes before a marker
            }
            marker = END_OF_DATA;
        }
        padding += 8;
        return 0;
    }

    /**
     * Decodes one block (F.2.2): its DC difference and AC run/size codes, into {@code coefficients} (row-major,
     * all zero before) still quantised.
     *
     * @return the component's new DC predictor
     * @throws IOException a code that no table entry has, or a run past the block's 64 coefficients
     */
    int decodeBlock(HuffmanTable dc, HuffmanTable ac, int predictor, int[] coefficients) throws IOException {
        if (bits < 32) {
            fill();
        }
        int size = decode(dc);
        if (size > 11) {
            throw new IOException("Corrupt JPEG data: bad DC difference size " + size);
        }
        int value = predictor + receiveExtended(size);
        coefficients[0] = value;
        int[] fast = ac.fastAc;
        // The reader's state in locals for the block's hot loop (written back before anything that reads the
        // fields), and fill()'s common case, four bytes without 0xFF, inline: it runs every few coefficients.
        byte[] bytes = data;
        int at = position;
        long buf = buffer;
        int count = bits;
        for (int k = 1; k < 64; k++) {
            if (count < 32) {
                int word = at + 4 <= bytes.length ? (int) BIG_ENDIAN_INT.get(bytes, at) : -1;
                if (noByteIsFF(word)) {
                    buf = buf << 32 | (word & 0xFFFFFFFFL);
                    count += 32;
                    at += 4;
                } else {
                    position = at;
                    buffer = buf;
                    bits = count;
                    fill();
                    at = position;
                    buf = buffer;
                    count = bits;
                }
            }
            int peek = (int) (buf >>> (count - HuffmanTable.LOOKUP_BITS)) & ((1 << HuffmanTable.LOOKUP_BITS) - 1);
            int entry = fast[peek];
            int run;
            int coefficient;
            if (entry != 0) {
                count -= entry & 0xFF;
                run = (entry >> 8) & 0xFF;
                if (run == HuffmanTable.END_OF_BLOCK) {
                    break;
                }
                coefficient = entry >> 16;
            } else {
                int code = ac.lookup[peek];
                int runSize;
                if (code != 0) {
                    count -= code >>> 8;
                    runSize = code & 0xFF;
                } else {
                    buffer = buf;
                    bits = count;
                    runSize = decode(ac);
                    count = bits;
                }
                run = runSize >> 4;
                size = runSize & 15;
                if (size == 0) {
                    if (run != 15) {
                        break; // end of block
                    }
                    k += 15;
                    continue;
                }
                if (size > 10) {
                    throw new IOException("Corrupt JPEG data: bad AC coefficient size " + size);
                }
                int extra = (int) (buf >>> (count - size)) & ((1 << size) - 1);
                count -= size;
                coefficient = extra < 1 << (size - 1) ? extra - (1 << size) + 1 : extra;
            }
            k += run;
            if (k > 63) {
                throw new IOException("Corrupt JPEG data: an AC run past the block's end");
            }
            coefficients[JpegFrame.ZIGZAG[k]] = coefficient;
        }
        position = at;
        buffer = buf;
        bits = count;
        return value;
    }

    /** The next Huffman-coded symbol; the buffer must hold at least 16 bits ({@link #fill}). */
    int decode(HuffmanTable table) throws IOException {
        int entry = table.lookup[(int) (buffer >>> (bits - HuffmanTable.LOOKUP_BITS)) & ((1 << HuffmanTable.LOOKUP_BITS) - 1)];
        if (entry != 0) {
            bits -= entry >>> 8;
            return entry & 0xFF;
        }
        int code16 = (int) (buffer >>> (bits - 16)) & 0xFFFF;
        for (int length = HuffmanTable.LOOKUP_BITS + 1; length <= 16; length++) {
            int code = code16 >>> (16 - length);
            if (code <= table.maxCode[length]) {
                bits -= length;
                int index = code + table.symbolOffset[length];
                if (index < 0 || index >= table.symbols.length) {
                    break;
                }
                return table.symbols[index];
            }
        }
        throw new IOException("Corrupt JPEG data: bad Huffman code");
    }

    /**
     * The next {@code size} bits as a signed coefficient (F.2.2.1, EXTEND); the buffer must hold them.
     */
    int receiveExtended(int size) {
        if (size == 0) {
            return 0;
        }
        int value = (int) (buffer >>> (bits - size)) & ((1 << size) - 1);
        bits -= size;
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /** How many bits the buffer holds now. */
    int bits() {
        return bits;
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
        position += 2;
        marker = -1;
        buffer = 0;
        bits = 0;
        padding = 0;
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
