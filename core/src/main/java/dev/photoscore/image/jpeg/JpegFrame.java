package dev.photoscore.image.jpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * A baseline JPEG's markers up to its scan (ITU T.81 annex B): the frame, its tables, its restart interval, its colour
 * transform, and where the entropy-coded data starts. Only what {@link BaselineJpeg} decodes is accepted: baseline or
 * extended sequential Huffman coding (SOF0, SOF1) at 8 bits, one component (grey) or three (YCbCr, or RGB by an Adobe
 * marker), sampling factors whose ratios to the largest are whole, every component in the first scan, an embedded
 * ICC profile only as {@link EmbeddedProfile} takes it. Anything else is {@link Optional#empty() not handled}, for
 * ImageIO to read.
 */
final class JpegFrame {

    /** How the components map to RGB. */
    enum Colour { GREY, YCBCR, RGB }

    /** The coefficient order of the entropy-coded data (zig-zag) as indices of a row-major 8x8 block. */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63};

    private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    /** One colour component of the frame, with its tables and its place in the block grid. */
    static final class Component {
        final int id;
        /** Horizontal and vertical sampling factors: blocks per MCU. */
        final int h;
        final int v;
        final int quantTable;
        /** Quantisation steps in row-major order, once the scan is reached. */
        int[] quant;
        HuffmanTable dc;
        HuffmanTable ac;
        /** Pixels of the full image per sample of this component, across and down. */
        int xRatio;
        int yRatio;
        /** Samples of this component in the image (T.81 A.1.1), and blocks in the MCU grid (padded). */
        int width;
        int height;
        int blocksAcross;
        int blocksDown;

        Component(int id, int h, int v, int quantTable) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.quantTable = quantTable;
        }
    }

    final int width;
    final int height;
    final Component[] components;
    final Colour colour;
    /** The conversion of the decoded pixels to sRGB that the embedded ICC profile asks for. */
    final EmbeddedProfile profile;
    /** MCUs between restart markers, 0 for none. */
    final int restartInterval;
    final int mcusAcross;
    final int mcusDown;
    /** Offset of the scan's first entropy-coded byte. */
    final int scanStart;

    private JpegFrame(int width, int height, Component[] components, Colour colour, EmbeddedProfile profile,
                      int restartInterval, int scanStart) {
        this.width = width;
        this.height = height;
        this.components = components;
        this.colour = colour;
        this.profile = profile;
        this.restartInterval = restartInterval;
        this.scanStart = scanStart;
        int maxH = largest(components, c -> c.h);
        int maxV = largest(components, c -> c.v);
        for (Component c : components) {
            c.xRatio = maxH / c.h;
            c.yRatio = maxV / c.v;
            c.width = ceilDiv(width * c.h, maxH);
            c.height = ceilDiv(height * c.v, maxV);
        }
        if (components.length == 1) {
            // A scan of one component is not interleaved (A.2.2): its MCU is one block, whatever the factors say.
            Component c = components[0];
            mcusAcross = ceilDiv(c.width, 8);
            mcusDown = ceilDiv(c.height, 8);
            c.blocksAcross = mcusAcross;
            c.blocksDown = mcusDown;
        } else {
            mcusAcross = ceilDiv(width, 8 * maxH);
            mcusDown = ceilDiv(height, 8 * maxV);
            for (Component c : components) {
                c.blocksAcross = mcusAcross * c.h;
                c.blocksDown = mcusDown * c.v;
            }
        }
    }

    /** Blocks per MCU of a component: its sampling factors, or one block when the scan is not interleaved. */
    int blocksAcrossPerMcu(Component c) {
        return components.length == 1 ? 1 : c.h;
    }

    int blocksDownPerMcu(Component c) {
        return components.length == 1 ? 1 : c.v;
    }

    /** The largest sampling factor of the components, across or down. */
    private static int largest(Component[] components, ToIntFunction<Component> factor) {
        int largest = 1;
        for (Component c : components) {
            largest = Math.max(largest, factor.applyAsInt(c));
        }
        return largest;
    }

    private static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }

    /**
     * Reads the markers of {@code jpeg} up to its first scan.
     *
     * @return the frame, or empty when the file uses something this decoder does not handle
     * @throws IOException the markers are damaged (a segment runs past the file, a table is malformed, the file ends)
     */
    static Optional<JpegFrame> read(byte[] jpeg) throws IOException {
        int[][] quantTables = new int[4][];
        HuffmanTable[] dcTables = new HuffmanTable[4];
        HuffmanTable[] acTables = new HuffmanTable[4];
        boolean jfif = false;
        int adobeTransform = -1;
        int restartInterval = 0;
        int width = 0;
        int height = 0;
        Component[] components = null;
        EmbeddedProfile.Chunks profileChunks = new EmbeddedProfile.Chunks();
        JpegSegments segments = JpegSegments.of(jpeg);
        while (segments.next()) {
            if (segments.standalone()) {
                return Optional.empty(); // no segment length: not where a baseline file has them
            }
            int start = segments.start();
            int end = segments.end();
            switch (segments.marker()) {
                case 0xE0 -> jfif |= segments.startsWith(JFIF);
                case 0xE2 -> {
                    if (segments.startsWith(ICC_PROFILE)) {
                        profileChunks.add(jpeg, start + ICC_PROFILE.length, end);
                    }
                }
                case 0xEE -> {
                    if (segments.startsWith(ADOBE) && end - start >= 12) {
                        adobeTransform = jpeg[start + 11] & 0xFF;
                    }
                }
                case 0xDB -> readQuantTables(jpeg, start, end, quantTables);
                case 0xC4 -> readHuffmanTables(jpeg, start, end, dcTables, acTables);
                case 0xDD -> {
                    if (end - start != 2) {
                        throw new IOException("Corrupt JPEG data: bad DRI segment length");
                    }
                    restartInterval = u16(jpeg, start);
                }
                case 0xC0, 0xC1 -> {
                    if (components != null) {
                        throw new IOException("Corrupt JPEG data: two frame headers");
                    }
                    if (end - start < 6) {
                        throw new IOException("Corrupt JPEG data: bad SOF segment length");
                    }
                    int precision = jpeg[start] & 0xFF;
                    height = u16(jpeg, start + 1);
                    width = u16(jpeg, start + 3);
                    int count = jpeg[start + 5] & 0xFF;
                    if (precision != 8 || height == 0 || width == 0 || count != 1 && count != 3) {
                        return Optional.empty();
                    }
                    if (end - start != 6 + 3 * count) {
                        throw new IOException("Corrupt JPEG data: bad SOF segment length");
                    }
                    components = new Component[count];
                    for (int i = 0; i < count; i++) {
                        int at = start + 6 + 3 * i;
                        int factors = jpeg[at + 1] & 0xFF;
                        int h = factors >> 4;
                        int v = factors & 15;
                        int table = jpeg[at + 2] & 0xFF;
                        if (h < 1 || h > 4 || v < 1 || v > 4 || table > 3) {
                            throw new IOException("Corrupt JPEG data: bad component in the frame header");
                        }
                        components[i] = new Component(jpeg[at] & 0xFF, h, v, table);
                    }
                }
                case 0xDA -> {
                    if (components == null) {
                        throw new IOException("Corrupt JPEG data: a scan before the frame header");
                    }
                    if (!scanHandled(jpeg, start, end, components, quantTables, dcTables, acTables)) {
                        return Optional.empty();
                    }
                    Optional<Colour> colour = colour(components, jfif, adobeTransform);
                    if (colour.isEmpty() || !wholeRatios(components)) {
                        return Optional.empty();
                    }
                    Optional<EmbeddedProfile> profile = EmbeddedProfile.of(profileChunks, colour.get());
                    if (profile.isEmpty()) {
                        return Optional.empty();
                    }
                    return Optional.of(new JpegFrame(width, height, components, colour.get(), profile.get(),
                            restartInterval, end));
                }
                // Other coding processes (progressive, lossless, arithmetic, hierarchical) and DNL: ImageIO's.
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF, 0xDC, 0xDE, 0xDF -> {
                    return Optional.empty();
                }
                default -> {
                    // APPn, COM and reserved segments carry nothing the pixels need.
                }
            }
        }
        return Optional.empty(); // EOI before a scan, or not a JPEG
    }

    /** The scan must be the whole image at once: every component, in frame order, with defined tables. */
    private static boolean scanHandled(byte[] jpeg, int start, int end, Component[] components, int[][] quantTables,
                                       HuffmanTable[] dcTables, HuffmanTable[] acTables) throws IOException {
        if (end - start < 1) {
            throw new IOException("Corrupt JPEG data: bad SOS segment length");
        }
        int count = jpeg[start] & 0xFF;
        if (end - start != 1 + 2 * count + 3) {
            throw new IOException("Corrupt JPEG data: bad SOS segment length");
        }
        if (count != components.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            Component c = components[i];
            int tables = jpeg[start + 2 + 2 * i] & 0xFF;
            int dc = tables >> 4;
            int ac = tables & 15;
            if ((jpeg[start + 1 + 2 * i] & 0xFF) != c.id || dc > 3 || ac > 3 || dcTables[dc] == null
                    || acTables[ac] == null || quantTables[c.quantTable] == null) {
                return false;
            }
            c.dc = dcTables[dc];
            c.ac = acTables[ac];
            c.quant = quantTables[c.quantTable];
        }
        int spectral = start + 1 + 2 * count;
        return (jpeg[spectral] & 0xFF) == 0 && (jpeg[spectral + 1] & 0xFF) == 63 && jpeg[spectral + 2] == 0;
    }

    /**
     * The colour transform, as libjpeg infers it: one component is grey; three are YCbCr when a JFIF marker says
     * so, RGB or YCbCr as an Adobe marker's transform flag says, and YCbCr by the usual component ids 1, 2, 3 when
     * neither marker is there. Anything less clear is left to ImageIO.
     */
    private static Optional<Colour> colour(Component[] components, boolean jfif, int adobeTransform) {
        if (components.length == 1) {
            return Optional.of(Colour.GREY);
        }
        if (adobeTransform == 1 || jfif && adobeTransform < 0) {
            return Optional.of(Colour.YCBCR);
        }
        if (adobeTransform == 0 && !jfif) {
            return Optional.of(Colour.RGB);
        }
        if (adobeTransform < 0 && components[0].id == 1 && components[1].id == 2 && components[2].id == 3) {
            return Optional.of(Colour.YCBCR);
        }
        return Optional.empty();
    }

    /** Upsampling to the full grid by whole factors only (a component of 2 in a frame of 3 is not). */
    private static boolean wholeRatios(Component[] components) {
        int maxH = largest(components, c -> c.h);
        int maxV = largest(components, c -> c.v);
        for (Component c : components) {
            if (maxH % c.h != 0 || maxV % c.v != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readQuantTables(byte[] jpeg, int start, int end, int[][] tables) throws IOException {
        int at = start;
        while (at < end) {
            int precision = (jpeg[at] & 0xFF) >> 4;
            int id = jpeg[at] & 15;
            at++;
            int size = precision == 0 ? 64 : 128;
            if (precision > 1 || id > 3 || at + size > end) {
                throw new IOException("Corrupt JPEG data: bad quantisation table");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[ZIGZAG[k]] = precision == 0 ? jpeg[at + k] & 0xFF : u16(jpeg, at + 2 * k);
            }
            tables[id] = table;
            at += size;
        }
    }

    private static void readHuffmanTables(byte[] jpeg, int start, int end, HuffmanTable[] dc, HuffmanTable[] ac)
            throws IOException {
        int at = start;
        while (at < end) {
            int kind = (jpeg[at] & 0xFF) >> 4;
            int id = jpeg[at] & 15;
            if (kind > 1 || id > 3 || at + 17 > end) {
                throw new IOException("Corrupt JPEG data: bad Huffman table");
            }
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) {
                counts[i] = jpeg[at + 1 + i] & 0xFF;
                total += counts[i];
            }
            at += 17;
            if (total > 256 || at + total > end) {
                throw new IOException("Corrupt JPEG data: bad Huffman table");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = jpeg[at + i] & 0xFF;
            }
            at += total;
            (kind == 0 ? dc : ac)[id] = new HuffmanTable(counts, symbols);
        }
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }
}
