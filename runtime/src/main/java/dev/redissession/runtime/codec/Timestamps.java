package dev.redissession.runtime.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The session's RFC 3339 times ({@code created_at}, {@code last_accessed_at}), read and written on every request.
 * <p>
 * Why not just {@link OffsetDateTime#parse} and {@link Instant#toString}: the {@code java.time} formatters cost more
 * CPU than the rest of a session read together (profiled under load: a fifth of the application's samples). The
 * shape this store writes, {@code 2026-12-01T15:25:00.123Z}, and the ordinary variants of it other services write
 * (any fraction, a numeric offset, a lower-case {@code t} or {@code z}) are read by hand; anything else goes to
 * {@link OffsetDateTime#parse}, so what is accepted, and how it is read, is exactly what that method does.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * @throws DateTimeParseException when {@code text} is not an RFC 3339 date-time with an offset, as
     *         {@link OffsetDateTime#parse} would
     */
    public static Instant parse(String text) {
        Instant fast = parseCommon(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** The instant, to the millisecond, in UTC: what {@code Instant.truncatedTo(MILLIS).toString()} gives. */
    public static String format(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        LocalDateTime utc = LocalDateTime.ofEpochSecond(millis.getEpochSecond(), millis.getNano(), ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            return millis.toString();
        }
        StringBuilder out = new StringBuilder(24);
        pad(out, utc.getYear(), 4).append('-');
        pad(out, utc.getMonthValue(), 2).append('-');
        pad(out, utc.getDayOfMonth(), 2).append('T');
        pad(out, utc.getHour(), 2).append(':');
        pad(out, utc.getMinute(), 2).append(':');
        pad(out, utc.getSecond(), 2);
        int milli = millis.getNano() / 1_000_000;
        if (milli != 0) {
            pad(out.append('.'), milli, 3);
        }
        return out.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        String text = Integer.toString(value);
        for (int missing = digits - text.length(); missing > 0; missing--) {
            out.append('0');
        }
        return out.append(text);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}, or {@code null} for any other text (also one whose fields
     * are out of range), which {@link OffsetDateTime#parse} then reads or refuses.
     */
    private static Instant parseCommon(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) | 0x20) != 't'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + (text.charAt(at) - '0');
                at++;
            }
            if (at == start || at < length && isDigit(text.charAt(at))) {
                return null; // no digit, or more than nine
            }
            for (int scale = at - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && (text.charAt(at) | 0x20) == 'z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            if ((offsetHours | offsetMinutes) < 0) {
                return null;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(at) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
