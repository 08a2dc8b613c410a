package dev.photoscore.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Trainer;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.liblinear.LibLinearRegressionTrainer;
import org.tribuo.regression.liblinear.LinearRegressionType;
import org.tribuo.regression.libsvm.LibSVMRegressionTrainer;
import org.tribuo.regression.libsvm.SVMRegressionType;

/**
 * One point of the model search: a regression model type of Tribuo that exports to ONNX, with its
 * hyper-parameters. Models see standardised features and a standardised score, so the settings below are in
 * standard-deviation units.
 */
public sealed interface ModelCandidate {

    /** Short name of the model type. */
    String type();

    /** The hyper-parameters, by name, for the provenance. */
    Map<String, Object> hyperParameters();

    /** A trainer for data of {@code features} standardised features. */
    Trainer<Regressor> trainer(int features, long seed);

    /** The searched grid: linear SVR over its cost, and RBF-kernel SVR over cost, kernel width and tube width. */
    static List<ModelCandidate> grid() {
        List<ModelCandidate> grid = new ArrayList<>();
        for (double cost : new double[] {0.003, 0.01, 0.03, 0.1, 0.3, 1}) {
            grid.add(new LinearSvr(cost, 0.1));
        }
        for (double cost : new double[] {1, 2, 4, 8, 16, 32, 64}) {
            for (double gamma : new double[] {0.0625, 0.125, 0.25, 0.5, 1}) {
                for (double epsilon : new double[] {0.1, 0.3, 0.5}) {
                    grid.add(new RbfSvr(cost, gamma, epsilon));
                }
            }
        }
        return grid;
    }

    /**
     * Epsilon-insensitive support vector regression with the RBF kernel {@code exp(-γ |x - y|²)} (LibSVM, C.-C.
     * Chang, C.-J. Lin 2011), {@code γ = gammaPerFeature / features} so the kernel width follows the number of
     * standardised features.
     */
    record RbfSvr(double cost, double gammaPerFeature, double epsilon) implements ModelCandidate {

        /** Held here: the logging framework keeps loggers only weakly, and a collected one forgets its level. */
        private static final Logger LIBSVM_LOG = Logger.getLogger("org.tribuo.common.libsvm");

        static {
            // LibSVM prints every optimisation to stdout, and Tribuo warns that SVR takes a cost (it does): quiet for
            // every fit, hundreds in a train command.
            libsvm.svm.svm_set_print_string_function(message -> { });
            LIBSVM_LOG.setLevel(Level.SEVERE);
        }

        @Override
        public String type() {
            return "libsvm-epsilon-svr-rbf";
        }

        @Override
        public Map<String, Object> hyperParameters() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("cost", cost);
            map.put("gammaTimesFeatures", gammaPerFeature);
            map.put("epsilon", epsilon);
            return map;
        }

        @Override
        public Trainer<Regressor> trainer(int features, long seed) {
            SVMParameters<Regressor> parameters = new SVMParameters<>(
                    new SVMRegressionType(SVMRegressionType.SVMMode.EPSILON_SVR), KernelType.RBF);
            parameters.setCost(cost);
            parameters.setGamma(gammaPerFeature / features);
            parameters.setEpsilon(epsilon);
            return new LibSVMRegressionTrainer(parameters, false, seed);
        }
    }

    /** L2-regularised L2-loss linear support vector regression, solved in the primal (LIBLINEAR). */
    record LinearSvr(double cost, double epsilon) implements ModelCandidate {

        @Override
        public String type() {
            return "liblinear-l2r-l2loss-svr";
        }

        @Override
        public Map<String, Object> hyperParameters() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("cost", cost);
            map.put("epsilon", epsilon);
            return map;
        }

        @Override
        public Trainer<Regressor> trainer(int features, long seed) {
            return new LibLinearRegressionTrainer(new LinearRegressionType(LinearRegressionType.LinearType.L2R_L2LOSS_SVR),
                    cost, 10_000, 1e-4, epsilon, seed);
        }
    }
}
