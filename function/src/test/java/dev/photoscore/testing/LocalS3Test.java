package dev.photoscore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class LocalS3Test {

    @Test
    void servesObjectsOnLoopbackOnly() throws Exception {
        try (LocalS3 s3 = LocalS3.start("reports"); S3Client client = s3.newClient()) {
            client.putObject(b -> b.bucket("reports").key("a/b.txt"), RequestBody.fromString("hello"));
            assertEquals("hello", new String(client.getObjectAsBytes(b -> b.bucket("reports").key("a/b.txt"))
                    .asByteArray(), StandardCharsets.UTF_8));
            assertEquals("127.0.0.1", s3.endpoint().getHost());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", s3.endpoint().getPort()), 1000);
            }
        }
    }
}
