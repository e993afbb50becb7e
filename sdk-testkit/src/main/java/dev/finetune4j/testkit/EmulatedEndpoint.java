package dev.finetune4j.testkit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Inference Endpoint the {@link HuggingFaceEmulator} holds, as seen by a test at the moment it
 * was read.
 *
 * @param name the endpoint's name
 * @param state its {@code status.state}: {@code pending}, {@code initializing}, {@code running},
 *     {@code scaledToZero}, {@code paused}, {@code updating}, {@code failed}
 * @param url where it serves ({@code http://localhost:PORT/endpoints/NAME}, OpenAI-compatible below
 *     {@code /v1}) once it has run, else {@code null}
 * @param repository the model repository it serves (the base model)
 * @param adapter the LoRA adapter its {@code --lora-modules} names, or {@code null}
 * @param hardware {@code INSTANCE_TYPE-SIZE}, e.g. {@code nvidia-l4-x1}
 * @param vendor e.g. {@code aws}
 * @param region e.g. {@code us-east-1}
 * @param minReplicas {@code compute.scaling.minReplica}
 * @param maxReplicas {@code compute.scaling.maxReplica}
 * @param scaleToZeroTimeoutMinutes {@code compute.scaling.scaleToZeroTimeout}, or {@code null}
 * @param type {@code public}, {@code authenticated}, {@code private}
 * @param tags its tags
 * @param pricePerHour its hardware's hourly price in the emulator's catalogue, USD
 * @param message its {@code status.message}
 * @param chatRequests chat completion requests that reached it (served, or refused while it woke up)
 * @param createdAt when it was created, on the emulator's clock
 */
public record EmulatedEndpoint(String name, String state, String url, String repository, String adapter,
        String hardware, String vendor, String region, int minReplicas, int maxReplicas,
        Integer scaleToZeroTimeoutMinutes, String type, List<String> tags, BigDecimal pricePerHour, String message,
        int chatRequests, Instant createdAt) {

    public EmulatedEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        tags = List.copyOf(tags);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Where it serves, once it has run. */
    public Optional<String> servingUrl() {
        return Optional.ofNullable(url);
    }
}
