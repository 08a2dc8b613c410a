package dev.photoscore.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the code (README, "Layout"), on the classes of every module: the adapters (the Lambda
 * handlers, the command line, the local and GPU services, the benchmark, the model-pack converter) depend on the
 * service, the service on the core, never the other way; nothing depends on the command line or the Lambda adapter;
 * no package cycles. The Maven modules follow the same lines, so a wrong import mostly fails to compile; this test
 * also catches a Lambda handler put in another package by mistake and names the libraries each layer may not use.
 */
class DependencyRuleTest {

    /** Photo decoding, quality features and flags, scoring, the model pack's format, the score statistics. */
    static final String[] CORE = {"dev.photoscore.image..", "dev.photoscore.quality..", "dev.photoscore.scoring..",
            "dev.photoscore.evaluation..", "dev.photoscore.modelpack"};

    /** The service around the core, the same behind every entry point. */
    static final String[] SERVICE = {"dev.photoscore.service..", "dev.photoscore.wiring..", "dev.photoscore.api..",
            "dev.photoscore.demo..", "dev.photoscore.fetch..", "dev.photoscore.tenants..", "dev.photoscore.metering..",
            "dev.photoscore.billing..", "dev.photoscore.store..", "dev.photoscore.uploads..", "dev.photoscore.metrics.."};

    /** The command line and what only it runs (training), and the local service it starts. */
    static final String[] CLI = {"dev.photoscore.local..", "dev.photoscore.training.."};

    /** What the core may not use: the cloud, the Lambda runtime, HTTP clients and servers. */
    static final String[] CLOUD_AND_HTTP = {"software.amazon..", "com.amazonaws..", "org.crac..", "org.apache.hc..",
            "com.sun.net.httpserver..", "org.eclipse.jetty..", "jakarta.servlet..", "org.apache.commons.fileupload2.."};

    /** The Lambda runtime's libraries: its interfaces and events, Powertools, the embedded metric format, CRaC. */
    static final String[] LAMBDA_LIBRARIES = {"com.amazonaws.services.lambda..", "software.amazon.lambda..",
            "software.amazon.cloudwatchlogs..", "org.crac.."};

    /** The Lambda adapter: the wiring package, and every Lambda handler wherever its package is. */
    static final DescribedPredicate<JavaClass> LAMBDA_ADAPTER = resideInAnyPackage("dev.photoscore.lambda..")
            .or(assignableTo(RequestHandler.class)).or(assignableTo(RequestStreamHandler.class))
            .as("the Lambda adapter");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The production code only: not the test classes of a module, nor the test jars other modules' tests use.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.photoscore");
    }

    /**
     * The layers: an adapter uses the service and the core, the service uses the core, the core neither; no layer
     * uses the command line or the Lambda adapter (each is the outermost of its runtime).
     */
    @Test
    void adaptersUseTheServiceTheServiceUsesTheCoreNeverTheOtherWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy(CORE)
                .layer("service").definedBy(resideInAnyPackage(SERVICE).and(DescribedPredicate.not(LAMBDA_ADAPTER))
                        .as("the service's packages but the Lambda handlers"))
                .layer("Lambda adapter").definedBy(LAMBDA_ADAPTER)
                .layer("command line").definedBy(CLI)
                .layer("other adapters").definedBy("dev.photoscore.http..", "dev.photoscore.gpu..",
                        "dev.photoscore.bench..", "dev.photoscore.modelpack.convert..")
                .whereLayer("Lambda adapter").mayNotBeAccessedByAnyLayer()
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("other adapters").mayOnlyBeAccessedByLayers("command line", "other adapters")
                .whereLayer("service").mayOnlyBeAccessedByLayers("Lambda adapter", "command line", "other adapters")
                .whereLayer("core").mayOnlyBeAccessedByLayers("service", "Lambda adapter", "command line",
                        "other adapters")
                .check(classes);
    }

    @Test
    void theCoreUsesNoCloudLambdaOrHttpLibrary() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD_AND_HTTP)
                .check(classes);
    }

    @Test
    void theServiceUsesNoLambdaLibrary() {
        noClasses().that().resideInAnyPackage(SERVICE).and(DescribedPredicate.not(LAMBDA_ADAPTER))
                .should().dependOnClassesThat().resideInAnyPackage(LAMBDA_LIBRARIES)
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.photoscore.(**)").should().beFreeOfCycles().check(classes);
    }
}
