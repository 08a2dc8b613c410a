package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.convert.BackboneSpec;
import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.convert.MobileNetTfliteConverter;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.TfliteModel;
import dev.photoscore.quality.flags.FlagFixtures;
import dev.photoscore.quality.flags.FlagFixtures.Kind;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.quality.flags.PhotoFlags;
import dev.photoscore.scoring.WorkingSize;
import dev.photoscore.testing.TestPhotos;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Trains the collage classifier the model pack composes beside the quality head (docs/scoring.md, "Flags and
 * hints"): a linear ridge classifier on the backbone's pooled features (the quality head's own, so one inference
 * gives both), collages rendered from livec_dev's training photos ({@link FlagFixtures#collages}) against those
 * photos as they are. Only the training photos take part: the held-out split ({@code splits/livec_dev-heldout.txt})
 * is left out, so the held-out figures stay held out. Seed 42; 5-fold cross-validation by photo (a fold's collages
 * are made of its own photos) reports how the classifier and the collage detector agree, then the classifier is
 * fitted on everything and written, with its provenance, where {@code photoscore.collage.train} says (the pack
 * source: {@code layers/model/src/main/pack/flags}). A run, not a test:
 * <pre>
 * mvn -B -q -o -pl local -am test -Dtest=CollageClassifierTraining -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dphotoscore.collage.train=$PWD/layers/model/src/main/pack/flags
 * </pre>
 */
@EnabledIfSystemProperty(named = "photoscore.collage.train", matches = ".+")
class CollageClassifierTraining {

    private static final int SEED = 42;
    private static final int FOLDS = 5;
    /** Passes over each fold's photos, each in a new order, making collages of nine consecutive photos. */
    private static final int PASSES = 2;
    private static final double[] THRESHOLDS = {-0.6, -0.4, -0.2, 0, 0.2};
    private static final String COMMAND = "mvn -B -q -o -pl local -am test -Dtest=CollageClassifierTraining"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dphotoscore.collage.train=$PWD/layers/model/src/main/pack/flags";

    /** One training image: its features, whether it is a collage (and which), the fold, the detector's verdict. */
    private record Example(String name, Kind kind, int fold, float[] features, boolean detected) {
        boolean collage() {
            return kind != Kind.ORIGINAL;
        }
    }

    @Test
    void train() throws Exception {
        SharedTrainingData shared = SharedTrainingData.require();
        Path data = shared.data();
        Path out = Path.of(System.getProperty("photoscore.collage.train"));

        JsonNode quality;
        try (InputStream in = ModelPackBuilder.class.getResourceAsStream("/dev/photoscore/modelpack/pack/"
                + ModelPackBuilder.QUALITY_PROVENANCE)) {
            quality = new ObjectMapper().readTree(in);
        }
        BackboneSpec spec = BackboneSpec.parse(quality.path("backbone").path("spec").asText());
        WorkingSize workingSize = new WorkingSize(quality.path("backbone").path("workingPixels").asInt());
        ImagenetBackbone.Source source = shared.backbone();
        TfliteModel tflite = TfliteModel.read(source.model());
        byte[] extractor = MobileNetTfliteConverter.convert(tflite, spec).toByteArray();
        List<DeepFeatureTable.Group> groups = DeepSearchGrid.groupsOf(MobileNetTfliteConverter.featureNames(tflite,
                spec));

        Set<String> heldOut = shared.heldOut();
        List<String> training = new ArrayList<>(LabelledPhoto.readLabels(data).stream().map(LabelledPhoto::file)
                .filter(file -> !heldOut.contains(file)).sorted().toList());
        Random random = new Random(SEED);
        Collections.shuffle(training, random);
        List<List<String>> folds = IntStream.range(0, FOLDS).mapToObj(f -> IntStream.range(0, training.size())
                .filter(i -> i % FOLDS == f).mapToObj(training::get).toList()).toList();

        List<Example> examples = new ArrayList<>();
        try (PhotoGraph graph = new PhotoGraph(extractor, workingSize)) {
            for (int f = 0; f < FOLDS; f++) {
                for (String file : folds.get(f)) {
                    byte[] bytes = Files.readAllBytes(data.resolve(file));
                    boolean detected = PhotoFlags.detect(FlagFixtures.decode(data.resolve(file)))
                            .contains(PhotoFlag.COLLAGE);
                    examples.add(new Example(file, Kind.ORIGINAL, f,
                            graph.run(bytes, file, MobileNetTfliteConverter.OUTPUT), detected));
                }
                for (int pass = 0; pass < PASSES; pass++) {
                    List<String> order = new ArrayList<>(folds.get(f));
                    Collections.shuffle(order, random);
                    for (int first = 0; first + 9 <= order.size(); first += 9) {
                        List<BufferedImage> nine = order.subList(first, first + 9).stream()
                                .map(file -> FlagFixtures.decode(data.resolve(file))).toList();
                        int seed = examples.size();
                        for (Map.Entry<Kind, BufferedImage> collage : FlagFixtures.collages(nine, seed).entrySet()) {
                            String name = "collage-" + seed + "-" + collage.getKey();
                            boolean detected = PhotoFlags.detect(collage.getValue()).contains(PhotoFlag.COLLAGE);
                            examples.add(new Example(name, collage.getKey(), f, graph.run(
                                    TestPhotos.png(collage.getValue()), name, MobileNetTfliteConverter.OUTPUT),
                                    detected));
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "fold %d: %d examples so far%n", f, examples.size());
            }
        }

        DeepModelSearch.Candidate candidate = new DeepModelSearch.Candidate(
                groups.stream().map(DeepFeatureTable.Group::name).toList(), 0);
        double[] outOfFold = new double[examples.size()];
        for (int f = 0; f < FOLDS; f++) {
            int fold = f;
            DeepQualityHead head = DeepQualityHead.fit(table(examples.stream().filter(e -> e.fold() != fold)
                    .toList(), groups), candidate);
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).fold() == f) {
                    outOfFold[i] = head.predict(examples.get(i).features());
                }
            }
        }
        ObjectNode provenance = new ObjectMapper().createObjectNode();
        ArrayNode crossValidation = provenance.putArray("crossValidation");
        for (double threshold : THRESHOLDS) {
            crossValidation.add(report(examples, outOfFold, threshold));
        }

        DeepQualityHead head = DeepQualityHead.fit(table(examples, groups), candidate);
        double threshold = 0;
        OnnxMl.ModelProto graph = head.toOnnx("photoscore-collage-classifier", ModelManifest.COLLAGE_OUTPUT, List.of(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(MobileNetTfliteConverter.META_SPEC)
                        .setValue(spec.text()).build()));
        Files.createDirectories(out);
        Files.write(out.resolve("collage-classifier.onnx"), graph.toByteArray());
        provenance.put("description", "Confirms the collage detector: a linear ridge classifier on the backbone's"
                + " pooled features (the quality head's), output 'collage' > 0 for a collage. Trained by"
                + " CollageClassifierTraining (local tests) on livec_dev's training photos (the held-out split left"
                + " out) as they are (target -1) and collages rendered from them by FlagFixtures.collages (target"
                + " +1); see docs/scoring.md.");
        provenance.put("command", COMMAND);
        provenance.put("seed", SEED);
        provenance.put("heldOutList", "local/" + SharedTrainingData.HELD_OUT_LIST);
        ObjectNode backbone = provenance.putObject("backbone");
        backbone.put("spec", spec.text());
        backbone.put("workingPixels", workingSize.pixels());
        backbone.put("sourceBlobId", source.gitBlobId());
        provenance.put("photos", examples.stream().filter(e -> !e.collage()).count());
        provenance.put("collages", examples.stream().filter(Example::collage).count());
        provenance.put("penalty", head.penalty());
        provenance.put("threshold", threshold);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("collage-classifier.json").toFile(), provenance);
        System.out.println("collage classifier written to " + out + " (penalty " + head.penalty() + ")");
        assertTrue(Files.size(out.resolve("collage-classifier.onnx")) > 0);
    }

    private static DeepFeatureTable table(List<Example> examples, List<DeepFeatureTable.Group> groups) {
        return new DeepFeatureTable(examples.stream().map(Example::name).toList(),
                examples.stream().mapToDouble(e -> e.collage() ? 1 : -1).toArray(),
                examples.stream().map(Example::features).toArray(float[][]::new), groups);
    }

    /** Out-of-fold agreement at one threshold: photos and each kind of collage, the classifier alone and with the detector. */
    private static ObjectNode report(List<Example> examples, double[] outOfFold, double threshold) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("threshold", threshold);
        Map<Kind, int[]> counts = new EnumMap<>(Kind.class);
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            int[] c = counts.computeIfAbsent(e.kind(), k -> new int[4]);
            boolean classified = outOfFold[i] > threshold;
            c[0]++;
            c[1] += classified ? 1 : 0;
            c[2] += e.detected() ? 1 : 0;
            c[3] += classified && e.detected() ? 1 : 0;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "threshold %.2f:", threshold));
        counts.forEach((kind, c) -> {
            ObjectNode k = node.putObject(kind.name().toLowerCase(Locale.ROOT));
            k.put("images", c[0]);
            k.put("classifier", c[1]);
            k.put("detector", c[2]);
            k.put("both", c[3]);
            line.append(String.format(Locale.ROOT, "%n  %-28s n %4d classifier %4d detector %4d both %4d", kind,
                    c[0], c[1], c[2], c[3]));
        });
        System.out.println(line);
        return node;
    }
}
