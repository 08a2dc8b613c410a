package dev.photoscore.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Multipart parsing on any Content-Type boundary and body: the photo's bytes (at most the limit), or a 400 or 413
 * {@link ApiException}; nothing else. The input's first line is the boundary, the rest the body.
 */
class MultipartFuzzTest {

    private static final long MAX_BYTES = 64 * 1024;

    @FuzzTest
    void read(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String boundary = new String(input, 0, Math.max(newline, 0), StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(input, newline + 1, input.length);
        ApiRequest request = new ApiRequest("POST", QualityApi.QUALITY_PATH, Map.of(),
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), body, "fuzz", Instant.EPOCH, "");
        try {
            byte[] photo = MultipartPhoto.read(request, MAX_BYTES);
            if (photo.length > MAX_BYTES) {
                throw new AssertionError("a part of " + photo.length + " bytes passed a limit of " + MAX_BYTES);
            }
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 413) {
                throw new AssertionError("status " + e.status() + ": " + e.getMessage(), e);
            }
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
