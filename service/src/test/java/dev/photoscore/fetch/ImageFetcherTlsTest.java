package dev.photoscore.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.photoscore.fetch.FetchException.Reason;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https goes through the same vetting and checks certificates: a self-signed loopback server is refused. */
class ImageFetcherTlsTest {

    @Test
    void refusesAServerWhoseCertificateIsNotTrusted(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path keyStore = dir.resolve("server.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "server",
                                "-keyalg",
                                "EC",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost,ip:127.0.0.1",
                                "-validity",
                                "1",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                keyStore.toString(),
                                "-storepass",
                                new String(password))
                        .redirectErrorStream(true)
                        .start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        HttpsServer server =
                HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger served = new AtomicInteger();
        server.createContext(
                "/",
                exchange -> {
                    served.incrementAndGet();
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                });
        server.start();
        try (ImageFetcher fetcher = ImageFetcher.builder().allowLoopback(true).build()) {
            FetchException e =
                    assertThrows(
                            FetchException.class,
                            () ->
                                    fetcher.fetch(
                                            "https://localhost:"
                                                    + server.getAddress().getPort()
                                                    + "/photo.jpg"));
            assertEquals(Reason.CONNECTION_FAILED, e.reason(), e.getMessage());
            assertEquals("the TLS handshake with the URL's server failed", e.getMessage());
            assertEquals(0, served.get(), "no request may be sent over an untrusted connection");
        } finally {
            server.stop(0);
        }
    }
}
