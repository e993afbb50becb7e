package dev.finetune4j.lifecycle;

import java.net.URI;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A dated, sourced fact about the end of life of a provider's model: new jobs end, the model shuts
 * down, deployments retire, or it is deprecated (possibly without a date). Each event names where it
 * was read ({@link #source()}), when that was checked ({@link #checkedOn()}) and how far the source can
 * be trusted ({@link #sourceQuality()}).
 *
 * <p>The {@linkplain #model() model pattern} is an exact model id, a prefix ending in {@code *}, or
 * {@code *} alone for every model of the provider. A fine-tuned model matches through its base: the
 * version's recorded base model and the base named in its id ({@link #baseModelOf}), e.g. {@code
 * ft:gpt-4o-mini-2024-07-18:acme::abc} and {@code gpt-4o-mini-2024-07-18.ft-abc} both match {@code
 * gpt-4o-mini-2024-07-18}. {@link #scope()} says whether the event concerns the base, its fine-tunes,
 * or both.
 *
 * <p>Events with the same {@link #key()} (provider, model pattern, kind) replace each other in a
 * {@link LifecycleTable}. Immutable and thread-safe.
 *
 * <pre>{@code
 * LifecycleEvent.builder("acme", "acme-small-*", LifecycleKind.MODEL_SHUTDOWN)
 *         .date(LocalDate.parse("2027-03-01"))
 *         .source(URI.create("https://acme.example/deprecations"), LocalDate.parse("2026-12-01"),
 *                 SourceQuality.OFFICIAL)
 *         .build();
 * }</pre>
 */
public final class LifecycleEvent {

    /** Soonest date first, events without a date last; ties by {@link #key()}. */
    public static final Comparator<LifecycleEvent> SOONEST_FIRST = Comparator
            .comparing((LifecycleEvent e) -> e.date().orElse(LocalDate.MAX))
            .thenComparing(LifecycleEvent::key);

    private final String provider;
    private final String model;
    private final LifecycleKind kind;
    private final LocalDate date;
    private final boolean noEarlierThan;
    private final ModelScope scope;
    private final URI source;
    private final LocalDate checkedOn;
    private final SourceQuality sourceQuality;
    private final String note;

    private LifecycleEvent(Builder b) {
        this.provider = b.provider;
        this.model = b.model;
        this.kind = b.kind;
        this.date = b.date;
        this.noEarlierThan = b.noEarlierThan;
        this.scope = b.scope;
        this.source = b.source;
        this.checkedOn = b.checkedOn;
        this.sourceQuality = b.sourceQuality;
        this.note = b.note;
    }

    /**
     * A builder for an event of this provider, model pattern and kind.
     *
     * @param provider the provider id, e.g. {@code acme}
     * @param model an exact model id, a prefix ending in {@code *}, or {@code *} for every model
     * @param kind what ends
     * @throws IllegalArgumentException when the provider or model is blank, or {@code *} is not last
     */
    public static Builder builder(String provider, String model, LifecycleKind kind) {
        return new Builder(provider, model, kind);
    }

    /** A builder holding this event, e.g. to move its date. */
    public Builder toBuilder() {
        Builder b = new Builder(provider, model, kind);
        b.date = date;
        b.noEarlierThan = noEarlierThan;
        b.scope = scope;
        b.source = source;
        b.checkedOn = checkedOn;
        b.sourceQuality = sourceQuality;
        b.note = note;
        return b;
    }

    /**
     * The base model named in a model id: the second field of an OpenAI-style {@code ft:BASE:...}
     * id, the part before {@code .ft-} of an Azure-style {@code BASE.ft-...} id, else the id itself.
     */
    public static String baseModelOf(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.startsWith("ft:")) {
            int end = modelId.indexOf(':', 3);
            String base = end < 0 ? modelId.substring(3) : modelId.substring(3, end);
            return base.isEmpty() ? modelId : base;
        }
        int ft = modelId.indexOf(".ft-");
        return ft > 0 ? modelId.substring(0, ft) : modelId;
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The model pattern: an exact id, a prefix ending in {@code *}, or {@code *}. */
    public String model() {
        return model;
    }

    /** What ends. */
    public LifecycleKind kind() {
        return kind;
    }

    /** The date it ends; empty for "deprecated, no date published". */
    public Optional<LocalDate> date() {
        return Optional.ofNullable(date);
    }

    /** Whether the source says "no earlier than" the date (the end may come later, not sooner). */
    public boolean noEarlierThan() {
        return noEarlierThan;
    }

    /** Whether the event concerns the base model, its fine-tunes, or both. */
    public ModelScope scope() {
        return scope;
    }

    /** Where the fact was read. */
    public URI source() {
        return source;
    }

    /** When the source was last checked. */
    public LocalDate checkedOn() {
        return checkedOn;
    }

    /** How far the source can be trusted. */
    public SourceQuality sourceQuality() {
        return sourceQuality;
    }

    /** A remark, e.g. {@code "existing customers only"}. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** What identifies the event in a table: {@code provider model kind}, e.g. {@code acme acme-* jobs_end}. */
    public String key() {
        return key(provider, model, kind);
    }

    static String key(String provider, String model, LifecycleKind kind) {
        return provider + " " + model + " " + kind.jsonName();
    }

    /**
     * Whether the event concerns this model of this provider.
     *
     * @param provider the provider id
     * @param modelId the provider's model id (a base model or a fine-tuned one)
     * @param baseModel the base model it was trained from (the id itself for a base model)
     */
    public boolean appliesTo(String provider, String modelId, String baseModel) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(baseModel, "baseModel");
        if (!this.provider.equals(provider)) {
            return false;
        }
        String named = baseModelOf(modelId);
        boolean fineTuned = !named.equals(modelId) || !baseModel.equals(modelId);
        return switch (scope) {
            case BASE -> !fineTuned && matches(modelId);
            case FINE_TUNED -> fineTuned && (matches(named) || matches(baseModel));
            case ALL -> matches(modelId) || matches(named) || matches(baseModel);
        };
    }

    private boolean matches(String id) {
        if (model.endsWith("*")) {
            return id.startsWith(model.substring(0, model.length() - 1));
        }
        return model.equals(id);
    }

    /** Days from {@code today} to the date (negative once passed); empty without a date. */
    public Optional<Long> daysLeft(LocalDate today) {
        Objects.requireNonNull(today, "today");
        return date().map(d -> ChronoUnit.DAYS.between(today, d));
    }

    /** Whether the date is on or before {@code today} (never for an event without a date). */
    public boolean reached(LocalDate today) {
        Objects.requireNonNull(today, "today");
        return date != null && !date.isAfter(today);
    }

    /**
     * E.g. {@code openai gpt-4o-mini-2024-07-18 model_shutdown 2027-01-14 (secondary, checked
     * 2026-12-04, https://...)}.
     */
    @Override
    public String toString() {
        return key() + " " + (date == null ? "no date" : (noEarlierThan ? "no earlier than " : "") + date)
                + (scope == ModelScope.ALL ? "" : " [" + scope.jsonName() + "]") + " (" + sourceQuality.jsonName()
                + ", checked " + checkedOn + ", " + source + ")" + (note == null ? "" : " " + note);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LifecycleEvent e && provider.equals(e.provider) && model.equals(e.model)
                && kind == e.kind && Objects.equals(date, e.date) && noEarlierThan == e.noEarlierThan
                && scope == e.scope && source.equals(e.source) && checkedOn.equals(e.checkedOn)
                && sourceQuality == e.sourceQuality && Objects.equals(note, e.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, model, kind, date, noEarlierThan, scope, source, checkedOn, sourceQuality, note);
    }

    /** Builds a {@link LifecycleEvent}. Not thread-safe. */
    public static final class Builder {
        private final String provider;
        private final String model;
        private final LifecycleKind kind;
        private LocalDate date;
        private boolean noEarlierThan;
        private ModelScope scope = ModelScope.ALL;
        private URI source;
        private LocalDate checkedOn;
        private SourceQuality sourceQuality;
        private String note;

        private Builder(String provider, String model, LifecycleKind kind) {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
            this.kind = Objects.requireNonNull(kind, "kind");
            if (provider.isBlank()) {
                throw new IllegalArgumentException("provider must not be blank");
            }
            if (model.isBlank() || model.indexOf('*') >= 0 && model.indexOf('*') != model.length() - 1) {
                throw new IllegalArgumentException("model pattern '" + model + "' must be a model id, a prefix "
                        + "ending in '*' (e.g. gpt-4o-*) or '*' alone");
            }
            this.provider = provider;
            this.model = model;
        }

        /** The date it ends (default: none, "no date published"). */
        public Builder date(LocalDate date) {
            this.date = Objects.requireNonNull(date, "date");
            return this;
        }

        /** Removes the date: "no date published". */
        public Builder noDate() {
            this.date = null;
            this.noEarlierThan = false;
            return this;
        }

        /** Whether the source says "no earlier than" the date (default false). */
        public Builder noEarlierThan(boolean noEarlierThan) {
            this.noEarlierThan = noEarlierThan;
            return this;
        }

        /** Which models the event concerns (default {@link ModelScope#ALL}). */
        public Builder scope(ModelScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Where the fact was read, when, and how far it can be trusted (required).
         *
         * @throws IllegalArgumentException when the source is not an absolute URI
         */
        public Builder source(URI source, LocalDate checkedOn, SourceQuality quality) {
            Objects.requireNonNull(source, "source");
            if (!source.isAbsolute()) {
                throw new IllegalArgumentException("source '" + source + "' must be an absolute URI, e.g. "
                        + "https://provider.example/deprecations");
            }
            this.source = source;
            this.checkedOn = Objects.requireNonNull(checkedOn, "checkedOn");
            this.sourceQuality = Objects.requireNonNull(quality, "quality");
            return this;
        }

        /** A remark, e.g. {@code "existing customers only"} (default none). */
        public Builder note(String note) {
            Objects.requireNonNull(note, "note");
            this.note = note.isBlank() ? null : note;
            return this;
        }

        /**
         * Builds the event.
         *
         * @throws IllegalStateException without a {@link #source}, or "no earlier than" without a date
         */
        public LifecycleEvent build() {
            if (source == null) {
                throw new IllegalStateException("lifecycle event " + key(provider, model, kind)
                        + " needs a source: call source(url, checkedOn, quality)");
            }
            if (noEarlierThan && date == null) {
                throw new IllegalStateException("lifecycle event " + key(provider, model, kind)
                        + " says 'no earlier than' without a date");
            }
            return new LifecycleEvent(this);
        }
    }
}
