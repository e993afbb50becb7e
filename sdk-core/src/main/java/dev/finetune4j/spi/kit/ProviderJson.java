package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.internal.json.Json;

/**
 * The library's one configured Jackson mapper, for provider modules: it reads and writes what
 * {@link ProviderHttp} reads and writes (strings up to {@value #MAX_STRING_LENGTH} characters,
 * nesting up to 200 levels, nothing accepted after a document). Part of the provider kit (see the
 * package documentation).
 *
 * <p>Thread-safe. It is shared with the rest of the library: use it as it is and never
 * reconfigure it; a provider that needs other settings configures a {@link ObjectMapper#copy()}.
 */
public final class ProviderJson {

    /** The longest string value accepted inside a JSON document (characters). */
    public static final int MAX_STRING_LENGTH = Json.MAX_STRING_LENGTH;

    private ProviderJson() {}

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return Json.mapper();
    }
}
