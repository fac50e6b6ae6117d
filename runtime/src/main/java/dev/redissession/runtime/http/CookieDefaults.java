package dev.redissession.runtime.http;

/**
 * What a deployment descriptor says of the session cookie ({@code web.xml} {@code <cookie-config>}), for the
 * properties that are not set; {@code null} or {@code false} where it says nothing.
 */
public record CookieDefaults(String name, String path, String domain, boolean httpOnly, boolean secure, int maxAge) {

    /** A door without a deployment descriptor. */
    public static final CookieDefaults NONE = new CookieDefaults(null, null, null, false, false, -1);
}
