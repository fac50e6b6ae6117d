package dev.redissession.runtime.keys;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key (CRC16/XMODEM of the key, or of its hash tag, modulo 16384).
 */
public final class ClusterSlots {

    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private ClusterSlots() {
    }

    public static int slot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = crc(crc, bytes[i]);
        }
        return crc % SLOTS;
    }

    /** Whether {@code key} holds a hash tag: its slot is then the tag's, whatever else the key holds. */
    static boolean hasHashTag(String key) {
        int open = key.indexOf('{');
        return open >= 0 && key.indexOf('}', open + 1) > open + 1;
    }

    /** One more byte into a CRC16/XMODEM: a key's CRC can be carried on from a common prefix. */
    static int crc(int crc, byte b) {
        return ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xFF]) & 0xFFFF;
    }

    /**
     * A short string whose hash slot is {@code slot}, so that a key containing {@code "{" + tag(slot) + "}"} lives in
     * that slot.
     */
    public static String tag(int slot) {
        return Tags.TABLE[slot];
    }

    /** Built on first use by trying base-36 numbers in order: about 170 000 CRCs of at most four bytes. */
    private static final class Tags {
        static final String[] TABLE = new String[SLOTS];

        static {
            int missing = SLOTS;
            for (long n = 0; missing > 0; n++) {
                String candidate = Long.toString(n, 36);
                int slot = slot(candidate);
                if (TABLE[slot] == null) {
                    TABLE[slot] = candidate;
                    missing--;
                }
            }
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
