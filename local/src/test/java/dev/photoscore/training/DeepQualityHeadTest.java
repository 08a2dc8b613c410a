package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.modelpack.convert.BackboneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeepQualityHeadTest {

    private static final List<DeepFeatureTable.Group> GROUPS = List.of(
            new DeepFeatureTable.Group("Conv2d_11_pointwise.mean", 0, 6),
            new DeepFeatureTable.Group("Conv2d_11_pointwise.std", 6, 10),
            new DeepFeatureTable.Group("Conv2d_13_pointwise.mean", 10, 20),
            new DeepFeatureTable.Group("Conv2d_13_pointwise.std", 20, 24));

    /** Non-negative features (as ReLU6 averages are) on their own scales; the score depends on a few of them. */
    private static DeepFeatureTable table(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> files = new ArrayList<>();
        double[] scores = new double[n];
        float[][] rows = new float[n][24];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 24; j++) {
                rows[i][j] = (float) ((j + 1) * random.nextDouble());
            }
            rows[i][7] = 0.5f; // a channel that never varies
            files.add("p" + i + ".png");
            scores[i] = 40 + 3 * rows[i][0] - 1.5 * rows[i][12] + 0.5 * rows[i][20] * rows[i][3];
        }
        return new DeepFeatureTable(files, scores, rows, GROUPS);
    }

    @Test
    void linearAndGaussianHeadsPredictUnseenPhotosAndTheirGraphsAgree() throws OrtException {
        DeepFeatureTable train = table(150, 1);
        DeepFeatureTable test = table(40, 2);
        List<String> groups = DeepSearchGrid.groups(new int[] {11, 13},
                List.of(BackboneSpec.Statistic.MEAN, BackboneSpec.Statistic.STD));
        for (double width : new double[] {0, 3}) {
            DeepQualityHead head = DeepQualityHead.fit(train,
                    new DeepModelSearch.Candidate(groups, width));
            double[] predicted = head.predict(test.rows());
            assertTrue(Correlation.spearman(predicted, test.scores()) > 0.8,
                    head.kernel() + ": " + Correlation.spearman(predicted, test.scores()));
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession session = environment.createSession(head.toOnnx(List.of()).toByteArray(),
                    new OrtSession.SessionOptions());
                 OnnxTensor input = OnnxTensor.createTensor(environment, test.rows());
                 OrtSession.Result result = session.run(Map.of(DeepQualityHead.INPUT, input))) {
                float[][] graph = (float[][]) result.get(DeepQualityHead.OUTPUT).orElseThrow().getValue();
                for (int i = 0; i < predicted.length; i++) {
                    assertEquals(predicted[i], graph[i][0], 1e-3 * Math.max(1, Math.abs(predicted[i])),
                            head.kernel() + " photo " + i);
                }
            }
        }
    }

    @Test
    void aSpecComputesExactlyTheChosenGroupsOrIsRefused() {
        List<String> groups = DeepSearchGrid.groups(new int[] {5, 11, 13},
                List.of(BackboneSpec.Statistic.MEAN, BackboneSpec.Statistic.STD));
        BackboneSpec spec = DeepSearchGrid.spec(groups);
        assertEquals("Conv2d_5_pointwise,Conv2d_11_pointwise,Conv2d_13_pointwise;mean,std", spec.text());
        assertEquals(BackboneSpec.Statistic.STD, DeepSearchGrid.spec(
                List.of("Conv2d_13_pointwise.std", "Conv2d_13_pointwise.mean")).statistics().get(0));
        assertThrows(IllegalArgumentException.class,
                () -> DeepSearchGrid.spec(List.of("Conv2d_11_pointwise.mean", "Conv2d_13_pointwise.std")),
                "not a product of layers and statistics");
    }

    @Test
    void groupsAreReadFromTheBackbonesFeatureNames() {
        List<DeepFeatureTable.Group> groups = DeepSearchGrid.groupsOf(List.of("Conv2d_1_pointwise.mean.0",
                "Conv2d_1_pointwise.mean.1", "Conv2d_1_pointwise.std.0", "Conv2d_1_pointwise.std.1",
                "Conv2d_2_pointwise.mean.0"));
        assertEquals(List.of(new DeepFeatureTable.Group("Conv2d_1_pointwise.mean", 0, 2),
                new DeepFeatureTable.Group("Conv2d_1_pointwise.std", 2, 4),
                new DeepFeatureTable.Group("Conv2d_2_pointwise.mean", 4, 5)), groups);
    }
}
