package dev.photoscore.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.tenants.Plan;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final BigDecimal CENTS_006 = new BigDecimal("0.0006");
    private static final Plan DISCOUNTED = new Plan(1000, new BigDecimal("0.45"), OptionalLong.empty());

    /** Given out of order, with a name that needs quoting in CSV; one month under a cent; 3 photos delivered late. */
    private static final BillingReport REPORT = new BillingReport(OCTOBER, List.of(
            TenantStatement.of("bbbb", "Busy", OCTOBER, Plan.DEFAULT, 1609, 3, 1109, 0, CENTS_006,
                    new BigDecimal("0.6654")),
            TenantStatement.of("aaaa", "Crossing, \"the\" Ltd.", OCTOBER, Plan.DEFAULT, 401, 0, 201, 0, CENTS_006,
                    new BigDecimal("0.1206")),
            TenantStatement.of("dddd", "Discounted", OCTOBER, DISCOUNTED, 1010, 0, 10, 0, new BigDecimal("0.00045"),
                    new BigDecimal("0.0045")),
            TenantStatement.of("cccc", "Small", OCTOBER, Plan.DEFAULT, 120, 0, 0, 380, CENTS_006, BigDecimal.ZERO)));

    @Test
    void csvIsOneLineItemPerStatementWithoutATotal() {
        assertEquals("""
                statement_id,tenant_id,tenant_name,period_start,period_end,plan,scored_photos,late_photos,\
                free_allowance_used,free_allowance_left,billable_photos,unit_price,amount,amount_due,rounding,currency
                ps-2026-10-aaaa,aaaa,"Crossing, ""the"" Ltd.",2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,\
                "500 free, 0.60 per 1000",401,0,200,0,201,0.0006,0.1206,0.12,-0.0006,USD
                ps-2026-10-bbbb,bbbb,Busy,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,"500 free, 0.60 per 1000",\
                1609,3,500,0,1109,0.0006,0.6654,0.67,0.0046,USD
                ps-2026-10-cccc,cccc,Small,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,"500 free, 0.60 per 1000",\
                120,0,120,380,0,0.0006,0.00,0.00,0.00,USD
                ps-2026-10-dddd,dddd,Discounted,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,\
                "1000 free, 0.45 per 1000",1010,0,1000,0,10,0.00045,0.0045,0.00,-0.0045,USD
                """, ReportFormat.CSV.render(REPORT));
    }

    @Test
    void jsonKeepsAmountsExactAsStringsAndTheTotalsApart() throws Exception {
        String json = ReportFormat.JSON.render(REPORT);
        JsonNode root = new ObjectMapper().readTree(json);

        assertEquals("2026-10", root.path("month").asText());
        assertEquals("2026-10-01T00:00:00Z", root.path("periodStart").asText());
        assertEquals("2026-11-01T00:00:00Z", root.path("periodEnd").asText());
        assertEquals("USD", root.path("currency").asText());
        assertEquals(List.of("aaaa", "bbbb", "cccc", "dddd"),
                root.path("statements").findValues("tenantId").stream().map(JsonNode::asText).toList());
        JsonNode first = root.path("statements").get(0);
        assertEquals("ps-2026-10-aaaa", first.path("statementId").asText());
        assertEquals("Crossing, \"the\" Ltd.", first.path("tenantName").asText());
        assertEquals(500, first.path("plan").path("freeAllowance").asLong());
        assertEquals("0.60", first.path("plan").path("pricePerThousand").textValue());
        assertEquals(401, first.path("scoredPhotos").asLong());
        assertEquals(0, first.path("latePhotos").asLong());
        assertEquals(200, first.path("freeAllowanceUsed").asLong());
        assertEquals(0, first.path("freeAllowanceLeft").asLong());
        assertEquals(201, first.path("billablePhotos").asLong());
        assertEquals("0.0006", first.path("unitPrice").textValue());
        assertEquals("0.1206", first.path("amount").textValue());
        assertEquals("0.12", first.path("amountDue").textValue());
        assertEquals("-0.0006", first.path("rounding").textValue());
        assertEquals("USD", first.path("currency").textValue());
        // Under a cent: shown exactly, nothing due, the whole amount waived by the rounding.
        JsonNode subCent = root.path("statements").get(3);
        assertEquals("0.0045", subCent.path("amount").textValue());
        assertEquals("0.00", subCent.path("amountDue").textValue());
        JsonNode totals = root.path("totals");
        assertEquals(4, totals.path("statements").asInt());
        assertEquals(3140, totals.path("scoredPhotos").asLong());
        assertEquals(3, totals.path("latePhotos").asLong());
        assertEquals(1820, totals.path("freeAllowanceUsed").asLong());
        assertEquals(1320, totals.path("billablePhotos").asLong());
        assertEquals("0.7905", totals.path("amount").textValue());
        assertEquals("0.79", totals.path("amountDue").textValue());
        assertEquals("-0.0005", totals.path("rounding").textValue());
        List<TenantStatement> reordered = List.of(REPORT.statements().get(2), REPORT.statements().get(0),
                REPORT.statements().get(3), REPORT.statements().get(1));
        assertEquals(json, ReportFormat.JSON.render(new BillingReport(OCTOBER, reordered)));
    }

    @Test
    void tableAlignsTheFiguresAndEndsWithTheTotals() {
        assertEquals("""
                Billing statements for 2026-10 (2026-10-01T00:00:00Z to 2026-11-01T00:00:00Z), amounts in USD
                STATEMENT        NAME                  PLAN                      SCORED  LATE  FREE USED  FREE LEFT  BILLABLE  UNIT PRICE  AMOUNT   DUE
                ps-2026-10-aaaa  Crossing, "the" Ltd.  500 free, 0.60 per 1000      401     0        200          0       201      0.0006  0.1206  0.12
                ps-2026-10-bbbb  Busy                  500 free, 0.60 per 1000    1,609     3        500          0     1,109      0.0006  0.6654  0.67
                ps-2026-10-cccc  Small                 500 free, 0.60 per 1000      120     0        120        380         0      0.0006    0.00  0.00
                ps-2026-10-dddd  Discounted            1000 free, 0.45 per 1000   1,010     0      1,000          0        10     0.00045  0.0045  0.00
                Totals: 4 statements, 3,140 photos scored (3 late), 1,820 free, 1,320 billable; amount 0.7905, due 0.79 (rounding -0.0005)
                """, ReportFormat.TABLE.render(REPORT));
    }

    @Test
    void anEmptyMonthHasTheHeaderAndZeroTotals() throws Exception {
        BillingReport empty = new BillingReport(OCTOBER, List.of());
        assertEquals("""
                statement_id,tenant_id,tenant_name,period_start,period_end,plan,scored_photos,late_photos,\
                free_allowance_used,free_allowance_left,billable_photos,unit_price,amount,amount_due,rounding,currency
                """, ReportFormat.CSV.render(empty));
        JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(empty));
        assertEquals(0, json.path("statements").size());
        assertEquals("0.00", json.path("totals").path("amountDue").textValue());
    }

    @Test
    void formatsAreParsedByNameInAnyCase() {
        assertEquals(ReportFormat.CSV, ReportFormat.parse("csv"));
        assertEquals(ReportFormat.TABLE, ReportFormat.parse("Table"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFormat.parse("xml"));
        assertEquals("unknown report format 'xml': use csv, json or table", e.getMessage());
    }
}
