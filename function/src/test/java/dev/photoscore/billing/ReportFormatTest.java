package dev.photoscore.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    /** Given out of order, with a name that needs quoting in CSV. */
    private static final BillingReport REPORT = new BillingReport(OCTOBER, List.of(
            TenantStatement.of("bbbb", "Busy", OCTOBER, 1609, 1109, 0, new BigDecimal("0.6654")),
            TenantStatement.of("aaaa", "Crossing, \"the\" Ltd.", OCTOBER, 401, 201, 0, new BigDecimal("0.1206")),
            TenantStatement.of("cccc", "Small", OCTOBER, 120, 0, 380, BigDecimal.ZERO)));

    @Test
    void csvHasAHeaderSortedRowsAndATotal() {
        assertEquals("""
                month,tenant_id,tenant_name,scored_photos,free_photos,free_photos_left,billable_photos,amount_usd,amount_due_usd
                2026-10,aaaa,"Crossing, ""the"" Ltd.",401,200,0,201,0.1206,0.12
                2026-10,bbbb,Busy,1609,500,0,1109,0.6654,0.67
                2026-10,cccc,Small,120,120,380,0,0.00,0.00
                2026-10,,TOTAL,2130,820,,1310,0.786,0.79
                """, ReportFormat.CSV.render(REPORT));
    }

    @Test
    void jsonKeepsAmountsExactAsStrings() throws Exception {
        String json = ReportFormat.JSON.render(REPORT);
        JsonNode root = new ObjectMapper().readTree(json);

        assertEquals("2026-10", root.path("month").asText());
        assertEquals("USD", root.path("currency").asText());
        assertEquals(List.of("aaaa", "bbbb", "cccc"),
                root.path("statements").findValues("tenantId").stream().map(JsonNode::asText).toList());
        JsonNode first = root.path("statements").get(0);
        assertEquals("Crossing, \"the\" Ltd.", first.path("tenantName").asText());
        assertEquals(401, first.path("scoredPhotos").asLong());
        assertEquals(200, first.path("freePhotos").asLong());
        assertEquals(0, first.path("freePhotosLeft").asLong());
        assertEquals(201, first.path("billablePhotos").asLong());
        assertEquals("0.1206", first.path("amount").textValue());
        assertEquals("0.12", first.path("amountDue").textValue());
        assertEquals("0.786", root.path("total").path("amount").textValue());
        assertEquals("0.79", root.path("total").path("amountDue").textValue());
        assertEquals(2130, root.path("total").path("scoredPhotos").asLong());
        List<TenantStatement> reordered = List.of(REPORT.statements().get(2), REPORT.statements().get(0),
                REPORT.statements().get(1));
        assertEquals(json, ReportFormat.JSON.render(new BillingReport(OCTOBER, reordered)));
    }

    @Test
    void tableAlignsTheFigures() {
        assertEquals("""
                Billing report for 2026-10 (UTC), amounts in USD
                TENANT  NAME                  SCORED  FREE  FREE LEFT  BILLABLE  AMOUNT   DUE
                aaaa    Crossing, "the" Ltd.     401   200          0       201  0.1206  0.12
                bbbb    Busy                   1,609   500          0     1,109  0.6654  0.67
                cccc    Small                    120   120        380         0    0.00  0.00
                TOTAL                          2,130   820                1,310   0.786  0.79
                """, ReportFormat.TABLE.render(REPORT));
    }

    @Test
    void anEmptyMonthStillHasItsTotal() throws Exception {
        BillingReport empty = new BillingReport(OCTOBER, List.of());
        assertEquals("""
                month,tenant_id,tenant_name,scored_photos,free_photos,free_photos_left,billable_photos,amount_usd,amount_due_usd
                2026-10,,TOTAL,0,0,,0,0.00,0.00
                """, ReportFormat.CSV.render(empty));
        JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(empty));
        assertEquals(0, json.path("statements").size());
        assertEquals("0.00", json.path("total").path("amountDue").textValue());
    }

    @Test
    void formatsAreParsedByNameInAnyCase() {
        assertEquals(ReportFormat.CSV, ReportFormat.parse("csv"));
        assertEquals(ReportFormat.TABLE, ReportFormat.parse("Table"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFormat.parse("xml"));
        assertEquals("unknown report format 'xml': use csv, json or table", e.getMessage());
    }
}
