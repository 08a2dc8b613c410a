package dev.photoscore.modelpack.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why each skipped test, or class of tests, was skipped: Maven's test report only counts skips. Covers a test
 * turned off by a condition (e.g. a benchmark run only on demand) and one that gave up for want of something (shared
 * data, a browser, a tool; {@code Assumptions}). The JUnit launcher finds it through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}, in every module whose tests have this
 * test jar.
 */
public final class SkipReasons implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        System.out.println("skipped " + name(test) + ": "
                + (reason == null || reason.isBlank() ? "no reason given" : reason.replaceFirst("^skipped: ", "")));
    }

    /** {@code Class.method} or {@code Class}, simple names. */
    private static String name(TestIdentifier test) {
        return test.getSource().map(source -> {
            if (source instanceof MethodSource method) {
                return simple(method.getClassName()) + "." + method.getMethodName();
            }
            return source instanceof ClassSource type ? simple(type.getClassName()) : test.getDisplayName();
        }).orElse(test.getDisplayName());
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
