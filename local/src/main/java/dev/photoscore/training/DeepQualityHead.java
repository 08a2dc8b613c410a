package dev.photoscore.training;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The deep quality model's head: a linear ridge model on the backbone's pooled features, with the features'
 * standardisation and the groups' weights folded into one weight per raw feature, so the graph is one
 * {@code MatMul} and one {@code Add}: {@code mos = features · weights + bias}.
 */
record DeepQualityHead(DeepModelSearch.Candidate candidate, double penalty, double[] weights, double bias) {

    /** Name of the head graph's input, float [N, F]: the backbone's pooled features. */
    static final String INPUT = "features";
    /** Name of the head graph's output, float [N, 1]: the predicted mean opinion score, 0..100 scale, not clipped. */
    static final String OUTPUT = "mos";

    /** Fits a linear candidate on all of {@code training}, its penalty chosen by leave-one-out error. */
    static DeepQualityHead fit(DeepFeatureTable training, DeepModelSearch.Candidate candidate) {
        if (candidate.rbfWidth() != 0) {
            throw new IllegalArgumentException("only linear heads fold into one MatMul: " + candidate.describe());
        }
        Standardisation standardisation = Standardisation.fit(training.rows());
        float[][] standardised = standardisation.apply(training.rows());
        int width = standardised[0].length;
        // Each used feature's weight in the kernel; unused groups weigh 0.
        double[] featureWeights = new double[width];
        for (String name : candidate.groups()) {
            DeepFeatureTable.Group group = training.groups().stream().filter(g -> g.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no feature group " + name));
            double weight = DeepModelSearch.weight(candidate.weighting(), group);
            for (int j = group.from(); j < group.to(); j++) {
                featureWeights[j] = weight;
            }
        }
        float[][] weighted = new float[standardised.length][width];
        for (int i = 0; i < standardised.length; i++) {
            for (int j = 0; j < width; j++) {
                weighted[i][j] = (float) (standardised[i][j] * Math.sqrt(featureWeights[j]));
            }
        }
        double[][] gram = KernelRidge.linearGram(weighted, weighted);
        KernelRidge.Fit fit = KernelRidge.fit(gram, training.scores());
        // ŷ(x) = yMean + Σ_j (k(x, x_j) - rowMean - colMean_j + grand) α_j; Σ α_j = 0 drops the row and grand terms.
        double[] alpha = fit.alpha();
        double bias = fit.yMean();
        for (int j = 0; j < alpha.length; j++) {
            bias -= fit.columnMeans()[j] * alpha[j];
        }
        double[] inWeighted = new double[width];
        for (int i = 0; i < weighted.length; i++) {
            for (int j = 0; j < width; j++) {
                inWeighted[j] += alpha[i] * weighted[i][j];
            }
        }
        // Back to raw features: x_weighted = (x - mean) * inverseDeviation * sqrt(weight).
        double[] weights = new double[width];
        for (int j = 0; j < width; j++) {
            weights[j] = inWeighted[j] * standardisation.inverseDeviations()[j] * Math.sqrt(featureWeights[j]);
            bias -= weights[j] * standardisation.means()[j];
        }
        return new DeepQualityHead(candidate, fit.penalty(), weights, bias);
    }

    double predict(float[] features) {
        double sum = bias;
        for (int j = 0; j < weights.length; j++) {
            sum += weights[j] * features[j];
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

    /** The head as an ONNX graph (opset 13): {@value #INPUT} [N, F] in, {@value #OUTPUT} [N, 1] out. */
    OnnxMl.ModelProto toOnnx(List<OnnxMl.StringStringEntryProto> metadata) {
        int width = weights.length;
        ByteBuffer w = ByteBuffer.allocate(width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : weights) {
            w.putFloat((float) v);
        }
        ByteBuffer b = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) bias);
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("photoscore-deep-quality-head")
                .addInput(valueInfo(INPUT, width))
                .addOutput(valueInfo(OUTPUT, 1))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("head_weights")
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(width).addDims(1)
                        .setRawData(ByteString.copyFrom(w.array())))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("head_bias")
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(1)
                        .setRawData(ByteString.copyFrom(b.array())))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").setName("head_matmul")
                        .addInput(INPUT).addInput("head_weights").addOutput("head_product"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").setName("head_add")
                        .addInput("head_product").addInput("head_bias").addOutput(OUTPUT))
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("photoscore train")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .addAllMetadataProps(metadata)
                .build();
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
