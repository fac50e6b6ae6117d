package dev.redissession;

/**
 * A tenant id that does not match {@link TenantIds#PATTERN}. Requests that fail with it get 400.
 */
public class InvalidTenantException extends IllegalArgumentException {

    public InvalidTenantException(String tenant) {
        super("Invalid tenant id " + describe(tenant) + ": a tenant id is 1 to 64 characters from "
                + "A-Z a-z 0-9 . _ - (send a valid tenant, e.g. in the tenant header)");
    }

    private static String describe(String tenant) {
        if (tenant == null) {
            return "(none)";
        }
        String shown = tenant.length() > 80 ? tenant.substring(0, 80) + "..." : tenant;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
