package dev.finetune4j.dataset;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable version of a {@link Dataset}. Its id is derived from its content and its parent, so
 * the same change to the same version always yields the same id.
 *
 * <p>Immutable and thread-safe. A class with a {@link #builder()} rather than a public constructor,
 * so that a field can be added without breaking callers.
 */
public final class DatasetVersion {

    private final String assistant;
    private final String dataset;
    private final String id;
    private final int number;
    private final String parentId;
    private final Instant createdAt;
    private final String note;
    private final long examples;
    private final long added;
    private final long removed;

    private DatasetVersion(Builder b) {
        this.assistant = Objects.requireNonNull(b.assistant, "assistant");
        this.dataset = Objects.requireNonNull(b.dataset, "dataset");
        this.id = Objects.requireNonNull(b.id, "id");
        this.number = b.number;
        this.parentId = b.parentId;
        this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
        this.note = b.note;
        this.examples = b.examples;
        this.added = b.added;
        this.removed = b.removed;
        if (number < 1) {
            throw new IllegalArgumentException("number must be at least 1, was " + number);
        }
        if (examples < 0 || added < 0 || removed < 0) {
            throw new IllegalArgumentException("example counts must not be negative, were " + examples + ", "
                    + added + ", " + removed);
        }
    }

    /**
     * A builder with no field set; {@code assistant}, {@code dataset}, {@code id}, {@code number} and
     * {@code createdAt} are required. The library builds versions; tests and custom stores may too.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this version's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The assistant that owns the dataset. */
    public String assistant() {
        return assistant;
    }

    /** The dataset's name. */
    public String dataset() {
        return dataset;
    }

    /** {@code assistant/dataset}, the name users write. */
    public String datasetRef() {
        return assistant + "/" + dataset;
    }

    /** The content-derived id, e.g. {@code dv-3f2a...}. */
    public String id() {
        return id;
    }

    /** 1 for the first version, then 2, 3, ... */
    public int number() {
        return number;
    }

    /** The id of the version this one extends; absent for the first. */
    public Optional<String> parentId() {
        return Optional.ofNullable(parentId);
    }

    /** When the version was stored. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The note given with the change. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** How many examples the version has. */
    public long examples() {
        return examples;
    }

    /** How many examples this version added to its parent. */
    public long added() {
        return added;
    }

    /** How many examples this version removed from its parent. */
    public long removed() {
        return removed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetVersion v && id.equals(v.id) && assistant.equals(v.assistant)
                && dataset.equals(v.dataset);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return datasetRef() + "@" + number + " (" + id + ", " + examples + " examples)";
    }

    /** Builds a {@link DatasetVersion}. Not thread-safe; {@link #build()} checks the fields. */
    public static final class Builder {

        private String assistant;
        private String dataset;
        private String id;
        private int number;
        private String parentId;
        private Instant createdAt;
        private String note;
        private long examples;
        private long added;
        private long removed;

        private Builder() {
        }

        private Builder(DatasetVersion v) {
            assistant = v.assistant;
            dataset = v.dataset;
            id = v.id;
            number = v.number;
            parentId = v.parentId;
            createdAt = v.createdAt;
            note = v.note;
            examples = v.examples;
            added = v.added;
            removed = v.removed;
        }

        /** The assistant and dataset names (required). */
        public Builder dataset(String assistant, String dataset) {
            this.assistant = assistant;
            this.dataset = dataset;
            return this;
        }

        /** The content-derived id and the version's number, from 1 (required). */
        public Builder id(String id, int number) {
            this.id = id;
            this.number = number;
            return this;
        }

        /** The parent version's id; null for the first version (null). */
        public Builder parentId(String parentId) {
            this.parentId = parentId;
            return this;
        }

        /** When the version was stored (required). */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /** The note given with the change; null for none (null). */
        public Builder note(String note) {
            this.note = note;
            return this;
        }

        /** How many examples the version has, added to its parent and removed from it (0, 0, 0). */
        public Builder examples(long examples, long added, long removed) {
            this.examples = examples;
            this.added = added;
            this.removed = removed;
            return this;
        }

        /**
         * The version.
         *
         * @throws NullPointerException naming a required field that was not set
         * @throws IllegalArgumentException when the number is below 1 or a count negative
         */
        public DatasetVersion build() {
            return new DatasetVersion(this);
        }
    }
}
