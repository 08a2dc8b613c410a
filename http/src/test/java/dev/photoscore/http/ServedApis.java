package dev.photoscore.http;

import dev.photoscore.api.Routes;
import dev.photoscore.modelpack.testing.TestModelPacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers of a test class, each a {@link ServedApi} with the test's own settings, on one model pack: register it
 * on a static field and {@link #start} servers in {@code @BeforeAll} (for the class) or in a test (closing it there
 * with try-with-resources); whatever is still running is stopped after the class's {@code @AfterAll}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServedApis SERVED = ServedApis.onSmallPack();
 * }</pre>
 *
 * The pack is built once per test run (JUnit's root store) and deleted when the run ends.
 */
final class ServedApis implements BeforeAllCallback, AfterAllCallback {

    /** The model packs the server's tests score with, each built by the real builder into a fresh folder. */
    private enum Pack {
        /** Small random NIMA heads: quick to build and to run, for everything but the decoding of large photos. */
        SMALL_NIMA(TestModelPacks::smallNima),
        /** The pack an offline build makes: the project's quality graph, which decodes a photo reduced. */
        OFFLINE(dir -> TestModelPacks.offline(dir.resolve("pack")));

        final Function<Path, Path> build;

        Pack(Function<Path, Path> build) {
            this.build = build;
        }
    }

    /** A pack built in its own folder, deleted with it when JUnit closes the root store at the end of the run. */
    private record BuiltPack(Path folder, Path models) implements AutoCloseable {

        static BuiltPack of(Pack pack) {
            try {
                Path folder = Files.createTempDirectory("served-api-" + pack.name().toLowerCase());
                return new BuiltPack(folder, pack.build.apply(folder));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static final ExtensionContext.Namespace PACKS = ExtensionContext.Namespace.create(ServedApis.class);

    private final Pack pack;
    private final List<ServedApi> started = new ArrayList<>();
    private Path models;

    private ServedApis(Pack pack) {
        this.pack = pack;
    }

    /** Servers on a pack of small random NIMA heads. */
    static ServedApis onSmallPack() {
        return new ServedApis(Pack.SMALL_NIMA);
    }

    /** Servers on the pack an offline build makes (the project's quality graph). */
    static ServedApis onOfflinePack() {
        return new ServedApis(Pack.OFFLINE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        models = context.getRoot().getStore(PACKS)
                .getOrComputeIfAbsent(pack, BuiltPack::of, BuiltPack.class).models();
    }

    /** A server with these settings and no pages beside the API's. */
    ServedApi start(ServerSettings.Builder settings) {
        return start(settings, Routes.NONE);
    }

    /** A server with these settings and pages; stopped after the class unless closed before. */
    ServedApi start(ServerSettings.Builder settings, Routes pages) {
        if (models == null) {
            throw new IllegalStateException("register ServedApis on a static field: servers start from @BeforeAll on");
        }
        ServedApi api = new ServedApi(models, settings, pages);
        started.add(api);
        return api;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RuntimeException failure = null;
        for (ServedApi api : started) { // every one, even when an earlier one fails to stop
            try {
                api.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
