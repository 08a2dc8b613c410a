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
 * One ONNX graph from two: a backbone whose output {@value MobileNetTfliteConverter#OUTPUT} feeds a head, so a photo
 * is scored with one inference.
 */
public final class OnnxComposition {

    /** The prefix given to the head's internal names so that they cannot clash with the backbone's. */
    public static final String HEAD_PREFIX = "head/";

    private OnnxComposition() {
    }

    /**
     * The backbone's inputs, the backbone's nodes, then the head's nodes reading the backbone's
     * {@value MobileNetTfliteConverter#OUTPUT} where the head read its one input (whatever its name); the graph's
     * outputs are the head's outputs, names kept (e.g. {@code mos}). The head's other names are prefixed with
     * {@value #HEAD_PREFIX}; initializers of both are kept; each domain's operator set is the higher of the two;
     * the metadata of both is kept (a head key that the backbone also has, with another value, gets the prefix).
     */
    public static ModelProto compose(ModelProto backbone, ModelProto head) {
        String features = MobileNetTfliteConverter.OUTPUT;
        GraphProto b = backbone.getGraph();
        GraphProto h = head.getGraph();
        ValueInfoProto backboneOutput = b.getOutputList().stream().filter(o -> o.getName().equals(features))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the backbone has no output '"
                        + features + "'"));
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
        Set<String> backboneNames = names(b);
        Map<String, String> rename = new LinkedHashMap<>();
        rename.put(headInput.getName(), features);
        rename.put("", "");
        for (ValueInfoProto output : h.getOutputList()) {
            if (backboneNames.contains(output.getName())) {
                throw new IllegalArgumentException("the head's output '" + output.getName()
                        + "' is also a name in the backbone");
            }
            rename.put(output.getName(), output.getName());
        }

        GraphProto.Builder graph = b.toBuilder().setName(b.getName() + "+" + h.getName()).clearOutput();
        for (NodeProto node : h.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                    throw new IllegalArgumentException("the head's node " + node.getName()
                            + " has a subgraph, which composition does not rename");
                }
            }
            NodeProto.Builder renamed = node.toBuilder().clearInput().clearOutput()
                    .setName(node.getName().isEmpty() ? "" : HEAD_PREFIX + node.getName());
            node.getInputList().forEach(name -> renamed.addInput(renamed(name, rename)));
            node.getOutputList().forEach(name -> renamed.addOutput(renamed(name, rename)));
            graph.addNode(renamed);
        }
        for (TensorProto initializer : h.getInitializerList()) {
            graph.addInitializer(initializer.toBuilder().setName(renamed(initializer.getName(), rename)));
        }
        for (ValueInfoProto info : h.getValueInfoList()) {
            graph.addValueInfo(info.toBuilder().setName(renamed(info.getName(), rename)));
        }
        graph.addAllOutput(h.getOutputList());

        ModelProto.Builder model = backbone.toBuilder().clearOpsetImport().clearMetadataProps().setGraph(graph)
                .setIrVersion(Math.max(backbone.getIrVersion(), head.getIrVersion()))
                .setDocString(backbone.getDocString() + (head.getDocString().isEmpty() ? ""
                        : "\nHead: " + head.getDocString()));
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto opset : backbone.getOpsetImportList()) {
            opsets.merge(opset.getDomain(), opset.getVersion(), Math::max);
        }
        for (OperatorSetIdProto opset : head.getOpsetImportList()) {
            opsets.merge(opset.getDomain(), opset.getVersion(), Math::max);
        }
        opsets.forEach((domain, version) -> model.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        Map<String, String> metadata = new LinkedHashMap<>();
        backbone.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
        for (StringStringEntryProto p : head.getMetadataPropsList()) {
            String existing = metadata.get(p.getKey());
            metadata.put(existing == null || existing.equals(p.getValue()) ? p.getKey() : "head." + p.getKey(),
                    p.getValue());
        }
        metadata.forEach((key, value) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    private static String renamed(String name, Map<String, String> rename) {
        return rename.getOrDefault(name, HEAD_PREFIX + name);
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
