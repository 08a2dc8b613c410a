package dev.photoscore.scoring;

import dev.photoscore.image.DecodeSize;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the whole scoring path (checks, decode, resize, tensor, inference, calibration) a number of times on photos
 * bundled with the code, so that the JIT has compiled it and ONNX Runtime has run before the first real photo: the
 * first request after a cold start (or a snapshot restore) is then not several times slower than the rest. How much
 * it gains is measured by the benchmark (docs/performance.md).
 *
 * <p>The bundled photos are synthetic (a seeded scene: sky gradient, ground, ellipses, Gaussian grain), a 1024x912
 * JPEG and a 320x240 PNG, both above the API's minimum size. With the quality graph neither is reduced (its reduced
 * decode keeps 1000 pixels a side, so it starts at 2000), so each round also decodes the JPEG at the one-pass
 * decoder's 3/8 and 2/8 ({@link #reducedDecodes}); the graph sees them at other working sizes than a camera photo's,
 * which costs nothing measurable (docs/performance.md, "Cold path and priming").
 */
public final class Priming {

    /** Rounds over the bundled photos that bring the first real request close to a warm one (measured). */
    public static final int DEFAULT_ROUNDS = 3;

    private static final List<String> PHOTOS = List.of("priming.jpg", "priming.png");
    /**
     * Decodes of the bundled 1024x912 JPEG at 3/8 and 2/8, the one-pass reductions a 12 and a 24 MP camera JPEG take
     * for the quality graph and that no bundled photo reaches through the scorer: without them C2 compiles the scaled
     * inverse DCTs and the reduced colour conversion during the first real requests instead of before them.
     */
    private static final List<DecodeSize> REDUCED_DECODES = List.of(DecodeSize.atLeast(300, 300),
            DecodeSize.atLeast(200, 200));

    /** The reduced decodes of the bundled JPEG each round adds. */
    static List<DecodeSize> reducedDecodes() {
        return REDUCED_DECODES;
    }

    private Priming() {
    }

    /** What priming did. */
    public record Report(int photosScored, Duration took) {
    }

    /** The bundled photos' bytes. */
    public static List<byte[]> photos() {
        List<byte[]> photos = new ArrayList<>(PHOTOS.size());
        for (String name : PHOTOS) {
            try (InputStream in = Priming.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("priming photo " + name + " is not bundled");
                }
                photos.add(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return photos;
    }

    /** Scores every bundled photo {@code rounds} times. */
    public static Report prime(PhotoScorer scorer, int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must not be negative");
        }
        List<byte[]> photos = photos();
        List<PhotoDecoder> reduced = REDUCED_DECODES.stream()
                .map(size -> new PhotoDecoder(scorer.decoder().limits(), size)).toList();
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            try {
                for (byte[] photo : photos) {
                    scorer.score(photo);
                }
                for (PhotoDecoder decoder : reduced) {
                    decoder.decode(photos.get(0));
                }
            } catch (PhotoRejectedException e) {
                throw new IllegalStateException("the bundled priming photo is rejected: " + e.getMessage(), e);
            }
        }
        return new Report(rounds * photos.size(), Duration.ofNanos(System.nanoTime() - start));
    }
}
