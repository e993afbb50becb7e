package dev.finetune4j.deployment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to deploy a model version: the hardware (a provider's SKU, e.g. Hugging Face {@code
 * nvidia-l4-x1}), the region, replicas from {@code min} to {@code max}, scaling to zero after an
 * idle time (when {@code min} is 0), and provider-specific options. Everything unset takes the
 * provider's default. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Two deploy calls with equal specs (ignoring {@link #again()}) for the same model version are
 * one intent: the second returns the first deployment while it is not failed or deleted.
 */
public final class DeploymentSpec {

    /** How long an idle deployment waits before it scales to zero unless set: 15 minutes. */
    public static final Duration DEFAULT_SCALE_TO_ZERO_AFTER = Duration.ofMinutes(15);

    private static final DeploymentSpec DEFAULTS = builder().build();

    private final String hardware;
    private final String region;
    private final int minReplicas;
    private final int maxReplicas;
    private final Duration scaleToZeroAfter;
    private final Map<String, String> options;
    private final boolean again;

    private DeploymentSpec(Builder b) {
        this.hardware = b.hardware;
        this.region = b.region;
        this.minReplicas = b.minReplicas;
        this.maxReplicas = b.maxReplicas;
        this.scaleToZeroAfter = b.minReplicas == 0 ? b.scaleToZeroAfter : null;
        this.options = java.util.Collections.unmodifiableMap(new TreeMap<>(b.options));
        this.again = b.again;
    }

    /** The defaults: the provider's hardware and region, 0 to 1 replica, scale to zero after 15 minutes idle. */
    public static DeploymentSpec defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hardware = hardware;
        b.region = region;
        b.minReplicas = minReplicas;
        b.maxReplicas = maxReplicas;
        b.scaleToZeroAfter = scaleToZeroAfter == null ? DEFAULT_SCALE_TO_ZERO_AFTER : scaleToZeroAfter;
        b.options.putAll(options);
        b.again = again;
        return b;
    }

    /** The hardware (the provider's SKU name), when set; the provider's default otherwise. */
    public Optional<String> hardware() {
        return Optional.ofNullable(hardware);
    }

    /** The region, when set; the provider's default otherwise. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** The fewest replicas kept running; 0 lets the deployment scale to zero when idle. */
    public int minReplicas() {
        return minReplicas;
    }

    /** The most replicas it scales up to. */
    public int maxReplicas() {
        return maxReplicas;
    }

    /** How long it stays idle before it scales to zero; empty when {@link #minReplicas()} is above 0. */
    public Optional<Duration> scaleToZeroAfter() {
        return Optional.ofNullable(scaleToZeroAfter);
    }

    /** Provider-specific options (Hugging Face {@code vendor}, {@code image}, ...), sorted by name. */
    public Map<String, String> options() {
        return options;
    }

    /**
     * Whether a new deployment is wanted even when one of the same intent (model version and this
     * spec) is pending, ready, scaled to zero or paused. Not part of the intent.
     */
    public boolean again() {
        return again;
    }

    /** Whether two specs ask for the same deployment ({@link #again()} ignored). */
    public boolean sameIntent(DeploymentSpec other) {
        return Objects.equals(hardware, other.hardware) && Objects.equals(region, other.region)
                && minReplicas == other.minReplicas && maxReplicas == other.maxReplicas
                && Objects.equals(scaleToZeroAfter, other.scaleToZeroAfter) && options.equals(other.options);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentSpec s && sameIntent(s) && again == s.again;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hardware, region, minReplicas, maxReplicas, scaleToZeroAfter, options, again);
    }

    /** E.g. {@code DeploymentSpec[nvidia-l4-x1, replicas 0-1, scale to zero after PT15M]}. */
    @Override
    public String toString() {
        return "DeploymentSpec[" + (hardware == null ? "default hardware" : hardware)
                + (region == null ? "" : " in " + region) + ", replicas " + minReplicas + "-" + maxReplicas
                + (scaleToZeroAfter == null ? "" : ", scale to zero after " + scaleToZeroAfter)
                + (options.isEmpty() ? "" : ", options " + options) + (again ? ", again" : "") + "]";
    }

    /** Builds a {@link DeploymentSpec}. Not thread-safe. */
    public static final class Builder {
        private String hardware;
        private String region;
        private int minReplicas;
        private int maxReplicas = 1;
        private Duration scaleToZeroAfter = DEFAULT_SCALE_TO_ZERO_AFTER;
        private final Map<String, String> options = new LinkedHashMap<>();
        private boolean again;

        private Builder() {}

        /**
         * The hardware, as the provider names it (Hugging Face {@code nvidia-l4-x1}: instance type
         * and size).
         *
         * @throws IllegalArgumentException when blank
         */
        public Builder hardware(String hardware) {
            this.hardware = nonBlank(hardware, "hardware");
            return this;
        }

        /**
         * The region, as the provider names it (Hugging Face {@code us-east-1}).
         *
         * @throws IllegalArgumentException when blank
         */
        public Builder region(String region) {
            this.region = nonBlank(region, "region");
            return this;
        }

        /**
         * Replicas from {@code min} to {@code max} (default 0 to 1).
         *
         * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code max >= 1}
         */
        public Builder replicas(int min, int max) {
            if (min < 0 || max < 1 || max < min) {
                throw new IllegalArgumentException("replicas must satisfy 0 <= min <= max and max >= 1, were min "
                        + min + " and max " + max);
            }
            this.minReplicas = min;
            this.maxReplicas = max;
            return this;
        }

        /**
         * How long the deployment stays idle before it scales to zero, when min replicas is 0
         * (default {@link #DEFAULT_SCALE_TO_ZERO_AFTER}); ignored with min replicas above 0.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder scaleToZeroAfter(Duration idle) {
            Objects.requireNonNull(idle, "idle");
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("scaleToZeroAfter must be positive, was " + idle);
            }
            this.scaleToZeroAfter = idle;
            return this;
        }

        /**
         * A provider-specific option (replacing one of the same name).
         *
         * @throws IllegalArgumentException for a blank name
         */
        public Builder option(String name, String value) {
            options.put(nonBlank(name, "option name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Deploy anew even when a deployment of the same intent exists (default false). */
        public Builder again(boolean again) {
            this.again = again;
            return this;
        }

        /** The spec. */
        public DeploymentSpec build() {
            return new DeploymentSpec(this);
        }

        private static String nonBlank(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value.strip();
        }
    }
}
