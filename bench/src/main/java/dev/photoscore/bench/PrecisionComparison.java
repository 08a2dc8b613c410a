package dev.photoscore.bench;

import ai.djl.engine.Engine;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.modelpack.convert.Precision;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import dev.photoscore.scoring.Int8RangeInputs;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.StageProbe;
import dev.photoscore.scoring.WorkingSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * The NIMA graph at each {@link Precision}: inference alone on a ready tensor (one intra-op thread, the precisions
 * taking turns), the file's size raw and deflated (the Lambda layer is a zip), and how far FP16 and INT8 move each
 * NIMA mean and the 0..1 score of the NIMA-only calibration ({@code nima-prior}) from FP32 over
 * {@code shared/images} and {@code shared/evaldata/livec_dev/images}. The product's rule: a precision may replace
 * FP32 only if the score moves by less than 0.02 on every sample photo ({@code shared/images}).
 *
 * <p>Two sets of weights, both with the published weights' shapes and cost: the layout specimen (random values; its
 * outputs sit in a narrow band) and generated He-scaled weights ({@link KerasWeightsFixture}, whose outputs spread
 * more). Neither is the published weights: before switching precision, rerun with them ({@code --model-weights}).
 * INT8's activation ranges come from the two bundled priming photos, as {@code pack --precision int8} does by
 * default; none of the photos scored here is among them.
 */
final class PrecisionComparison {

    static final double SCORE_RULE = 0.02;
    private static final int ROUNDS = 150;
    private static final int LOADS = 5;
    private static final String NIMA_PRIOR = "nima-prior";
    private static final List<String> OUTPUTS = List.of("nima.aesthetic", "nima.technical", "score");
    /** The quality graph's rule (issue 14): a precision replaces FP32 only if scores move by less than this. */
    static final double QUALITY_SCORE_RULE = 0.01;
    /** How many livec_dev training photos set the quality graph's INT8 activation ranges. */
    static final int QUALITY_CALIBRATION_PHOTOS = 32;
    private static final String QUALITY_MOS = ModelPackBuilder.QUALITY_MODEL + ".mos";

    private final Path shared;
    private final Path work;
    private final Consumer<String> line;

    private PrecisionComparison(Path shared, Path work, Consumer<String> line) {
        this.shared = shared;
        this.work = work;
        this.line = line;
    }

    /** One set of weights for both heads. */
    private record Weights(String label, Path aesthetic, Path technical) {
    }

    /**
     * Writes the section through {@code line}; {@code published}, when given, is a folder with idealo's two files,
     * compared in place of the specimen and generated weights.
     */
    static void run(Path shared, Path work, Path published, Consumer<String> line) throws Exception {
        // DJL's engine must create ONNX Runtime's environment before the int8 calibration would.
        Engine.getEngine("OnnxRuntime");
        Files.createDirectories(work);
        List<Weights> sets = new ArrayList<>();
        if (published != null) {
            sets.add(new Weights("published weights", published.resolve(NimaHead.AESTHETIC.publishedFileName()),
                    published.resolve(NimaHead.TECHNICAL.publishedFileName())));
        } else {
            Path specimen = shared.resolve("models/layout_specimen_random.h5");
            sets.add(new Weights("layout specimen (random)", specimen, specimen));
            sets.add(new Weights("generated (He-scaled, seeds 21/22)",
                    KerasWeightsFixture.builder().seed(21).widths(KerasWeightsFixture.MOBILENET_WIDTHS)
                            .write(work.resolve("generated-aesthetic.h5")),
                    KerasWeightsFixture.builder().seed(22).widths(KerasWeightsFixture.MOBILENET_WIDTHS)
                            .headName("dense").write(work.resolve("generated-technical.h5"))));
        }
        new PrecisionComparison(shared, work, line).compare(sets);
    }

    /**
     * Writes the quality graph's section through {@code line}: the default pack ({@link Benchmark#defaultPack}) at
     * each precision, INT8 calibrated on {@value #QUALITY_CALIBRATION_PHOTOS} livec_dev training photos (none of
     * those listed in {@code heldOutList}) at the working size; the score change over all of livec_dev and over its
     * held-out photos alone (which no calibration saw).
     */
    static void qualityGraph(Path shared, Path work, Path heldOutList, Consumer<String> line) throws Exception {
        Engine.getEngine("OnnxRuntime");
        Files.createDirectories(work);
        Path livec = shared.resolve("evaldata/livec_dev");
        List<Path> photos = ScoreChange.photos(livec.resolve("images"));
        Set<Path> heldOut = heldOut(livec, heldOutList);
        List<Path> int8RangePhotos = photos.stream().filter(photo -> !heldOut.contains(photo))
                .limit(QUALITY_CALIBRATION_PHOTOS).toList();
        Map<Precision, Path> packs = new EnumMap<>(Precision.class);
        packs.put(Precision.FP32, Benchmark.build(Benchmark.defaultPack(shared), work.resolve("quality-fp32")));
        WorkingSize size = new WorkingSize(ModelManifest.read(packs.get(Precision.FP32)).model(
                ModelPackBuilder.QUALITY_MODEL).orElseThrow().image().workingPixels());
        List<float[]> tensors = calibrationTensors(int8RangePhotos, size);
        for (Precision precision : List.of(Precision.FP16, Precision.INT8)) {
            packs.put(precision, Benchmark.build(Benchmark.defaultPack(shared).precision(precision)
                    .imageInt8RangeInputs(tensors, Int8RangeInputs.QUALITY_SIDE, Int8RangeInputs.QUALITY_SIDE),
                    work.resolve("quality-" + precision.label())));
        }
        line.accept("## Quality graph precision: FP32, FP16 (weights stored half, cast at load), INT8 (static QDQ,"
                + " calibrated on " + int8RangePhotos.size() + " livec_dev training photos at "
                + Int8RangeInputs.QUALITY_SIDE + "x" + Int8RangeInputs.QUALITY_SIDE + ")");
        line.accept("");
        line.accept("### Inference alone on a ready " + StageProbe.QUALITY_FLOOR_SIDE + "x"
                + StageProbe.QUALITY_FLOOR_SIDE + " tensor, 1 intra-op thread (" + ROUNDS + " runs each, precisions"
                + " interleaved; CPU: the thread's own CPU time), load time and file size");
        line.accept("");
        new PrecisionComparison(shared, work, line).speedHeader(ModelPackBuilder.QUALITY_FILE);
        line.accept(speedRows("default pack", packs, ModelPackBuilder.QUALITY_FILE).stripTrailing());
        line.accept("");
        line.accept("### Change from FP32 (mos: the graph's output on 0..100; score: the 0..1 calibrated score without"
                + " the flags' cap; classes: photos whose class 1..5 changes; Spearman: of the score with the human"
                + " scores, FP32 then this precision)");
        line.accept("");
        line.accept("| photos | n | precision | FP32 mos range | mean abs change, mos | max abs change, mos |"
                + " mean abs change, score | max abs change, score | classes changed | Spearman FP32 / this |"
                + " score within " + QUALITY_SCORE_RULE + " |");
        line.accept("|---|---:|---|---|---:|---:|---:|---:|---:|---|---|");
        Map<Path, Double> labels = labels(livec);
        Map<Path, Map<Precision, double[]>> scored = qualityScores(packs, photos);
        Map<String, List<Path>> sets = new LinkedHashMap<>();
        sets.put("livec_dev, all", photos);
        sets.put("livec_dev, held out", photos.stream().filter(heldOut::contains).toList());
        for (Map.Entry<String, List<Path>> set : sets.entrySet()) {
            for (Precision precision : List.of(Precision.FP16, Precision.INT8)) {
                line.accept(qualityChangeRow(set.getKey(), set.getValue(), precision, scored, labels));
            }
        }
        line.accept("");
    }

    /** The held-out photos named in the split file (lines {@code images/NAME}; {@code #} starts a comment). */
    private static Set<Path> heldOut(Path livec, Path list) throws IOException {
        Set<Path> heldOut = new HashSet<>();
        for (String entry : Files.readAllLines(list)) {
            if (!entry.isBlank() && !entry.startsWith("#")) {
                heldOut.add(livec.resolve(entry.trim()));
            }
        }
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out photos listed in " + list);
        }
        return heldOut;
    }

    /** The human scores of livec_dev by photo ({@code labels.csv}: {@code file,score}). */
    private static Map<Path, Double> labels(Path livec) throws IOException {
        Map<Path, Double> labels = new HashMap<>();
        List<String> rows = Files.readAllLines(livec.resolve("labels.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            labels.put(livec.resolve(cells[0].trim()), Double.parseDouble(cells[1].trim()));
        }
        return labels;
    }

    /** The photos as the quality graph's input at the working size, which must be the calibration size. */
    private static List<float[]> calibrationTensors(List<Path> photos, WorkingSize size) throws Exception {
        PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());
        List<float[]> tensors = new ArrayList<>();
        for (Path photo : photos) {
            WorkingSize.PhotoTensor tensor = size.tensor(decoder.decode(Files.readAllBytes(photo)).image());
            if (tensor.width() != Int8RangeInputs.QUALITY_SIDE || tensor.height() != Int8RangeInputs.QUALITY_SIDE) {
                throw new IllegalStateException(photo + " is " + tensor.width() + "x" + tensor.height()
                        + " at the working size; the calibration takes " + Int8RangeInputs.QUALITY_SIDE + "x"
                        + Int8RangeInputs.QUALITY_SIDE + " photos");
            }
            tensors.add(tensor.chw());
        }
        return tensors;
    }

    /** Each photo's mos and uncapped score at each precision; each photo decoded once, two photos at a time. */
    private static Map<Path, Map<Precision, double[]>> qualityScores(Map<Precision, Path> packs, List<Path> photos)
            throws Exception {
        PhotoLimits limits = PhotoLimits.api().withoutSizeLimits();
        Map<Precision, PhotoScorer> scorers = new EnumMap<>(Precision.class);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            packs.forEach((precision, pack) -> scorers.put(precision,
                    PhotoScorer.builder().modelDir(pack).threads(2).limits(limits).build()));
            Calibration calibration = Calibration.read(packs.get(Precision.FP32).resolve(Calibration.FILE_NAME));
            Map<Path, Future<Map<Precision, double[]>>> pending = new LinkedHashMap<>();
            for (Path photo : photos) {
                pending.put(photo, pool.submit(() -> {
                    DecodedPhoto decoded = scorers.get(Precision.FP32).decoder().decode(Files.readAllBytes(photo));
                    Map<Precision, double[]> values = new EnumMap<>(Precision.class);
                    for (Map.Entry<Precision, PhotoScorer> scorer : scorers.entrySet()) {
                        Map<String, Double> outputs = scorer.getValue().score(decoded).outputs();
                        Calibration.Variant variant = calibration.variantFor(outputs.keySet()).orElseThrow();
                        values.put(scorer.getKey(), new double[] {outputs.get(QUALITY_MOS), variant.score(outputs)});
                    }
                    return values;
                }));
            }
            Map<Path, Map<Precision, double[]>> scored = new LinkedHashMap<>();
            for (Map.Entry<Path, Future<Map<Precision, double[]>>> photo : pending.entrySet()) {
                scored.put(photo.getKey(), photo.getValue().get());
            }
            return scored;
        } finally {
            pool.shutdownNow();
            scorers.values().forEach(PhotoScorer::close);
        }
    }

    private static String qualityChangeRow(String set, List<Path> photos, Precision precision,
                                           Map<Path, Map<Precision, double[]>> scored, Map<Path, Double> labels) {
        double[] mosChange = new double[photos.size()];
        double[] scoreChange = new double[photos.size()];
        double[] fp32Scores = new double[photos.size()];
        double[] scores = new double[photos.size()];
        double[] human = new double[photos.size()];
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        int classes = 0;
        for (int i = 0; i < photos.size(); i++) {
            double[] reference = scored.get(photos.get(i)).get(Precision.FP32);
            double[] value = scored.get(photos.get(i)).get(precision);
            mosChange[i] = Math.abs(value[0] - reference[0]);
            scoreChange[i] = Math.abs(value[1] - reference[1]);
            fp32Scores[i] = reference[1];
            scores[i] = value[1];
            Double label = labels.get(photos.get(i));
            if (label == null) {
                throw new IllegalStateException("labels.csv has no score for " + photos.get(i));
            }
            human[i] = label;
            low = Math.min(low, reference[0]);
            high = Math.max(high, reference[0]);
            if (PhotoScore.classOf(value[1]) != PhotoScore.classOf(reference[1])) {
                classes++;
            }
        }
        double maxScoreChange = Arrays.stream(scoreChange).max().orElseThrow();
        return String.format(Locale.ROOT, "| %s | %d | %s | %.1f..%.1f | %.3f | %.3f | %.4f | %.4f | %d | %.4f / %.4f"
                        + " | %s |", set, photos.size(), precision.label(), low, high,
                Arrays.stream(mosChange).average().orElseThrow(), Arrays.stream(mosChange).max().orElseThrow(),
                Arrays.stream(scoreChange).average().orElseThrow(), maxScoreChange, classes,
                Correlation.spearman(fp32Scores, human), Correlation.spearman(scores, human),
                maxScoreChange < QUALITY_SCORE_RULE ? "yes" : "no");
    }

    private void compare(List<Weights> sets) throws Exception {
        List<float[]> calibration = Int8RangeInputs.bundled(InputSpec.nima(ModelPackBuilder.DEFAULT_RESIZE));
        Map<String, List<Path>> photoSets = new LinkedHashMap<>();
        photoSets.put("shared/images", ScoreChange.photos(shared.resolve("images")));
        photoSets.put("livec_dev", ScoreChange.photos(shared.resolve("evaldata/livec_dev/images")));
        line.accept("## NIMA graph precision: FP32, FP16 (weights stored half, cast at load), INT8 (static QDQ,"
                + " calibrated on the 2 priming photos)");
        line.accept("");
        StringBuilder speed = new StringBuilder();
        StringBuilder change = new StringBuilder();
        for (Weights weights : sets) {
            Map<Precision, Path> packs = new EnumMap<>(Precision.class);
            for (Precision precision : Precision.values()) {
                Path pack = work.resolve(slug(weights.label()) + "-" + precision.label());
                ModelPackBuilder.builder().weights("")
                        .headWeights(NimaHead.AESTHETIC, weights.aesthetic().toString())
                        .headWeights(NimaHead.TECHNICAL, weights.technical().toString())
                        .includeQualityModel(false)
                        .precision(precision)
                        .int8RangeInputs(calibration)
                        .log(text -> { })
                        .build()
                        .build(pack);
                packs.put(precision, pack);
            }
            speed.append(speedRows(weights.label(), packs, ModelPackBuilder.NIMA_FILE));
            change.append(changeRows(weights.label(), packs, photoSets));
        }
        line.accept("### Inference alone on a ready tensor, 1 intra-op thread (" + ROUNDS + " runs each, precisions"
                + " interleaved), load time and file size");
        line.accept("");
        speedHeader(ModelPackBuilder.NIMA_FILE);
        line.accept(speed.toString().stripTrailing());
        line.accept("");
        line.accept("### Change from FP32 (mean and largest absolute change; score: the 0..1 `" + NIMA_PRIOR
                + "` score; FP32 range: the smallest and largest FP32 value over the set)");
        line.accept("");
        line.accept("| weights | photos | n | precision | output | FP32 range | mean abs change | max abs change |"
                + " within " + SCORE_RULE + " |");
        line.accept("|---|---|---:|---|---|---|---:|---:|---|");
        line.accept(change.toString().stripTrailing());
        line.accept("");
    }

    private static String slug(String label) {
        return label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "").toLowerCase(Locale.ROOT);
    }

    /** One row per precision: load time, inference alone (wall and thread CPU), the model file's size. */
    private static String speedRows(String weights, Map<Precision, Path> packs, String modelFile) throws IOException {
        Map<Precision, long[]> loads = loadTimes(packs);
        Map<String, StageProbe> probes = new LinkedHashMap<>();
        Map<String, Benchmark.Runs> runs;
        try {
            packs.forEach((precision, pack) -> probes.put(precision.label(), new StageProbe(pack, Map.of())));
            runs = Benchmark.interleaved(probes, ROUNDS);
        } finally {
            probes.values().forEach(StageProbe::close);
        }
        Samples fp32 = Samples.ofNanos(runs.get(Precision.FP32.label()).wall());
        Samples fp32Cpu = Samples.ofNanos(runs.get(Precision.FP32.label()).cpu());
        Path fp32File = packs.get(Precision.FP32).resolve(modelFile);
        long fp32Bytes = Files.size(fp32File);
        long fp32Deflated = deflated(fp32File);
        StringBuilder rows = new StringBuilder();
        for (Precision precision : packs.keySet()) {
            Samples s = Samples.ofNanos(runs.get(precision.label()).wall());
            Samples cpu = Samples.ofNanos(runs.get(precision.label()).cpu());
            Path file = packs.get(precision).resolve(modelFile);
            long bytes = Files.size(file);
            long deflated = deflated(file);
            rows.append("| ").append(weights).append(" | ").append(precision.label()).append(" | ")
                    .append(Benchmark.ms(Samples.ofNanos(loads.get(precision)).p50())).append(" | ")
                    .append(Benchmark.ms(s.p50())).append(" | ").append(Benchmark.ms(s.p99())).append(" | ")
                    .append(Benchmark.ms(cpu.p50())).append(" | ")
                    .append(Benchmark.ratio(s.p50() / fp32.p50())).append(" | ")
                    .append(Benchmark.ratio(cpu.p50() / fp32Cpu.p50())).append(" | ")
                    .append(megabytes(bytes)).append(" | ").append(Benchmark.ratio((double) bytes / fp32Bytes))
                    .append(" | ").append(megabytes(deflated)).append(" | ")
                    .append(Benchmark.ratio((double) deflated / fp32Deflated)).append(" |\n");
        }
        return rows.toString();
    }

    /** The header of {@link #speedRows}'s table. */
    private void speedHeader(String modelFile) {
        line.accept("| weights | precision | load ms p50 | p50 ms | p99 ms | CPU p50 ms | p50 / FP32 | CPU p50 / FP32 | "
                + modelFile + " MB | / FP32 | deflated MB | / FP32 |");
        line.accept("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    /**
     * Loading each pack's graph into a new ONNX Runtime session (reading, graph optimisation, int8 weight
     * packing), {@value #LOADS} times after one warm-up round, the precisions taking turns.
     */
    private static Map<Precision, long[]> loadTimes(Map<Precision, Path> packs) {
        Map<Precision, long[]> loads = new EnumMap<>(Precision.class);
        packs.keySet().forEach(precision -> loads.put(precision, new long[LOADS]));
        for (int round = -1; round < LOADS; round++) {
            for (Map.Entry<Precision, Path> pack : packs.entrySet()) {
                long start = System.nanoTime();
                new StageProbe(pack.getValue(), Map.of()).close();
                if (round >= 0) {
                    loads.get(pack.getKey())[round] = System.nanoTime() - start;
                }
            }
        }
        return loads;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1e6);
    }

    /** The file's size deflated at the default level, as the layer's zip stores it. */
    private static long deflated(Path file) throws IOException {
        Deflater deflater = new Deflater();
        deflater.setInput(Files.readAllBytes(file));
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buffer);
        }
        deflater.end();
        return size;
    }

    /** Each photo's NIMA means and nima-prior score at each precision, then the change rows against FP32. */
    private static String changeRows(String weights, Map<Precision, Path> packs, Map<String, List<Path>> photoSets)
            throws Exception {
        Calibration.Variant prior = Calibration.read(packs.get(Precision.FP32).resolve(Calibration.FILE_NAME))
                .variants().stream().filter(v -> v.name().equals(NIMA_PRIOR)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the calibration has no " + NIMA_PRIOR + " variant"));
        PhotoLimits limits = PhotoLimits.api().withoutSizeLimits();
        Map<Precision, PhotoScorer> scorers = new EnumMap<>(Precision.class);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        StringBuilder rows = new StringBuilder();
        try {
            packs.forEach((precision, pack) -> scorers.put(precision,
                    PhotoScorer.builder().modelDir(pack).threads(2).limits(limits).build()));
            for (Map.Entry<String, List<Path>> photos : photoSets.entrySet()) {
                List<Future<Map<Precision, Map<String, Double>>>> pending = new ArrayList<>();
                for (Path photo : photos.getValue()) {
                    pending.add(pool.submit(() -> {
                        byte[] bytes = Files.readAllBytes(photo);
                        Map<Precision, Map<String, Double>> outputs = new EnumMap<>(Precision.class);
                        for (Map.Entry<Precision, PhotoScorer> scorer : scorers.entrySet()) {
                            PhotoScore score = scorer.getValue().score(bytes);
                            Map<String, Double> values = new LinkedHashMap<>(score.outputs());
                            values.put("score", prior.score(score.outputs()));
                            outputs.put(scorer.getKey(), values);
                        }
                        return outputs;
                    }));
                }
                List<Map<Precision, Map<String, Double>>> scored = new ArrayList<>();
                for (Future<Map<Precision, Map<String, Double>>> photo : pending) {
                    scored.add(photo.get());
                }
                for (Precision precision : Precision.values()) {
                    if (precision == Precision.FP32) {
                        continue;
                    }
                    for (String output : OUTPUTS) {
                        rows.append(changeRow(weights, photos.getKey(), precision, output, scored));
                    }
                }
                System.out.println("precision: scored " + photos.getKey() + " with " + weights);
            }
        } finally {
            pool.shutdownNow();
            scorers.values().forEach(PhotoScorer::close);
        }
        return rows.toString();
    }

    private static String changeRow(String weights, String photos, Precision precision, String output,
                                    List<Map<Precision, Map<String, Double>>> scored) {
        double sum = 0;
        double max = 0;
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (Map<Precision, Map<String, Double>> photo : scored) {
            double reference = photo.get(Precision.FP32).get(output);
            double change = Math.abs(photo.get(precision).get(output) - reference);
            sum += change;
            max = Math.max(max, change);
            low = Math.min(low, reference);
            high = Math.max(high, reference);
        }
        String within = output.equals("score") ? (max < SCORE_RULE ? "yes" : "no") : "";
        return String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.3f..%.3f | %.5f | %.5f | %s |%n", weights,
                photos, scored.size(), precision.label(), output, low, high, sum / scored.size(), max, within);
    }
}
