package dev.photoscore.billing;

import static dev.photoscore.billing.MeteringFixture.photos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageRecord;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Plan;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The month rule on DynamoDB Local: a photo is billed in the month it is metered, so the statement written after
 * a month ends never changes, late deliveries land in the next statement, and free photos are used up month by
 * month, in metering order, whatever the photos' own times.
 */
class MonthRuleTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    /** Uploaded a tenth of a second before November ends. */
    private static final Instant LAST_MOMENT = Instant.parse("2026-11-30T23:59:59.900Z");
    private static final Clock REPORTS_CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:15:00Z"), ZoneOffset.UTC);

    private static MeteringFixture usage;
    private static BillingReporter reporter;

    @BeforeAll
    static void tables() {
        usage = new MeteringFixture(DYNAMODB.client());
        reporter = new BillingReporter(usage.tenants, usage.ledger, REPORTS_CLOCK);
    }

    @AfterAll
    static void stop() {
        usage.close();
    }

    @Test
    void aPhotoUploadedAtTheLastMomentAndDelivered5HoursLaterIsInTheNextStatementOnce() throws Exception {
        String tenant = usage.tenant("Late upload", Plan.DEFAULT);
        usage.meterAtOnce(photos(tenant, "nov", 498, Instant.parse("2026-11-01T00:00:00Z"), LAST_MOMENT));
        // The scheduled run of 1 December, 00:15.
        BillingReport novemberAsWritten = reporter.report(NOVEMBER, tenant);
        // Two photos uploaded after midnight are delivered at once: the last two free photos.
        usage.meterOne(photo(tenant, "dec-1", "2026-12-01T01:00:00Z"));
        usage.meterOne(photo(tenant, "dec-2", "2026-12-01T02:00:00Z"));
        // The upload of 23:59:59.9, its S3 event retried until it is delivered 5 hours later; and again at 05:30.
        ScoredPhoto late = new ScoredPhoto(tenant, "uploads/incoming/late.jpg#v1", LAST_MOMENT, UsageSource.S3);
        MeteringResult delivered = usage.meterAt(late, LAST_MOMENT.plus(Duration.ofHours(5)));
        MeteringResult redelivered = usage.meterAt(late, Instant.parse("2026-12-01T05:30:00Z"));

        assertEquals(DECEMBER, delivered.record().month());
        assertEquals(LAST_MOMENT, delivered.record().requestTime());
        assertTrue(delivered.record().billable(), "the tenant's 501st photo");
        assertTrue(redelivered.alreadyMetered());
        // November's statement is the one written at 00:15, whenever it is made again.
        BillingReport novemberAgain = reporter.report(NOVEMBER, tenant);
        assertEquals(novemberAsWritten, novemberAgain);
        TenantStatement november = novemberAgain.statements().get(0);
        assertEquals(498, november.scoredPhotos());
        assertEquals(0, november.latePhotos());
        assertEquals(0, november.billablePhotos());
        assertEquals(2, november.freePhotosLeft());
        // December has the late photo, once: 3 photos, the 2 free ones first, the late one paid.
        TenantStatement december = reporter.report(DECEMBER, tenant).statements().get(0);
        assertEquals(3, december.scoredPhotos());
        assertEquals(1, december.latePhotos(), "uploaded in November, delivered in December");
        assertEquals(2, december.freePhotos());
        assertEquals(1, december.billablePhotos());
        assertEquals(0, december.freePhotosLeft());
        assertEquals(new BigDecimal("0.0006"), december.amount());
        assertEquals(new BigDecimal("0.00"), december.amountDue());
        assertEquals(1, Stream.of(NOVEMBER, DECEMBER).flatMap(m -> usage.ledger.records(tenant, m).stream())
                .filter(r -> r.requestId().equals(late.requestId())).count());
        assertEquals(501, usage.tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    @Test
    void aTenantCrossingItsAllowanceWithPhotosMeteredOutOfOrderNeverPaysWhileFreeOnesAreLeft() throws Exception {
        String tenant = usage.tenant("Shuffled", new Plan(100, new BigDecimal("0.60"), OptionalLong.empty()));
        usage.meterAtOnce(photos(tenant, "oct", 60, Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z")));
        // November: 80 photos delivered in an order unrelated to their own times, 10 of them from late October.
        List<ScoredPhoto> november = new ArrayList<>();
        november.addAll(photos(tenant, "late-oct", 10, Instant.parse("2026-10-31T20:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z")));
        november.addAll(photos(tenant, "nov", 70, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-30T00:00:00Z")));
        Collections.shuffle(november, new Random(17));
        Instant meteredAt = Instant.parse("2026-11-01T06:00:00Z");
        for (ScoredPhoto photo : november) {
            Instant at = photo.requestTime().isAfter(meteredAt) ? photo.requestTime() : meteredAt;
            usage.meterAt(photo, at);
            meteredAt = at.plusSeconds(1);
        }

        // October: 60 free, 40 left. November: the 40 left free, then 40 paid; none left.
        TenantStatement october = reporter.report(OCTOBER, tenant).statements().get(0);
        assertEquals(List.of(60L, 60L, 0L, 40L), List.of(october.scoredPhotos(), october.freePhotos(),
                october.billablePhotos(), october.freePhotosLeft()));
        TenantStatement novemberStatement = reporter.report(NOVEMBER, tenant).statements().get(0);
        assertEquals(List.of(80L, 40L, 40L, 0L), List.of(novemberStatement.scoredPhotos(),
                novemberStatement.freePhotos(), novemberStatement.billablePhotos(),
                novemberStatement.freePhotosLeft()));
        assertEquals(new BigDecimal("0.0240"), novemberStatement.amount());
        assertEquals(10, novemberStatement.latePhotos());
        // Free and paid follow metering order: every free photo of November was metered before every paid one,
        // whatever their request times (October's late ones among both).
        List<UsageRecord> records = usage.ledger.records(tenant, NOVEMBER);
        Instant lastFree = records.stream().filter(r -> !r.billable()).map(UsageRecord::meteredAt)
                .max(Instant::compareTo).orElseThrow();
        Instant firstPaid = records.stream().filter(UsageRecord::billable).map(UsageRecord::meteredAt)
                .min(Instant::compareTo).orElseThrow();
        assertTrue(lastFree.isBefore(firstPaid), lastFree + " / " + firstPaid);
        assertTrue(records.stream().anyMatch(r -> r.requestId().startsWith("late-oct")));
        assertFalse(usage.ledger.records(tenant, OCTOBER).stream().anyMatch(r -> r.requestId().startsWith("late")));
    }

    private static ScoredPhoto photo(String tenant, String requestId, String time) {
        return new ScoredPhoto(tenant, requestId, Instant.parse(time), UsageSource.API_UPLOAD);
    }
}
