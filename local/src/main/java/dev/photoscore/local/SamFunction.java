package dev.photoscore.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One {@code AWS::Serverless::Function} of a SAM template, as {@code sam local invoke} reads it: its handler
 * ({@code package.Class::method}) and the environment variables it declares (the template's Globals first, then the
 * function's own). A variable whose value is an intrinsic function ({@code !Ref}, {@code !Sub}, ...) has no value
 * before deployment: it is declared without one, for {@code --env-vars} to give.
 *
 * @param name      the function's logical id
 * @param handler   the handler as the template names it
 * @param variables the declared variables, in the template's order
 * @param values    the values the template gives them (the plain ones)
 */
record SamFunction(String name, String handler, Set<String> variables, Map<String, String> values) {

    static final String FUNCTION_TYPE = "AWS::Serverless::Function";

    /** The function {@code name} of the template; an unknown name is refused with the names the template has. */
    static SamFunction read(Path template, String name) throws IOException {
        Node root;
        try (Reader in = Files.newBufferedReader(template)) {
            // Composed, not constructed: CloudFormation's short-form tags (!Ref, !Sub, ...) stay tags on the nodes.
            root = new Yaml(new LoaderOptions()).compose(in);
        }
        Optional<Node> resources = child(root, "Resources");
        List<String> functions = new ArrayList<>();
        Node function = null;
        if (resources.isPresent() && resources.get() instanceof MappingNode mapping) {
            for (NodeTuple resource : mapping.getValue()) {
                String id = scalar(resource.getKeyNode()).orElse("");
                if (child(resource.getValueNode(), "Type").flatMap(SamFunction::scalar)
                        .filter(FUNCTION_TYPE::equals).isPresent()) {
                    functions.add(id);
                    if (id.equals(name)) {
                        function = resource.getValueNode();
                    }
                }
            }
        }
        if (function == null) {
            throw new IllegalArgumentException("the template " + template + " has no function " + name
                    + (functions.isEmpty() ? "" : "; its functions: " + String.join(", ", functions)));
        }
        Node properties = child(function, "Properties").orElse(null);
        String handler = child(properties, "Handler").flatMap(SamFunction::scalar).orElseThrow(
                () -> new IllegalArgumentException("the function " + name + " names no Handler in " + template));
        Set<String> variables = new LinkedHashSet<>();
        Map<String, String> values = new LinkedHashMap<>();
        Node globals = child(root, "Globals").flatMap(g -> child(g, "Function")).orElse(null);
        for (Node declaring : Arrays.asList(globals, properties)) {
            Node declared = child(declaring, "Environment").flatMap(e -> child(e, "Variables")).orElse(null);
            if (declared instanceof MappingNode mapping) {
                for (NodeTuple variable : mapping.getValue()) {
                    scalar(variable.getKeyNode()).ifPresent(key -> {
                        variables.add(key);
                        scalar(variable.getValueNode()).ifPresentOrElse(value -> values.put(key, value),
                                () -> values.remove(key));
                    });
                }
            }
        }
        return new SamFunction(name, handler, Set.copyOf(variables), Map.copyOf(values));
    }

    private static Optional<Node> child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (scalar(tuple.getKeyNode()).filter(key::equals).isPresent()) {
                    return Optional.of(tuple.getValueNode());
                }
            }
        }
        return Optional.empty();
    }

    /** A plain scalar's text; empty for a tagged one (an intrinsic function), a list or a map. */
    private static Optional<String> scalar(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().getValue().startsWith(Tag.PREFIX)
                && !Tag.NULL.equals(scalar.getTag()) ? Optional.of(scalar.getValue()) : Optional.empty();
    }
}
