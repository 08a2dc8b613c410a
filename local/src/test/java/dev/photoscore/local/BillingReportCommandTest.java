package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command's edges; the reports themselves are tested in the function module, on DynamoDB Local. */
class BillingReportCommandTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureErr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr() {
        System.setErr(originalErr);
    }

    @Test
    void theMonthIsRequiredAndMustBeAMonth() {
        assertEquals(2, PhotoscoreCommand.run("billing", "report"));
        assertTrue(err().contains("Missing required option: '--month=YYYY-MM'"), err());
        assertEquals(2, PhotoscoreCommand.run("billing", "report", "--month", "2026-13"));
        assertTrue(err().contains("Invalid value for option '--month'"), err());
    }

    @Test
    void theFormatIsCsvJsonOrTable() {
        assertEquals(2, PhotoscoreCommand.run("billing", "report", "--month", "2026-10", "--format", "xml"));
        assertTrue(err().contains("unknown report format 'xml': use csv, json or table"), err());
    }

    @Test
    void anUnreachableStoreIsOneLineWithTheReason() {
        assertEquals(2, PhotoscoreCommand.run("billing", "report", "--month", "2026-10",
                "--endpoint", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("photoscore: usage store unavailable: cannot list tenants: "), err());
    }

    @Test
    void localAndEndpointDoNotGoTogether() {
        assertEquals(2, PhotoscoreCommand.run("billing", "report", "--month", "2026-10", "--local",
                "--endpoint", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("photoscore: give --local or --endpoint, not both"), err());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
