package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.photoscore.evaluation.Correlation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QualityRegressorTest {

    /** Names out of alphabetical order, so the graph must map Tribuo's sorted feature ids back to vector order. */
    private static final List<String> NAMES = List.of("z.sharp", "a.noise", "m.exposure", "c.constant", "b.junk");

    /**
     * A score of 0-100 that depends nonlinearly on three features, one of them long-tailed, ignores one and sees one
     * constant.
     */
    private static FeatureTable synthetic(int n, long seed) {
        Random random = new Random(seed);
        List<String> files = new ArrayList<>();
        double[] scores = new double[n];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            float sharp = (float) (random.nextDouble() * 10);
            float noise = (float) -Math.log(1 - random.nextDouble());
            float exposure = (float) random.nextDouble();
            rows[i] = new float[] {sharp, noise, exposure, 500f, (float) random.nextGaussian()};
            scores[i] = 30 + 5 * sharp - 8 * Math.log(noise + 0.01) - 60 * (exposure - 0.5) * (exposure - 0.5)
                    + random.nextGaussian();
            files.add("photo" + i + ".jpg");
        }
        return new FeatureTable(files, scores, NAMES, "test-features/1", rows);
    }

    @Test
    void onnxGraphPredictsWhatTheJavaModelPredicts() throws OrtException {
        FeatureTable train = synthetic(150, 1);
        FeatureTable test = synthetic(40, 2);
        for (ModelCandidate candidate : List.of(new ModelCandidate.RbfSvr(4, 0.5, 0.1), new ModelCandidate.LinearSvr(0.3, 0.1))) {
            QualityRegressor regressor = QualityRegressor.train(candidate, train, 7);
            double[] java = regressor.predict(test.rows());
            float[][] onnx = runOnnx(regressor.toOnnx(), test.rows());
            double maxDiff = 0;
            for (int i = 0; i < java.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(java[i] - onnx[i][0]));
            }
            assertTrue(maxDiff < 1e-3, candidate + ": max |java - onnx| = " + maxDiff);
            assertTrue(Correlation.spearman(java, test.scores()) > 0.8,
                    candidate + " learned the synthetic relation: " + Correlation.spearman(java, test.scores()));
        }
    }

    @Test
    void constantFeatureIsLeftOutLongTailedOneLoggedAndTheGraphRecordsTheFeatureSet() {
        QualityRegressor regressor = QualityRegressor.train(new ModelCandidate.LinearSvr(0.3, 0.1), synthetic(60, 3), 7);
        assertEquals(List.of("z.sharp", "a.noise", "m.exposure", "b.junk"), regressor.usedFeatures());
        assertEquals(List.of("a.noise"), regressor.logFeatures());
        OnnxMl.ModelProto proto = regressor.toOnnx();
        Map<String, String> metadata = new HashMap<>();
        proto.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
        assertEquals("test-features/1", metadata.get(QualityRegressor.FEATURE_VERSION_KEY));
        assertEquals(String.join(",", NAMES), metadata.get(QualityRegressor.FEATURE_NAMES_KEY));
        assertEquals(QualityRegressor.INPUT, proto.getGraph().getInput(0).getName());
        assertEquals(5, proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals(QualityRegressor.OUTPUT, proto.getGraph().getOutput(0).getName());
        assertFalse(proto.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("ai.onnx.ml")),
                "a linear model needs only standard operators");
    }

    @Test
    void wrongInputIsRejected() {
        QualityRegressor regressor = QualityRegressor.train(new ModelCandidate.LinearSvr(0.3, 0.1), synthetic(30, 4), 7);
        assertThrows(IllegalArgumentException.class, () -> regressor.predict(new float[3]));
        FeatureTable sameScore = new FeatureTable(List.of("a", "b", "c"), new double[] {5, 5, 5}, NAMES, "v",
                new float[][] {{1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, {3, 1, 2, 3, 4}});
        assertThrows(IllegalArgumentException.class,
                () -> QualityRegressor.train(new ModelCandidate.LinearSvr(0.3, 0.1), sameScore, 7));
    }

    static float[][] runOnnx(OnnxMl.ModelProto proto, float[][] rows) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(proto.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment, rows);
             OrtSession.Result result = session.run(Map.of(QualityRegressor.INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
