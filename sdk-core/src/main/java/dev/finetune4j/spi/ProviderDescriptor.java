package dev.finetune4j.spi;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.FileEncoding;
import dev.finetune4j.lifecycle.LifecycleEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a provider module says about itself, without being created and without a key: its id and
 * display name, the settings it reads (and the environment variables behind them), its default
 * base model, the format and encoding its training files are uploaded in, its data rules, its
 * capabilities, and whether a trained model needs a deployment before it can serve. Returned by {@link
 * ProviderFactory#descriptor()} (cheap: build it once, in a constant) and by {@link
 * Provider#descriptor()}.
 *
 * <p>The core and the CLI read everything they know about a provider from here: the CLI's
 * {@code --provider} accepts any discovered id, its help lists them, {@code validate --provider X}
 * applies X's rules, and the {@link dev.finetune4j.policy.TrainingPolicy} falls back to X's
 * published minimum examples and token limits.
 *
 * <pre>{@code
 * static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("acme")
 *         .displayName("Acme AI")
 *         .setting(ProviderSetting.apiKey("ACME_API_KEY", "the API key"))
 *         .setting(ProviderSetting.endpoint("ACME_BASE_URL", "https://api.acme.example/v1", "the API base URL"))
 *         .defaultBaseModel("acme-small")
 *         .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.CANCEL))
 *         .dataRules(DataRules.builder("Acme AI").enable(DataCheck.ASSISTANT_MESSAGE_LAST).build())
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ProviderDescriptor {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final String id;
    private final String displayName;
    private final List<ProviderSetting> settings;
    private final String defaultBaseModel;
    private final DatasetFormat uploadFormat;
    private final FileEncoding uploadEncoding;
    private final DataRules dataRules;
    private final Capabilities capabilities;
    private final boolean trainedModelsNeedDeployment;
    private final String pricingNote;
    private final List<LifecycleEvent> lifecycleEvents;

    private ProviderDescriptor(Builder b) {
        this.id = b.id;
        this.displayName = b.displayName == null ? b.id : b.displayName;
        this.settings = List.copyOf(b.settings.values());
        this.defaultBaseModel = b.defaultBaseModel;
        this.uploadFormat = b.uploadFormat;
        this.uploadEncoding = b.uploadEncoding;
        this.dataRules = b.dataRules;
        this.capabilities = b.capabilities;
        this.trainedModelsNeedDeployment = b.trainedModelsNeedDeployment;
        this.pricingNote = b.pricingNote;
        this.lifecycleEvents = List.copyOf(b.lifecycleEvents);
    }

    /**
     * A builder for the provider with this id.
     *
     * @param id lower-case letters, digits, {@code -} and {@code _}, starting with a letter or
     *     digit, at most 64 characters, e.g. {@code openai}
     * @throws IllegalArgumentException for another id
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this descriptor. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.displayName = displayName;
        settings.forEach(s -> b.settings.put(s.name(), s));
        b.defaultBaseModel = defaultBaseModel;
        b.uploadFormat = uploadFormat;
        b.uploadEncoding = uploadEncoding;
        b.dataRules = dataRules;
        b.capabilities = capabilities;
        b.trainedModelsNeedDeployment = trainedModelsNeedDeployment;
        b.pricingNote = pricingNote;
        b.lifecycleEvents.addAll(lifecycleEvents);
        return b;
    }

    /** The provider id, e.g. {@code openai}: what {@code --provider}, records and price tables name. */
    public String id() {
        return id;
    }

    /** How people write the provider's name, e.g. {@code Hugging Face}; the id when none was given. */
    public String displayName() {
        return displayName;
    }

    /** Every setting the provider reads, in the order it declared them (key and base URL first). */
    public List<ProviderSetting> settings() {
        return settings;
    }

    /** The setting with this name, if the provider declares it. */
    public Optional<ProviderSetting> setting(String name) {
        Objects.requireNonNull(name, "name");
        return settings.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The API key setting ({@value ProviderSetting#API_KEY}), if the provider needs a key. */
    public Optional<ProviderSetting> apiKey() {
        return setting(ProviderSetting.API_KEY);
    }

    /** The base URL setting ({@value ProviderSetting#ENDPOINT}), if the provider declares one. */
    public Optional<ProviderSetting> endpoint() {
        return setting(ProviderSetting.ENDPOINT);
    }

    /**
     * The environment variables of the settings, in declaration order, e.g. {@code [OPENAI_API_KEY,
     * OPENAI_BASE_URL]}.
     */
    public List<String> environmentVariables() {
        List<String> names = new ArrayList<>();
        settings.forEach(s -> s.environmentVariable().ifPresent(names::add));
        return names;
    }

    /** The base model a new assistant or a quick estimate uses when none is named. */
    public Optional<String> defaultBaseModel() {
        return Optional.ofNullable(defaultBaseModel);
    }

    /** The format training files are written in for {@link TrainingService#upload}. */
    public DatasetFormat uploadFormat() {
        return uploadFormat;
    }

    /**
     * How the training files written for {@link TrainingService#upload} begin: {@link
     * FileEncoding#UTF_8} (the default) or {@link FileEncoding#UTF_8_WITH_BOM} for a provider that
     * documents a byte-order mark.
     */
    public FileEncoding uploadEncoding() {
        return uploadEncoding;
    }

    /**
     * The provider's data rules: the optional checks it adds to the shared ones, its minimum
     * examples and per-model token limits.
     */
    public DataRules dataRules() {
        return dataRules;
    }

    /** What the provider can do. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * Whether a model this provider trains must be deployed (an endpoint started, a deployment
     * created) before chat can reach it. {@code false}: a trained model serves as soon as its job
     * succeeds.
     */
    public boolean trainedModelsNeedDeployment() {
        return trainedModelsNeedDeployment;
    }

    /**
     * How the provider bills training when a token-based price cannot say, e.g. {@code "Hugging Face
     * bills hardware time, not tokens"}; shown where a cost estimate is unknown.
     */
    public Optional<String> pricingNote() {
        return Optional.ofNullable(pricingNote);
    }

    /**
     * The provider's published end-of-life facts (new jobs end, model shutdowns, deprecation), each
     * with its source and check date; {@link dev.finetune4j.lifecycle.LifecycleTable#defaults()} merges
     * those of every module. Empty when the provider publishes none.
     */
    public List<LifecycleEvent> lifecycleEvents() {
        return lifecycleEvents;
    }

    /** E.g. {@code ProviderDescriptor[openai "OpenAI", capabilities [TRAINING, CHAT, ...]]}. */
    @Override
    public String toString() {
        return "ProviderDescriptor[" + id + " \"" + displayName + "\", settings " + settings + ", default model "
                + defaultBaseModel + ", upload " + uploadFormat.id()
                + (uploadEncoding == FileEncoding.UTF_8 ? "" : " " + uploadEncoding) + ", rules " + dataRules
                + ", capabilities " + capabilities + (trainedModelsNeedDeployment ? ", trained models need a deployment" : "") + "]";
    }

    /** Builds a {@link ProviderDescriptor}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String displayName;
        private final Map<String, ProviderSetting> settings = new LinkedHashMap<>();
        private String defaultBaseModel;
        private DatasetFormat uploadFormat = DatasetFormat.OPENAI;
        private FileEncoding uploadEncoding = FileEncoding.UTF_8;
        private DataRules dataRules = DataRules.standard();
        private Capabilities capabilities = Capabilities.none();
        private boolean trainedModelsNeedDeployment;
        private String pricingNote;
        private final List<LifecycleEvent> lifecycleEvents = new ArrayList<>();

        private Builder(String id) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("provider id '" + id + "' must be lower-case letters, digits, "
                        + "'-' or '_', starting with a letter or digit, at most 64 characters, e.g. acme-ai");
            }
            this.id = id;
        }

        /** How people write the provider's name (default: the id). */
        public Builder displayName(String displayName) {
            Objects.requireNonNull(displayName, "displayName");
            if (displayName.isBlank()) {
                throw new IllegalArgumentException("displayName must not be blank");
            }
            this.displayName = displayName;
            return this;
        }

        /** Declares a setting, replacing one of the same name. */
        public Builder setting(ProviderSetting setting) {
            Objects.requireNonNull(setting, "setting");
            settings.put(setting.name(), setting);
            return this;
        }

        /** The default base model (default: none, so commands that need a model ask for one). */
        public Builder defaultBaseModel(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("defaultBaseModel must not be blank");
            }
            this.defaultBaseModel = model;
            return this;
        }

        /** The format training files are uploaded in (default {@link DatasetFormat#OPENAI}). */
        public Builder uploadFormat(DatasetFormat format) {
            this.uploadFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** How uploaded training files begin (default {@link FileEncoding#UTF_8}, no byte-order mark). */
        public Builder uploadEncoding(FileEncoding encoding) {
            this.uploadEncoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /** The provider's data rules (default {@link DataRules#standard()}). */
        public Builder dataRules(DataRules rules) {
            this.dataRules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** What the provider can do (default: nothing). */
        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /** Whether trained models must be deployed before they serve (default false). */
        public Builder trainedModelsNeedDeployment(boolean need) {
            this.trainedModelsNeedDeployment = need;
            return this;
        }

        /** How the provider bills training when not by tokens (default: no note). */
        public Builder pricingNote(String note) {
            this.pricingNote = Objects.requireNonNull(note, "note");
            return this;
        }

        /**
         * Adds end-of-life facts the provider publishes, typically read from a resource with {@link
         * dev.finetune4j.lifecycle.LifecycleTable#resource}; each must name this provider.
         */
        public Builder lifecycleEvents(Collection<LifecycleEvent> events) {
            for (LifecycleEvent e : Objects.requireNonNull(events, "events")) {
                lifecycleEvents.add(Objects.requireNonNull(e, "event"));
            }
            return this;
        }

        /**
         * Builds the descriptor.
         *
         * @throws IllegalStateException when the {@value ProviderSetting#API_KEY} setting is not a
         *     secret, the {@value ProviderSetting#ENDPOINT} setting not a URL, or a lifecycle event
         *     names another provider
         */
        public ProviderDescriptor build() {
            ProviderSetting key = settings.get(ProviderSetting.API_KEY);
            if (key != null && key.type() != ProviderSetting.Type.SECRET) {
                throw new IllegalStateException("provider " + id + ": setting " + ProviderSetting.API_KEY
                        + " must be a secret, was " + key.type());
            }
            ProviderSetting endpoint = settings.get(ProviderSetting.ENDPOINT);
            if (endpoint != null && endpoint.type() != ProviderSetting.Type.URL) {
                throw new IllegalStateException("provider " + id + ": setting " + ProviderSetting.ENDPOINT
                        + " must be a URL, was " + endpoint.type());
            }
            for (LifecycleEvent e : lifecycleEvents) {
                if (!e.provider().equals(id)) {
                    throw new IllegalStateException("provider " + id + ": lifecycle event " + e.key()
                            + " names another provider");
                }
            }
            return new ProviderDescriptor(this);
        }
    }
}
