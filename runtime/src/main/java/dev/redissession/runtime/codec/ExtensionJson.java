package dev.redissession.runtime.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapper for the extension's own documents (error bodies, purge job state). Session values have rules
 * of their own and go through {@link SessionCodec}.
 */
public final class ExtensionJson {

    /** Thread-safe once built; dates as ISO-8601 strings, no default typing. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private ExtensionJson() {
    }
}
