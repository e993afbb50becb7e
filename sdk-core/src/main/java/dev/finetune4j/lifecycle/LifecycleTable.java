package dev.finetune4j.lifecycle;

import dev.finetune4j.internal.lifecycle.LifecycleJson;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.Providers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lifecycle events the library knows, one per {@link LifecycleEvent#key() key}: the merge of what
 * the provider modules ship ({@link ProviderDescriptor#lifecycleEvents()}), what the host app says in
 * code, and what a file says (the CLI's {@code --lifecycle FILE} or {@code $FINETUNE4J_LIFECYCLE}).
 * Later sources win: an event with the same key replaces the earlier one, a removal drops it.
 *
 * <pre>{@code
 * // we run gpt-4o-mini on dedicated capacity until the end of 2027: move the shutdown
 * LifecycleTable table = LifecycleTable.defaults().toBuilder()
 *         .put(LifecycleEvent.builder("openai", "gpt-4o-mini-2024-07-18", LifecycleKind.MODEL_SHUTDOWN)
 *                 .date(LocalDate.parse("2027-12-31"))
 *                 .source(URI.create("https://intranet.example/contracts/42"), LocalDate.now(), SourceQuality.HOST)
 *                 .build())
 *         .build();
 * FineTuning ft = FineTuning.builder().lifecycleTable(table).build();
 * }</pre>
 *
 * <p>The JSON form (files and the resources provider modules ship): {@code {"events": [{"provider":
 * "openai", "model": "gpt-4o-mini-2024-07-18", "kind": "model_shutdown", "date": "2027-01-14",
 * "source": "https://...", "checked_on": "2026-12-04", "source_quality": "secondary", "note": "..."}],
 * "remove": [{"provider": "...", "model": "...", "kind": "..."}]}}; optional event fields {@code date}
 * (absent: no date published), {@code no_earlier_than} (boolean), {@code scope} ({@code all}, {@code
 * base}, {@code fine_tuned}) and {@code note}. Kinds and qualities are the enum names in lower case.
 *
 * <p>Immutable and thread-safe.
 */
public final class LifecycleTable {

    private static final LifecycleTable EMPTY = new LifecycleTable(Map.of());

    private final Map<String, LifecycleEvent> events;

    private LifecycleTable(Map<String, LifecycleEvent> events) {
        this.events = events;
    }

    /** A table without events. */
    public static LifecycleTable empty() {
        return EMPTY;
    }

    /**
     * The events shipped by every provider module on the class path, read from their descriptors.
     */
    public static LifecycleTable defaults() {
        Builder b = builder();
        for (ProviderDescriptor d : Providers.descriptors().values()) {
            d.lifecycleEvents().forEach(b::put);
        }
        return b.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this table's events, to override or extend them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.events.putAll(events);
        return b;
    }

    /**
     * Reads the events of a JSON document shipped as a class path resource, e.g. a provider module's
     * {@code lifecycle.json} beside its factory; for building a descriptor.
     *
     * @param anchor the class the resource name is relative to
     * @param name the resource name, e.g. {@code lifecycle.json}
     * @throws IllegalStateException when the resource is missing or broken (a packaging error)
     */
    public static List<LifecycleEvent> resource(Class<?> anchor, String name) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(name, "name");
        String where = "bundled " + anchor.getPackageName() + "/" + name;
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(where + " is missing from the jar");
            }
            LifecycleJson.Document doc = LifecycleJson.read(in, where);
            if (!doc.removals().isEmpty()) {
                throw new IllegalStateException(where + " may only add events, it removes " + doc.removals());
            }
            return doc.events();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is broken: " + e.getMessage(), e);
        }
    }

    /** Every event, ordered by provider, then date (events without one last), then key; unmodifiable. */
    public List<LifecycleEvent> events() {
        List<LifecycleEvent> all = new ArrayList<>(events.values());
        all.sort(Comparator.comparing(LifecycleEvent::provider).thenComparing(LifecycleEvent.SOONEST_FIRST));
        return List.copyOf(all);
    }

    /**
     * The events concerning one model of a provider, soonest first (events without a date last).
     *
     * @param provider the provider id
     * @param modelId the provider's model id, base or fine-tuned
     * @param baseModel the base model it was trained from (the id itself for a base model)
     */
    public List<LifecycleEvent> find(String provider, String modelId, String baseModel) {
        List<LifecycleEvent> found = new ArrayList<>();
        for (LifecycleEvent e : events.values()) {
            if (e.appliesTo(provider, modelId, baseModel)) {
                found.add(e);
            }
        }
        found.sort(LifecycleEvent.SOONEST_FIRST);
        return List.copyOf(found);
    }

    /** The number of events. */
    public int size() {
        return events.size();
    }

    @Override
    public String toString() {
        return "LifecycleTable[" + events.size() + " events]";
    }

    /** Builds a {@link LifecycleTable}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, LifecycleEvent> events = new LinkedHashMap<>();

        private Builder() {}

        /** Adds an event, replacing the one with the same key (provider, model pattern, kind). */
        public Builder put(LifecycleEvent event) {
            Objects.requireNonNull(event, "event");
            events.put(event.key(), event);
            return this;
        }

        /** Adds events, each replacing the one with the same key. */
        public Builder putAll(Collection<LifecycleEvent> more) {
            Objects.requireNonNull(more, "more").forEach(this::put);
            return this;
        }

        /**
         * Removes the event with this key, e.g. when the host app has dedicated capacity past a
         * shutdown; nothing happens when there is none.
         *
         * @param provider the provider id
         * @param model the model pattern exactly as the event has it
         * @param kind the event's kind
         */
        public Builder remove(String provider, String model, LifecycleKind kind) {
            events.remove(LifecycleEvent.key(Objects.requireNonNull(provider, "provider"),
                    Objects.requireNonNull(model, "model"), Objects.requireNonNull(kind, "kind")));
            return this;
        }

        /**
         * Applies a JSON document (see the class comment): its events replace those with the same
         * key, its removals drop events.
         *
         * @param json the document; not closed
         * @param where names the document in messages, e.g. its file name
         * @throws IllegalArgumentException naming the entry and field that is wrong
         * @throws UncheckedIOException when reading fails
         */
        public Builder merge(InputStream json, String where) {
            Objects.requireNonNull(json, "json");
            LifecycleJson.Document doc = LifecycleJson.read(json, Objects.requireNonNull(where, "where"));
            doc.removals().forEach(r -> remove(r.provider(), r.model(), r.kind()));
            doc.events().forEach(this::put);
            return this;
        }

        /**
         * Applies a JSON file (see {@link #merge(InputStream, String)}).
         *
         * @throws IllegalArgumentException when the file is missing or wrong, naming it
         * @throws UncheckedIOException when reading fails
         */
        public Builder merge(Path file) {
            Objects.requireNonNull(file, "file");
            try (InputStream in = Files.newInputStream(file)) {
                return merge(in, "lifecycle file " + file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("lifecycle file " + file + " does not exist", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read lifecycle file " + file, e);
            }
        }

        /** Builds the table. */
        public LifecycleTable build() {
            return events.isEmpty() ? EMPTY : new LifecycleTable(Map.copyOf(events));
        }
    }
}
