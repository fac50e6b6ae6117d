package dev.redissession.runtime.failure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redissession.runtime.keys.SessionKeys;

/**
 * Turns Redis failure messages into text fit for a job's {@code error} or an admin API answer. Vert.x messages may
 * carry the encoded request (with full session keys, which are bearer tokens) and {@code host:port} of cluster nodes;
 * those are replaced, while Redis's own error reply ({@code NOPERM ...}, {@code OOM ...}) is kept, as it says what to
 * fix. The log gets the message with addresses but with keys cut by {@link SessionKeys#redact}.
 */
public final class ErrorText {

    /** {@code <anything>:<session id>}: a session key whatever the prefix (it may be empty). */
    private static final Pattern ANY_KEY = Pattern.compile("[^\\s'\"]*:[A-Za-z0-9_-]{16,128}(?![A-Za-z0-9_-])");
    private static final Pattern URI = Pattern.compile("rediss?://[^\\s,'\"]+");
    private static final Pattern IPV4 = Pattern.compile("(?:[A-Za-z0-9.-]+/)?\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\](?::\\d{1,5})?");
    /** A dotted host name with a port (a plain {@code word:1} such as {@code user_script:1} stays). */
    private static final Pattern HOST_PORT = Pattern.compile("\\b[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+:\\d{1,5}\\b");
    private static final Pattern LOCALHOST = Pattern.compile("\\blocalhost(?::\\d{1,5})?\\b");
    private static final Pattern NODE_ID = Pattern.compile("\\b[0-9a-f]{40}\\b");

    private ErrorText() {
    }

    /** The message without session keys, Redis addresses or cluster node ids. */
    public static String publicText(String message, String keyPrefix) {
        if (message == null) {
            return null;
        }
        String text = message.replace("\r\n", " ");
        if (!keyPrefix.isEmpty()) {
            text = text.replaceAll(Pattern.quote(keyPrefix) + "[^\\s'\"]*", "<key>");
        }
        text = ANY_KEY.matcher(text).replaceAll("<key>");
        text = URI.matcher(text).replaceAll("<redis>");
        text = IPV6.matcher(text).replaceAll("<address>");
        text = IPV4.matcher(text).replaceAll("<address>");
        text = LOCALHOST.matcher(text).replaceAll("<address>");
        text = HOST_PORT.matcher(text).replaceAll("<address>");
        return NODE_ID.matcher(text).replaceAll("<node>");
    }

    /** The message for the server log: addresses kept, session ids cut to a few characters. */
    public static String logText(String message, String keyPrefix) {
        if (message == null) {
            return null;
        }
        Pattern keys = keyPrefix.isEmpty() ? ANY_KEY : Pattern.compile(Pattern.quote(keyPrefix) + "[^\\s'\"]*");
        Matcher matcher = keys.matcher(message.replace("\r\n", " "));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(SessionKeys.redact(matcher.group())));
        }
        return matcher.appendTail(out).toString();
    }
}
