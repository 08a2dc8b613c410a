package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.modelpack.convert.ModelPackBuilder.WhenUnreachable;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TfliteMobileNetFixture;
import java.io.InputStream;
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
import java.util.Random;
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
        // The bundled quality model's backbone has lines of its own (where it came from, what it was composed into).
        assertEquals(1, lines.stream().filter(line -> line.contains("NIMA")).count(), "one clear line: " + lines);
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
        HttpServer server = serve(folder);
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

    /** Serves the files of {@code folder} over HTTP on loopback. */
    private static HttpServer serve(Path folder) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = folder.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    // The ImageNet backbone: a generated tiny MobileNet in TensorFlow Lite form, a head on its features.

    private static final BackboneSpec SPEC = MobileNetTfliteConverterTest.ALL_LAYERS;
    private static final int FEATURES = 2 * (8 + 8 + 12);

    /** A folder holding the generated backbone under the published file name, with a LICENSE beside it. */
    private Path backboneFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("backbone"));
        TfliteMobileNetFixture.generate(21, 8, 12, 2, 0).write(folder.resolve(ImagenetBackbone.FILE_NAME));
        Files.writeString(folder.resolve(ImagenetBackbone.LICENSE_FILE_NAME), "Apache License 2.0 (test copy)\n");
        return folder;
    }

    /** Bundled files: the real calibration and a head whose provenance names the backbone it was trained on. */
    private Path bundled(ModelProto head, String backboneJson) throws IOException {
        Path quality = Files.createDirectories(tmp.resolve("bundled/quality"));
        try (InputStream calibration = ModelPackBuilder.class.getResourceAsStream(
                "/dev/photoscore/modelpack/pack/" + Calibration.FILE_NAME)) {
            Files.copy(calibration, quality.getParent().resolve(Calibration.FILE_NAME));
        }
        Files.write(quality.resolve("quality-model.onnx"), head.toByteArray());
        Files.writeString(quality.resolve("quality-model.json"),
                "{\"features\": {\"version\": \"test-backbone-features\"}, \"backbone\": " + backboneJson + "}");
        return quality.getParent();
    }

    private static float headWeight(int i) {
        return (i % 7 - 3) / 10f;
    }

    /** A linear head on the generated backbone's features, trained (so its provenance says) on that file. */
    private Path bundledWithHead(String sourceBlobId) throws IOException {
        float[] weights = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            weights[i] = headWeight(i);
        }
        return bundled(MobileNetTfliteConverterTest.linearHead(weights, 40f),
                "{\"spec\": \"" + SPEC.text() + "\", \"sourceBlobId\": \"" + sourceBlobId
                        + "\", \"workingPixels\": 250000}");
    }

    @Test
    void composesTheBackboneAndTheHeadIntoOneQualityGraph() throws Exception {
        Path backbone = backboneFolder();
        Path model = backbone.resolve(ImagenetBackbone.FILE_NAME);
        Path out = tmp.resolve("pack");
        List<String> lines = new ArrayList<>();
        ModelManifest manifest = ModelPackBuilder.builder().weights("").backbone(backbone.toString())
                .backboneOffline(null).bundledDir(bundledWithHead(Checksums.gitBlobId(model))).log(lines::add)
                .build().build(out);

        ModelEntry quality = ModelManifest.read(out).model(ModelPackBuilder.QUALITY_MODEL).orElseThrow();
        assertEquals("quality-image", quality.kind());
        assertEquals(List.of("mos"), quality.outputs());
        assertEquals(new ModelManifest.ImageInput("image", "NCHW", "RGB", 250000), quality.image());
        assertEquals(Checksums.gitBlobId(model), quality.sources().get(0).gitBlobId());
        assertEquals("backbone", quality.sources().get(0).head());
        assertFalse(quality.sources().get(0).published(), "a generated backbone is not Google's file");
        assertEquals(Checksums.sha256(out.resolve(ModelPackBuilder.QUALITY_FILE)), quality.sha256());
        assertEquals(manifest.packVersion(), ModelManifest.read(out).packVersion());
        Path licenses = out.resolve(ModelPackBuilder.BACKBONE_LICENSE_DIR);
        assertEquals(Files.readString(backbone.resolve("LICENSE")), Files.readString(licenses.resolve("LICENSE")));
        String notice = Files.readString(licenses.resolve("NOTICE"));
        assertTrue(notice.contains("converted") && notice.contains(Checksums.gitBlobId(model)), notice);
        assertTrue(lines.stream().anyMatch(l -> l.contains("composed with the quality head")), lines.toString());

        // The pack's graph scores a photo in one inference: the head applied to the backbone's features.
        ModelProto composed = ModelProto.parseFrom(Files.readAllBytes(out.resolve(ModelPackBuilder.QUALITY_FILE)));
        ModelProto backboneOnly = MobileNetTfliteConverter.convert(TfliteModel.read(model), SPEC);
        int[][] pixels = {new Random(8).ints(19 * 23 * 3, 0, 256).toArray()};
        float[] features = MobileNetTfliteConverterTest.run(backboneOnly, pixels, 19, 23)[0];
        double expected = 40;
        for (int i = 0; i < FEATURES; i++) {
            expected += features[i] * headWeight(i);
        }
        assertEquals(expected, MobileNetTfliteConverterTest.run(composed, pixels, 19, 23)[0][0], 1e-3);
    }

    /** The bundled collage classifier is composed beside the quality head: one inference, both outputs. */
    @Test
    void composesTheCollageClassifierBesideTheQualityHead() throws Exception {
        Path backbone = backboneFolder();
        Path model = backbone.resolve(ImagenetBackbone.FILE_NAME);
        Path bundled = bundledWithHead(Checksums.gitBlobId(model));
        float[] weights = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            weights[i] = headWeight(i + 3);
        }
        withCollageClassifier(bundled, MobileNetTfliteConverterTest.linearHead(weights, -1f, "collage"), SPEC.text());
        Path out = tmp.resolve("pack");
        ModelPackBuilder.builder().weights("").backbone(backbone.toString()).backboneOffline(null).bundledDir(bundled)
                .log(l -> { }).build().build(out);

        ModelEntry quality = ModelManifest.read(out).model(ModelPackBuilder.QUALITY_MODEL).orElseThrow();
        assertEquals(List.of("mos", ModelManifest.COLLAGE_OUTPUT), quality.outputs());
        assertTrue(Files.isRegularFile(out.resolve(ModelPackBuilder.COLLAGE_CLASSIFIER_PROVENANCE)));
        assertFalse(Files.exists(out.resolve(ModelPackBuilder.COLLAGE_CLASSIFIER_FILE)),
                "the classifier is in the quality graph, not a file of its own");
        ModelProto composed = ModelProto.parseFrom(Files.readAllBytes(out.resolve(ModelPackBuilder.QUALITY_FILE)));
        int[][] pixels = {new Random(11).ints(19 * 23 * 3, 0, 256).toArray()};
        float[] features = MobileNetTfliteConverterTest.run(MobileNetTfliteConverter.convert(TfliteModel.read(model),
                SPEC), pixels, 19, 23)[0];
        double expected = -1;
        for (int i = 0; i < FEATURES; i++) {
            expected += features[i] * weights[i];
        }
        assertEquals(expected, MobileNetTfliteConverterTest.runAll(composed, pixels, 19, 23).get(1)[0][0], 1e-3);
    }

    /** A classifier trained on other features than the quality head's cannot read them: the build says so. */
    @Test
    void aCollageClassifierOnOtherFeaturesIsRefused() throws IOException {
        Path backbone = backboneFolder();
        Path bundled = bundledWithHead(Checksums.gitBlobId(backbone.resolve(ImagenetBackbone.FILE_NAME)));
        withCollageClassifier(bundled, MobileNetTfliteConverterTest.linearHead(new float[FEATURES], 0f, "collage"),
                "Conv2d_13_pointwise;mean");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelPackBuilder.builder()
                .weights("").backbone(backbone.toString()).backboneOffline(null).bundledDir(bundled).log(l -> { })
                .build().build(tmp.resolve("pack")));
        assertTrue(e.getMessage().contains("retrain it"), e.getMessage());
    }

    private static void withCollageClassifier(Path bundled, ModelProto classifier, String spec) throws IOException {
        Path file = bundled.resolve(ModelPackBuilder.COLLAGE_CLASSIFIER_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, classifier.toByteArray());
        Files.writeString(bundled.resolve(ModelPackBuilder.COLLAGE_CLASSIFIER_PROVENANCE),
                "{\"backbone\": {\"spec\": \"" + spec + "\"}}");
    }

    @Test
    void aBackboneOtherThanTheTrainedOneIsRefused() throws IOException {
        Path backbone = backboneFolder();
        Path bundled = bundledWithHead(ImagenetBackbone.BLOB_ID);
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> ModelPackBuilder.builder().weights("").backbone(backbone.toString()).backboneOffline(null)
                        .bundledDir(bundled).log(l -> { }).build().build(tmp.resolve("pack")));
        assertTrue(e.getMessage().contains("git blob id"), e.getMessage());
    }

    @Test
    void theBackboneIsDownloadedWithItsLicenceAndCached() throws IOException {
        Path backbone = backboneFolder();
        Path bundled = bundledWithHead(Checksums.gitBlobId(backbone.resolve(ImagenetBackbone.FILE_NAME)));
        WeightsFetcher fetcher = WeightsFetcher.builder().cacheDir(tmp.resolve("cache")).build();
        HttpServer server = serve(backbone);
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try {
            ModelManifest manifest = ModelPackBuilder.builder().weights("").backbone(base).backboneOffline(null)
                    .fetcher(fetcher).bundledDir(bundled).log(l -> { }).build().build(tmp.resolve("pack"));
            assertEquals(base + ImagenetBackbone.FILE_NAME,
                    manifest.model(ModelPackBuilder.QUALITY_MODEL).orElseThrow().sources().get(0).location());
        } finally {
            server.stop(0);
        }
        // The second build needs no network: the cache has both files.
        ModelPackBuilder.builder().weights("").backbone(base).backboneOffline(null).fetcher(fetcher)
                .bundledDir(bundled).log(l -> { }).build().build(tmp.resolve("again"));
        assertTrue(Files.isRegularFile(tmp.resolve("again").resolve(ModelPackBuilder.BACKBONE_LICENSE_DIR)
                .resolve("LICENSE")));
    }

    @Test
    void anUnreachableBackboneUrlFallsBackToTheOfflineCopy() throws IOException {
        Path backbone = backboneFolder();
        Path bundled = bundledWithHead(Checksums.gitBlobId(backbone.resolve(ImagenetBackbone.FILE_NAME)));
        String nowhere = "http://127.0.0.1:" + closedPort() + "/";
        WeightsFetcher fetcher = WeightsFetcher.builder().cacheDir(tmp.resolve("cache"))
                .connectTimeout(Duration.ofSeconds(2)).build();
        List<String> lines = new ArrayList<>();
        ModelManifest manifest = ModelPackBuilder.builder().weights("").backbone(nowhere).backboneOffline(backbone)
                .fetcher(fetcher).bundledDir(bundled).log(lines::add).build().build(tmp.resolve("pack"));
        assertEquals(backbone.toString(),
                manifest.model(ModelPackBuilder.QUALITY_MODEL).orElseThrow().sources().get(0).location());
        List<String> fallback = lines.stream().filter(l -> l.contains("offline copy")).toList();
        assertEquals(1, fallback.size(), lines.toString());
        assertTrue(fallback.get(0).startsWith("photoscore: " + nowhere), fallback.get(0));

        // Without an offline copy: the Maven build goes on without the quality model, the pack command stops.
        lines.clear();
        ModelManifest without = ModelPackBuilder.builder().weights("").backbone(nowhere).backboneOffline(null)
                .fetcher(fetcher).bundledDir(bundled).whenUnreachable(WhenUnreachable.SKIP).log(lines::add).build()
                .build(tmp.resolve("without"));
        assertTrue(without.model(ModelPackBuilder.QUALITY_MODEL).isEmpty());
        assertFalse(Files.exists(tmp.resolve("without").resolve(ModelPackBuilder.QUALITY_FILE)));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("the pack is built without the quality model"), lines.get(0));
        assertThrows(WeightsUnreachableException.class, () -> ModelPackBuilder.builder().weights("")
                .backbone(nowhere).backboneOffline(null).fetcher(fetcher).bundledDir(bundled).log(l -> { }).build()
                .build(tmp.resolve("stopped")));
    }

    @Test
    void theQualityGraphAtLowerPrecision() throws Exception {
        Path backbone = backboneFolder();
        Path bundled = bundledWithHead(Checksums.gitBlobId(backbone.resolve(ImagenetBackbone.FILE_NAME)));
        Random random = new Random(10);
        List<float[]> photos = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            float[] photo = new float[3 * 24 * 24];
            for (int i = 0; i < photo.length; i++) {
                photo[i] = random.nextInt(256);
            }
            photos.add(photo);
        }
        Path fp32 = tmp.resolve("fp32");
        ModelPackBuilder.builder().weights("").backbone(backbone.toString()).backboneOffline(null)
                .bundledDir(bundled).log(l -> { }).build().build(fp32);
        assertThrows(IllegalStateException.class, () -> ModelPackBuilder.builder().weights("")
                .backbone(backbone.toString()).backboneOffline(null).bundledDir(bundled).precision(Precision.INT8)
                .log(l -> { }).build().build(tmp.resolve("uncalibrated")));
        int[][] pixels = {random.ints(24 * 24 * 3, 0, 256).toArray()};
        float reference = MobileNetTfliteConverterTest.run(ModelProto.parseFrom(Files.readAllBytes(
                fp32.resolve(ModelPackBuilder.QUALITY_FILE))), pixels, 24, 24)[0][0];
        for (Precision precision : List.of(Precision.FP16, Precision.INT8)) {
            Path out = tmp.resolve(precision.label());
            ModelManifest manifest = ModelPackBuilder.builder().weights("").backbone(backbone.toString())
                    .backboneOffline(null).bundledDir(bundled).precision(precision)
                    .imageInt8RangeInputs(photos, 24, 24).log(l -> { }).build().build(out);
            ModelProto graph = ModelProto.parseFrom(Files.readAllBytes(out.resolve(ModelPackBuilder.QUALITY_FILE)));
            assertEquals(precision == Precision.INT8, graph.getGraph().getNodeList().stream()
                    .anyMatch(node -> node.getOpType().equals("QuantizeLinear")), precision.label());
            assertTrue(manifest.notes().stream().anyMatch(n -> n.contains("is " + precision.label())),
                    manifest.notes().toString());
            float score = MobileNetTfliteConverterTest.run(graph, pixels, 24, 24)[0][0];
            System.out.printf("generated quality graph at %s: %.4f (fp32 %.4f)%n", precision.label(), score,
                    reference);
            assertEquals(reference, score, precision == Precision.INT8 ? 0.5 : 0.01, precision.label());
        }
    }

    /** Google's file from the shared folder with a head on the default features: the real layout, composed. */
    @Test
    void thePublishedBackboneFromTheSharedCopy() throws Exception {
        Path shared = SharedData.requireFile(TfliteModelTest.PUBLISHED).getParent();
        Path bundled = bundled(MobileNetTfliteConverterTest.linearHead(new float[3584], 50f),
                "{\"spec\": \"" + BackboneSpec.DEFAULT.text() + "\"}");
        ModelManifest manifest = ModelPackBuilder.builder().weights("").backbone(shared.toString())
                .bundledDir(bundled).log(l -> { }).build().build(tmp.resolve("pack"));
        ModelEntry quality = manifest.model(ModelPackBuilder.QUALITY_MODEL).orElseThrow();
        assertTrue(quality.sources().get(0).published());
        assertEquals(ImagenetBackbone.BLOB_ID, quality.sources().get(0).gitBlobId());
        assertTrue(Files.readString(tmp.resolve("pack").resolve(ModelPackBuilder.BACKBONE_LICENSE_DIR)
                .resolve("LICENSE")).contains("Apache License"));
        ModelProto composed = ModelProto.parseFrom(Files.readAllBytes(
                tmp.resolve("pack").resolve(ModelPackBuilder.QUALITY_FILE)));
        int[][] pixels = {new Random(9).ints(65 * 47 * 3, 0, 256).toArray()};
        assertEquals(50f, MobileNetTfliteConverterTest.run(composed, pixels, 65, 47)[0][0], 1e-4);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
