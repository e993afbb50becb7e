package dev.finetune4j.job;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Training hyper-parameters in provider-neutral terms; anything unset is left to the provider's
 * {@code auto}. Each provider maps what it supports and reports the rest as unsupported.
 * Immutable; build with {@link #builder()}.
 */
public final class Hyperparameters {

    /** Everything left to the provider. */
    public static final Hyperparameters AUTO = builder().build();

    private final Integer epochs;
    private final Integer batchSize;
    private final Double learningRateMultiplier;
    private final Double learningRate;
    private final Integer seed;

    private Hyperparameters(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRateMultiplier = b.learningRateMultiplier;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
    }

    /** A builder with everything on auto. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRateMultiplier = learningRateMultiplier;
        b.learningRate = learningRate;
        b.seed = seed;
        return b;
    }

    /** Passes over the training data. */
    public OptionalInt epochs() {
        return epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs);
    }

    /** Examples per step. */
    public OptionalInt batchSize() {
        return batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize);
    }

    /** OpenAI's learning-rate multiplier. */
    public OptionalDouble learningRateMultiplier() {
        return learningRateMultiplier == null ? OptionalDouble.empty() : OptionalDouble.of(learningRateMultiplier);
    }

    /** An absolute (peak) learning rate, for providers that take one (Mistral, TRL). */
    public OptionalDouble learningRate() {
        return learningRate == null ? OptionalDouble.empty() : OptionalDouble.of(learningRate);
    }

    /** A seed for reproducible training. */
    public OptionalInt seed() {
        return seed == null ? OptionalInt.empty() : OptionalInt.of(seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hyperparameters h && Objects.equals(epochs, h.epochs)
                && Objects.equals(batchSize, h.batchSize)
                && Objects.equals(learningRateMultiplier, h.learningRateMultiplier)
                && Objects.equals(learningRate, h.learningRate) && Objects.equals(seed, h.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epochs, batchSize, learningRateMultiplier, learningRate, seed);
    }

    @Override
    public String toString() {
        return "Hyperparameters[epochs=" + orAuto(epochs) + ", batchSize=" + orAuto(batchSize)
                + ", learningRateMultiplier=" + orAuto(learningRateMultiplier) + ", learningRate="
                + orAuto(learningRate) + ", seed=" + orAuto(seed) + "]";
    }

    private static String orAuto(Object value) {
        return Optional.ofNullable(value).map(Object::toString).orElse("auto");
    }

    /** Builds {@link Hyperparameters}. Not thread-safe. */
    public static final class Builder {
        private Integer epochs;
        private Integer batchSize;
        private Double learningRateMultiplier;
        private Double learningRate;
        private Integer seed;

        private Builder() {}

        /** Epochs, 1–50. */
        public Builder epochs(int epochs) {
            if (epochs < 1 || epochs > 50) {
                throw new IllegalArgumentException("epochs must be 1 to 50, was " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Batch size, 1–256. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 256) {
                throw new IllegalArgumentException("batchSize must be 1 to 256, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Learning-rate multiplier, above 0. */
        public Builder learningRateMultiplier(double multiplier) {
            if (!(multiplier > 0)) {
                throw new IllegalArgumentException("learningRateMultiplier must be > 0, was " + multiplier);
            }
            this.learningRateMultiplier = multiplier;
            return this;
        }

        /** Absolute learning rate, 1e-8 to 1. */
        public Builder learningRate(double rate) {
            if (!(rate >= 1e-8 && rate <= 1)) {
                throw new IllegalArgumentException("learningRate must be from 1e-8 to 1, was " + rate);
            }
            this.learningRate = rate;
            return this;
        }

        /** Seed, 0 to 2^31-1. */
        public Builder seed(int seed) {
            if (seed < 0) {
                throw new IllegalArgumentException("seed must be >= 0, was " + seed);
            }
            this.seed = seed;
            return this;
        }

        /** Builds the value. */
        public Hyperparameters build() {
            return new Hyperparameters(this);
        }
    }
}
