package dev.photoscore.bench;

import dev.photoscore.testing.ChildJvms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh JVM running one of the benchmark's probes on this JVM's class path. A probe answers with lines
 * {@code key=value}; anything else it prints is kept for the error message.
 */
final class ChildJvm {

    /** What a child answered, and when (this JVM's clock) it was spawned and had answered. */
    record Answer(Map<String, String> values, long spawnedAtMillis, long doneAtMillis, int exitCode, String output) {

        double number(String key) {
            String value = values.get(key);
            if (value == null) {
                throw new IllegalStateException("the probe gave no " + key + " (exit " + exitCode + "):\n" + output);
            }
            return Double.parseDouble(value);
        }
    }

    private ChildJvm() {
    }

    static Answer run(List<String> jvmOptions, Class<?> main, List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(ChildJvms.command(jvmOptions, main, args.toArray(String[]::new)))
                .redirectErrorStream(true);
        long spawned = System.currentTimeMillis();
        try {
            Process process = builder.start();
            Map<String, String> values = new LinkedHashMap<>();
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && line.indexOf(' ') < 0) {
                        values.put(line.substring(0, eq), line.substring(eq + 1));
                    } else {
                        output.append(line).append('\n');
                    }
                }
            }
            int exit = process.waitFor();
            return new Answer(values, spawned, System.currentTimeMillis(), exit, output.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a child JVM", e);
        }
    }
}
