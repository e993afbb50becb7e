package dev.finetune4j.dataset;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable version of a {@link Dataset}. Its id is derived from its content and its parent, so
 * the same change to the same version always yields the same id.
 *
 * <p>Immutable and thread-safe.
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

    /**
     * Creates a version description; the library creates these, applications read them.
     *
     * @param parentId the parent version's id, or {@code null} for the first version
     * @param note the note given with the change, or {@code null}
     */
    public DatasetVersion(String assistant, String dataset, String id, int number, String parentId,
            Instant createdAt, String note, long examples, long added, long removed) {
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.id = Objects.requireNonNull(id, "id");
        this.number = number;
        this.parentId = parentId;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.note = note;
        this.examples = examples;
        this.added = added;
        this.removed = removed;
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
}
