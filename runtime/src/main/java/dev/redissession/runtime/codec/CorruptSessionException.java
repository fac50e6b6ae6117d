package dev.redissession.runtime.codec;

/** A session value in Redis that this extension cannot read; the value is never modified because of it. */
public final class CorruptSessionException extends RuntimeException {

    public CorruptSessionException(String reason) {
        super(reason);
    }
}
