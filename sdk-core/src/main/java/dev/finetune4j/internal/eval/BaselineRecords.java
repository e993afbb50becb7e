package dev.finetune4j.internal.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.eval.Baseline;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Baselines in the store: one record per baseline in the {@code baselines} collection, keyed
 * {@code assistant/id}, written once. Each item is kept as the example the model answered (the
 * conversation followed by its answer), so the conversation is read back with the dataset reader's
 * checks. A record that does not parse whole is reported as corrupt, never half-used.
 */
public final class BaselineRecords {

    static final String COLLECTION = "baselines";
    /** Stands in for the answer of a failed call, so the stored example stays a whole conversation. */
    private static final String FAILED_ANSWER = "(the call failed)";

    private final VersionStore store;
    private final Tenant tenant;

    /** Baselines of one tenant in a store. */
    public BaselineRecords(VersionStore store, Tenant tenant) {
        this.store = store;
        this.tenant = tenant;
    }

    private StoreKey key(String assistant, String id) {
        return new StoreKey(tenant, COLLECTION, assistant + "/" + id);
    }

    /** Writes a new baseline (its id is new, so this is revision 1). */
    public void write(Baseline b) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", b.id());
        n.put("assistant", b.assistant());
        n.put("model_version", b.modelVersion());
        n.put("provider", b.provider());
        n.put("provider_model_id", b.providerModelId());
        n.put("prompt_version", b.promptVersion());
        n.put("evaluation_set", b.evaluationSet());
        ObjectNode params = n.putObject("parameters");
        b.parameters().forEach(params::put);
        n.put("started_at", b.startedAt().toString());
        n.put("finished_at", b.finishedAt().toString());
        ArrayNode items = n.putArray("items");
        for (Baseline.Item item : b.items()) {
            ObjectNode in = items.addObject();
            List<Message> answered = new ArrayList<>(item.conversation());
            answered.add(Message.assistant(item.failed() ? FAILED_ANSWER : item.answer()));
            try {
                in.set("example", Json.mapper().readTree(ExampleCodec.toJson(
                        Example.builder().messages(answered).build(), false)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an example's own JSON did not parse", e);
            }
            in.put("expected", item.expected());
            in.put("failed", item.failed());
        }
        store.write(key(b.assistant(), b.id()), n.toString(), 0);
    }

    /**
     * Reads a baseline.
     *
     * @throws NotFoundException naming the baselines the assistant has when there is no such one
     * @throws CorruptDataException when the record does not parse whole
     */
    public Baseline read(String assistant, String id) {
        StoreKey k = key(assistant, id);
        Revision r = store.latest(k).orElseThrow(() -> new NotFoundException("assistant '" + assistant
                + "' has no baseline '" + id + "'; it has " + ids(assistant)));
        return parse(r.value(), k + "@" + r.number());
    }

    /** Every baseline of an assistant, oldest first. */
    public List<Baseline> list(String assistant) {
        List<Baseline> out = new ArrayList<>();
        for (String id : ids(assistant)) {
            out.add(read(assistant, id));
        }
        out.sort(java.util.Comparator.comparing(Baseline::finishedAt));
        return out;
    }

    private List<String> ids(String assistant) {
        List<String> out = new ArrayList<>();
        String prefix = assistant + "/";
        String cursor = prefix;
        while (true) {
            StorePage page = store.list(tenant, COLLECTION, cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (!k.id().startsWith(prefix)) {
                    return out;
                }
                out.add(k.id().substring(prefix.length()));
            }
            if (page.nextCursor() == null) {
                return out;
            }
            cursor = page.nextCursor();
        }
    }

    static Baseline parse(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "parameters").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            ExampleReader reader = new ExampleReader(DataRules.standard());
            List<Baseline.Item> items = new ArrayList<>();
            int line = 0;
            for (JsonNode in : required(n, "items")) {
                line++;
                List<ValidationIssue> issues = new ArrayList<>(0);
                Example e = reader.read(required(in, "example").deepCopy(), line, issues);
                if (e == null) {
                    throw new CorruptDataException(where, "baseline record " + where + " item " + line
                            + " is corrupt: " + issues);
                }
                List<Message> messages = e.messages();
                boolean failed = required(in, "failed").asBoolean();
                String answer = failed ? "" : messages.get(messages.size() - 1).content().orElse("");
                items.add(new Baseline.Item(messages.subList(0, messages.size() - 1),
                        required(in, "expected").asText(), answer, failed));
            }
            return new Baseline(required(n, "id").asText(), required(n, "assistant").asText(),
                    required(n, "model_version").asInt(), required(n, "provider").asText(),
                    required(n, "provider_model_id").asText(), required(n, "prompt_version").asInt(),
                    required(n, "evaluation_set").asText(), params,
                    Instant.parse(required(n, "started_at").asText()), Instant.parse(required(n, "finished_at").asText()),
                    items);
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptDataException(where, "baseline record " + where + " is corrupt: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }
}
