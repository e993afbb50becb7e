package dev.finetune4j.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The file store's format marker, {@code finetune4j-store.json}. Format 1 (no checksums) wrote
 * exactly {@code {"format":1}}; only those exact bytes are read as format 1, so that no single
 * damaged bit can make a format 2 store look like one that predates checksums. Format 2 writes
 * {@code {"format":2,"checksums":"sha256"}}, plus, after an upgrade, when it happened and how many
 * revisions were given checksums then.
 *
 * @param format the format number
 * @param upgradedAt when a format 1 store was upgraded, absent for a store created in format 2
 * @param sealedRevisions how many format 1 revisions were given checksums at the upgrade
 */
record StoreMarker(int format, Instant upgradedAt, long sealedRevisions) {

    private static final String LEGACY = "{\"format\":1}";

    /** The marker of a store created by this version. */
    static StoreMarker fresh() {
        return new StoreMarker(FileVersionStore.FORMAT, null, 0);
    }

    /** When this store was upgraded from format 1, if it was. */
    Optional<Instant> upgraded() {
        return Optional.ofNullable(upgradedAt);
    }

    byte[] toBytes() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("format", format);
        n.put("checksums", "sha256");
        if (upgradedAt != null) {
            n.put("upgraded_from", 1);
            n.put("upgraded_at", upgradedAt.toString());
            n.put("sealed_revisions", sealedRevisions);
        }
        return (n.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the marker; null when there is none (a new store).
     *
     * @throws StoreException if it is damaged or of a format this version cannot read
     */
    static StoreMarker read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw damaged(file, "it is not UTF-8 text");
        }
        if (text.equals(LEGACY) || text.equals(LEGACY + "\n")) {
            return new StoreMarker(1, null, 0);
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(text);
        } catch (IOException e) {
            throw damaged(file, "it is not JSON");
        }
        if (n == null || !n.path("format").isIntegralNumber()) {
            throw damaged(file, "it names no format");
        }
        int format = n.get("format").asInt();
        if (format > FileVersionStore.FORMAT) {
            throw new StoreException("store " + file.getParent() + " has format " + format
                    + "; this version of finetune4j reads format " + FileVersionStore.FORMAT + ": upgrade finetune4j");
        }
        if (format != FileVersionStore.FORMAT || !n.path("checksums").asText().equals("sha256")) {
            throw damaged(file, "it says " + text.strip());
        }
        try {
            Instant upgradedAt = n.hasNonNull("upgraded_at") ? Instant.parse(n.get("upgraded_at").asText()) : null;
            return new StoreMarker(format, upgradedAt, n.path("sealed_revisions").asLong());
        } catch (DateTimeParseException e) {
            throw damaged(file, "its upgraded_at is not a time");
        }
    }

    private static StoreException damaged(Path file, String why) {
        return new StoreException("the store marker " + file + " is damaged (" + why + "); a store written by this "
                + "version of finetune4j has {\"format\":" + FileVersionStore.FORMAT
                + ",\"checksums\":\"sha256\"} there: restore it from a backup or write that line back");
    }
}
