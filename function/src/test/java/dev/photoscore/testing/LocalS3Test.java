package dev.photoscore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class LocalS3Test {

    @Test
    void servesObjects() {
        try (LocalS3 s3 = LocalS3.start("reports"); S3Client client = s3.newClient()) {
            client.putObject(b -> b.bucket("reports").key("a/b.txt"), RequestBody.fromString("hello"));

            assertEquals("hello", new String(client.getObjectAsBytes(b -> b.bucket("reports").key("a/b.txt"))
                    .asByteArray(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void listensOnLoopbackOnly() throws SocketException {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        Assumptions.assumeTrue(external.isPresent(), "skipped: this machine has no other address than loopback");
        try (LocalS3 s3 = LocalS3.start("reports")) {
            assertEquals("127.0.0.1", s3.endpoint().getHost());
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external.get(), s3.endpoint().getPort()), 1000);
                }
            });
        }
    }
}
