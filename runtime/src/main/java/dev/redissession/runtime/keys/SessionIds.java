package dev.redissession.runtime.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids: 32 URL-safe characters from a CSPRNG.
 */
public final class SessionIds {

    /**
     * What an incoming id must look like to be looked up at all. Wider than what we generate so that ids minted by
     * other services of the seed format (UUIDs) are accepted; narrow enough to never carry ':' or glob characters
     * into a key.
     */
    private static final int MIN_LENGTH = 16;
    private static final int MAX_LENGTH = 128;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .toCharArray();
    private static final int RANDOM_BYTES = 24;
    private static final int SLOT_SUFFIX = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    /** {@code [A-Za-z0-9_-]{16,128}}, checked by hand: every request with a cookie asks. */
    public static boolean isValid(String id) {
        if (id == null || id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** 192 random bits. */
    public static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * An id whose key {@code keyBase + id} lands in {@code slot}. Rotating a session id to a key in the same cluster
     * slot lets one script move it atomically on Redis Cluster too. The last three characters are searched (64^3
     * candidates for 16384 slots), so 174 random bits remain; the CRC of the rest of the key is computed once, so a
     * search costs three CRC steps per candidate.
     */
    public static String generateInSlot(int slot, String keyBase) {
        if (ClusterSlots.hasHashTag(keyBase)) {
            return generate(); // the tag fixes the slot of every id under it
        }
        while (true) {
            char[] id = generate().toCharArray();
            int base = id.length - SLOT_SUFFIX;
            int prefixCrc = 0;
            for (byte b : (keyBase + new String(id, 0, base)).getBytes(StandardCharsets.UTF_8)) {
                prefixCrc = ClusterSlots.crc(prefixCrc, b);
            }
            for (int n = 0; n < 1 << (6 * SLOT_SUFFIX); n++) {
                int crc = prefixCrc;
                for (int i = 0; i < SLOT_SUFFIX; i++) {
                    id[base + i] = ALPHABET[(n >>> (6 * i)) & 63];
                    crc = ClusterSlots.crc(crc, (byte) id[base + i]);
                }
                if (crc % ClusterSlots.SLOTS == slot) {
                    return new String(id);
                }
            }
        }
    }
}
