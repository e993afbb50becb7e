package dev.finetune4j.internal.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The stored form of a dataset version: a small JSON document listing the log of changes since the
 * first version. An {@code add} entry names a segment blob (JSONL) and its id index blob (16 bytes
 * an example, in segment order); a {@code remove} entry names a blob of removed ids. The examples of
 * a version are the added ones not removed by a later entry.
 *
 * @param log every change from the first version to this one, in order
 */
record Manifest(String id, int number, String parentId, Instant createdAt, String note, long examples,
        long added, long removed, List<Entry> log) {

    static final int FORMAT = 1;

    /**
     * One change: an added segment (with its id index and, since it was introduced, a Bloom filter of
     * its ids; {@code bloom} is null for older segments) or a removal list.
     */
    record Entry(boolean add, String blob, String index, long count, String bloom) {

        Entry(boolean add, String blob, String index, long count) {
            this(add, blob, index, count, null);
        }
    }

    Manifest {
        log = List.copyOf(log);
    }

    /** The id of a version with this parent and this log tail: derived from content only. */
    static String deriveId(String parentId, List<Entry> newEntries) {
        StringBuilder sb = new StringBuilder("parent:").append(parentId == null ? "-" : parentId).append('\n');
        for (Entry e : newEntries) {
            sb.append(e.add() ? "add:" : "remove:").append(e.blob()).append('\n');
        }
        byte[] digest = ExampleCodec.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
        return "dv-" + HexFormat.of().formatHex(digest, 0, 10);
    }

    DatasetVersion toVersion(String assistant, String dataset) {
        return DatasetVersion.builder().dataset(assistant, dataset).id(id, number).parentId(parentId)
                .createdAt(createdAt).note(note).examples(examples, added, removed).build();
    }

    String toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("id", id);
        root.put("number", number);
        root.put("parent", parentId);
        root.put("created_at", createdAt.toString());
        root.put("note", note);
        root.put("examples", examples);
        root.put("added", added);
        root.put("removed", removed);
        ArrayNode entries = root.putArray("log");
        for (Entry e : log) {
            ObjectNode n = entries.addObject();
            n.put("op", e.add() ? "add" : "remove");
            n.put("blob", e.blob());
            if (e.index() != null) {
                n.put("index", e.index());
            }
            if (e.bloom() != null) {
                n.put("bloom", e.bloom());
            }
            n.put("count", e.count());
        }
        return root.toString();
    }

    static Manifest fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            if (n.path("format").asInt() != FORMAT) {
                throw new StoreException("dataset manifest " + where + " has format " + n.path("format")
                        + "; this version of finetune4j reads format " + FORMAT);
            }
            List<Entry> log = new ArrayList<>();
            for (JsonNode e : n.path("log")) {
                String op = e.path("op").asText();
                if (!op.equals("add") && !op.equals("remove")) {
                    throw new StoreException("dataset manifest " + where + " has an unknown log entry '" + op + "'");
                }
                log.add(new Entry(op.equals("add"), e.path("blob").asText(),
                        e.hasNonNull("index") ? e.get("index").asText() : null, e.path("count").asLong(),
                        e.hasNonNull("bloom") ? e.get("bloom").asText() : null));
            }
            return new Manifest(n.path("id").asText(), n.path("number").asInt(),
                    n.hasNonNull("parent") ? n.get("parent").asText() : null,
                    Instant.parse(n.path("created_at").asText()),
                    n.hasNonNull("note") ? n.get("note").asText() : null,
                    n.path("examples").asLong(), n.path("added").asLong(), n.path("removed").asLong(), log);
        } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("dataset manifest " + where + " is corrupt: " + e.getMessage(), e);
        }
    }
}
