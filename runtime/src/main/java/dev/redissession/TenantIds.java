package dev.redissession;

import java.util.regex.Pattern;

/**
 * The rule every tenant id obeys. Keeping tenant ids to this charset makes them safe inside a Redis key and a
 * {@code SCAN MATCH} pattern, and in URLs of the admin API.
 */
public final class TenantIds {

    /** Letters, digits, dot, underscore and hyphen; 1 to 64 characters. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private TenantIds() {
    }

    /**
     * @return the tenant id when it is valid
     * @throws InvalidTenantException naming what is wrong and what is allowed
     */
    public static String require(String tenant) {
        if (tenant == null || !PATTERN.matcher(tenant).matches()) {
            throw new InvalidTenantException(tenant);
        }
        return tenant;
    }
}
