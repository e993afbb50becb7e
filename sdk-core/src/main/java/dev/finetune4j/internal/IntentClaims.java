package dev.finetune4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.StoreException;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;

/**
 * The claim records that make job submissions and deploys idempotent per intent: one record per
 * intent, {@code {"intent": CANONICAL, FIELD: ID, "record": FIRST_RECORD}}, written with
 * compare-and-set before the thing's own first record, so two callers racing on one intent cannot
 * both record one; a reader that finds a claim whose record is not written yet writes it from the
 * claim. Stateless.
 */
public final class IntentClaims {

    private IntentClaims() {}

    /**
     * Claims an intent for {@code id} if nobody claimed it since {@code revision} was read (0: never).
     *
     * @param canonical the intent's canonical JSON
     * @param field the name of the field holding the id ({@code job}, {@code deployment})
     * @param firstRecord the thing's first record, JSON
     * @return false when another caller claimed it first
     */
    public static boolean claim(VersionStore store, StoreKey key, long revision, String canonical, String field,
            String id, String firstRecord) {
        ObjectNode n = Json.mapper().createObjectNode();
        try {
            n.set("intent", Json.mapper().readTree(canonical));
            n.put(field, id);
            n.set("record", Json.mapper().readTree(firstRecord));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own JSON does not parse", e);
        }
        try {
            store.write(key, n.toString(), revision);
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    /**
     * The first record a claim holds, as JSON text.
     *
     * @param what what the claim is for, for the message ({@code job}, {@code deployment})
     * @throws StoreException when the claim is corrupt or names nothing
     */
    public static String firstRecord(Revision claim, String what, String field) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(claim.value());
        } catch (JsonProcessingException e) {
            throw new StoreException(what + " intent record " + claim.key() + " is corrupt: " + e.getOriginalMessage(),
                    e);
        }
        JsonNode first = n.get("record");
        if (n.path(field).asText().isEmpty() || first == null || !first.isObject()) {
            throw new StoreException(what + " intent record " + claim.key() + " is corrupt: it names no " + what
                    + " record");
        }
        return first.toString();
    }

    /**
     * Writes a first record unless it is there already: the claimer and a reader that found the
     * claim first may both write it, from the same content.
     *
     * @return false when it was there already (or another caller wrote it just now)
     */
    public static boolean writeFirst(VersionStore store, StoreKey key, String json) {
        if (store.latest(key).isPresent()) {
            return false;
        }
        try {
            store.write(key, json, 0);
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }
}
