package dev.photoscore.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as plain maps and lists, CloudFormation's short-form tags turned into their long form as CloudFormation
 * reads them ({@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt A.B} is {@code {Fn::GetAtt: [A, B]}}, {@code !Sub s}
 * is {@code {Fn::Sub: s}}, ...), so that checks see one form only.
 */
final class SamTemplate {

    /** Every short-form tag CloudFormation knows, by the long form it stands for. */
    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("Ref", "Ref"),
            Map.entry("Condition", "Condition"),
            Map.entry("GetAtt", "Fn::GetAtt"),
            Map.entry("Sub", "Fn::Sub"),
            Map.entry("If", "Fn::If"),
            Map.entry("Equals", "Fn::Equals"),
            Map.entry("Not", "Fn::Not"),
            Map.entry("And", "Fn::And"),
            Map.entry("Or", "Fn::Or"),
            Map.entry("Select", "Fn::Select"),
            Map.entry("Split", "Fn::Split"),
            Map.entry("Join", "Fn::Join"),
            Map.entry("FindInMap", "Fn::FindInMap"),
            Map.entry("Base64", "Fn::Base64"),
            Map.entry("Cidr", "Fn::Cidr"),
            Map.entry("GetAZs", "Fn::GetAZs"),
            Map.entry("ImportValue", "Fn::ImportValue"),
            Map.entry("Transform", "Fn::Transform"),
            Map.entry("Contains", "Fn::Contains"),
            Map.entry("EachMemberEquals", "Fn::EachMemberEquals"),
            Map.entry("EachMemberIn", "Fn::EachMemberIn"),
            Map.entry("RefAll", "Fn::RefAll"),
            Map.entry("ValueOf", "Fn::ValueOf"),
            Map.entry("ValueOfAll", "Fn::ValueOfAll"));

    /** What a {@code Ref} may name besides parameters and resources. */
    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static SamTemplate read(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new CloudFormationConstructor(options));
        try (Reader in = Files.newBufferedReader(file)) {
            return new SamTemplate(yaml.load(in));
        }
    }

    /** The repository root: the build says where; else the nearest folder above holding template.yaml. */
    static Path repositoryRoot() {
        String root = System.getProperty("photoscore.root");
        if (root != null && Files.isRegularFile(Path.of(root, "template.yaml"))) {
            return Path.of(root);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static SamTemplate readRepositoryTemplate() throws IOException {
        return read(repositoryRoot().resolve("template.yaml"));
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()));
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    /** The resources of a type, by logical id. */
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    /** A property of a serverless function, falling back to {@code Globals.Function} as SAM does. */
    Object functionProperty(Map<String, Object> function, String name) {
        Object own = properties(function).get(name);
        if (own != null) {
            return own;
        }
        return map(section("Globals").getOrDefault("Function", Map.of())).get(name);
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return map(resource.getOrDefault("Properties", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return value == null ? List.of() : List.of(value);
    }

    /**
     * Calls {@code visitor} with every mapping in the tree under {@code node} and the path to it (keys and list
     * indices joined with '/'), outermost first.
     */
    static void walk(Object node, String path, BiConsumer<String, Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> mapping) {
            visitor.accept(path, map(mapping));
            mapping.forEach((key, value) -> walk(value, path + "/" + key, visitor));
        } else if (node instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "/" + i, visitor);
            }
        }
    }

    /** A SnakeYAML constructor that reads CloudFormation's tags into their long form. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            TAGS.forEach((shortName, longName) -> yamlConstructors.put(new Tag("!" + shortName),
                    new IntrinsicFunction(longName)));
        }

        private final class IntrinsicFunction extends AbstractConstruct {
            private final String name;

            IntrinsicFunction(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object argument;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    argument = name.equals("Fn::GetAtt") ? getAttArguments(text, node) : text;
                } else if (node instanceof SequenceNode sequence) {
                    argument = new ArrayList<>(constructSequence(sequence));
                } else {
                    argument = new LinkedHashMap<>(constructMapping((MappingNode) node));
                }
                Map<String, Object> function = new LinkedHashMap<>();
                function.put(name, argument);
                return function;
            }

            /** {@code !GetAtt Resource.Attribute} splits at the first dot; the long form takes a list. */
            private static List<Object> getAttArguments(String text, Node node) {
                int dot = text.indexOf('.');
                if (dot < 1) {
                    throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, not '" + text + "' "
                            + node.getStartMark());
                }
                return List.of(text.substring(0, dot), text.substring(dot + 1));
            }
        }
    }
}
