package dev.finetune4j.assistant;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A copy of a model version's trained weights that the owner keeps (downloaded from a provider
 * that allows it), recorded on the version with {@link Assistant#recordWeights}: what it is, its
 * SHA-256 and size, and where it is, so it can be found and verified later, whatever the provider
 * does with its own copy.
 *
 * @param kind what the copy holds, in the provider's words ({@code adapter}, {@code merged},
 *     {@code model_output_path}); letters, digits, {@code _ . -}
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @param bytes its size
 * @param location a {@code file:} URI of the file, or {@code blob:<sha256>} for a blob of the
 *     assistant's version store ({@link #inStore()})
 * @param savedAt when the copy was made
 */
public record WeightsCopy(String kind, String sha256, long bytes, URI location, Instant savedAt) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException for a kind that is not a short name, a checksum that is not 64
     *     lower-case hex digits, a negative size, a location that is neither {@code file:} nor {@code
     *     blob:}, or a blob location whose id is not the checksum
     */
    public WeightsCopy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(savedAt, "savedAt");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("weights kind must be 1-64 letters, digits, '_', '.' or '-', was '" + kind
                    + "'");
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, was '" + sha256 + "'");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("blob")) {
            if (!sha256.equals(location.getSchemeSpecificPart())) {
                throw new IllegalArgumentException("a stored copy's location must be blob:" + sha256 + " (its checksum), "
                        + "was " + location);
            }
        } else if (!scheme.equals("file")) {
            throw new IllegalArgumentException("weights location must be a file: URI or blob:<sha256>, was " + location);
        }
    }

    /** A copy kept as a blob of the version store, under its checksum. */
    public static WeightsCopy inStore(String kind, String sha256, long bytes, Instant savedAt) {
        return new WeightsCopy(kind, sha256, bytes, URI.create("blob:" + sha256), savedAt);
    }

    /** Whether the copy is a blob of the version store (else a file). */
    public boolean inStore() {
        return "blob".equalsIgnoreCase(location.getScheme());
    }
}
