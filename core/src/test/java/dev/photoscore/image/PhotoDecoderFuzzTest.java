package dev.photoscore.image;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The decoder's contract on any bytes: a decoded photo or a {@link PhotoRejectedException}, nothing else (no other
 * exception, no error: an OutOfMemoryError is a bug too). Both decode sizes the scorer uses are tried, with the size
 * limits lifted so that small inputs reach the parsers, and a pixel limit that bounds one decode's memory (the
 * production limit, 100 megapixels, needs up to 1.2 GB for one photo: a sizing matter, not a parsing one).
 *
 * <p>Seeds and every crash found live in {@code PhotoDecoderFuzzTestInputs/decode}; see the README for fuzzing. The
 * {@code one-pass-*} seeds (baseline JPEGs of at least 128 pixels a side: 4:2:0 with restart markers, grey, RGB by an
 * Adobe marker) are large enough for the reduced decode to take the one-pass JPEG decoder
 * ({@link dev.photoscore.image.jpeg.BaselineJpeg}), so mutations of them reach its markers and entropy-coded data.
 */
class PhotoDecoderFuzzTest {

    private static final PhotoLimits LIMITS = PhotoLimits.api().withoutSizeLimits().withMaxPixels(4_000_000);
    private static final PhotoDecoder EVERY_PIXEL = new PhotoDecoder(LIMITS, DecodeSize.full());
    private static final PhotoDecoder REDUCED = new PhotoDecoder(LIMITS, DecodeSize.atLeast(64, 64));

    @FuzzTest
    void decode(byte[] bytes) {
        for (PhotoDecoder decoder : new PhotoDecoder[] {EVERY_PIXEL, REDUCED}) {
            try {
                DecodedPhoto photo = decoder.decode(bytes);
                if (photo.width() < 1 || photo.height() < 1) {
                    throw new AssertionError("a decoded photo without pixels: " + photo);
                }
            } catch (PhotoRejectedException e) {
                // the only way to say no
            }
        }
    }
}
