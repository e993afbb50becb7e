package dev.finetune4j.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key or access token, wrapped so that it cannot leak by accident.
 *
 * <p>{@link #toString()} shows at most the last four characters ({@code ApiKey[****abcd]}), and
 * nothing of a key shorter than {@value #SHORTEST_SHOWN} characters ({@code ApiKey[****]}).
 * {@link #value()} is the only way to read the secret; the library calls it in exactly one place,
 * when it writes the {@code Authorization} header. Error bodies that echo the key have it replaced
 * by {@code ****} before they reach an exception.
 *
 * <p>Immutable and thread-safe. Two keys are equal when their values are (compared in constant
 * time).
 */
public final class ApiKey {

    /** Keys shorter than this show no character at all in {@link #toString()}. */
    public static final int SHORTEST_SHOWN = 20;

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /**
     * Wraps a key. Leading and trailing whitespace (a stray newline from a file or an env
     * variable) is removed.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the key is blank or contains a whitespace or control
     *     character inside it (it could not be sent in an HTTP header); the message never repeats
     *     the key
     */
    public static ApiKey of(String value) {
        Objects.requireNonNull(value, "value");
        String key = value.strip();
        if (key.isEmpty()) {
            throw new IllegalArgumentException("api key is blank");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("api key contains a whitespace or control character at index "
                        + i + "; an HTTP header cannot carry it");
            }
            if (c > 0xff) {
                throw new IllegalArgumentException("api key contains a non-Latin-1 character at index "
                        + i + "; an HTTP header cannot carry it");
            }
        }
        return new ApiKey(key);
    }

    /**
     * The key held in an environment variable, such as {@code OPENAI_API_KEY}.
     *
     * @return empty when the variable is unset or blank
     * @throws IllegalArgumentException if the variable holds something {@link #of(String)} rejects
     */
    public static Optional<ApiKey> fromEnv(String variable) {
        Objects.requireNonNull(variable, "variable");
        String raw = System.getenv(variable);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(raw));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + variable + ": " + e.getMessage());
        }
    }

    /**
     * The secret itself. Only for writing it into a request: never log it, store it or put it in
     * a message.
     */
    public String value() {
        return value;
    }

    /** {@code ApiKey[****abcd]}: the last four characters of a long key, none of a short one. */
    @Override
    public String toString() {
        return "ApiKey[****" + (value.length() >= SHORTEST_SHOWN ? value.substring(value.length() - 4) : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
