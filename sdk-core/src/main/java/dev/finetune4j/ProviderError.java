package dev.finetune4j;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider said when it answered a call with an error: the provider, the HTTP status, the
 * provider's error code, its request id and the raw error body. Carried by every
 * {@link ProviderException} and by a {@link NotFoundException} that comes from a provider's 404.
 *
 * <p>The raw body is bounded to {@value ProviderException#MAX_RAW_BODY} characters; whoever builds
 * one (the provider kit) has replaced the call's API key by {@code ****} wherever the provider
 * echoed it. Immutable and thread-safe; equal when every part is equal.
 */
public final class ProviderError implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final int statusCode;
    private final String errorCode;
    private final String requestId;
    private final String rawBody;

    private ProviderError(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.statusCode = b.statusCode;
        this.errorCode = b.errorCode == null || b.errorCode.isBlank() ? null : b.errorCode;
        this.requestId = b.requestId == null || b.requestId.isBlank() ? null : b.requestId;
        String body = Objects.requireNonNull(b.rawBody, "rawBody");
        this.rawBody = body.length() > ProviderException.MAX_RAW_BODY
                ? body.substring(0, ProviderException.MAX_RAW_BODY) : body;
    }

    /**
     * A builder for an error of a provider with a status; the error code and request id are
     * absent and the raw body empty until set.
     *
     * @param provider the provider id, such as {@code openai}
     * @param statusCode the HTTP status of the answer (200 for an error sent inside a stream)
     */
    public static Builder builder(String provider, int statusCode) {
        return new Builder(provider, statusCode);
    }

    /** The provider id, such as {@code openai}, {@code mistral} or {@code huggingface}. */
    public String provider() {
        return provider;
    }

    /** The HTTP status of the answer (200 for an error the provider sent inside a stream). */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The provider's error code, such as {@code model_not_found} or {@code RepoNotFound}; its
     * error type when it sends no code.
     */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The provider's id of the request ({@code x-request-id}), to quote to its support. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The error body as the provider sent it (API key redacted), possibly empty. */
    public String rawBody() {
        return rawBody;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderError e && provider.equals(e.provider) && statusCode == e.statusCode
                && Objects.equals(errorCode, e.errorCode) && Objects.equals(requestId, e.requestId)
                && rawBody.equals(e.rawBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, statusCode, errorCode, requestId, rawBody);
    }

    /** The provider, status, code and request id; not the body. */
    @Override
    public String toString() {
        return "ProviderError[" + provider + " " + statusCode + (errorCode == null ? "" : " " + errorCode)
                + (requestId == null ? "" : ", request " + requestId) + "]";
    }

    /** Builds a {@link ProviderError}. Not thread-safe. */
    public static final class Builder {

        private final String provider;
        private final int statusCode;
        private String errorCode;
        private String requestId;
        private String rawBody = "";

        private Builder(String provider, int statusCode) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.statusCode = statusCode;
        }

        /** The provider's error code; null or blank for none. */
        public Builder errorCode(String code) {
            this.errorCode = code;
            return this;
        }

        /** The provider's request id; null or blank for none. */
        public Builder requestId(String id) {
            this.requestId = id;
            return this;
        }

        /** The raw error body (empty); cut to {@value ProviderException#MAX_RAW_BODY} characters. */
        public Builder rawBody(String body) {
            this.rawBody = Objects.requireNonNull(body, "rawBody");
            return this;
        }

        /** The error. */
        public ProviderError build() {
            return new ProviderError(this);
        }
    }
}
