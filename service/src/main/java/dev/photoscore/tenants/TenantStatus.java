package dev.photoscore.tenants;

/** Whether a tenant may use the API. A disabled tenant's valid credentials are answered with 403. */
public enum TenantStatus {
    ACTIVE("active"),
    DISABLED("disabled");

    private final String storedName;

    TenantStatus(String storedName) {
        this.storedName = storedName;
    }

    /** The name in the tenants table. */
    public String storedName() {
        return storedName;
    }

    static TenantStatus fromStoredName(String name) {
        for (TenantStatus status : values()) {
            if (status.storedName.equals(name)) {
                return status;
            }
        }
        throw new IllegalStateException("unknown tenant status in the tenants table: " + name);
    }
}
