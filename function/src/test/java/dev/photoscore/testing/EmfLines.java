package dev.photoscore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The lines a Lambda writes in CloudWatch's embedded metric format, captured from stdout and read as CloudWatch does. */
public final class EmfLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfLines() {
    }

    /**
     * One EMF document: its metrics' units by name, its dimension sets (each the dimensions' values by name), and the
     * metrics' values by name.
     */
    public record Document(String namespace, Map<String, String> units, List<Map<String, String>> dimensions,
                           Map<String, Double> values) {
    }

    public interface Call<T> {
        T run() throws Exception;
    }

    /** Runs {@code call} with stdout captured, and adds every EMF document it printed to {@code documents}. */
    public static <T> T capture(List<Document> documents, Call<T> call) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        T result;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            result = call.run();
        } finally {
            System.setOut(original);
        }
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                documents.add(parse(JSON.readTree(line)));
            }
        }
        return result;
    }

    /** A line as CloudWatch reads it: the _aws metadata names the metrics and dimensions, the root holds values. */
    public static Document parse(JsonNode line) {
        JsonNode directives = line.path("_aws").path("CloudWatchMetrics");
        assertEquals(1, directives.size(), line.toString());
        assertTrue(line.path("_aws").path("Timestamp").asLong() > 0, line.toString());
        JsonNode directive = directives.get(0);
        Map<String, String> units = new HashMap<>();
        Map<String, Double> values = new HashMap<>();
        for (JsonNode metric : directive.path("Metrics")) {
            String name = metric.path("Name").asText();
            units.put(name, metric.path("Unit").asText());
            assertTrue(line.path(name).isNumber(), name + " has no value in " + line);
            values.put(name, line.path(name).asDouble());
        }
        List<Map<String, String>> dimensions = new ArrayList<>();
        for (JsonNode set : directive.path("Dimensions")) {
            Map<String, String> named = new HashMap<>();
            set.forEach(name -> named.put(name.asText(), line.path(name.asText()).asText()));
            dimensions.add(named);
        }
        return new Document(directive.path("Namespace").asText(), units, dimensions, values);
    }
}
