package dev.finetune4j.internal.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.ModelScope;
import dev.finetune4j.lifecycle.SourceQuality;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and writes lifecycle events as JSON: {@code {"events": [{"provider", "model", "kind", "date"?,
 * "no_earlier_than"?, "scope"?, "source", "checked_on", "source_quality", "note"?}], "remove":
 * [{"provider", "model", "kind"}]}}. Every problem names the entry and the field.
 */
public final class LifecycleJson {

    private static final Set<String> EVENT_FIELDS = Set.of("provider", "model", "kind", "date", "no_earlier_than",
            "scope", "source", "checked_on", "source_quality", "note");

    /** What a document says: events to add (or replace) and keys {@code provider model kind} to remove. */
    public record Document(List<LifecycleEvent> events, List<Removal> removals) {}

    /** An event to remove from the table: its provider, model pattern and kind. */
    public record Removal(String provider, String model, LifecycleKind kind) {}

    private LifecycleJson() {}

    /**
     * Reads a document.
     *
     * @param where names the document in messages, e.g. {@code lifecycle file ./dates.json}
     * @throws IllegalArgumentException naming the entry and field that is wrong
     * @throws UncheckedIOException when reading fails
     */
    public static Document read(InputStream in, String where) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object {\"events\": [...], \"remove\": [...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("events") && !f.equals("remove")) {
                throw new IllegalArgumentException(where + " has an unknown field '" + f
                        + "'; expected events, remove");
            }
        }
        List<LifecycleEvent> events = new ArrayList<>();
        int i = 0;
        for (JsonNode n : array(root, "events", where)) {
            events.add(event(n, where + " events[" + i++ + "]"));
        }
        List<Removal> removals = new ArrayList<>();
        i = 0;
        for (JsonNode n : array(root, "remove", where)) {
            String at = where + " remove[" + i++ + "]";
            requireObject(n, at);
            removals.add(new Removal(text(n, "provider", at), text(n, "model", at), kind(text(n, "kind", at), at)));
        }
        return new Document(List.copyOf(events), List.copyOf(removals));
    }

    private static ArrayNode array(JsonNode root, String field, String where) {
        JsonNode a = root.get(field);
        if (a == null) {
            return Json.mapper().createArrayNode();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be an array");
        }
        return (ArrayNode) a;
    }

    private static void requireObject(JsonNode n, String at) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
    }

    /**
     * Reads one event object.
     *
     * @throws IllegalArgumentException naming {@code at} and the field that is wrong
     */
    public static LifecycleEvent event(JsonNode n, String at) {
        requireObject(n, at);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw new IllegalArgumentException(at + " has an unknown field '" + f + "'; expected one of "
                        + new java.util.TreeSet<>(EVENT_FIELDS));
            }
        }
        try {
            LifecycleEvent.Builder b = LifecycleEvent.builder(text(n, "provider", at), text(n, "model", at),
                    kind(text(n, "kind", at), at));
            String date = optionalText(n, "date", at);
            if (date != null) {
                b.date(date(date, "date", at));
            }
            JsonNode net = n.get("no_earlier_than");
            if (net != null && !net.isNull()) {
                if (!net.isBoolean()) {
                    throw new IllegalArgumentException(at + ": 'no_earlier_than' must be true or false");
                }
                b.noEarlierThan(net.booleanValue());
            }
            String scope = optionalText(n, "scope", at);
            if (scope != null) {
                b.scope(constant(ModelScope.class, scope, "scope", at));
            }
            b.source(uri(text(n, "source", at), at), date(text(n, "checked_on", at), "checked_on", at),
                    constant(SourceQuality.class, text(n, "source_quality", at), "source_quality", at));
            String note = optionalText(n, "note", at);
            if (note != null) {
                b.note(note);
            }
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(at) ? e
                    : new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static LifecycleKind kind(String s, String at) {
        return constant(LifecycleKind.class, s, "kind", at);
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String s, String field, String at) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(at + ": '" + field + "' is '" + s + "'; expected one of " + names);
    }

    private static LocalDate date(String s, String field, String at) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + ": '" + field + "' is '" + s + "'; expected YYYY-MM-DD", e);
        }
    }

    private static URI uri(String s, String at) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(at + ": 'source' is not a URL: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String at) {
        String s = optionalText(n, field, at);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(at + " lacks '" + field + "'");
        }
        return s;
    }

    private static String optionalText(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(at + ": '" + field + "' must be a string");
        }
        return v.textValue();
    }

    /** One event as a JSON object, in the fields {@link #read} accepts. */
    public static ObjectNode write(LifecycleEvent e) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("provider", e.provider());
        n.put("model", e.model());
        n.put("kind", e.kind().jsonName());
        e.date().ifPresent(d -> n.put("date", d.toString()));
        if (e.noEarlierThan()) {
            n.put("no_earlier_than", true);
        }
        if (e.scope() != ModelScope.ALL) {
            n.put("scope", e.scope().jsonName());
        }
        n.put("source", e.source().toString());
        n.put("checked_on", e.checkedOn().toString());
        n.put("source_quality", e.sourceQuality().jsonName());
        e.note().ifPresent(s -> n.put("note", s));
        return n;
    }
}
