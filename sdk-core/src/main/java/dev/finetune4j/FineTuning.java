package dev.finetune4j;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.internal.job.JobService;
import dev.finetune4j.job.FineTuneJobs;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.internal.Names;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.internal.assistant.SelectionBus;
import dev.finetune4j.internal.assistant.StoredAssistant;
import dev.finetune4j.eval.Evaluator;
import dev.finetune4j.internal.chat.DefaultChatRouter;
import dev.finetune4j.internal.eval.DefaultEvaluator;
import dev.finetune4j.internal.dataset.StoredDataset;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The front door of finetune4j, bound to one {@link Tenant}: hands out datasets (and, as the
 * library grows, jobs, model versions and the chat router) backed by one {@link VersionStore}.
 *
 * <pre>{@code
 * try (FineTuning ft = FineTuning.builder().store(VersionStores.file(Path.of("data"))).build()) {
 *     Dataset main = ft.dataset("avatar-42", "main");
 *     main.importJsonl(Path.of("train.jsonl"), ImportOptions.defaults(), "first 44 examples");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #close()} closes the store only when the builder created it.
 */
public final class FineTuning implements AutoCloseable {

    private final VersionStore store;
    private final boolean ownsStore;
    private final Tenant tenant;
    private final Clock clock;
    private final SplitPolicy splitPolicy;
    private final Sleeper sleeper;
    private final TrainingPolicy trainingPolicy;
    private final PriceTable priceTable;
    private final Map<String, Provider> providers;
    private final JobService jobs;
    private final SelectionBus selectionBus;

    private FineTuning(Builder b) {
        this.store = b.store;
        this.ownsStore = b.ownsStore;
        this.tenant = b.tenant;
        this.clock = b.clock;
        this.splitPolicy = b.splitPolicy;
        this.sleeper = b.sleeper;
        this.trainingPolicy = b.trainingPolicy;
        this.priceTable = b.priceTable;
        this.providers = Map.copyOf(b.providers);
        this.selectionBus = new SelectionBus();
        this.jobs = new JobService(this, sleeper, providers::get, trainingPolicy, priceTable);
    }

    /** The directory of the default file store, relative to the working directory. */
    public static final String DEFAULT_STORE = ".finetune4j";

    /**
     * A builder with the defaults: the file store in {@code $FINETUNE4J_STORE} or
     * {@value #DEFAULT_STORE}, tenant {@link Tenant#DEFAULT}, UTC system clock, 10 % validation split.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The tenant every call is bound to. */
    public Tenant tenant() {
        return tenant;
    }

    /** The store behind this instance. */
    public VersionStore store() {
        return store;
    }

    /** The clock stamping records. */
    public Clock clock() {
        return clock;
    }

    /** How datasets split into train and validation. */
    public SplitPolicy splitPolicy() {
        return splitPolicy;
    }

    /** The training policy (minimum examples, token limits, retrain advice). */
    public TrainingPolicy trainingPolicy() {
        return trainingPolicy;
    }

    /** The price table used for estimates and costs. */
    public PriceTable priceTable() {
        return priceTable;
    }

    /** The configured providers' ids, sorted. */
    public List<String> providers() {
        return providers.keySet().stream().sorted().toList();
    }

    /**
     * A configured provider.
     *
     * @throws NotFoundException naming the configured ones when there is none with this id
     */
    public Provider provider(String id) {
        Provider p = providers.get(Objects.requireNonNull(id, "id"));
        if (p == null) {
            throw new NotFoundException("no provider '" + id + "' is configured; configured: " + providers());
        }
        return p;
    }

    /**
     * A chat router over this instance's assistants and providers. Selection changes made through
     * this instance reach it at once; changes by other processes within the refresh interval.
     */
    public ChatRouter chatRouter(ChatRouter.Options options) {
        DefaultChatRouter router = new DefaultChatRouter(this, options);
        selectionBus.subscribe(router::invalidate);
        return router;
    }

    /**
     * An evaluator that calls through its own chat router, with pinning and without fallback, so a
     * failing version scores 0 instead of being replaced by the base model.
     */
    public Evaluator evaluator() {
        return new DefaultEvaluator(this, chatRouter(ChatRouter.Options.defaults().withFallback(false)));
    }

    /** Fine-tune jobs: estimate, submit, list, resume. */
    public FineTuneJobs jobs() {
        return jobs;
    }

    /** The same library bound to another tenant, sharing the store and providers (which it does not close). */
    public FineTuning forTenant(Tenant other) {
        Builder b = new Builder();
        b.store = store;
        b.ownsStore = false;
        b.tenant = Objects.requireNonNull(other, "other");
        b.clock = clock;
        b.splitPolicy = splitPolicy;
        b.sleeper = sleeper;
        b.trainingPolicy = trainingPolicy;
        b.priceTable = priceTable;
        b.providers.putAll(providers);
        return new FineTuning(b);
    }

    /**
     * A dataset of an assistant; it exists once a first version is stored.
     *
     * @param assistant the assistant's name ({@code [A-Za-z0-9._-]}, 1–64 characters)
     * @param name the dataset's name, same alphabet
     * @throws IllegalArgumentException for an invalid name
     */
    public Dataset dataset(String assistant, String name) {
        return new StoredDataset(store, tenant, assistant, name, clock, splitPolicy);
    }

    /**
     * A dataset named {@code assistant/name}, as users write it on the command line.
     *
     * @throws IllegalArgumentException when the reference has no single slash or a name is invalid
     */
    public Dataset dataset(String ref) {
        Objects.requireNonNull(ref, "ref");
        int slash = ref.indexOf('/');
        if (slash < 0 || slash != ref.lastIndexOf('/')) {
            throw new IllegalArgumentException("dataset reference '" + Names.printable(ref)
                    + "' must be ASSISTANT/DATASET, e.g. avatar-42/main");
        }
        return dataset(ref.substring(0, slash), ref.substring(slash + 1));
    }

    /** The names of an assistant's datasets that have at least one version, sorted. */
    public List<String> datasets(String assistant) {
        Names.requireValid(assistant, "assistant name");
        List<String> names = new ArrayList<>();
        String cursor = assistant + "/";
        while (true) {
            StorePage page = store.list(tenant, "datasets", cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (!k.id().startsWith(assistant + "/")) {
                    return names;
                }
                names.add(k.id().substring(assistant.length() + 1));
            }
            if (page.next().isEmpty()) {
                return names;
            }
            cursor = page.next().get();
        }
    }

    /**
     * Creates an assistant with the provider and base model that answer while no model version is
     * active; returns the existing one when it was created with the same provider and base model.
     *
     * @param name {@code [A-Za-z0-9._-]}, 1–64 characters
     * @param provider the provider id, e.g. {@code openai}
     * @param baseModel the base model, e.g. {@code gpt-4o-mini-2024-07-18}
     * @throws IllegalArgumentException if it exists with another provider or base model
     */
    public Assistant createAssistant(String name, String provider, String baseModel) {
        return StoredAssistant.create(store, tenant, name, provider, baseModel, clock, selectionBus,
                id -> Optional.ofNullable(providers.get(id)));
    }

    /**
     * An existing assistant.
     *
     * @throws NotFoundException if there is none with this name
     */
    public Assistant assistant(String name) {
        return StoredAssistant.open(store, tenant, name, clock, selectionBus, id -> Optional.ofNullable(providers.get(id)));
    }

    /** The names of this tenant's assistants, sorted. */
    public List<String> assistants() {
        return StoredAssistant.names(store, tenant);
    }

    /** Closes the store when this builder created it. */
    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "FineTuning[tenant=" + tenant.id() + ", store=" + store.getClass().getSimpleName() + "]";
    }

    /** Builds {@link FineTuning}. Not thread-safe. */
    public static final class Builder {
        private VersionStore store;
        private boolean ownsStore;
        private Tenant tenant = Tenant.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private SplitPolicy splitPolicy = SplitPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.system();
        private TrainingPolicy trainingPolicy = TrainingPolicy.defaults();
        private PriceTable priceTable = PriceTable.defaults();
        private final Map<String, Provider> providers = new LinkedHashMap<>();

        private Builder() {}

        /** Adds a provider (replacing one with the same id). The host app keeps ownership. */
        public Builder provider(Provider provider) {
            Objects.requireNonNull(provider, "provider");
            providers.put(provider.id(), provider);
            return this;
        }

        /** How waiting between job polls happens; tests pass a recording sleeper. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The training policy; default {@link TrainingPolicy#defaults()}. */
        public Builder trainingPolicy(TrainingPolicy policy) {
            this.trainingPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The price table; default {@link PriceTable#defaults()}. */
        public Builder priceTable(PriceTable table) {
            this.priceTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The store to use; the host app keeps ownership and closes it. */
        public Builder store(VersionStore store) {
            this.store = Objects.requireNonNull(store, "store");
            this.ownsStore = false;
            return this;
        }

        /** The tenant to bind to; default {@link Tenant#DEFAULT}. */
        public Builder tenant(Tenant tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The clock stamping records; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How examples split into train and validation; default 10 % validation. */
        public Builder splitPolicy(SplitPolicy splitPolicy) {
            this.splitPolicy = Objects.requireNonNull(splitPolicy, "splitPolicy");
            return this;
        }

        /**
         * Builds the instance. Without a store, the embedded file store is opened in the directory
         * named by the environment variable {@code FINETUNE4J_STORE}, else {@code ./.finetune4j}
         * (and closed with this instance).
         *
         * @throws StoreException if that directory cannot be opened as a store
         */
        public FineTuning build() {
            if (store == null) {
                String dir = System.getenv("FINETUNE4J_STORE");
                store = VersionStores.file(Path.of(dir == null || dir.isBlank() ? DEFAULT_STORE : dir), clock);
                ownsStore = true;
            }
            return new FineTuning(this);
        }
    }
}
