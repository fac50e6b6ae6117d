package dev.redissession.runtime.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A session's handle: what listings, events and URLs name a session by instead of its id, which is a bearer secret.
 * The first 96 bits of the id's SHA-256, URL-safe: one-way, so a handle never gives the id away, and wide enough that
 * two sessions of one user never share it.
 */
public final class SessionHandles {

    private static final int HANDLE_BYTES = 12;

    private SessionHandles() {
    }

    /** The handle of the session with this id: 16 URL-safe characters. */
    public static String of(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, HANDLE_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /** Whether {@code text} has the shape of a handle (checked before it is compared with anything). */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != 16) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
