package dev.finetune4j.testkit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A dedicated endpoint the {@link TogetherEmulator} holds, as seen by a test at the moment it was
 * read.
 *
 * @param id its id ({@code endpoint-<uuid>})
 * @param name the name chat calls it by ({@code user/model-1a2b3c4d})
 * @param displayName its {@code display_name}
 * @param model the model it serves (a base model or a fine-tuned model's output name)
 * @param hardware its hardware id, e.g. {@code 1x_nvidia_h100_80gb_sxm}
 * @param state {@code PENDING}, {@code STARTING}, {@code STARTED}, {@code STOPPED} or {@code ERROR}
 * @param minReplicas {@code autoscaling.min_replicas}
 * @param maxReplicas {@code autoscaling.max_replicas}
 * @param availabilityZone its {@code availability_zone}, or {@code null}
 * @param pricePerHour its hardware's hourly price in the emulator's list, USD
 * @param chatRequests chat completion requests that named it (served, or refused while not started)
 * @param createdAt when it was created, on the emulator's clock
 */
public record EmulatedDedicatedEndpoint(String id, String name, String displayName, String model, String hardware,
        String state, int minReplicas, int maxReplicas, String availabilityZone, BigDecimal pricePerHour,
        int chatRequests, Instant createdAt) {

    public EmulatedDedicatedEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Its availability zone, when one was asked for. */
    public Optional<String> zone() {
        return Optional.ofNullable(availabilityZone);
    }
}
