package dev.finetune4j.spi.kit;

import dev.finetune4j.http.ApiKey;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link ProviderHttp} says who is calling: a key sent as {@code Authorization: Bearer …}
 * (OpenAI, Mistral, Hugging Face), a key sent in a header of the provider's naming (Azure
 * OpenAI's {@code api-key}), a bearer token the host application supplies and refreshes (an
 * Entra ID access token), or nothing (public endpoints, emulators).
 *
 * <p>Whatever the kind, the secret goes only to the client's base URL (same scheme, host and
 * port; redirects to another origin are followed without it), is never logged, and is replaced by
 * {@value ProviderErrors#REDACTED} wherever an answer echoes it into an exception. {@link
 * #toString()} never shows it.
 *
 * <p>Immutable and thread-safe, provided the token supplier is.
 */
public final class Authentication {

    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";
    private static final Authentication NONE = new Authentication(null, "", null, null);

    private final String header;
    private final String prefix;
    private final ApiKey key;
    private final Supplier<ApiKey> tokens;

    private Authentication(String header, String prefix, ApiKey key, Supplier<ApiKey> tokens) {
        this.header = header;
        this.prefix = prefix;
        this.key = key;
        this.tokens = tokens;
    }

    /** No credential at all. */
    public static Authentication none() {
        return NONE;
    }

    /** {@code key} sent as {@code Authorization: Bearer <key>}. */
    public static Authentication bearer(ApiKey key) {
        return new Authentication(AUTHORIZATION, BEARER, Objects.requireNonNull(key, "key"), null);
    }

    /**
     * {@code key} sent as it is in the header {@code name}, such as Azure OpenAI's {@code
     * api-key}.
     *
     * @throws IllegalArgumentException if {@code name} is not an HTTP header name (RFC 9110 token)
     */
    public static Authentication header(String name, ApiKey key) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        if (name.isEmpty() || !name.chars().allMatch(Authentication::isTokenChar)) {
            throw new IllegalArgumentException("'" + name + "' is not an HTTP header name (letters, digits and "
                    + "!#$%&'*+-.^_`|~ only)");
        }
        return new Authentication(name, "", key, null);
    }

    /**
     * A bearer token asked of {@code tokens} once per call (all attempts of one call send the same
     * token), such as an Entra ID access token. The supplier is the host application's: it should
     * cache the token and refresh it before it expires (Azure Identity's credentials do). What it
     * throws reaches the caller unchanged, before anything is sent.
     */
    public static Authentication bearerToken(Supplier<ApiKey> tokens) {
        return new Authentication(AUTHORIZATION, BEARER, null, Objects.requireNonNull(tokens, "tokens"));
    }

    /** The header the credential travels in; empty for {@link #none()}. */
    public Optional<String> headerName() {
        return Optional.ofNullable(header);
    }

    /**
     * The credential for one call, or null when none is sent.
     *
     * @param provider the provider id, for the message when the supplier returns null
     * @param sent whether the call carries the credential (a supplier is not asked otherwise)
     */
    Credential forCall(String provider, boolean sent) {
        if (header == null) {
            return null;
        }
        ApiKey secret = key;
        if (tokens != null) {
            if (!sent) {
                return null;
            }
            secret = tokens.get();
            if (secret == null) {
                throw new IllegalStateException(provider + ": the token supplier returned null; it must return a "
                        + "token or throw");
            }
        }
        return new Credential(header, prefix + secret.value(), secret);
    }

    /** One call's credential: the header, its value, and the secret to redact from what comes back. */
    record Credential(String header, String value, ApiKey secret) {
        @Override
        public String toString() {
            return "Credential[" + header + ", " + secret + "]";
        }
    }

    private static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The kind and, for a fixed key, {@link ApiKey#toString()} (never the key itself). */
    @Override
    public String toString() {
        if (header == null) {
            return "Authentication[none]";
        }
        if (tokens != null) {
            return "Authentication[bearer token from a supplier]";
        }
        return "Authentication[" + (prefix.isEmpty() ? "header " + header : "bearer") + " " + key + "]";
    }
}
