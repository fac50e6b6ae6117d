package dev.redissession.runtime.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-1 in lowercase hex, the form in which Lua's {@code redis.sha1hex} and {@code EVALSHA} name a value. */
public final class Sha1 {

    private Sha1() {
    }

    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM offers no SHA-1, which every Java platform must provide", e);
        }
    }
}
