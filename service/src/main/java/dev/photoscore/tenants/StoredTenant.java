package dev.photoscore.tenants;

/** A tenant with the hash of its secret, which never leaves this package. */
record StoredTenant(Tenant tenant, String secretHash) {
}
