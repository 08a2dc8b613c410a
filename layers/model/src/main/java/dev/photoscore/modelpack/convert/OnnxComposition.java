package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX graph from a backbone whose output {@value MobileNetTfliteConverter#OUTPUT} feeds one or more heads (the
 * quality head, the collage classifier), so a photo is scored with one inference.
 */
public final class OnnxComposition {

    /** The prefix given to the head's internal names so that they cannot clash with the backbone's. */
    public static final String HEAD_PREFIX = "head/";

    private OnnxComposition() {
    }

    /** {@link #compose(ModelProto, List)} with one head. */
    public static ModelProto compose(ModelProto backbone, ModelProto head) {
        return compose(backbone, List.of(head));
    }

    /**
     * The backbone's inputs, the backbone's nodes, then each head's nodes reading the backbone's
     * {@value MobileNetTfliteConverter#OUTPUT} where the head read its one input (whatever its name); the graph's
     * outputs are the heads' outputs in order, names kept (e.g. {@code mos}, then {@code collage}), so one inference
     * gives them all. The first head's other names are prefixed with {@value #HEAD_PREFIX}, the next ones' with
     * {@code head2/}, {@code head3/} and so on; initializers are kept; each domain's operator set is the highest of
     * all; the metadata of all is kept (a head key that is already there, with another value, gets its head's
     * prefix without the slash and a dot, e.g. {@code head.} for the first head).
     */
    public static ModelProto compose(ModelProto backbone, List<ModelProto> heads) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("no head to compose with the backbone");
        }
        String features = MobileNetTfliteConverter.OUTPUT;
        GraphProto b = backbone.getGraph();
        ValueInfoProto backboneOutput = b.getOutputList().stream().filter(o -> o.getName().equals(features))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the backbone has no output '"
                        + features + "'"));
        Set<String> backboneNames = names(b);
        Set<String> outputs = new HashSet<>();
        GraphProto.Builder graph = b.toBuilder().clearOutput();
        StringBuilder name = new StringBuilder(b.getName());
        StringBuilder docString = new StringBuilder(backbone.getDocString());
        long irVersion = backbone.getIrVersion();
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto opset : backbone.getOpsetImportList()) {
            opsets.merge(opset.getDomain(), opset.getVersion(), Math::max);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        backbone.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
        for (int i = 0; i < heads.size(); i++) {
            ModelProto head = heads.get(i);
            String prefix = i == 0 ? HEAD_PREFIX : "head" + (i + 1) + "/";
            GraphProto h = head.getGraph();
            addHead(graph, h, prefix, backboneOutput, backboneNames, outputs);
            name.append('+').append(h.getName());
            if (!head.getDocString().isEmpty()) {
                docString.append("\nHead: ").append(head.getDocString());
            }
            irVersion = Math.max(irVersion, head.getIrVersion());
            for (OperatorSetIdProto opset : head.getOpsetImportList()) {
                opsets.merge(opset.getDomain(), opset.getVersion(), Math::max);
            }
            for (StringStringEntryProto p : head.getMetadataPropsList()) {
                String existing = metadata.get(p.getKey());
                metadata.put(existing == null || existing.equals(p.getValue()) ? p.getKey()
                        : prefix.substring(0, prefix.length() - 1) + "." + p.getKey(), p.getValue());
            }
        }
        graph.setName(name.toString());
        ModelProto.Builder model = backbone.toBuilder().clearOpsetImport().clearMetadataProps().setGraph(graph)
                .setIrVersion(irVersion).setDocString(docString.toString());
        opsets.forEach((domain, version) -> model.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        metadata.forEach((key, value) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    /** Adds one head's nodes, initializers, value infos and outputs to the graph, its names prefixed. */
    private static void addHead(GraphProto.Builder graph, GraphProto h, String prefix, ValueInfoProto backboneOutput,
                                Set<String> backboneNames, Set<String> outputs) {
        Set<String> headInitializers = new HashSet<>();
        h.getInitializerList().forEach(t -> headInitializers.add(t.getName()));
        List<ValueInfoProto> headInputs = h.getInputList().stream()
                .filter(i -> !headInitializers.contains(i.getName())).toList();
        if (headInputs.size() != 1) {
            throw new IllegalArgumentException("the head must have exactly one input (the features), it has "
                    + headInputs.stream().map(ValueInfoProto::getName).toList());
        }
        ValueInfoProto headInput = headInputs.get(0);
        long backboneWidth = lastDim(backboneOutput);
        long headWidth = lastDim(headInput);
        if (backboneWidth > 0 && headWidth > 0 && backboneWidth != headWidth) {
            throw new IllegalArgumentException("the head takes " + headWidth + " features, the backbone computes "
                    + backboneWidth);
        }
        Map<String, String> rename = new LinkedHashMap<>();
        rename.put(headInput.getName(), backboneOutput.getName());
        rename.put("", "");
        for (ValueInfoProto output : h.getOutputList()) {
            if (backboneNames.contains(output.getName())) {
                throw new IllegalArgumentException("the head's output '" + output.getName()
                        + "' is also a name in the backbone");
            }
            if (!outputs.add(output.getName())) {
                throw new IllegalArgumentException("two heads have the output '" + output.getName() + "'");
            }
            rename.put(output.getName(), output.getName());
        }
        for (NodeProto node : h.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                    throw new IllegalArgumentException("the head's node " + node.getName()
                            + " has a subgraph, which composition does not rename");
                }
            }
            NodeProto.Builder renamed = node.toBuilder().clearInput().clearOutput()
                    .setName(node.getName().isEmpty() ? "" : prefix + node.getName());
            node.getInputList().forEach(name -> renamed.addInput(renamed(name, rename, prefix)));
            node.getOutputList().forEach(name -> renamed.addOutput(renamed(name, rename, prefix)));
            graph.addNode(renamed);
        }
        for (TensorProto initializer : h.getInitializerList()) {
            graph.addInitializer(initializer.toBuilder().setName(renamed(initializer.getName(), rename, prefix)));
        }
        for (ValueInfoProto info : h.getValueInfoList()) {
            graph.addValueInfo(info.toBuilder().setName(renamed(info.getName(), rename, prefix)));
        }
        graph.addAllOutput(h.getOutputList());
    }

    private static String renamed(String name, Map<String, String> rename, String prefix) {
        return rename.getOrDefault(name, prefix + name);
    }

    /** Every value, node and initializer name of a graph. */
    private static Set<String> names(GraphProto graph) {
        Set<String> names = new HashSet<>();
        graph.getInputList().forEach(i -> names.add(i.getName()));
        graph.getInitializerList().forEach(i -> names.add(i.getName()));
        for (NodeProto node : graph.getNodeList()) {
            names.add(node.getName());
            names.addAll(node.getInputList());
            names.addAll(node.getOutputList());
        }
        return names;
    }

    /** The size of the last dimension when it is fixed, else -1. */
    private static long lastDim(ValueInfoProto info) {
        var shape = info.getType().getTensorType().getShape();
        if (shape.getDimCount() == 0) {
            return -1;
        }
        var last = shape.getDim(shape.getDimCount() - 1);
        return last.hasDimValue() ? last.getDimValue() : -1;
    }
}
