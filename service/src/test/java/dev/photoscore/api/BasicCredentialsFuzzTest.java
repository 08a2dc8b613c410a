package dev.photoscore.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The Authorization header's parsing on any value: credentials or nothing, never an exception; what it finds has a
 * client id without a colon and comes back the same from its own encoding. The input is the header's value.
 */
class BasicCredentialsFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String authorization = new String(input, StandardCharsets.UTF_8);
        Optional<BasicCredentials> parsed = BasicCredentials.parse(Optional.of(authorization));
        parsed.ifPresent(credentials -> {
            if (credentials.clientId().isEmpty() || credentials.clientId().indexOf(':') >= 0) {
                throw new AssertionError("client id " + credentials.clientId());
            }
            String again = "Basic " + Base64.getEncoder().encodeToString((credentials.clientId() + ":"
                    + credentials.clientSecret()).getBytes(StandardCharsets.UTF_8));
            if (!BasicCredentials.parse(Optional.of(again)).equals(parsed)) {
                throw new AssertionError("not the same credentials once encoded again: " + authorization);
            }
        });
    }
}
