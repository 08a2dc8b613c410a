package dev.photoscore.quality.flags;

import dev.photoscore.quality.flags.FlagFixtures.Fixture;
import dev.photoscore.quality.flags.FlagFixtures.Kind;
import dev.photoscore.quality.flags.FlagFixtures.Split;
import dev.photoscore.quality.flags.PhotoFlagsMeasurement.Result;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Professional photographs the flags must leave alone: wallpapers and puzzle photos from Debian packages, read where
 * the packages install them ({@code .ci/run} installs them), and the good idealo sample photos of the shared data.
 * The committed manifest {@code professional-photos.tsv} names each file with its package, licence and what it
 * shows; nothing is copied into the repository. Each photo is measured as installed and as a typical upload of it:
 * area-averaged to {@value #UPLOAD_LONG_SIDE} pixels on the long side and saved as JPEG quality 90.
 */
final class ProfessionalPhotos {

    static final String MANIFEST = "professional-photos.tsv";
    /** The long side of the upload copy: what messengers and social networks resize a photo to. */
    static final int UPLOAD_LONG_SIDE = 1600;

    /** One line of the manifest; {@code path} is absolute for a package, relative to the shared data otherwise. */
    record Entry(String packageName, String path, String licence, String shows) {

        boolean shared() {
            return packageName.equals("shared");
        }

        /** Where the photo is on this machine, when it is. */
        Optional<Path> file(Optional<Path> sharedData) {
            Optional<Path> file = shared() ? sharedData.map(s -> s.resolve(path)) : Optional.of(Path.of(path));
            return file.filter(Files::isRegularFile);
        }

        /** The package and the file's name; for a Plasma wallpaper, whose files are named by size, the wallpaper's. */
        String name() {
            int contents = path.indexOf("/contents/images/");
            String file = contents > 0 ? path.substring(path.lastIndexOf('/', contents - 1) + 1, contents)
                    : Path.of(path).getFileName().toString();
            return packageName + ":" + file;
        }
    }

    /** A photo of the corpus found on this machine. */
    record Photo(Entry entry, Path file) {
    }

    /** The photos found, and a line for each package (or the shared data) whose photos are missing. */
    record Corpus(List<Photo> photos, List<String> missing) {
    }

    private ProfessionalPhotos() {
    }

    static List<Entry> manifest() {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(ProfessionalPhotos.class.getResourceAsStream(MANIFEST), MANIFEST);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 4) {
                    throw new IllegalStateException(MANIFEST + ": 4 tab-separated fields expected: " + line);
                }
                entries.add(new Entry(fields[0], fields[1], fields[2], fields[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The manifest's photos present on this machine (shared ones from {@code sharedData}). */
    static Corpus find(Optional<Path> sharedData) {
        List<Photo> photos = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Entry entry : manifest()) {
            Optional<Path> file = entry.file(sharedData);
            if (file.isPresent()) {
                photos.add(new Photo(entry, file.get()));
            } else {
                String what = entry.shared() ? "the shared data (photoscore.shared)" : "package " + entry.packageName();
                if (!missing.contains(what)) {
                    missing.add(what);
                }
            }
        }
        return new Corpus(photos, missing);
    }

    /** Each photo as installed and as an upload, through every detector. */
    static List<Result> measure(List<Photo> photos) throws InterruptedException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Result>>> futures = new ArrayList<>();
            for (Photo photo : photos) {
                futures.add(pool.submit(() -> {
                    BufferedImage image = FlagFixtures.decode(photo.file());
                    String name = photo.entry().name();
                    return List.of(
                            PhotoFlagsMeasurement.evaluate(new Fixture(name, Split.HELD_OUT, Kind.PROFESSIONAL, image)),
                            PhotoFlagsMeasurement.evaluate(new Fixture(name + " (upload)", Split.HELD_OUT,
                                    Kind.PROFESSIONAL, ProfessionalPhotos.upload(image))));
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<List<Result>> future : futures) {
                results.addAll(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The photo as a typical upload: area-averaged to the upload's long side (never enlarged), JPEG quality 90. */
    static BufferedImage upload(BufferedImage photo) {
        double scale = Math.min(1, (double) UPLOAD_LONG_SIDE / Math.max(photo.getWidth(), photo.getHeight()));
        int width = (int) Math.round(photo.getWidth() * scale);
        int height = (int) Math.round(photo.getHeight() * scale);
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.drawImage(photo.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return FlagFixtures.asUpload(resized);
    }
}
