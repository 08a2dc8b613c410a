package dev.photoscore.bench;

import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.quality.flags.PhotoFlags;
import dev.photoscore.scoring.WorkingSize;
import dev.photoscore.testing.TestPhotos;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What reading the native crop at full resolution changes in the flags of camera-sized photos: livec_dev photos
 * enlarged to 4000x3000 (bicubic) and saved as JPEGs, decoded reduced as the quality graph's scorer decodes them,
 * flagged with the crop cut from the reduced image (as before) and with the decoder's full-resolution crop.
 * {@code -Dbench.args=--native-crop}.
 */
final class NativeCropEffect {

    private static final int PHOTOS = 40;
    private static final int WIDTH = 4000;
    private static final int HEIGHT = 3000;
    /** The bundled quality graph's working size, whose reduced decode the scorer uses. */
    private static final WorkingSize GRAPH = new WorkingSize(250_000);

    private NativeCropEffect() {
    }

    /** A kind of enlarged photo and the flag it is read for. */
    private record Kind(String label, PhotoFlag flag, int enlargedFrom, float quality) {
    }

    static void run(Path shared, Consumer<String> line) throws Exception {
        List<Kind> kinds = List.of(
                new Kind("quality 7", PhotoFlag.COMPRESSED, 0, 0.07f),
                new Kind("quality 90 (false positives)", PhotoFlag.COMPRESSED, 0, 0.9f),
                new Kind("shrunk to 160 px, enlarged 25x, quality 90", PhotoFlag.UPSCALED, 160, 0.9f),
                new Kind("quality 90, enlarged 8x", PhotoFlag.UPSCALED, 0, 0.9f));
        PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits(), GRAPH.decodeSize());
        List<Path> photos = ScoreChange.photos(shared.resolve("evaldata/livec_dev/images")).stream().limit(PHOTOS)
                .toList();
        int[][] flagged = new int[kinds.size()][2];
        for (Path file : photos) {
            BufferedImage photo = decoder.decode(Files.readAllBytes(file)).image();
            for (int k = 0; k < kinds.size(); k++) {
                Kind kind = kinds.get(k);
                BufferedImage source = kind.enlargedFrom() == 0 ? photo
                        : TestPhotos.bicubic(photo, kind.enlargedFrom(), kind.enlargedFrom() * HEIGHT / WIDTH);
                DecodedPhoto decoded = decoder.decode(BenchPhotos.encode(TestPhotos.bicubic(source, WIDTH, HEIGHT), "jpeg",
                        kind.quality()));
                if (PhotoFlags.detect(WorkingImage.of(decoded.image())).contains(kind.flag())) {
                    flagged[k][0]++;
                }
                if (PhotoFlags.detect(WorkingImage.of(decoded.image(), decoded.nativeCrop())).contains(kind.flag())) {
                    flagged[k][1]++;
                }
            }
        }
        line.accept("## The native crop, cut from the reduced decode or read at full resolution (" + photos.size()
                + " livec_dev photos enlarged to " + WIDTH + "x" + HEIGHT + ", bicubic)");
        line.accept("");
        line.accept("| 12 MP JPEG | flag | flagged, crop from the reduced image | flagged, crop at full resolution |");
        line.accept("|---|---|---:|---:|");
        for (int k = 0; k < kinds.size(); k++) {
            line.accept("| " + kinds.get(k).label() + " | `" + kinds.get(k).flag().jsonName() + "` | " + flagged[k][0]
                    + " of " + photos.size() + " | " + flagged[k][1] + " of " + photos.size() + " |");
        }
    }
}
