package dev.photoscore.modelpack.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.modelpack.build.ModelPackBuilder.WhenUnreachable;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackBuilderTest {

    @TempDir
    Path tmp;

    private Path weightsFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("weights"));
        KerasWeightsFixture.builder().seed(1).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .write(folder.resolve(NimaHead.AESTHETIC.publishedFileName()));
        KerasWeightsFixture.builder().seed(2).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .write(folder.resolve(NimaHead.TECHNICAL.publishedFileName()));
        return folder;
    }

    @Test
    void buildsAPackFromAFolder() throws IOException {
        Path folder = weightsFolder();
        Path out = tmp.resolve("pack");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stale.txt"), "left from an earlier build");

        ModelManifest manifest = ModelPackBuilder.builder().weights(folder.toString()).log(line -> { }).build()
                .build(out);

        assertFalse(Files.exists(out.resolve("stale.txt")), "the folder is emptied first");
        ModelEntry nima = manifest.model("nima").orElseThrow();
        assertEquals(List.of("aesthetic", "technical"), nima.outputs());
        assertEquals(Checksums.sha256(out.resolve("nima.onnx")), nima.sha256());
        assertEquals(2, nima.sources().size());
        assertEquals(Checksums.gitBlobId(folder.resolve(NimaHead.AESTHETIC.publishedFileName())),
                nima.sources().get(0).gitBlobId());
        assertFalse(nima.sources().get(0).published(), "generated weights are not idealo's");
        assertEquals(224, manifest.input().width());
        assertEquals("nearest", manifest.input().resize());

        ModelManifest read = ModelManifest.read(out);
        assertEquals(manifest.packVersion(), read.packVersion());
        Calibration calibration = Calibration.read(out.resolve(read.calibrationFile()));
        assertEquals(read.calibrationVersion(), calibration.version());
        assertTrue(calibration.variantFor(List.of("nima.aesthetic", "nima.technical")).isPresent());
    }

    @Test
    void sameInputsGiveTheSamePack() throws IOException {
        Path folder = weightsFolder();
        ModelManifest first = ModelPackBuilder.builder().weights(folder.toString()).log(l -> { }).build()
                .build(tmp.resolve("one"));
        ModelManifest second = ModelPackBuilder.builder().weights(folder.toString()).log(l -> { }).build()
                .build(tmp.resolve("two"));
        assertEquals(first.packVersion(), second.packVersion());
        assertEquals(Files.readString(tmp.resolve("one/manifest.json")), Files.readString(tmp.resolve("two/manifest.json")));
    }

    @Test
    void oneFilePerHead() {
        Path a = KerasWeightsFixture.builder().seed(3).widths(KerasWeightsFixture.SMALL_WIDTHS).write(tmp.resolve("a.h5"));
        Path t = KerasWeightsFixture.builder().seed(4).widths(KerasWeightsFixture.SMALL_WIDTHS).write(tmp.resolve("t.h5"));
        ModelManifest manifest = ModelPackBuilder.builder().weights("")
                .headWeights(NimaHead.AESTHETIC, a.toString()).headWeights(NimaHead.TECHNICAL, t.toString())
                .log(l -> { }).build().build(tmp.resolve("pack"));
        assertEquals(t.toString(), manifest.model("nima").orElseThrow().sources().get(1).location());
    }

    @Test
    void aMissingFileInANamedFolderIsAnError() throws IOException {
        Path folder = weightsFolder();
        Files.delete(folder.resolve(NimaHead.TECHNICAL.publishedFileName()));
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> ModelPackBuilder.builder().weights(folder.toString()).log(l -> { }).build()
                        .build(tmp.resolve("pack")));
        assertTrue(e.getMessage().contains(NimaHead.TECHNICAL.publishedFileName()), e.getMessage());
    }

    @Test
    void unreachableWeightsGiveOneLineAndAPackWithoutNima() throws IOException {
        String nowhere = "http://127.0.0.1:" + closedPort() + "/models/";
        List<String> lines = new ArrayList<>();
        ModelManifest manifest = ModelPackBuilder.builder().weights(nowhere)
                .whenUnreachable(WhenUnreachable.SKIP).log(lines::add)
                .fetcher(WeightsFetcher.builder().cacheDir(tmp.resolve("cache")).connectTimeout(Duration.ofSeconds(2))
                        .build())
                .build().build(tmp.resolve("pack"));
        assertEquals(1, lines.size(), "one clear line: " + lines);
        assertTrue(lines.get(0).startsWith("photoscore: NIMA weights not reachable ("), lines.get(0));
        assertTrue(lines.get(0).endsWith("the pack is built without the NIMA heads"), lines.get(0));
        assertTrue(manifest.model("nima").isEmpty());
        assertTrue(Files.isRegularFile(tmp.resolve("pack/calibration.json")), "everything else is built");

        assertThrows(WeightsUnreachableException.class, () -> ModelPackBuilder.builder().weights(nowhere)
                .whenUnreachable(WhenUnreachable.FAIL).log(lines::add)
                .fetcher(WeightsFetcher.builder().cacheDir(tmp.resolve("cache")).build())
                .build().build(tmp.resolve("pack2")));
    }

    @Test
    void downloadsFromAUrlBase() throws IOException {
        Path folder = weightsFolder();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = folder.resolve(exchange.getRequestURI().getPath().substring(1));
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            WeightsFetcher fetcher = WeightsFetcher.builder().cacheDir(tmp.resolve("cache")).build();
            // Verified against idealo's blob ids, generated weights are refused...
            assertThrows(InvalidWeightsException.class, () -> ModelPackBuilder.builder().weights(base)
                    .fetcher(fetcher).log(l -> { }).build().build(tmp.resolve("refused")));
            // ...and taken as they are with verification off (other NIMA weights at a URL).
            ModelManifest manifest = ModelPackBuilder.builder().weights(base).verifyDownloads(false)
                    .fetcher(fetcher).log(l -> { }).build().build(tmp.resolve("pack"));
            assertTrue(manifest.model("nima").orElseThrow().sources().get(0).location().startsWith(base + "/"));
        } finally {
            server.stop(0);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
