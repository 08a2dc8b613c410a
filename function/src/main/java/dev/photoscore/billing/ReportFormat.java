package dev.photoscore.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a {@link BillingReport} is written: the same figures as CSV, JSON or an aligned text table. Rows are in
 * tenant id order and nothing depends on when or where a report is written, so equal reports give equal bytes.
 * Amounts are exact decimals (see {@link #render}); in JSON they are strings, so that no reader turns them into
 * floating point.
 */
public enum ReportFormat {

    /**
     * RFC 4180 CSV with a header row, one row per tenant, then the total row, whose tenant id is empty and whose
     * name is {@code TOTAL}.
     */
    CSV("csv", "text/csv;charset=utf-8") {
        @Override
        public String render(BillingReport report) {
            List<String[]> rows = new ArrayList<>();
            for (TenantStatement s : report.statements()) {
                rows.add(new String[] {report.month().toString(), s.tenantId(), s.tenantName(),
                        Long.toString(s.scoredPhotos()), Long.toString(s.freePhotos()),
                        Long.toString(s.freePhotosLeft()), Long.toString(s.billablePhotos()),
                        Money.format(s.amount()), Money.format(s.amountDue())});
            }
            BillingTotals t = report.totals();
            rows.add(new String[] {report.month().toString(), "", "TOTAL",
                    Long.toString(t.scoredPhotos()), Long.toString(t.freePhotos()), "",
                    Long.toString(t.billablePhotos()), Money.format(t.amount()), Money.format(t.amountDue())});
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
     * One JSON object: {@code month}, {@code currency}, {@code statements} (one object per tenant) and
     * {@code total}; photo counts are numbers, amounts strings.
     */
    JSON("json", "application/json") {
        @Override
        public String render(BillingReport report) {
            ObjectNode root = JSON_MAPPER.createObjectNode()
                    .put("month", report.month().toString())
                    .put("currency", "USD");
            ArrayNode statements = root.putArray("statements");
            for (TenantStatement s : report.statements()) {
                statements.addObject()
                        .put("tenantId", s.tenantId())
                        .put("tenantName", s.tenantName())
                        .put("scoredPhotos", s.scoredPhotos())
                        .put("freePhotos", s.freePhotos())
                        .put("freePhotosLeft", s.freePhotosLeft())
                        .put("billablePhotos", s.billablePhotos())
                        .put("amount", Money.format(s.amount()))
                        .put("amountDue", Money.format(s.amountDue()));
            }
            BillingTotals t = report.totals();
            root.putObject("total")
                    .put("scoredPhotos", t.scoredPhotos())
                    .put("freePhotos", t.freePhotos())
                    .put("billablePhotos", t.billablePhotos())
                    .put("amount", Money.format(t.amount()))
                    .put("amountDue", Money.format(t.amountDue()));
            try {
                return JSON_MAPPER.writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write the report as JSON", e);
            }
        }
    },

    /** Aligned columns for people, with thousands separators, then the total row. */
    TABLE("txt", "text/plain;charset=utf-8") {
        @Override
        public String render(BillingReport report) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TENANT", "NAME", "SCORED", "FREE", "FREE LEFT", "BILLABLE", "AMOUNT", "DUE"});
            for (TenantStatement s : report.statements()) {
                rows.add(new String[] {s.tenantId(), s.tenantName(), count(s.scoredPhotos()), count(s.freePhotos()),
                        count(s.freePhotosLeft()), count(s.billablePhotos()), Money.format(s.amount()),
                        Money.format(s.amountDue())});
            }
            BillingTotals t = report.totals();
            rows.add(new String[] {"TOTAL", "", count(t.scoredPhotos()), count(t.freePhotos()), "",
                    count(t.billablePhotos()), Money.format(t.amount()), Money.format(t.amountDue())});
            int[] widths = new int[rows.get(0).length];
            rows.forEach(row -> {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            });
            StringBuilder out = new StringBuilder("Billing report for ").append(report.month())
                    .append(" (UTC), amounts in USD\n");
            for (String[] row : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.length; i++) {
                    // Tenant and name read left to right; figures line up on their last digit.
                    cells.add(String.format(Locale.ROOT, i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s",
                            row[i]));
                }
                out.append(cells.stream().collect(Collectors.joining("  ")).stripTrailing()).append('\n');
            }
            return out.toString();
        }
    };

    private static final String[] CSV_COLUMNS = {"month", "tenant_id", "tenant_name", "scored_photos",
            "free_photos", "free_photos_left", "billable_photos", "amount_usd", "amount_due_usd"};
    private static final CsvMapper CSV_MAPPER = new CsvMapper();
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

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
