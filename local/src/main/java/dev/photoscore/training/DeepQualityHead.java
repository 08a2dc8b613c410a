package dev.photoscore.training;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The deep quality model's head: kernel ridge regression on the backbone's pooled features, fitted on all training
 * photos with the penalty of least leave-one-out error. The features are standardised and each group weighed
 * ({@code z = (x - mean) * scale}); then
 * <ul>
 *   <li>linear kernel: everything folds into one weight per raw feature, {@code mos = x · weights + bias};</li>
 *   <li>Gaussian kernel: {@code mos = bias + Σ_j α_j exp(-|z - z_j|² / width)} over the training photos' {@code z_j}
 *       (kept in the graph).</li>
 * </ul>
 *
 * @param candidate the searched candidate it was fitted as
 * @param penalty   the ridge penalty chosen by leave-one-out error
 * @param means     per-feature standardisation means
 * @param scales    per-feature {@code sqrt(group weight) / deviation} (0 for a feature left out or constant)
 * @param support   Gaussian kernel: the training photos' {@code z}; linear: null
 * @param width     Gaussian kernel: the width the squared distances are divided by; linear: 0
 * @param alpha     Gaussian kernel: the dual coefficients; linear: the weights of the raw features
 * @param bias      the constant term
 */
record DeepQualityHead(DeepModelSearch.Candidate candidate, double penalty, double[] means, double[] scales,
                       float[][] support, double width, double[] alpha, double bias) {

    /** Name of the head graph's input, float [N, F]: the backbone's pooled features. */
    static final String INPUT = "features";
    /** Name of the head graph's output, float [N, 1]: the predicted mean opinion score, 0..100 scale, not clipped. */
    static final String OUTPUT = "mos";

    /** Fits {@code candidate} on all of {@code training}, its penalty chosen by leave-one-out error. */
    static DeepQualityHead fit(DeepFeatureTable training, DeepModelSearch.Candidate candidate) {
        Standardisation standardisation = Standardisation.fit(training.rows());
        int width = training.rows()[0].length;
        double[] scales = new double[width];
        for (String name : candidate.groups()) {
            DeepFeatureTable.Group group = training.groups().stream().filter(g -> g.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no feature group " + name));
            double weight = Math.sqrt(DeepModelSearch.weight(group));
            for (int j = group.from(); j < group.to(); j++) {
                scales[j] = weight * standardisation.inverseDeviations()[j];
            }
        }
        double[] means = standardisation.means();
        float[][] z = new float[training.size()][width];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < width; j++) {
                z[i][j] = (float) ((training.rows()[i][j] - means[j]) * scales[j]);
            }
        }
        double[][] gram = KernelRidge.linearGram(z, z);
        double kernelWidth = 0;
        if (candidate.rbfWidth() != 0) {
            kernelWidth = candidate.rbfWidth() * DeepModelSearch.medianSquaredDistance(gram);
            gram = DeepModelSearch.gaussian(gram, kernelWidth);
        }
        KernelRidge.Fit fit = KernelRidge.fit(gram, training.scores());
        // ŷ(x) = yMean + Σ_j (k(x, x_j) - rowMean - colMean_j + grand) α_j; Σ α_j = 0 drops the row and grand terms.
        double bias = fit.yMean();
        for (int j = 0; j < fit.alpha().length; j++) {
            bias -= fit.columnMeans()[j] * fit.alpha()[j];
        }
        if (candidate.rbfWidth() != 0) {
            return new DeepQualityHead(candidate, fit.penalty(), means, scales, z, kernelWidth, fit.alpha(), bias);
        }
        // Linear: Σ_j α_j z·z_j = x · w - mean · w with w_f = scale_f Σ_j α_j z_jf.
        double[] weights = new double[width];
        for (int i = 0; i < z.length; i++) {
            for (int f = 0; f < width; f++) {
                weights[f] += fit.alpha()[i] * z[i][f];
            }
        }
        for (int f = 0; f < width; f++) {
            weights[f] *= scales[f];
            bias -= weights[f] * means[f];
        }
        return new DeepQualityHead(candidate, fit.penalty(), means, scales, null, 0, weights, bias);
    }

    double predict(float[] features) {
        if (support == null) {
            double sum = bias;
            for (int f = 0; f < alpha.length; f++) {
                sum += alpha[f] * features[f];
            }
            return sum;
        }
        double[] z = new double[features.length];
        for (int f = 0; f < z.length; f++) {
            z[f] = (features[f] - means[f]) * scales[f];
        }
        double sum = bias;
        for (int j = 0; j < support.length; j++) {
            double d = 0;
            for (int f = 0; f < z.length; f++) {
                double diff = z[f] - support[j][f];
                d += diff * diff;
            }
            sum += alpha[j] * Math.exp(-d / width);
        }
        return sum;
    }

    double[] predict(float[][] rows) {
        double[] predictions = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            predictions[i] = predict(rows[i]);
        }
        return predictions;
    }

    String kernel() {
        return support == null ? "linear" : "gaussian, width " + candidate.rbfWidth() + " x median squared distance";
    }

    /** The head as an ONNX graph (opset 13): {@value #INPUT} [N, F] in, {@value #OUTPUT} [N, 1] out. */
    OnnxMl.ModelProto toOnnx(List<OnnxMl.StringStringEntryProto> metadata) {
        return toOnnx("photoscore-deep-quality-head", OUTPUT, metadata);
    }

    /**
     * The head as an ONNX graph (opset 13) named {@code name}: {@value #INPUT} [N, F] in, {@code output} [N, 1] out
     * (a head fitted on other targets than opinion scores, such as the collage classifier's).
     */
    OnnxMl.ModelProto toOnnx(String name, String output, List<OnnxMl.StringStringEntryProto> metadata) {
        int features = means.length;
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder()
                .setName(name)
                .addInput(valueInfo(INPUT, features))
                .addOutput(valueInfo(output, 1));
        if (support == null) {
            graph.addInitializer(floats("weights", alpha, features, 1))
                    .addInitializer(floats("bias", new double[] {bias}, 1))
                    .addNode(node("MatMul", INPUT, "weights", "product"))
                    .addNode(node("Add", "product", "bias", output));
        } else {
            int n = support.length;
            double[] flat = new double[n * features];
            double[] norms = new double[n];
            for (int j = 0; j < n; j++) {
                for (int f = 0; f < features; f++) {
                    flat[f * n + j] = support[j][f];
                    norms[j] += (double) support[j][f] * support[j][f];
                }
            }
            graph.addInitializer(floats("means", means, 1, features))
                    .addInitializer(floats("scales", scales, 1, features))
                    .addInitializer(floats("support_t", flat, features, n))
                    .addInitializer(floats("support_norms", norms, 1, n))
                    .addInitializer(floats("minus_two", new double[] {-2}, 1))
                    .addInitializer(floats("minus_inverse_width", new double[] {-1 / width}, 1))
                    .addInitializer(floats("alpha", alpha, n, 1))
                    .addInitializer(floats("bias", new double[] {bias}, 1))
                    .addNode(node("Sub", INPUT, "means", "centred"))
                    .addNode(node("Mul", "centred", "scales", "z"))
                    .addNode(node("ReduceSumSquare", "z", null, "z_norms").toBuilder()
                            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                                    .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(1))
                            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                                    .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                    .addNode(node("MatMul", "z", "support_t", "cross"))
                    .addNode(node("Mul", "cross", "minus_two", "minus_two_cross"))
                    .addNode(node("Add", "minus_two_cross", "support_norms", "partial"))
                    .addNode(node("Add", "partial", "z_norms", "squared_distances"))
                    .addNode(node("Mul", "squared_distances", "minus_inverse_width", "exponents"))
                    .addNode(node("Exp", "exponents", null, "kernel"))
                    .addNode(node("MatMul", "kernel", "alpha", "weighted"))
                    .addNode(node("Add", "weighted", "bias", output));
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("photoscore train")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .addAllMetadataProps(metadata)
                .build();
    }

    private static OnnxMl.NodeProto node(String op, String a, String b, String out) {
        OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addInput(a);
        if (b != null) {
            node.addInput(b);
        }
        return node.addOutput(out).build();
    }

    private static OnnxMl.TensorProto floats(String name, double[] values, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putFloat((float) v);
        }
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : shape) {
            tensor.addDims(d);
        }
        return tensor.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int width) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
                .build();
    }
}
