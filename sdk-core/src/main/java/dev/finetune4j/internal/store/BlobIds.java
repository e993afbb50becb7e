package dev.finetune4j.internal.store;

import java.util.regex.Pattern;

/** The form of a blob id: the SHA-256 of its content as 64 lowercase hex digits. */
final class BlobIds {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");

    private BlobIds() {}

    /**
     * Checks the form.
     *
     * @throws IllegalArgumentException naming the value
     */
    static String requireValid(String blobId) {
        if (blobId == null || !FORM.matcher(blobId).matches()) {
            throw new IllegalArgumentException("blob id must be 64 lowercase hex characters, was "
                    + (blobId == null ? "null" : "'" + dev.finetune4j.internal.Names.printable(blobId) + "'"));
        }
        return blobId;
    }
}
