package dev.finetune4j.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file store's revision file: a one-line JSON header ({@code revision}, {@code created_at},
 * {@code length} of the value in bytes, {@code sha256} the {@link RecordChecksum}) followed by the
 * value verbatim. Format 1 stores wrote the same header without {@code sha256}; such a file is
 * only ever accepted by the one-time upgrade, never by a read.
 */
final class RevisionFile {

    private static final List<String> LEGACY_FIELDS = List.of("revision", "created_at", "length");

    private RevisionFile() {}

    /** The bytes of a revision file. */
    static byte[] encode(StoreKey key, long number, Instant createdAt, String value) {
        byte[] body = value.getBytes(StandardCharsets.UTF_8);
        return withHeader(number, createdAt, body, 0, body.length,
                RecordChecksum.of(key, number, createdAt, body, 0, body.length));
    }

    private static byte[] withHeader(long number, Instant createdAt, byte[] body, int off, int len, String checksum) {
        byte[] header = ("{\"revision\":" + number + ",\"created_at\":\"" + createdAt + "\",\"length\":" + len
                + ",\"sha256\":\"" + checksum + "\"}\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[header.length + len];
        System.arraycopy(header, 0, content, 0, header.length);
        System.arraycopy(body, off, content, header.length, len);
        return content;
    }

    /**
     * Reads a revision file, verifying its checksum against its content, key and number.
     *
     * @throws CorruptDataException naming the file when anything does not verify
     */
    static Revision decode(StoreKey key, long number, Path file, byte[] bytes) {
        try {
            return verified(key, number, bytes);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(file.toString(), "revision file " + file + " is damaged: " + reason(e)
                    + "; restore it from a backup (`finetune4j store verify` lists every damaged item)", e);
        }
    }

    /** What is wrong with a revision file, or null when it verifies. */
    static String problem(StoreKey key, long number, byte[] bytes) {
        try {
            verified(key, number, bytes);
            return null;
        } catch (IOException | RuntimeException e) {
            return reason(e);
        }
    }

    private static String reason(Exception e) {
        if (e instanceof JsonProcessingException) {
            return "its header is not valid JSON";
        }
        if (e instanceof DateTimeParseException) {
            return "its header's created_at is not a time";
        }
        return e.getMessage();
    }

    private static Revision verified(StoreKey key, long number, byte[] bytes) throws IOException {
        Parsed p = parse(number, bytes);
        String checksum = p.header.path("sha256").isTextual() ? p.header.get("sha256").asText() : null;
        if (!RecordChecksum.wellFormed(checksum)) {
            throw new IOException("it has no checksum");
        }
        if (!checksum.equals(RecordChecksum.of(key, number, p.createdAt, bytes, p.valueStart, p.length))) {
            throw new IOException("its checksum does not match its content, key and number (it was changed, "
                    + "or copied from another record or revision)");
        }
        return new Revision(key, number, p.createdAt, new String(bytes, p.valueStart, p.length, StandardCharsets.UTF_8));
    }

    /**
     * A format 1 revision file given its checksum, for the one-time upgrade: null unless the file is
     * exactly what format 1 wrote (a header of just {@code revision}, {@code created_at} and
     * {@code length}, consistent with the file), so a damaged file is never sealed as good.
     */
    static byte[] sealLegacy(StoreKey key, long number, byte[] bytes) {
        try {
            Parsed p = parse(number, bytes);
            List<String> fields = new ArrayList<>();
            p.header.fieldNames().forEachRemaining(fields::add);
            if (!fields.equals(LEGACY_FIELDS)) {
                return null;
            }
            return withHeader(number, p.createdAt, bytes, p.valueStart, p.length,
                    RecordChecksum.of(key, number, p.createdAt, bytes, p.valueStart, p.length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private record Parsed(JsonNode header, Instant createdAt, int valueStart, int length) {}

    private static Parsed parse(long number, byte[] bytes) throws IOException {
        int newline = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new IOException("it has no header line");
        }
        JsonNode header = Json.mapper().readTree(new String(bytes, 0, newline, StandardCharsets.UTF_8));
        if (header == null || !header.isObject()) {
            throw new IOException("its header is not a JSON object");
        }
        if (!header.path("revision").isIntegralNumber() || header.get("revision").asLong() != number) {
            throw new IOException("its header says revision " + header.path("revision") + ", its name " + number);
        }
        long length = header.path("length").isIntegralNumber() ? header.get("length").asLong() : -1;
        if (length != bytes.length - newline - 1) {
            throw new IOException("its header says " + header.path("length") + " bytes of value, the file has "
                    + (bytes.length - newline - 1));
        }
        Instant createdAt = Instant.parse(header.path("created_at").asText());
        return new Parsed(header, createdAt, newline + 1, (int) length);
    }
}
