package dev.photoscore.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a {@link BillingReport} is written: the same line items as CSV, JSON or an aligned text table. Rows are in
 * tenant id order and nothing depends on when or where a report is written, so equal reports give equal bytes.
 * Amounts are exact decimals (see {@link #render}); in JSON they are strings, so that no reader turns them into
 * floating point.
 */
public enum ReportFormat {

    /**
     * RFC 4180 CSV with a header row, then one line item per statement; no total row (a billing system sums the
     * lines; the totals are in the JSON and the table).
     */
    CSV("csv", "text/csv;charset=utf-8") {
        @Override
        public String render(BillingReport report) {
            List<String[]> rows = new ArrayList<>();
            for (TenantStatement s : report.statements()) {
                rows.add(new String[] {s.statementId(), s.tenantId(), s.tenantName(), s.periodStart().toString(),
                        s.periodEnd().toString(), plan(s), Long.toString(s.scoredPhotos()),
                        Long.toString(s.latePhotos()), Long.toString(s.freePhotos()), Long.toString(s.freePhotosLeft()),
                        Long.toString(s.billablePhotos()), s.unitPrice().toPlainString(), Money.format(s.amount()),
                        Money.format(s.amountDue()), Money.format(s.rounding()), Money.CURRENCY});
            }
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            Arrays.stream(CSV_COLUMNS).forEach(schema::addColumn);
            try {
                return CSV_MAPPER.writer(schema.build()).writeValueAsString(rows);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write the report as CSV", e);
            }
        }
    },

    /**
     * One JSON object: {@code month}, its period, {@code currency}, {@code statements} (one line item per tenant)
     * and {@code totals}; photo counts are numbers, amounts and prices strings.
     */
    JSON("json", "application/json") {
        @Override
        public String render(BillingReport report) {
            ObjectNode root = JSON_MAPPER.createObjectNode()
                    .put("month", report.month().toString())
                    .put("periodStart", TenantStatement.periodStart(report.month()).toString())
                    .put("periodEnd", TenantStatement.periodStart(report.month().plusMonths(1)).toString())
                    .put("currency", Money.CURRENCY);
            ArrayNode statements = root.putArray("statements");
            for (TenantStatement s : report.statements()) {
                ObjectNode line = statements.addObject()
                        .put("statementId", s.statementId())
                        .put("tenantId", s.tenantId())
                        .put("tenantName", s.tenantName())
                        .put("periodStart", s.periodStart().toString())
                        .put("periodEnd", s.periodEnd().toString());
                line.putObject("plan")
                        .put("freeAllowance", s.plan().freeAllowance())
                        .put("pricePerThousand", Money.format(s.plan().pricePerThousand()));
                line.put("scoredPhotos", s.scoredPhotos())
                        .put("latePhotos", s.latePhotos())
                        .put("freeAllowanceUsed", s.freePhotos())
                        .put("freeAllowanceLeft", s.freePhotosLeft())
                        .put("billablePhotos", s.billablePhotos())
                        .put("unitPrice", s.unitPrice().toPlainString())
                        .put("amount", Money.format(s.amount()))
                        .put("amountDue", Money.format(s.amountDue()))
                        .put("rounding", Money.format(s.rounding()))
                        .put("currency", Money.CURRENCY);
            }
            BillingTotals t = report.totals();
            root.putObject("totals")
                    .put("statements", report.statements().size())
                    .put("scoredPhotos", t.scoredPhotos())
                    .put("latePhotos", t.latePhotos())
                    .put("freeAllowanceUsed", t.freePhotos())
                    .put("billablePhotos", t.billablePhotos())
                    .put("amount", Money.format(t.amount()))
                    .put("amountDue", Money.format(t.amountDue()))
                    .put("rounding", Money.format(t.rounding()));
            try {
                return JSON_MAPPER.writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write the report as JSON", e);
            }
        }
    },

    /** Aligned columns for people, with thousands separators, then the totals below. */
    TABLE("txt", "text/plain;charset=utf-8") {
        @Override
        public String render(BillingReport report) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"STATEMENT", "NAME", "PLAN", "SCORED", "LATE", "FREE USED", "FREE LEFT",
                    "BILLABLE", "UNIT PRICE", "AMOUNT", "DUE"});
            for (TenantStatement s : report.statements()) {
                rows.add(new String[] {s.statementId(), s.tenantName(), plan(s), count(s.scoredPhotos()),
                        count(s.latePhotos()), count(s.freePhotos()), count(s.freePhotosLeft()), count(s.billablePhotos()),
                        s.unitPrice().toPlainString(), Money.format(s.amount()), Money.format(s.amountDue())});
            }
            int[] widths = new int[rows.get(0).length];
            rows.forEach(row -> {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            });
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "Billing statements for %s (%s to %s), amounts in %s%n", report.month(),
                    TenantStatement.periodStart(report.month()),
                    TenantStatement.periodStart(report.month().plusMonths(1)), Money.CURRENCY));
            for (String[] row : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.length; i++) {
                    // Statement, name and plan read left to right; figures line up on their last digit.
                    cells.add(String.format(Locale.ROOT, i < 3 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s",
                            row[i]));
                }
                out.append(cells.stream().collect(Collectors.joining("  ")).stripTrailing()).append('\n');
            }
            BillingTotals t = report.totals();
            out.append(String.format(Locale.ROOT,
                    "Totals: %s statements, %s photos scored (%s late), %s free, %s billable; amount %s, due %s"
                            + " (rounding %s)%n",
                    count(report.statements().size()), count(t.scoredPhotos()), count(t.latePhotos()),
                    count(t.freePhotos()),
                    count(t.billablePhotos()), Money.format(t.amount()), Money.format(t.amountDue()),
                    Money.format(t.rounding())));
            return out.toString();
        }
    };

    private static final String[] CSV_COLUMNS = {"statement_id", "tenant_id", "tenant_name", "period_start",
            "period_end", "plan", "scored_photos", "late_photos", "free_allowance_used", "free_allowance_left",
            "billable_photos", "unit_price", "amount", "amount_due", "rounding", "currency"};
    /** Quotes a value only when it needs it (a comma, a quote, a line break), not every value past 24 characters. */
    private static final CsvMapper CSV_MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String fileExtension;
    private final String mediaType;

    ReportFormat(String fileExtension, String mediaType) {
        this.fileExtension = fileExtension;
        this.mediaType = mediaType;
    }

    /** The report written in this format. */
    public abstract String render(BillingReport report);

    /** The file name extension for this format, without the dot. */
    public String fileExtension() {
        return fileExtension;
    }

    /** The media type (Content-Type) of this format. */
    public String mediaType() {
        return mediaType;
    }

    /** A format by name, whatever its case: {@code csv}, {@code json} or {@code table}. */
    public static ReportFormat parse(String name) {
        for (ReportFormat format : values()) {
            if (format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "': use csv, json or table");
    }

    /** The plan in a few words: {@code 500 free, 0.60 per 1000}. */
    private static String plan(TenantStatement statement) {
        return statement.plan().freeAllowance() + " free, " + Money.format(statement.plan().pricePerThousand())
                + " per 1000";
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
