package dev.finetune4j.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link VersionStore#verify(boolean)} checked and found.
 *
 * @param store the store checked, e.g. its directory
 * @param revisions revisions read and checked
 * @param blobs blobs read and checked
 * @param blobBytes bytes of blob content read and checked
 * @param issues every problem found, damage first, each with its location
 * @param notes facts about the store worth knowing, e.g. that it was upgraded from an older
 *     format and since when its records carry checksums
 */
public record VerifyReport(String store, long revisions, long blobs, long blobBytes, List<StoreIssue> issues,
        List<String> notes) {

    /** Copies the lists. */
    public VerifyReport {
        Objects.requireNonNull(store, "store");
        issues = List.copyOf(issues);
        notes = List.copyOf(notes);
    }

    /** Whether no damage is left: nothing damaged was found, or all of it was repaired. */
    public boolean clean() {
        return issues.stream().noneMatch(i -> i.damage() && i.repair() != StoreIssue.Repair.DONE);
    }

    /** The issues that are damage and were not repaired. */
    public List<StoreIssue> damage() {
        return issues.stream().filter(i -> i.damage() && i.repair() != StoreIssue.Repair.DONE).toList();
    }
}
