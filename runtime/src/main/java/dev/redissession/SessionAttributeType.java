package dev.redissession;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a class whose instances may be stored as session attributes: they are written as JSON with Jackson and
 * read back as this class. Only registered classes are ever instantiated from session data.
 * <p>
 * The class's name (or {@link #value()}) is written next to the attribute, so renaming the class breaks
 * sessions already stored unless {@code value} keeps the old name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SessionAttributeType {

    /**
     * The type name stored in Redis; empty means the fully qualified class name.
     */
    String value() default "";
}
