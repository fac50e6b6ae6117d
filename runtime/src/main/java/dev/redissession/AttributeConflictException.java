package dev.redissession;

import java.util.Collection;

/**
 * A change of session attributes that could not be saved because other requests changed the same attributes
 * meanwhile: with {@code quarkus.redis-session.same-attribute-conflict=reject} for a plain set, or after
 * {@code quarkus.redis-session.max-write-retries} attempts of an atomic update. Nothing of the request was saved;
 * requests that fail with it get 409 {@code attribute_conflict}.
 */
public class AttributeConflictException extends RuntimeException {

    private final Collection<String> attributes;

    /** @param why what the other requests did, true for the case */
    public AttributeConflictException(Collection<String> attributes, String why) {
        super("Session attribute" + (attributes.size() == 1 ? " " : "s ") + String.join(", ", attributes.stream()
                .map(name -> "'" + name + "'").toList()) + " not saved: " + why + "; nothing of this request was "
                + "saved. Read the session again and retry.");
        this.attributes = attributes;
    }

    /** The attributes other requests changed. */
    public Collection<String> attributes() {
        return attributes;
    }
}
