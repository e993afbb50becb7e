package dev.finetune4j.dataset;

import java.util.Objects;
import java.util.Optional;

/**
 * What an append or import did.
 *
 * <p>When nothing new was found (every line a duplicate or invalid), no version is created:
 * {@link #created()} is false and {@link #version()} is the unchanged latest version, if any.
 */
public final class AppendResult {

    private final DatasetVersion version;
    private final DatasetVersion parent;
    private final boolean created;
    private final ValidationReport report;

    /**
     * Creates a result; the library creates these.
     *
     * @param version the new or unchanged latest version, or null when the dataset is empty
     * @param parent the version appended to, or null
     */
    public AppendResult(DatasetVersion version, DatasetVersion parent, boolean created, ValidationReport report) {
        this.version = version;
        this.parent = parent;
        this.created = created;
        this.report = Objects.requireNonNull(report, "report");
    }

    /** The new version, or the unchanged latest one when nothing was added. */
    public Optional<DatasetVersion> version() {
        return Optional.ofNullable(version);
    }

    /** The version that was extended; absent for a dataset's first version. */
    public Optional<DatasetVersion> parent() {
        return Optional.ofNullable(parent);
    }

    /** Whether a new version was created. */
    public boolean created() {
        return created;
    }

    /** Examples added. */
    public long added() {
        return report.valid();
    }

    /** Lines skipped as duplicates (within the input or of examples the dataset has). */
    public long duplicates() {
        return report.duplicates();
    }

    /** Lines rejected with errors. */
    public long invalid() {
        return report.invalid();
    }

    /** The full validation report. */
    public ValidationReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "AppendResult[" + (created ? "created " + version : "no new version") + ", added=" + added()
                + ", duplicates=" + duplicates() + ", invalid=" + invalid() + "]";
    }
}
