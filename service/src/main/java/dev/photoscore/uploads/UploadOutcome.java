package dev.photoscore.uploads;

/**
 * What became of one uploaded object.
 *
 * @param status what happened
 * @param detail the result's key, or why nothing was written
 */
public record UploadOutcome(Status status, String detail) {

    public enum Status {
        /** Scored and metered: tagged, result written. */
        SCORED,
        /** Scored and metered, then moved to rejected/ for its class. */
        REJECTED,
        /** Not scored (not a photo, too large, no such tenant, cap reached): an error result was written. */
        REFUSED,
        /** Nothing to do: not under incoming/, or the object version is gone (deleted, replaced, moved). */
        SKIPPED
    }
}
