package dev.finetune4j.dataset;

import java.util.Objects;
import java.util.Optional;

/**
 * A function the model may call, as in an example's top-level {@code tools} list
 * ({@code {"type":"function","function":{"name","description","parameters"}}}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ToolDefinition {

    private final String name;
    private final String description;
    private final String parametersJson;

    private ToolDefinition(String name, String description, String parametersJson) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = description;
        this.parametersJson = parametersJson;
    }

    /**
     * Creates a definition.
     *
     * @param name the function name
     * @param description what the function does, or {@code null}
     * @param parametersJson the JSON schema of the parameters as JSON text, or {@code null}; it is
     *     kept as compact one-line JSON
     * @throws IllegalArgumentException if {@code parametersJson} is not a JSON object
     */
    public static ToolDefinition of(String name, String description, String parametersJson) {
        return new ToolDefinition(name, description, parametersJson == null ? null : compact(parametersJson));
    }

    /** The schema as one line of compact JSON, so JSONL output never breaks across lines. */
    private static String compact(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = dev.finetune4j.internal.json.Json.mapper().readTree(json);
            if (!node.isObject()) {
                throw new IllegalArgumentException("parametersJson must be a JSON object (a JSON schema), was "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return node.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("parametersJson is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The function name. */
    public String name() {
        return name;
    }

    /** What the function does, when given. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The JSON schema of the parameters, as JSON text, when given. */
    public Optional<String> parametersJson() {
        return Optional.ofNullable(parametersJson);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolDefinition t
                && name.equals(t.name)
                && Objects.equals(description, t.description)
                && Objects.equals(parametersJson, t.parametersJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, parametersJson);
    }

    @Override
    public String toString() {
        return "ToolDefinition[" + name + "]";
    }
}
