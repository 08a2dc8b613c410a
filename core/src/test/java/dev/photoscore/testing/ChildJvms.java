package dev.photoscore.testing;

import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.scoring.PhotoScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What tests that run a main class in a JVM of its own (a small heap, a process to kill) share. */
public final class ChildJvms {

    private ChildJvms() {
    }

    /** The command line of a fresh JVM with {@code options} running {@code main} on this JVM's class path. */
    public static List<String> command(List<String> options, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Scores the photo and names the outcome: {@code 200}, {@code rejected-CORRUPT} (the reason of a rejection),
     * {@code 503-retry} or {@code 503-never} (no memory for it now, or ever), {@code 503-oom} (out of memory outside
     * the decoder).
     */
    public static String outcome(PhotoScorer scorer, byte[] photo) {
        try {
            scorer.score(photo);
            return "200";
        } catch (PhotoRejectedException e) {
            return "rejected-" + e.reason();
        } catch (DecodeCapacityException e) {
            return e.retryAfterSeconds().isPresent() ? "503-retry" : "503-never";
        } catch (OutOfMemoryError e) {
            return "503-oom";
        }
    }
}
