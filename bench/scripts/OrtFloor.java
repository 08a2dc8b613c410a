import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quality graph's floor on the plain ONNX Runtime Java API, for comparing ONNX Runtime versions (run it with one
 * version's jar on the class path; {@code ort-floor.sh} alternates them) and session settings, and for ONNX Runtime's
 * own per-operator profile. Like the benchmark's floor: a ready 1x3x500x500 tensor of seeded uniform 0..255 values,
 * one intra-op and one inter-op thread, ONNX Runtime's default optimisation level, the calling thread's CPU time.
 *
 * <pre>
 * java -cp onnxruntime-VERSION.jar bench/scripts/OrtFloor.java MODEL.onnx RUNS [--profile] [KEY=VALUE...]
 * </pre>
 *
 * KEY=VALUE: a session configuration entry (e.g. {@code session.set_denormal_as_zero=1}), or {@code memoryPattern} or
 * {@code cpuArena} with {@code true} or {@code false}. Prints one line: the version, the settings, the CPU time's p10,
 * p50 and p90 in ms and the graph's first output; with {@code --profile} then the time per operator type per run
 * (ONNX Runtime's profiler, which adds a little to each run) and the 15 slowest nodes.
 */
public final class OrtFloor {

    private static final int SIDE = 500;
    private static final int WARM_UP = 10;
    private static final Pattern NODE = Pattern.compile(
            "\"dur\"\\s*:\\s*(\\d+).*\"name\"\\s*:\\s*\"([^\"]+)_kernel_time\".*\"op_name\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: OrtFloor MODEL.onnx RUNS [--profile] [KEY=VALUE...]");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[1]);
        boolean profile = false;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setInterOpNumThreads(1);
        options.setIntraOpNumThreads(1);
        StringBuilder settings = new StringBuilder();
        for (String arg : Arrays.copyOfRange(args, 2, args.length)) {
            if (arg.equals("--profile")) {
                profile = true;
                options.enableProfiling(Files.createTempDirectory("ort-profile").resolve("run").toString());
                continue;
            }
            String[] pair = arg.split("=", 2);
            switch (pair[0]) {
                case "memoryPattern" -> options.setMemoryPatternOptimization(Boolean.parseBoolean(pair[1]));
                case "cpuArena" -> options.setCPUArenaAllocator(Boolean.parseBoolean(pair[1]));
                default -> options.addConfigEntry(pair[0], pair[1]);
            }
            settings.append(' ').append(arg);
        }
        float[] chw = new float[3 * SIDE * SIDE];
        Random random = new Random(1);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat() * 255;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[runs];
        float first = Float.NaN;
        try (OrtSession session = env.createSession(args[0], options);
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, 3, SIDE, SIDE})) {
            String inputName = session.getInputNames().iterator().next();
            for (int run = -WARM_UP; run < runs; run++) {
                long start = threads.getCurrentThreadCpuTime();
                try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
                    long took = threads.getCurrentThreadCpuTime() - start;
                    if (run >= 0) {
                        cpu[run] = took;
                    }
                    first = ((float[][]) result.get(0).getValue())[0][0];
                }
            }
            Arrays.sort(cpu);
            System.out.printf("ONNX Runtime %s%s: CPU p10 %.2f p50 %.2f p90 %.2f ms (%d runs), first output %s%n",
                    env.getVersion(), settings.length() == 0 ? " defaults" : settings, cpu[runs / 10] / 1e6,
                    cpu[runs / 2] / 1e6, cpu[runs * 9 / 10] / 1e6, runs, first);
            if (profile) {
                printProfile(Path.of(session.endProfiling()), runs + WARM_UP);
            }
        }
    }

    /** Kernel time per operator type and the slowest nodes, in ms per run, from ONNX Runtime's profile. */
    private static void printProfile(Path file, int runs) throws Exception {
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byNode = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher node = NODE.matcher(line);
            if (line.contains("\"Node\"") && node.find()) {
                long micros = Long.parseLong(node.group(1));
                byType.merge(node.group(3), micros, Long::sum);
                byNode.merge(node.group(2) + " (" + node.group(3) + ")", micros, Long::sum);
            }
        }
        long total = byType.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("kernel time per run %.2f ms (profiled)%n", total / 1e3 / runs);
        byType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e ->
                System.out.printf("  %-24s %7.3f ms %5.1f %%%n", e.getKey(), e.getValue() / 1e3 / runs,
                        100.0 * e.getValue() / total));
        byNode.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15).forEach(e ->
                System.out.printf("    %-60s %7.3f ms%n", e.getKey(), e.getValue() / 1e3 / runs));
        Files.delete(file);
    }
}
