package dev.photoscore.image.jpeg;

import java.io.IOException;

/**
 * The marker segments of a JPEG from its start-of-image marker to its first scan header (ITU T.81 B.1.1), walked by
 * their lengths: a cursor over the bytes, nothing copied or allocated, so a file's metadata cannot cost more than one
 * pass over its segment headers.
 *
 * <p>Two policies for bytes that break the marker syntax (a segment running past the file, bytes where a marker should
 * be, the file ending before its scan): {@link #next()} reports them as an {@link IOException}, for reading the frame
 * and tables a decoder needs; {@link #nextLeniently()} ends the walk there, for hints such as the EXIF orientation
 * that must not turn a readable photo into a rejected one. The walk also ends at EOI, at the scan header (the
 * entropy-coded data follows it), and when the bytes do not start with SOI.
 */
public final class JpegSegments {

    public static final int APP1 = 0xE1;
    private static final int START_OF_SCAN = 0xDA;
    private static final int START_OF_IMAGE = 0xD8;
    private static final int END_OF_IMAGE = 0xD9;

    /** Where a step of the walk stopped, and for damage, what the strict policy says about it. */
    private enum Step {
        SEGMENT(null),
        END(null),
        FILE_ENDS("Premature end of JPEG file before its image data"),
        NOT_A_MARKER("Corrupt JPEG data: bytes where a marker should be"),
        LENGTH_CUT("Premature end of JPEG file in a marker segment"),
        SEGMENT_OVERRUNS("Premature end of JPEG file: a marker segment runs past the file's end");

        final String damage;

        Step(String damage) {
            this.damage = damage;
        }
    }

    private final byte[] jpeg;
    /** Where the next marker is looked for. */
    private int position;
    private boolean ended;
    private int marker;
    private boolean standalone;
    private int start;
    private int end;

    private JpegSegments(byte[] jpeg) {
        this.jpeg = jpeg;
    }

    /** The segments of {@code jpeg}, before the first: call {@link #next()} or {@link #nextLeniently()} to move. */
    public static JpegSegments of(byte[] jpeg) {
        return new JpegSegments(jpeg);
    }

    /**
     * Moves to the next segment, strictly.
     *
     * @return false at the end of the walk: after the scan header, at EOI, or without SOI
     * @throws IOException the markers are damaged: a segment runs past the file, bytes stand where a marker should,
     *                     or the file ends before its scan
     */
    public boolean next() throws IOException {
        Step step = step();
        if (step.damage != null) {
            throw new IOException(step.damage);
        }
        return step == Step.SEGMENT;
    }

    /** Moves to the next segment, leniently: false at the end of the walk, damage included. */
    public boolean nextLeniently() {
        return step() == Step.SEGMENT;
    }

    /** The current segment's marker (the byte after 0xFF). */
    public int marker() {
        return marker;
    }

    /**
     * Whether the current marker stands alone, without a length or data (TEM, RSTn, a repeated SOI, and FF 00, which
     * libjpeg skips as a stray stuffed byte): none of them belongs before a scan.
     */
    public boolean standalone() {
        return standalone;
    }

    /** Offset of the current segment's first data byte (after its length). */
    public int start() {
        return start;
    }

    /** Offset just past the current segment's data. */
    public int end() {
        return end;
    }

    /** Whether the current segment's data starts with {@code signature} (an APPn's identifier). */
    public boolean startsWith(byte[] signature) {
        if (end - start < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (jpeg[start + i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private Step step() {
        if (ended) {
            return Step.END;
        }
        if (position == 0) {
            if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != START_OF_IMAGE) {
                return finish(Step.END);
            }
            position = 2;
        } else if (marker == START_OF_SCAN) {
            return finish(Step.END);
        }
        if (position >= jpeg.length) {
            return finish(Step.FILE_ENDS);
        }
        if ((jpeg[position] & 0xFF) != 0xFF) {
            return finish(Step.NOT_A_MARKER);
        }
        while (position < jpeg.length && (jpeg[position] & 0xFF) == 0xFF) {
            position++; // fill bytes before the marker
        }
        if (position >= jpeg.length) {
            return finish(Step.FILE_ENDS);
        }
        marker = jpeg[position++] & 0xFF;
        if (marker == END_OF_IMAGE) {
            return finish(Step.END);
        }
        standalone = marker == START_OF_IMAGE || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 || marker == 0x00;
        if (standalone) {
            start = position;
            end = position;
            return Step.SEGMENT;
        }
        if (position + 2 > jpeg.length) {
            return finish(Step.LENGTH_CUT);
        }
        int length = (jpeg[position] & 0xFF) << 8 | jpeg[position + 1] & 0xFF;
        if (length < 2 || position + length > jpeg.length) {
            return finish(Step.SEGMENT_OVERRUNS);
        }
        start = position + 2;
        end = position + length;
        position = end;
        return Step.SEGMENT;
    }

    /** Ends the walk: every later step is its end. */
    private Step finish(Step step) {
        ended = true;
        return step;
    }
}
