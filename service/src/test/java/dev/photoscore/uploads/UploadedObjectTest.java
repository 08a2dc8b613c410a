package dev.photoscore.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UploadedObjectTest {

    private static final Instant TIME = Instant.parse("2026-11-26T09:30:00Z");

    @Test
    void theRequestIdIsOnePerObjectVersion() {
        UploadedObject version1 = new UploadedObject("b", "incoming/t/a.jpg", "v1", "e1", OptionalLong.empty(), TIME);
        UploadedObject redelivered = new UploadedObject("b", "incoming/t/a.jpg", "v1", "e1", OptionalLong.of(1),
                TIME.plusSeconds(60));
        UploadedObject version2 = new UploadedObject("b", "incoming/t/a.jpg", "v2", "e1", OptionalLong.empty(), TIME);
        UploadedObject unversioned = new UploadedObject("b", "incoming/t/a.jpg", null, "e1", OptionalLong.empty(),
                TIME);
        UploadedObject otherContent = new UploadedObject("b", "incoming/t/a.jpg", null, "e2", OptionalLong.empty(),
                TIME);
        UploadedObject otherBucket = new UploadedObject("c", "incoming/t/a.jpg", "v1", "e1", OptionalLong.empty(),
                TIME);
        assertEquals(version1.requestId(), redelivered.requestId());
        assertNotEquals(version1.requestId(), version2.requestId());
        assertNotEquals(unversioned.requestId(), otherContent.requestId());
        assertNotEquals(version1.requestId(), otherBucket.requestId());
        String longKey = "incoming/t/" + "x".repeat(1_010);
        String id = new UploadedObject("b", longKey, null, "e", OptionalLong.empty(), TIME).requestId();
        assertTrue(id.matches("s3-[0-9a-f]{64}"), id);
        assertThrows(IllegalArgumentException.class,
                () -> new UploadedObject("b", "incoming/t/a.jpg", null, null, OptionalLong.empty(), TIME));
    }

    @Test
    void keysMapToTenantsResultsAndRejected() {
        assertEquals(Optional.of("acme"), UploadKeys.tenantFolder("incoming/acme/2026/a.jpg"));
        assertEquals(Optional.empty(), UploadKeys.tenantFolder("incoming/a.jpg"));
        assertEquals("results/acme/2026/a.jpg.json", UploadKeys.resultKey("incoming/acme/2026/a.jpg"));
        assertEquals("rejected/acme/2026/a.jpg", UploadKeys.rejectedKey("incoming/acme/2026/a.jpg"));
        assertTrue(UploadKeys.isIncomingPhoto("incoming/a.jpg"));
        assertTrue(!UploadKeys.isIncomingPhoto("incoming/acme/") && !UploadKeys.isIncomingPhoto("incoming/")
                && !UploadKeys.isIncomingPhoto("results/incoming/a.jpg"));
        assertTrue(!UploadKeys.RESULTS.startsWith(UploadKeys.INCOMING)
                && !UploadKeys.REJECTED.startsWith(UploadKeys.INCOMING), "results never trigger the function");
    }
}
