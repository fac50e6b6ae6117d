package dev.redissession.runtime;

/** A session value in Redis that this extension cannot read; the value is never modified because of it. */
final class CorruptSessionException extends RuntimeException {

    CorruptSessionException(String reason) {
        super(reason);
    }
}
