package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.DecodeSize;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoFormat;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.testing.TestModelPacks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimingTest {

    @TempDir
    Path tmp;

    @Test
    void bundledPhotosPassTheApiChecksAndTheJpegTakesTheReducedPath() throws Exception {
        List<byte[]> photos = Priming.photos();
        assertEquals(2, photos.size());
        PhotoDecoder api = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(448, 448));
        DecodedPhoto jpeg = api.decode(photos.get(0));
        assertEquals(PhotoFormat.JPEG, jpeg.format());
        assertTrue(jpeg.width() < jpeg.originalWidth(), "subsampled: " + jpeg.width() + " of " + jpeg.originalWidth());
        assertEquals(PhotoFormat.PNG, api.decode(photos.get(1)).format());
    }

    @Test
    void theReducedDecodesAreTheOnePassDecodersThreeAndTwoEighths() throws Exception {
        byte[] jpeg = Priming.photos().get(0);
        List<String> sizes = Priming.reducedDecodes().stream().map(size -> {
            try {
                DecodedPhoto photo = new PhotoDecoder(PhotoLimits.api(), size).decode(jpeg);
                return photo.width() + "x" + photo.height() + " of " + photo.originalWidth() + "x"
                        + photo.originalHeight();
            } catch (PhotoRejectedException e) {
                throw new AssertionError(e);
            }
        }).toList();
        // 3/8 and 2/8 of 1024x912, rounded up as libjpeg scales: what a 12 and a 24 MP camera JPEG take.
        assertEquals(List.of("384x342 of 1024x912", "256x228 of 1024x912"), sizes);
    }

    @Test
    void primeScoresEveryBundledPhotoEachRound() {
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(TestModelPacks.smallNima(tmp)).threads(1).build()) {
            Priming.Report report = Priming.prime(scorer, 3);
            assertEquals(6, report.photosScored());
            assertTrue(report.took().toNanos() > 0);
            assertEquals(0, Priming.prime(scorer, 0).photosScored());
            assertThrows(IllegalArgumentException.class, () -> Priming.prime(scorer, -1));
        }
    }
}
