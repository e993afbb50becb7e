package dev.finetune4j.internal.store;

import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.store.StoreKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The checksum every stored revision carries: the SHA-256 of its tenant, collection, id, number,
 * creation time and value, so that a damaged value, a revision copied under another key or number,
 * or an edited time all fail the check. The parts before the value are names that cannot contain a
 * newline, so the newline-separated encoding is unambiguous.
 */
final class RecordChecksum {

    private RecordChecksum() {}

    /** The lowercase hex checksum of a revision whose value is {@code value}. */
    static String of(StoreKey key, long number, Instant createdAt, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return of(key, number, createdAt, bytes, 0, bytes.length);
    }

    /** The checksum of a revision whose value is the UTF-8 bytes {@code value[off, off + len)}. */
    static String of(StoreKey key, long number, Instant createdAt, byte[] value, int off, int len) {
        MessageDigest d = ExampleCodec.sha256();
        d.update(("finetune4j revision\n" + key.tenant().id() + "\n" + key.collection() + "\n" + key.id() + "\n"
                + number + "\n" + createdAt + "\n").getBytes(StandardCharsets.UTF_8));
        d.update(value, off, len);
        return HexFormat.of().formatHex(d.digest());
    }

    /** Whether {@code checksum} is a well-formed checksum (64 lowercase hex characters). */
    static boolean wellFormed(String checksum) {
        return checksum != null && checksum.matches("[0-9a-f]{64}");
    }
}
