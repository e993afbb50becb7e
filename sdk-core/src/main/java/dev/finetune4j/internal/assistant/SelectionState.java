package dev.finetune4j.internal.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.internal.json.Json;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of one selection revision: what is selected, the model versions that may no
 * longer be selected (retired or deleted — kept here so that blocking a version and activating it
 * are decided by one compare-and-set on one record), the revision a rollback returns to, and the
 * change that produced it.
 */
record SelectionState(String provider, String baseModel, Integer activeModel, Integer activePrompt, Integer candidate,
        int candidateShare, Map<Integer, ModelState> blocked, long undoTo, TimelineEntry.Action action, int version,
        String actor, String reason, List<Fallback> fallbacks) {

    SelectionState {
        blocked = java.util.Collections.unmodifiableMap(new TreeMap<>(blocked));
        fallbacks = List.copyOf(fallbacks);
    }

    Selection toSelection(String assistant, long revision) {
        return Selection.builder().assistant(assistant).baseModel(provider, baseModel).activeModelVersion(activeModel)
                .activePromptVersion(activePrompt).candidate(candidate, candidateShare).fallbacks(fallbacks)
                .revision(revision).build();
    }

    /** The same state with another fallback chain. */
    SelectionState withFallbacks(List<Fallback> chain) {
        return new SelectionState(provider, baseModel, activeModel, activePrompt, candidate, candidateShare, blocked,
                undoTo, action, version, actor, reason, chain);
    }

    /** The same selection with another change on record (the fallback chain is kept). */
    SelectionState next(Integer model, Integer prompt, Integer cand, int share, Map<Integer, ModelState> blockedNow,
            long undo, TimelineEntry.Action act, int ver, String who, String why) {
        return new SelectionState(provider, baseModel, model, prompt, cand, cand == null ? 0 : share, blockedNow, undo,
                act, ver, who, why, fallbacks);
    }

    String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("provider", provider);
        n.put("base_model", baseModel);
        putInt(n, "active_model", activeModel);
        putInt(n, "active_prompt", activePrompt);
        putInt(n, "candidate", candidate);
        n.put("candidate_share", candidateShare);
        ObjectNode b = n.putObject("blocked");
        blocked.forEach((k, v) -> b.put(k.toString(), v.name()));
        n.put("undo_to", undoTo);
        if (!fallbacks.isEmpty()) {
            ArrayNode chain = n.putArray("fallbacks");
            for (Fallback f : fallbacks) {
                ObjectNode fn = chain.addObject();
                fn.put("model_version", f.modelVersion());
                if (!f.until().equals(LocalDate.MAX)) {
                    fn.put("until", f.until().toString());
                }
            }
        }
        ObjectNode change = n.putObject("change");
        change.put("action", action.name());
        change.put("version", version);
        change.put("actor", actor);
        change.put("reason", reason);
        return n.toString();
    }

    private static void putInt(ObjectNode n, String field, Integer value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    static SelectionState fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            Map<Integer, ModelState> blocked = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("blocked").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                blocked.put(Integer.parseInt(e.getKey()), ModelState.valueOf(e.getValue().asText()));
            }
            List<Fallback> fallbacks = new ArrayList<>();
            for (JsonNode f : n.path("fallbacks")) {
                JsonNode version = f.get("model_version");
                if (version == null || !version.canConvertToInt()) {
                    throw new IllegalArgumentException("a fallback without a model_version: " + f);
                }
                fallbacks.add(new Fallback(version.asInt(),
                        f.hasNonNull("until") ? LocalDate.parse(f.get("until").asText()) : LocalDate.MAX));
            }
            JsonNode change = n.path("change");
            return new SelectionState(n.path("provider").asText(), n.path("base_model").asText(),
                    intOrNull(n, "active_model"), intOrNull(n, "active_prompt"), intOrNull(n, "candidate"),
                    n.path("candidate_share").asInt(), blocked, n.path("undo_to").asLong(),
                    TimelineEntry.Action.valueOf(change.path("action").asText()), change.path("version").asInt(),
                    change.path("actor").asText(), change.path("reason").asText(), fallbacks);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("selection record " + where + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static Integer intOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
