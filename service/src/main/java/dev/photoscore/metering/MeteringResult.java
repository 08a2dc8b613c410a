package dev.photoscore.metering;

/**
 * The outcome of metering a photo: its usage record, and whether an earlier call had already metered it (a
 * retried request), in which case the record is the earlier one, unchanged, and nothing was counted again.
 *
 * <p>The record's {@code monthCount}, {@code lifetimeCount} and {@code freePhotosLeft} are the figures for the
 * answer's headers.
 */
public record MeteringResult(UsageRecord record, boolean alreadyMetered) {
}
