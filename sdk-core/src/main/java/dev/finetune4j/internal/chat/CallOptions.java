package dev.finetune4j.internal.chat;

import dev.finetune4j.internal.json.JsonValues;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The checks a chat option passes, the same for the router's {@code ChatRequest} and the
 * provider's {@code ChatCall}: each returns the value or throws {@link IllegalArgumentException}
 * naming it and what would be right.
 */
public final class CallOptions {

    private CallOptions() {}

    /** A sampling temperature, 0 to 2. */
    public static double temperature(double temperature) {
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be 0 to 2, was " + temperature);
        }
        return temperature;
    }

    /** A nucleus sampling mass, 0 to 1. */
    public static double topP(double topP) {
        if (!(topP >= 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be 0 to 1, was " + topP);
        }
        return topP;
    }

    /** A token limit, at least 1. */
    public static int maxTokens(int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        }
        return maxTokens;
    }

    /** Stop sequences: a copy; none null or empty. */
    public static List<String> stop(List<String> sequences) {
        Objects.requireNonNull(sequences, "sequences");
        for (int i = 0; i < sequences.size(); i++) {
            String s = sequences.get(i);
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop sequence " + i + " is " + (s == null ? "null" : "empty")
                        + "; each must be a non-empty string");
            }
        }
        return List.copyOf(sequences);
    }

    /** A per-call timeout: positive. */
    public static Duration timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is " + timeout + "; it must be positive");
        }
        return timeout;
    }

    /** An extra body field's value: a deep copy of a JSON value ({@link JsonValues}). */
    public static Object extraField(String name, Object value) {
        JsonValues.name(name, "extra field");
        return JsonValues.copy(value, "extra field '" + name + "'");
    }
}
