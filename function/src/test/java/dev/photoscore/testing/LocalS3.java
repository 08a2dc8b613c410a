package dev.photoscore.testing;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server running inside this JVM: Adobe's S3Mock (a Spring Boot application) on free ports of
 * the loopback interface only, keeping its objects in a temporary folder it deletes when closed.
 *
 * <p>S3Mock serves HTTPS on Spring Boot's connector and plain HTTP on a second one it adds itself, which would
 * listen on every interface: {@link LoopbackOnly}, added to its Spring context, binds both to {@code 127.0.0.1}.
 */
public final class LocalS3 implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    /**
     * Tomcat logs every start and stop through java.util.logging, and warns at each stop of a thread S3Mock leaves
     * running; held here, as JUL holds loggers weakly.
     */
    private static final Logger TOMCAT = Logger.getLogger("org.apache");

    static {
        TOMCAT.setLevel(Level.SEVERE);
    }

    private final S3MockApplication server;

    private LocalS3(S3MockApplication server) {
        this.server = server;
    }

    /** Starts an empty S3Mock holding these buckets; {@link #close()} stops it and deletes its objects. */
    public static LocalS3 start(String... buckets) {
        // Spring Boot would take over logging with whichever system it finds, here DynamoDB Local's old Log4j 2,
        // which it cannot drive: leave logging to SLF4J as configured for the tests.
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        // S3Mock removes entries from the map it is given: it must be mutable.
        return new LocalS3(S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, String.join(",", buckets),
                S3MockApplication.PROP_SILENT, true,
                "server.address", LOOPBACK,
                "spring.main.banner-mode", "off",
                "spring.main.sources", LoopbackOnly.class.getName()))));
    }

    /** Where clients connect over plain HTTP: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://" + LOOPBACK + ":" + server.getHttpPort());
    }

    /**
     * A new client of this server (path-style addressing, any credentials, the lean URL connection HTTP client);
     * the caller closes it.
     */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Binds S3Mock's extra HTTP connector to the loopback interface, as {@code server.address} does the other. */
    @Configuration
    public static class LoopbackOnly {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> loopbackConnectors() {
            return factory -> {
                for (Connector connector : factory.getAdditionalTomcatConnectors()) {
                    connector.setProperty("address", LOOPBACK);
                }
            };
        }
    }
}
