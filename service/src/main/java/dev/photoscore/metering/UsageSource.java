package dev.photoscore.metering;

/** Where a metered photo came in. */
public enum UsageSource {
    /** The API, given the photo's URL. */
    API_URL("api-url"),
    /** The API, given the photo itself. */
    API_UPLOAD("api-upload"),
    /** An object put into the watched S3 bucket. */
    S3("s3");

    private final String storedName;

    UsageSource(String storedName) {
        this.storedName = storedName;
    }

    /** The name in the usage table. */
    public String storedName() {
        return storedName;
    }

    static UsageSource fromStoredName(String name) {
        for (UsageSource source : values()) {
            if (source.storedName.equals(name)) {
                return source;
            }
        }
        throw new IllegalStateException("unknown usage source in the usage table: " + name);
    }
}
