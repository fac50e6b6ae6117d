package dev.redissession;

/**
 * A tenant id that does not match {@link TenantIds#PATTERN}. Requests that fail with it get 400.
 */
public class InvalidTenantException extends IllegalArgumentException {

    /** @param hint what the client or operator can do about it, true for where the id came from */
    public InvalidTenantException(String tenant, String hint) {
        super("Invalid tenant id " + describe(tenant) + ": a tenant id is 1 to 64 characters from "
                + "A-Z a-z 0-9 . _ -, starting with a letter or digit (" + hint + ")");
    }

    private InvalidTenantException(String message) {
        super(message);
    }

    /**
     * More than one tenant header: which one is meant cannot be told (a client's header first and a gateway's
     * appended one would otherwise let the client choose).
     */
    public static InvalidTenantException ambiguous(String header, int count) {
        return new InvalidTenantException("The request has " + count + " " + header + " headers: send exactly one (a "
                + "gateway that sets the tenant must replace the client's header, not add another)");
    }

    /** At most 32 characters of it, anything but printable ASCII shown as '?': it may come from any client. */
    private static String describe(String tenant) {
        if (tenant == null) {
            return "(none)";
        }
        String shown = tenant.length() > 32 ? tenant.substring(0, 32) + "..." : tenant;
        return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
