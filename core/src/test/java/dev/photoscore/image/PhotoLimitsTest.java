package dev.photoscore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one place the size rule is written: both bounds excluded, and said in words that never round it. */
class PhotoLimitsTest {

    private final PhotoLimits api = PhotoLimits.api();

    @Test
    void bothBoundsAreExcluded() throws PhotoRejectedException {
        assertFalse(api.allowsSize(20 * 1024));
        assertTrue(api.allowsSize(20 * 1024 + 1));
        assertTrue(api.allowsSize(10 * 1024 * 1024 - 1));
        assertFalse(api.allowsSize(10 * 1024 * 1024));
        api.checkSize(20 * 1024 + 1);
        api.checkSize(10 * 1024 * 1024 - 1);
        assertEquals(PhotoRejectedException.Reason.FILE_TOO_SMALL,
                assertThrows(PhotoRejectedException.class, () -> api.checkSize(20 * 1024)).reason());
        assertEquals(PhotoRejectedException.Reason.FILE_TOO_LARGE,
                assertThrows(PhotoRejectedException.class, () -> api.checkSize(10 * 1024 * 1024)).reason());
        assertEquals("the file is empty", assertThrows(PhotoRejectedException.class, () -> api.checkSize(0))
                .getMessage());
    }

    @Test
    void theRuleInWords() {
        assertEquals("more than 20 KB and less than 10 MB", api.describeSizes());
        assertEquals("10 MB", PhotoLimits.inWords(10L * 1024 * 1024));
        assertEquals("20 KB", PhotoLimits.inWords(20 * 1024));
        // The Lambda's direct uploads: not a whole number of KB or MB, so never rounded to one.
        assertEquals("4,400,000 bytes", PhotoLimits.inWords(4_400_000));
        assertEquals("1,000 bytes", PhotoLimits.inWords(1_000));
    }

    @Test
    void withoutSizeLimitsOnlyThePixelLimitStays() {
        PhotoLimits unlimited = api.withoutSizeLimits();
        assertTrue(unlimited.allowsSize(1));
        assertTrue(unlimited.allowsSize(Long.MAX_VALUE - 1));
        assertEquals(api.maxPixels(), unlimited.maxPixels());
    }
}
