package dev.finetune4j.deployment;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a deployment serves: a base URL chat calls go to (a Hugging Face endpoint's URL with
 * {@code /v1}), the model name chat calls must send (an adapter name; an Azure deployment name), or
 * both. Immutable and thread-safe.
 */
public final class ServingAddress {

    private final URI baseUrl;
    private final String model;

    private ServingAddress(URI baseUrl, String model) {
        this.baseUrl = baseUrl;
        this.model = model;
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("the model name of a serving address must not be blank");
        }
    }

    /** Calls go to {@code baseUrl} with the model version's own model id. */
    public static ServingAddress url(URI baseUrl) {
        return new ServingAddress(Objects.requireNonNull(baseUrl, "baseUrl"), null);
    }

    /** Calls go to {@code baseUrl} and name {@code model}. */
    public static ServingAddress of(URI baseUrl, String model) {
        return new ServingAddress(Objects.requireNonNull(baseUrl, "baseUrl"), Objects.requireNonNull(model, "model"));
    }

    /** Calls go to the provider's usual endpoint and name {@code model} (an Azure deployment name). */
    public static ServingAddress model(String model) {
        return new ServingAddress(null, Objects.requireNonNull(model, "model"));
    }

    /** The base URL chat calls go to, when it is not the provider's usual endpoint. */
    public Optional<URI> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** The model name chat calls send, when it is not the model version's own model id. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServingAddress a && Objects.equals(baseUrl, a.baseUrl) && Objects.equals(model, a.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUrl, model);
    }

    /** E.g. {@code https://x.endpoints.huggingface.cloud/v1 model acme/parser-ftj-1}. */
    @Override
    public String toString() {
        return (baseUrl == null ? "(provider endpoint)" : baseUrl.toString()) + (model == null ? "" : " model " + model);
    }
}
