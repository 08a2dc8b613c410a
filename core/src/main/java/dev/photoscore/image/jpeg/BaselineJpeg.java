package dev.photoscore.image.jpeg;

import dev.photoscore.image.jpeg.JpegFrame.Component;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A baseline JPEG decoded reduced and cropped in one pass over its entropy-coded data: every block's coefficients
 * are Huffman-decoded once, every block gives its {@code n x n} samples of the image at {@code n/8} of its size
 * (a scaled inverse DCT of its lowest frequencies, {@link Idct#scaled}), and only the blocks under a crop are
 * transformed in full for the crop at full resolution.
 *
 * <p>Why: the JDK's libjpeg (6b) cannot scale in the DCT domain, so a reduced read through ImageIO runs the full
 * inverse DCT and colour conversion of every pixel it drops, and a crop read apart decodes every row above it a
 * second time. This reader handles what {@link JpegFrame} accepts (most camera and phone JPEGs) and says
 * "not handled" for the rest, which ImageIO then reads.
 *
 * <p>Damaged data is an {@link IOException}: a file cut short, a bad Huffman code or table, a missing restart
 * marker. Every index into the file and the planes is bounded by the frame's own sizes.
 */
public final class BaselineJpeg {

    private final byte[] jpeg;
    private final JpegFrame frame;

    private BaselineJpeg(byte[] jpeg, JpegFrame frame) {
        this.jpeg = jpeg;
        this.frame = frame;
    }

    /**
     * The JPEG in {@code bytes}, its markers read up to the scan.
     *
     * @return empty when the file is not one this reader handles (progressive, arithmetic-coded, 12-bit, CMYK, an
     *         ICC profile it does not take, ...)
     * @throws IOException the markers are damaged
     */
    public static Optional<BaselineJpeg> of(byte[] bytes) throws IOException {
        return JpegFrame.read(bytes).map(frame -> new BaselineJpeg(bytes, frame));
    }

    /**
     * A side of {@code side} pixels reduced to {@code eighths}/8 by {@link #decode}, rounded up (as libjpeg's scaled
     * decoding rounds).
     */
    public static int scaledSide(int side, int eighths) {
        return (int) (((long) side * eighths + 7) / 8);
    }

    public int width() {
        return frame.width;
    }

    public int height() {
        return frame.height;
    }

    /**
     * The bytes {@link #decode} holds at its peak: the entropy-coded data unstuffed, the components' reduced samples,
     * the reduced RGB image, the crop's blocks at full resolution, its upsampled components and its RGB image, and
     * the samples an embedded profile's conversion passes through.
     */
    public long footprint(int eighths, Rectangle crop) {
        long pixels = (long) scaledSide(frame.width, eighths) * scaledSide(frame.height, eighths)
                + (long) crop.width * crop.height;
        long bytes = EntropyReader.footprint(jpeg, frame.scanStart) + 4L * pixels
                + frame.profile.conversionBytes(pixels);
        for (Component c : frame.components) {
            CropWindow window = new CropWindow(c, crop);
            bytes += (long) c.blocksAcross * eighths * c.blocksDown * eighths
                    + (long) window.blocksAcross() * window.blocksDown() * 64 + (long) crop.width * crop.height;
        }
        return bytes;
    }

    /** The decoded images: the whole photo reduced, and the crop at full resolution; both as stored (not turned). */
    public record Decoded(BufferedImage image, BufferedImage crop) {
    }

    /**
     * Decodes the photo at {@code eighths}/8 of its size ({@link #scaledSide} per side) and {@code crop} at full
     * resolution, both 8-bit RGB ({@code TYPE_INT_RGB}).
     *
     * @param crop a region of the stored image
     * @return empty when the data ends with something other than the end of the image (another scan: not handled)
     * @throws IOException the entropy-coded data is damaged or cut short
     */
    public Optional<Decoded> decode(int eighths, Rectangle crop) throws IOException {
        if (!new Rectangle(frame.width, frame.height).contains(crop) || crop.isEmpty()) {
            throw new IllegalArgumentException("the crop " + crop + " is not inside the " + frame.width + "x"
                    + frame.height + " image");
        }
        Component[] components = frame.components;
        int count = components.length;
        Idct reducer = new Idct(eighths);
        // Outside the crop a block's lowest frequencies are all that is needed of it.
        int lowest = reducer.lastIndex();
        byte[][] reduced = new byte[count][];
        int[] reducedStride = new int[count];
        byte[][] cropBlocks = new byte[count][];
        CropWindow[] windows = new CropWindow[count];
        for (int i = 0; i < count; i++) {
            Component c = components[i];
            reducedStride[i] = c.blocksAcross * eighths;
            reduced[i] = new byte[reducedStride[i] * c.blocksDown * eighths];
            windows[i] = new CropWindow(c, crop);
            cropBlocks[i] = new byte[windows[i].blocksAcross() * windows[i].blocksDown() * 64];
        }
        EntropyReader in = new EntropyReader(jpeg, frame.scanStart);
        int[] predictors = new int[count];
        int[] coefficients = new int[64];
        int[] work = new int[Idct.FULL_WORK];
        int mcusLeft = frame.restartInterval;
        int restart = 0;
        for (int mcuY = 0; mcuY < frame.mcusDown; mcuY++) {
            for (int mcuX = 0; mcuX < frame.mcusAcross; mcuX++) {
                if (frame.restartInterval > 0) {
                    if (mcusLeft == 0) {
                        in.restart(restart);
                        restart = (restart + 1) & 7;
                        mcusLeft = frame.restartInterval;
                        Arrays.fill(predictors, 0);
                    }
                    mcusLeft--;
                }
                for (int i = 0; i < count; i++) {
                    Component c = components[i];
                    int across = frame.blocksAcrossPerMcu(c);
                    int down = frame.blocksDownPerMcu(c);
                    CropWindow window = windows[i];
                    for (int v = 0; v < down; v++) {
                        int blockY = mcuY * down + v;
                        for (int h = 0; h < across; h++) {
                            int blockX = mcuX * across + h;
                            boolean whole = window.holds(blockX, blockY);
                            int kept = whole ? 63 : lowest;
                            predictors[i] = in.decodeBlock(c.dc, c.ac, predictors[i], coefficients, kept);
                            reducer.scaled(coefficients, c.quant, reduced[i],
                                    blockY * eighths * reducedStride[i] + blockX * eighths, reducedStride[i]);
                            if (whole) {
                                int stride = window.blocksAcross() * 8;
                                Idct.full(coefficients, c.quant, work, cropBlocks[i],
                                        (blockY - window.firstY) * 8 * stride + (blockX - window.firstX) * 8, stride);
                            }
                            Arrays.fill(coefficients, 0, kept + 1, 0);
                        }
                    }
                }
                in.checkNotPastEnd();
            }
        }
        if (!in.endsWithEndOfImage()) {
            return Optional.empty();
        }
        return Optional.of(new Decoded(frame.profile.toSrgb(reducedImage(reduced, reducedStride, eighths)),
                frame.profile.toSrgb(cropImage(cropBlocks, windows, crop))));
    }

    /** The reduced samples to RGB: chroma repeated over the pixels it covers (the image is averaged down anyway). */
    private BufferedImage reducedImage(byte[][] samples, int[] stride, int eighths) {
        int width = scaledSide(frame.width, eighths);
        int height = scaledSide(frame.height, eighths);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Component[] components = frame.components;
        if (frame.colour == JpegFrame.Colour.YCBCR && components[0].xRatio == 1 && components[0].yRatio == 1
                && components[1].xRatio == components[2].xRatio && components[1].yRatio == components[2].yRatio) {
            // The usual case (4:2:0, 4:2:2, 4:4:4): each chroma sample's part of the conversion worked out once
            // for all the pixels it covers.
            int down = components[1].yRatio;
            JpegColour.YcbcrRows rows = new JpegColour.YcbcrRows(width, components[1].xRatio);
            for (int y = 0; y < height; y++) {
                if (y % down == 0) {
                    int chromaRow = y / down;
                    rows.chroma(samples[1], chromaRow * stride[1], samples[2], chromaRow * stride[2]);
                }
                rows.convert(samples[0], y * stride[0], rgb, y * width);
            }
            return image;
        }
        int[][] columns = new int[components.length][width];
        for (int i = 0; i < components.length; i++) {
            for (int x = 0; x < width; x++) {
                columns[i][x] = x / components[i].xRatio;
            }
        }
        int c1 = Math.min(1, components.length - 1);
        int c2 = components.length - 1;
        for (int y = 0; y < height; y++) {
            JpegColour.row(frame.colour, samples[0], y / components[0].yRatio * stride[0], columns[0],
                    samples[c1], y / components[c1].yRatio * stride[c1], columns[c1],
                    samples[c2], y / components[c2].yRatio * stride[c2], columns[c2], rgb, y * width, width);
        }
        return image;
    }

    /** The crop's full-resolution blocks to RGB, chroma upsampled as libjpeg does. */
    private BufferedImage cropImage(byte[][] blocks, CropWindow[] windows, Rectangle crop) {
        Component[] components = frame.components;
        byte[][] full = new byte[components.length][];
        for (int i = 0; i < components.length; i++) {
            CropWindow w = windows[i];
            full[i] = JpegColour.upsample(components[i], blocks[i], w.firstX * 8, w.firstY * 8, w.blocksAcross() * 8,
                    crop.x, crop.y, crop.width, crop.height);
        }
        BufferedImage image = new BufferedImage(crop.width, crop.height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (frame.colour == JpegFrame.Colour.YCBCR) {
            JpegColour.YcbcrRows rows = new JpegColour.YcbcrRows(crop.width, 1);
            for (int y = 0; y < crop.height; y++) {
                int row = y * crop.width;
                rows.chroma(full[1], row, full[2], row);
                rows.convert(full[0], row, rgb, row);
            }
            return image;
        }
        int[] columns = new int[crop.width];
        Arrays.setAll(columns, x -> x);
        int c1 = Math.min(1, components.length - 1);
        int c2 = components.length - 1;
        for (int y = 0; y < crop.height; y++) {
            int row = y * crop.width;
            JpegColour.row(frame.colour, full[0], row, columns, full[c1], row, columns, full[c2], row, columns, rgb,
                    row, crop.width);
        }
        return image;
    }

    /**
     * The blocks of one component that the crop needs: those under its pixels, and one sample more on each side for
     * the chroma upsampling's triangle filter, within the component.
     */
    private static final class CropWindow {
        final int firstX;
        final int firstY;
        final int endX;
        final int endY;

        CropWindow(Component c, Rectangle crop) {
            int left = Math.max(0, crop.x / c.xRatio - 1);
            int right = Math.min(c.width - 1, (crop.x + crop.width - 1) / c.xRatio + 1);
            int top = Math.max(0, crop.y / c.yRatio - 1);
            int bottom = Math.min(c.height - 1, (crop.y + crop.height - 1) / c.yRatio + 1);
            firstX = left / 8;
            firstY = top / 8;
            endX = right / 8 + 1;
            endY = bottom / 8 + 1;
        }

        int blocksAcross() {
            return endX - firstX;
        }

        int blocksDown() {
            return endY - firstY;
        }

        boolean holds(int blockX, int blockY) {
            return blockX >= firstX && blockX < endX && blockY >= firstY && blockY < endY;
        }
    }
}
