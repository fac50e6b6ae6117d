package dev.redissession.runtime.http;

/** One header a door adds to its response, e.g. the {@code Set-Cookie} that carries a new session id. */
public record ResponseHeader(String name, String value) {
}
