package dev.photoscore.training;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/** Standard ONNX operators the feature transform needs that Tribuo's {@link ONNXOperators} does not list. */
enum OnnxMath implements ONNXOperator {
    /** Element-wise natural logarithm. */
    LOG("Log", 1),
    /** Element-wise maximum of two broadcastable tensors. */
    MAX("Max", 2);

    private final String name;
    private final int inputs;

    OnnxMath(String name, int inputs) {
        this.name = name;
        this.inputs = inputs;
    }

    @Override
    public String getOpName() {
        return name;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Collections.emptyMap();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Collections.emptySet();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    /** The default ONNX domain, as Tribuo writes it. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
