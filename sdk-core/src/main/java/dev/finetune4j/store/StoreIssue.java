package dev.finetune4j.store;

import java.util.Objects;

/**
 * One thing {@link VersionStore#verify(boolean)} found wrong with a stored item.
 *
 * @param kind what kind of problem it is, and whether it is damage
 * @param location where: a file path (file store) or a table and key (JDBC store)
 * @param problem what is wrong, in a sentence
 * @param repair whether the store could mend it without guessing, and whether it did
 */
public record StoreIssue(Kind kind, String location, String problem, Repair repair) {

    /** Checks the parts. */
    public StoreIssue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(repair, "repair");
    }

    /** Whether this is damage (reads of the item fail) rather than harmless clutter. */
    public boolean damage() {
        return kind.damage();
    }

    /** What kind of problem an issue is. */
    public enum Kind {
        /** A revision that cannot be read or whose checksum does not match its content and key. */
        REVISION_DAMAGED(true),
        /** A revision missing from the middle of a record's chain. */
        REVISION_MISSING(true),
        /** A blob whose content does not match its id (address), or that is truncated. */
        BLOB_DAMAGED(true),
        /** A blob whose content is intact but whose chunk checksums are missing or wrong; reads refuse it until repaired. */
        CHUNK_TABLE_DAMAGED(true),
        /** A record's hint of its latest revision is missing or wrong (readers probe past it). */
        STALE_HEAD_HINT(false),
        /** Temp or staging files of an ended process, or stored pieces nothing can reach. */
        LEFTOVER(false),
        /** A file the store did not write; reported, never touched. */
        UNEXPECTED_FILE(false);

        private final boolean damage;

        Kind(boolean damage) {
            this.damage = damage;
        }

        /** Whether reads of the item fail (as opposed to harmless clutter). */
        public boolean damage() {
            return damage;
        }
    }

    /** Whether an issue can be mended by the store without guessing, and whether it was. */
    public enum Repair {
        /** The store does not hold what it would take; restore the item from a backup. */
        NOT_POSSIBLE,
        /** {@code verify(true)} would mend it. */
        POSSIBLE,
        /** Mended by this run. */
        DONE
    }
}
