package dev.photoscore.bench;

import dev.photoscore.bench.BenchPhotos.Photo;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.Priming;
import dev.photoscore.scoring.StageProbe;
import dev.photoscore.scoring.StageProbe.Stage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The performance benchmark: per-stage costs, end-to-end latency as a ratio of inference alone, the cost targets,
 * throughput with 1 and 2 threads, ONNX Runtime settings, the quality graph's precision
 * ({@link PrecisionComparison}), memory, the cold path with and without {@link Priming} and the AWS cost per 1,000
 * photos, all measured in one run and printed as one report (also written to {@code WORK/report.md}).
 *
 * <p>Arguments: {@code --work DIR} (photos, pack, report), {@code --held-out FILE} (livec_dev's held-out split, which
 * the INT8 calibration never uses), {@code --model-dir DIR} (default: the default pack, built as {@code mvn package}
 * builds it, from the shared copy of the ImageNet backbone: the project's quality graph, no NIMA heads),
 * {@code --specimen} (instead: a NIMA-only pack built from {@code shared/models/layout_specimen_random.h5}, the
 * published NIMA weights' shapes and cost), {@code --samples N} (end-to-end requests per photo, default 200),
 * {@code --score-change} (instead of the timings: scores of full against reduced decoding over the sample photos,
 * see {@link ScoreChange}), {@code --precision} (only the quality graph's precision section), {@code --cold} (only
 * the cold path, in fresh JVMs with the Lambda runtime's and the functions' flags),
 * {@code --nima-precision} (only the NIMA graph's precision section, on the specimen and generated weights, or with
 * {@code --nima-weights DIR} on the two weights files in DIR, e.g. idealo's published ones).
 *
 * <p>The machine is shared and noisy: every ratio is taken between figures measured side by side in this run (the
 * floor is measured interleaved with each end-to-end request), never against another run's figure.
 */
public final class Benchmark {

    /** The Lambda memory setting the cost is computed for; see docs/performance.md for the choice. */
    static final int LAMBDA_MEMORY_MB = 1769;

    private static final String COMMAND = "mvn -B -Pbench -pl bench -am package -DskipTests";
    private static final int STAGE_WARMUP = 3;
    private static final int STAGE_REPS = 15;
    private static final int E2E_WARMUP = 10;
    private static final int FLOOR_ROUNDS = 150;
    private static final long THROUGHPUT_SECONDS = 8;
    private static final int COLD_REPS = 5;
    /** What the Lambda java17 and java21 runtimes start the JVM with: C1 only, serial GC. */
    private static final List<String> LAMBDA_RUNTIME_JVM = List.of("-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /**
     * The scoring functions' {@code JAVA_TOOL_OPTIONS} in template.yaml (TemplateTest holds the two equal): C2
     * allowed, as AWS advises for compute-intensive functions. The decoder, the area averages and the flags are plain
     * Java loops that C1 alone runs about 1.7 times slower (docs/performance.md, "The functions' JIT").
     */
    public static final String FUNCTION_JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=4";
    /** The functions' JVM: the runtime's flags, then template.yaml's options, which override them. */
    private static final List<String> FUNCTION_JVM = Stream.concat(LAMBDA_RUNTIME_JVM.stream(),
            Stream.of(FUNCTION_JAVA_TOOL_OPTIONS)).toList();
    private static final PhotoLimits LIMITS = PhotoLimits.api().withoutSizeLimits();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The 12 MP JPEG end to end at most this many times the model alone (issue 14, by CPU time). */
    static final double E2E_TARGET_RATIO = 2.5;
    /** The quality graph at the working size at most this many CPU milliseconds, one thread (issue 14). */
    static final double MODEL_TARGET_CPU_MS = 40;

    private final Path work;
    private final Path modelDir;
    private final int samples;
    private final Path heldOut;
    private final StringBuilder report = new StringBuilder();

    private Benchmark(Path work, Path modelDir, int samples, Path heldOut) {
        this.work = work;
        this.modelDir = modelDir;
        this.samples = samples;
        this.heldOut = heldOut;
    }

    public static void main(String[] args) throws Exception {
        DjlDefaults.apply();
        Path work = null;
        Path modelDir = null;
        int samples = 200;
        boolean scoreChange = false;
        boolean specimen = false;
        boolean precisionOnly = false;
        Section report = Section.ALL;
        boolean nativeCrop = false;
        boolean nimaPrecision = false;
        Path nimaWeights = null;
        Path heldOut = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--held-out" -> heldOut = Path.of(args[++i]);
                case "--model-dir" -> modelDir = Path.of(args[++i]);
                case "--specimen" -> specimen = true;
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--score-change" -> scoreChange = true;
                case "--precision" -> precisionOnly = true;
                case "--latency" -> report = Section.LATENCY;
                case "--ort-settings" -> report = Section.ORT_SETTINGS;
                case "--cold" -> report = Section.COLD;
                case "--native-crop" -> nativeCrop = true;
                case "--nima-precision" -> nimaPrecision = true;
                case "--nima-weights" -> nimaWeights = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--work DIR, --held-out FILE, --model-dir DIR, --specimen, --samples N, --score-change,"
                        + " --precision, --latency, --ort-settings, --native-crop, --nima-precision,"
                        + " --nima-weights DIR)");
            }
        }
        if (work == null || heldOut == null) {
            throw new IllegalArgumentException("--work DIR and --held-out FILE are required");
        }
        Files.createDirectories(work);
        Path shared = shared();
        if (precisionOnly || nimaPrecision || nativeCrop) {
            StringBuilder section = new StringBuilder();
            Consumer<String> line = text -> {
                System.out.println(text);
                section.append(text).append('\n');
            };
            if (precisionOnly) {
                PrecisionComparison.qualityGraph(shared, work.resolve("precision"), heldOut, line);
            }
            if (nimaPrecision) {
                PrecisionComparison.run(shared, work.resolve("precision"), nimaWeights, line);
            }
            if (nativeCrop) {
                NativeCropEffect.run(shared, line);
            }
            Path written = work.resolve(nativeCrop ? "native-crop.md" : "precision.md");
            Files.writeString(written, section);
            System.out.println("Written to " + written);
            return;
        }
        if (modelDir == null) {
            modelDir = specimen ? specimenPack(shared, work.resolve("specimen-pack"))
                    : build(defaultPack(shared), work.resolve("pack"));
        }
        if (scoreChange) {
            ScoreChange.run(modelDir, shared, work.resolve("score-change.md"));
            return;
        }
        List<Photo> photos = BenchPhotos.prepare(shared.resolve("images"), work.resolve("photos"));
        new Benchmark(work, modelDir, samples, heldOut).run(photos, report);
    }

    /** {@code photoscore.shared}, else {@code ../shared} from the working folder's repository. */
    private static Path shared() {
        String property = System.getProperty("photoscore.shared");
        Path shared = property != null ? Path.of(property) : Path.of("..", "shared");
        if (!Files.isDirectory(shared.resolve("images"))) {
            throw new IllegalStateException("no shared data at " + shared.toAbsolutePath()
                    + " (set -Dphotoscore.shared=DIR): the benchmark makes its photos from shared/images");
        }
        return shared;
    }

    /**
     * What {@code mvn package} builds into the default pack when idealo's NIMA weights cannot be had: the project's
     * quality graph (the ImageNet backbone from the shared copy, composed with the bundled head) and the calibration.
     * Built anew each run (seconds), so the pack never lags the bundled head and calibration.
     */
    static ModelPackBuilder.Builder defaultPack(Path shared) {
        return ModelPackBuilder.builder().weights("")
                .backbone(shared.resolve(ImagenetBackbone.SHARED_FOLDER).toString())
                .log(line -> { });
    }

    /** Writes the pack into {@code out} and returns it. */
    static Path build(ModelPackBuilder.Builder pack, Path out) {
        pack.build().build(out);
        return out;
    }

    private static Path specimenPack(Path shared, Path out) {
        Path specimen = shared.resolve("models/layout_specimen_random.h5");
        // Built anew each run (a few seconds), so the pack never lags the bundled calibration. NIMA heads only.
        ModelPackBuilder.builder().weights("").includeQualityModel(false)
                .headWeights(NimaHead.AESTHETIC, specimen.toString())
                .headWeights(NimaHead.TECHNICAL, specimen.toString())
                .log(line -> { })
                .build()
                .build(out);
        return out;
    }

    /** What a run reports: the whole report, or one section of it alone. */
    private enum Section {
        ALL(""),
        /** The latency table and the cost targets (minutes). */
        LATENCY(" -Dbench.args=--latency"),
        /** Inference alone by ONNX Runtime setting (a few minutes). */
        ORT_SETTINGS(" -Dbench.args=--ort-settings"),
        /** The cold path and warm requests in fresh JVMs with the Lambda runtime's and the functions' flags. */
        COLD(" -Dbench.args=--cold");

        private final String arguments;

        Section(String arguments) {
            this.arguments = arguments;
        }
    }

    private void run(List<Photo> photos, Section section) throws Exception {
        line("# photoscore benchmark");
        line("");
        line("Command: `" + COMMAND + section.arguments + "`  ");
        line("Machine: " + Machine.describe() + "  ");
        line("Load average at start: " + Machine.loadAverage() + "  ");
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(modelDir).threads(2).limits(LIMITS).build();
             PhotoScorer everyPixel = PhotoScorer.builder().modelDir(modelDir).threads(1).limits(LIMITS)
                     .fullDecode(true).build();
             StageProbe probe = new StageProbe(modelDir, Map.of())) {
            line("Scorer: " + scorer.describe() + "; decode " + scorer.decoder().size() + "; "
                    + "1 ONNX Runtime thread per inference; JVM " + System.getProperty("java.vm.version")
                    + ", heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB  ");
            line("Stages and floor: model " + probe.model() + ", floor on a ready " + probe.readyShape() + " tensor");
            line("");
            if (section == Section.ORT_SETTINGS) {
                onnxRuntimeSettings();
            } else if (section == Section.COLD) {
                coldPath(photos.get(2));
            } else {
                latencyAndMore(photos, section, scorer, everyPixel, probe);
            }
        }
        line("");
        line("Load average at end: " + Machine.loadAverage());
        Files.writeString(work.resolve("report.md"), report);
        System.out.println();
        System.out.println("Written to " + work.resolve("report.md"));
    }

    /** The latency table and the cost targets, then for the whole report every section after them. */
    private void latencyAndMore(List<Photo> photos, Section section, PhotoScorer scorer, PhotoScorer everyPixel,
                                StageProbe probe) throws Exception {
        List<Case> cases = new ArrayList<>();
        photos.forEach(photo -> cases.add(new Case(photo.label(), photo, scorer)));
        cases.add(new Case(photos.get(2).label() + ", every pixel decoded", photos.get(2), everyPixel));
        Map<String, Double> e2eCpuP50 = latencyTable(cases, probe);
        if (section == Section.ALL) {
            throughput(scorer, photos.get(2));
            onnxRuntimeSettings();
            PrecisionComparison.qualityGraph(shared(), work.resolve("precision"), heldOut, this::line);
            memory(photos);
            coldPath(photos.get(2));
            cost(photos, e2eCpuP50);
        }
    }

    /** A photo scored by a scorer. */
    private record Case(String label, Photo photo, PhotoScorer scorer) {
    }

    /** The latency table and the cost targets; returns each photo's end-to-end CPU p50 in milliseconds. */
    private Map<String, Double> latencyTable(List<Case> cases, StageProbe probe) throws Exception {
        line("## Latency, one thread (ms; stages: thread CPU time, median of " + STAGE_REPS + "; end to end: "
                + samples + " requests, wall clock and thread CPU time, the floor measured between them)");
        line("");
        StringBuilder header = new StringBuilder("| photo | bytes | decoded to |");
        StringBuilder rule = new StringBuilder("|---|---:|---|");
        for (Stage stage : Stage.values()) {
            header.append(' ').append(stage.label()).append(" |");
            rule.append("---:|");
        }
        header.append(" e2e p50 | e2e p99 | floor p50 | p50 / floor | p99 / floor | e2e CPU p50 | floor CPU p50 |"
                + " CPU p50 / floor |");
        rule.append("---:|---:|---:|---:|---:|---:|---:|---:|");
        line(header.toString());
        line(rule.toString());
        Map<String, Double> cpuP50s = new LinkedHashMap<>();
        Map<String, Double> cpuRatios = new LinkedHashMap<>();
        List<long[]> floors = new ArrayList<>();
        List<long[]> floorCpus = new ArrayList<>();
        for (Case c : cases) {
            PhotoScorer scorer = c.scorer();
            byte[] bytes = c.photo().bytes();
            DecodedPhoto decoded = scorer.decoder().decode(bytes);
            EnumMap<Stage, Samples> stages = stages(probe, scorer.decoder(), bytes);
            long[] e2e = new long[samples];
            long[] floor = new long[samples];
            long[] e2eCpu = new long[samples];
            long[] floorCpu = new long[samples];
            for (int i = -E2E_WARMUP; i < samples; i++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                scorer.score(bytes);
                long took = System.nanoTime() - start;
                long cpuTook = THREADS.getCurrentThreadCpuTime() - cpu;
                cpu = THREADS.getCurrentThreadCpuTime();
                long floorTook = probe.inferenceAlone();
                long floorCpuTook = THREADS.getCurrentThreadCpuTime() - cpu;
                if (i >= 0) {
                    e2e[i] = took;
                    floor[i] = floorTook;
                    e2eCpu[i] = cpuTook;
                    floorCpu[i] = floorCpuTook;
                }
            }
            floors.add(floor);
            floorCpus.add(floorCpu);
            Samples end = Samples.ofNanos(e2e);
            Samples base = Samples.ofNanos(floor);
            StringBuilder row = new StringBuilder("| " + c.label() + " | " + bytes.length + " | "
                    + decoded.width() + "x" + decoded.height() + " of " + decoded.originalWidth() + "x"
                    + decoded.originalHeight() + " |");
            for (Stage stage : Stage.values()) {
                row.append(' ').append(ms(stages.get(stage).p50())).append(" |");
            }
            row.append(' ').append(ms(end.p50())).append(" | ").append(ms(end.p99())).append(" | ")
                    .append(ms(base.p50())).append(" | ").append(ratio(end.p50() / base.p50())).append(" | ")
                    .append(ratio(end.p99() / base.p50())).append(" | ");
            Samples endCpu = Samples.ofNanos(e2eCpu);
            Samples baseCpu = Samples.ofNanos(floorCpu);
            cpuP50s.put(c.label(), endCpu.p50());
            cpuRatios.put(c.label(), endCpu.p50() / baseCpu.p50());
            row.append(ms(endCpu.p50())).append(" | ").append(ms(baseCpu.p50())).append(" | ")
                    .append(ratio(endCpu.p50() / baseCpu.p50())).append(" |");
            line(row.toString());
        }
        Samples allFloors = Samples.ofNanos(floors.stream().flatMapToLong(Arrays::stream).toArray());
        Samples allFloorCpus = Samples.ofNanos(floorCpus.stream().flatMapToLong(Arrays::stream).toArray());
        // The same inference back to back, its caches warm: the graph's own cost at this moment, beside the cost a
        // request pays after a decode has filled the caches with other data (the figure the targets are judged on).
        long[] backToBack = interleaved(Map.of("floor", probe), FLOOR_ROUNDS).get("floor").cpu();
        line("");
        line("Floor (inference alone on a ready " + probe.readyShape() + " tensor, " + allFloors.count()
                + " runs between the requests): p50 " + ms(allFloors.p50()) + " ms, p99 " + ms(allFloors.p99())
                + " ms; CPU p50 " + ms(allFloorCpus.p50()) + " ms (" + FLOOR_ROUNDS + " runs back to back after"
                + " them: CPU p50 " + ms(Samples.ofNanos(backToBack).p50()) + " ms). Ratios divide by the floor"
                + " measured beside that"
                + " photo's requests. CPU: the scoring thread's own CPU time (ONNX Runtime runs on the calling thread"
                + " with one intra-op thread), which time taken by other processes on the shared machine does not"
                + " inflate; the every-pixel row's area averaging splits a photo of more than 2 million pixels per"
                + " core across the common pool, whose CPU time that row leaves out.");
        line("");
        String twelve = cases.get(2).label();
        double twelveRatio = cpuRatios.get(twelve);
        line("## Cost targets (issue 14), by CPU time");
        line("");
        line("| target | result | |");
        line("|---|---|---|");
        line("| the model at the working size at most " + fixed(MODEL_TARGET_CPU_MS) + " ms of CPU, one thread | "
                + ms(allFloorCpus.p50()) + " ms (" + probe.readyShape() + ", p50 of " + allFloorCpus.count()
                + ") | " + (allFloorCpus.p50() <= MODEL_TARGET_CPU_MS ? "**met**" : "**not met**") + " |");
        line("| " + twelve + " end to end at most " + E2E_TARGET_RATIO + "x the model alone | " + ratio(twelveRatio)
                + "x (" + ms(cpuP50s.get(twelve)) + " ms) | " + (twelveRatio <= E2E_TARGET_RATIO ? "**met**"
                : "**not met**") + " |");
        line("");
        return cpuP50s;
    }

    private static EnumMap<Stage, Samples> stages(StageProbe probe, PhotoDecoder decoder, byte[] photo)
            throws Exception {
        EnumMap<Stage, long[]> nanos = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            nanos.put(stage, new long[STAGE_REPS]);
        }
        for (int i = -STAGE_WARMUP; i < STAGE_REPS; i++) {
            EnumMap<Stage, Long> one = probe.time(decoder, photo, THREADS::getCurrentThreadCpuTime);
            if (i >= 0) {
                for (Stage stage : Stage.values()) {
                    nanos.get(stage)[i] = one.get(stage);
                }
            }
        }
        EnumMap<Stage, Samples> result = new EnumMap<>(Stage.class);
        nanos.forEach((stage, values) -> result.put(stage, Samples.ofNanos(values)));
        return result;
    }

    /** Photos per second and process CPU milliseconds per photo of one run. */
    private record Rate(double photosPerSecond, double cpuMillisPerPhoto) {
    }

    private void throughput(PhotoScorer scorer, Photo photo) throws Exception {
        byte[] bytes = photo.bytes();
        List<List<Rate>> perThreads = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < 2; round++) {
            for (int threads = 1; threads <= 2; threads++) {
                perThreads.get(threads - 1).add(rate(scorer, bytes, threads));
            }
        }
        double one = perThreads.get(0).stream().mapToDouble(Rate::photosPerSecond).average().orElseThrow();
        line("## Throughput, " + photo.label() + " (" + THROUGHPUT_SECONDS + " s per run, runs alternated 1, 2, 1, 2;"
                + " CPU: the whole process's CPU time per photo, GC and JIT included)");
        line("");
        double oneCpu = perThreads.get(0).stream().mapToDouble(Rate::cpuMillisPerPhoto).average().orElseThrow();
        line("| threads | photos/s (each run) | mean | vs 1 thread | CPU ms per photo (each run) | vs 1 thread on"
                + " free cores (threads x CPU per photo at 1 / at n) |");
        line("|---:|---|---:|---:|---|---:|");
        for (int threads = 1; threads <= 2; threads++) {
            List<Rate> rates = perThreads.get(threads - 1);
            double mean = rates.stream().mapToDouble(Rate::photosPerSecond).average().orElseThrow();
            double cpu = rates.stream().mapToDouble(Rate::cpuMillisPerPhoto).average().orElseThrow();
            line("| " + threads + " | "
                    + String.join(", ", rates.stream().map(r -> fixed(r.photosPerSecond())).toList())
                    + " | " + fixed(mean) + " | " + ratio(mean / one) + " | "
                    + String.join(", ", rates.stream().map(r -> fixed(r.cpuMillisPerPhoto())).toList()) + " | "
                    + ratio(threads * oneCpu / cpu) + " |");
        }
        line("");
    }

    private static Rate rate(PhotoScorer scorer, byte[] photo, int threads) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong scored = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    scorer.score(photo);
                    scored.incrementAndGet();
                }
                return null;
            });
        }
        Thread.sleep(1000);
        long count = scored.get();
        long cpu = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        Thread.sleep(THROUGHPUT_SECONDS * 1000);
        long photos = scored.get() - count;
        Rate rate = new Rate(photos / ((System.nanoTime() - start) / 1e9),
                (PROCESS.getProcessCpuTime() - cpu) / 1e6 / photos);
        stop.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("scoring threads did not stop");
        }
        return rate;
    }

    private void onnxRuntimeSettings() {
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("as the scorer runs it (ONNX Runtime's default level), 1 intra-op thread", Map.of());
        settings.put("optLevel NO_OPT", Map.of("optLevel", "NO_OPT"));
        settings.put("optLevel BASIC_OPT", Map.of("optLevel", "BASIC_OPT"));
        settings.put("optLevel EXTENDED_OPT", Map.of("optLevel", "EXTENDED_OPT"));
        settings.put("optLevel ALL_OPT", Map.of("optLevel", "ALL_OPT"));
        settings.put("memory pattern off", Map.of("memoryPatternOptimization", "false"));
        settings.put("CPU arena off", Map.of("cpuArenaAllocator", "false"));
        settings.put("CPU arena and memory pattern off",
                Map.of("cpuArenaAllocator", "false", "memoryPatternOptimization", "false"));
        Map<String, Runs> runs = interleaved(settings);
        // Apart: ONNX Runtime's pool threads spin after each run and would slow whichever setting runs next.
        Map<String, Map<String, String>> twoThreads = new LinkedHashMap<>();
        twoThreads.put("default level, 2 intra-op threads (run apart; CPU: the calling thread's only)",
                Map.of("intraOpNumThreads", "2"));
        runs.putAll(interleaved(twoThreads));
        line("## Inference alone by ONNX Runtime setting (" + FLOOR_ROUNDS + " runs each, one-thread settings"
                + " interleaved)");
        line("");
        line("| setting | p50 ms | p99 ms | CPU p50 ms |");
        line("|---|---:|---:|---:|");
        runs.forEach((name, run) -> {
            Samples s = Samples.ofNanos(run.wall());
            line("| " + name + " | " + ms(s.p50()) + " | " + ms(s.p99()) + " | "
                    + ms(Samples.ofNanos(run.cpu()).p50()) + " |");
        });
        line("");
    }

    /** Inference alone under each setting, the settings taking turns run by run. */
    private Map<String, Runs> interleaved(Map<String, Map<String, String>> settings) {
        Map<String, StageProbe> probes = new LinkedHashMap<>();
        try {
            settings.forEach((name, options) -> probes.put(name, new StageProbe(modelDir, options)));
            return interleaved(probes, FLOOR_ROUNDS);
        } finally {
            probes.values().forEach(StageProbe::close);
        }
    }

    /** Durations of inference alone, in nanoseconds: wall clock and the calling thread's CPU time. */
    record Runs(long[] wall, long[] cpu) {
    }

    /** Inference alone on each probe, {@code rounds} times after 10 warm-up rounds, the probes taking turns. */
    static Map<String, Runs> interleaved(Map<String, StageProbe> probes, int rounds) {
        Map<String, Runs> runs = new LinkedHashMap<>();
        probes.keySet().forEach(name -> runs.put(name, new Runs(new long[rounds], new long[rounds])));
        for (int round = -10; round < rounds; round++) {
            for (Map.Entry<String, StageProbe> probe : probes.entrySet()) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long took = probe.getValue().inferenceAlone();
                long cpuTook = THREADS.getCurrentThreadCpuTime() - cpu;
                if (round >= 0) {
                    runs.get(probe.getKey()).wall()[round] = took;
                    runs.get(probe.getKey()).cpu()[round] = cpuTook;
                }
            }
        }
        return runs;
    }

    private void memory(List<Photo> photos) {
        line("## Memory (a fresh JVM with the functions' flags per line, scoring the photo 3 times; heap: the heap"
                + " pools' peak use, garbage included; resident: /proc/self/status)");
        line("");
        line("| photo | decode | -Xmx | fits | peak heap MiB | VmHWM MiB | VmRSS MiB |");
        line("|---|---|---:|---|---:|---:|---:|");
        for (Photo photo : photos) {
            memoryRow(photo, "reduced", "256m");
        }
        Photo largest = photos.get(3);
        memoryRow(largest, "reduced", "64m");
        memoryRow(largest, "full", "256m");
        memoryRow(largest, "full", "128m");
        line("");
    }

    private void memoryRow(Photo photo, String decode, String maxHeap) {
        List<String> flags = new ArrayList<>(FUNCTION_JVM);
        flags.add("-Xmx" + maxHeap);
        ChildJvm.Answer answer = ChildJvm.run(flags, MemoryProbe.class,
                List.of(modelDir.toString(), photo.file().toString(), decode, "3"));
        line("| " + photo.label() + " | " + decode + " | " + maxHeap + " | "
                + ("true".equals(answer.values().get("fits")) ? "yes"
                        : "**no** (" + answer.values().get("why") + ")")
                + " | " + fixed(answer.number("heapPeakMib")) + " | " + fixed(answer.number("vmHwmMib")) + " | "
                + fixed(answer.number("vmRssMib")) + " |");
    }

    private void coldPath(Photo photo) {
        line("## Cold path, " + photo.label() + " (a fresh JVM per run, " + COLD_REPS + " runs each, medians; priming"
                + " rounds score the 2 bundled photos; the Lambda runtime's JVM flags: "
                + String.join(" ", LAMBDA_RUNTIME_JVM) + "; the functions': those and template.yaml's"
                + " JAVA_TOOL_OPTIONS " + FUNCTION_JAVA_TOOL_OPTIONS + ")");
        line("");
        line("| JVM flags | priming rounds | spawn to JVM start | JVM start to main | model load | priming |"
                + " first request | second request | warm p50 | JVM start to first score | first request CPU |"
                + " warm CPU p50 | first / warm, CPU |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int rounds : new int[] {0, Priming.DEFAULT_ROUNDS}) {
            coldRow(photo, "the runtime's (C1 only)", LAMBDA_RUNTIME_JVM, rounds);
        }
        for (int rounds : new int[] {0, 1, Priming.DEFAULT_ROUNDS, 10}) {
            coldRow(photo, "the functions' (C1 and C2)", FUNCTION_JVM, rounds);
        }
        line("");
    }

    private void coldRow(Photo photo, String flagsLabel, List<String> jvmFlags, int rounds) {
        List<String> keys = List.of("spawn", "jvmToMainMs", "modelLoadMs", "primingMs", "firstRequestMs",
                "secondRequestMs", "warmP50Ms", "jvmToFirstScoreMs", "firstRequestCpuMs", "warmCpuP50Ms");
        Map<String, long[]> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k, new long[COLD_REPS]));
        for (int rep = 0; rep < COLD_REPS; rep++) {
            ChildJvm.Answer answer = ChildJvm.run(jvmFlags, ColdStart.class,
                    List.of(modelDir.toString(), photo.file().toString(), Integer.toString(rounds)));
            values.get("spawn")[rep] = (long) ((answer.number("jvmStartEpochMs") - answer.spawnedAtMillis())
                    * 1_000_000);
            for (String key : keys.subList(1, keys.size())) {
                values.get(key)[rep] = (long) (answer.number(key) * 1_000_000);
            }
        }
        StringBuilder row = new StringBuilder("| " + flagsLabel + " | " + rounds + " |");
        for (String key : keys) {
            row.append(' ').append(ms(Samples.ofNanos(values.get(key)).p50())).append(" |");
        }
        row.append(' ').append(ratio(Samples.ofNanos(values.get("firstRequestCpuMs")).p50()
                / Samples.ofNanos(values.get("warmCpuP50Ms")).p50())).append(" |");
        line(row.toString());
    }

    private void cost(List<Photo> photos, Map<String, Double> e2eCpuP50) {
        line("## AWS cost per 1,000 photos (list prices; Lambda at " + LAMBDA_MEMORY_MB + " MB = one full vCPU,"
                + " billed for the end-to-end CPU p50 above, what a request takes on a core of its own; + Lambda"
                + " requests $0.20 and HTTP API $1.00 per million)");
        line("");
        line("| photo | billed ms | Lambda x86 | Lambda arm64 | total x86 | total arm64 | Everypixel | Rekognition"
                + " image properties |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Photo photo : photos) {
            double millis = e2eCpuP50.get(photo.label());
            line(String.format(Locale.ROOT, "| %s | %.0f | $%.4f | $%.4f | $%.4f | $%.4f | $%.2f | $%.2f |",
                    photo.label(), Math.ceil(millis),
                    LambdaCost.computePer1000(millis, LAMBDA_MEMORY_MB, LambdaCost.X86_PER_GB_SECOND),
                    LambdaCost.computePer1000(millis, LAMBDA_MEMORY_MB, LambdaCost.ARM64_PER_GB_SECOND),
                    LambdaCost.totalPer1000(millis, LAMBDA_MEMORY_MB, LambdaCost.X86_PER_GB_SECOND),
                    LambdaCost.totalPer1000(millis, LAMBDA_MEMORY_MB, LambdaCost.ARM64_PER_GB_SECOND),
                    LambdaCost.EVERYPIXEL_PER_1000, LambdaCost.REKOGNITION_IMAGE_PROPERTIES_PER_1000));
        }
        line("");
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
