package dev.redissession;

import java.util.regex.Pattern;

/**
 * The rule every tenant id obeys. Keeping tenant ids to this charset makes them safe inside a Redis key and a
 * {@code SCAN MATCH} pattern, and in URLs of the admin API.
 */
public final class TenantIds {

    /**
     * Letters, digits, dot, underscore and hyphen, 1 to 64 characters, starting with a letter or digit (so
     * {@code .} and {@code ..} never name a tenant: they would not survive URL path normalisation).
     */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private TenantIds() {
    }

    /**
     * @return the tenant id when it is valid
     * @throws InvalidTenantException naming what is wrong and what is allowed
     */
    public static String require(String tenant) {
        return require(tenant, "send a valid tenant id");
    }

    /**
     * @param hint what the caller can do about an invalid id, e.g. which header or property names it
     * @return the tenant id when it is valid
     * @throws InvalidTenantException naming what is wrong, what is allowed and the hint
     */
    public static String require(String tenant, String hint) {
        if (!isValid(tenant)) {
            throw new InvalidTenantException(tenant, hint);
        }
        return tenant;
    }

    /** Whether {@code tenant} matches {@link #PATTERN}; checked by hand, since every key built asks. */
    public static boolean isValid(String tenant) {
        if (tenant == null || tenant.isEmpty() || tenant.length() > 64) {
            return false;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            boolean alphanumeric = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '.' && c != '_' && c != '-')) {
                return false;
            }
        }
        return true;
    }
}
