package dev.finetune4j.chat;

import dev.finetune4j.internal.json.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What shape the model's answer must take: free text, any JSON object, or JSON that follows a
 * schema. Sent as the chat request's {@code response_format} ({@code {"type": "text"}}, {@code
 * {"type": "json_object"}}, or {@code {"type": "json_schema", "json_schema": {"name", "schema",
 * "strict"}}}), which OpenAI, Mistral and vLLM read alike.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResponseFormat {

    /** The kinds of format. */
    public enum Type {
        /** Free text (the default of every provider). */
        TEXT("text"),
        /** Any valid JSON object; the prompt should still ask for JSON. */
        JSON_OBJECT("json_object"),
        /** JSON following the given schema. */
        JSON_SCHEMA("json_schema");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The {@code type} value on the wire, such as {@code json_schema}. */
        public String wireName() {
            return wireName;
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
    private static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

    private final Type type;
    private final String name;
    private final String schemaJson;
    private final boolean strict;

    private ResponseFormat(Type type, String name, String schemaJson, boolean strict) {
        this.type = type;
        this.name = name;
        this.schemaJson = schemaJson;
        this.strict = strict;
    }

    /** Free text. */
    public static ResponseFormat text() {
        return TEXT;
    }

    /** Any JSON object. */
    public static ResponseFormat jsonObject() {
        return JSON_OBJECT;
    }

    /**
     * JSON following a schema.
     *
     * @param name the schema's name: 1 to 64 letters, digits, underscores or dashes
     * @param schemaJson the JSON schema, as JSON text (an object); kept as compact JSON
     * @param strict whether the provider must follow the schema exactly (OpenAI's structured
     *     outputs, which accept only a subset of JSON schema)
     * @throws IllegalArgumentException for a name outside those rules or a schema that is not a
     *     JSON object
     */
    public static ResponseFormat jsonSchema(String name, String schemaJson, boolean strict) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schemaJson, "schemaJson");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name '" + name + "' must be 1 to 64 letters, digits, "
                    + "underscores or dashes");
        }
        return new ResponseFormat(Type.JSON_SCHEMA, name, Json.compactObject(schemaJson, "the schema of '" + name + "'"),
                strict);
    }

    /** The kind of format. */
    public Type type() {
        return type;
    }

    /** The schema's name, for {@link Type#JSON_SCHEMA}. */
    public Optional<String> schemaName() {
        return Optional.ofNullable(name);
    }

    /** The schema as compact JSON text, for {@link Type#JSON_SCHEMA}. */
    public Optional<String> schemaJson() {
        return Optional.ofNullable(schemaJson);
    }

    /** Whether the schema must be followed exactly; false except for a strict {@link Type#JSON_SCHEMA}. */
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseFormat r && type == r.type && Objects.equals(name, r.name)
                && Objects.equals(schemaJson, r.schemaJson) && strict == r.strict;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, schemaJson, strict);
    }

    @Override
    public String toString() {
        return "ResponseFormat[" + type.wireName() + (name == null ? "" : " " + name + (strict ? ", strict" : "")) + "]";
    }
}
