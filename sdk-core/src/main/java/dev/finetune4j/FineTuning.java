package dev.finetune4j;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.capture.Captures;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.deployment.Deployments;
import dev.finetune4j.eval.Evaluator;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.capture.DefaultCaptures;
import dev.finetune4j.internal.chat.DefaultChatRouter;
import dev.finetune4j.internal.eval.DefaultEvaluator;
import dev.finetune4j.internal.migration.DefaultMigrations;
import dev.finetune4j.migration.Migrations;
import dev.finetune4j.internal.job.JobService;
import dev.finetune4j.internal.lifecycle.LifecycleSettings;
import dev.finetune4j.job.FineTuneJobs;
import dev.finetune4j.lifecycle.Lifecycle;
import dev.finetune4j.lifecycle.LifecycleListener;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The front door of finetune4j, bound to one {@link Tenant}: hands out datasets, assistants, jobs,
 * deployments, chat routers, evaluators, lifecycle facts, migrations and captured traffic, all backed
 * by one {@link VersionStore}.
 *
 * <pre>{@code
 * try (FineTuning ft = FineTuning.builder().store(VersionStores.file(Path.of("data"))).build()) {
 *     Dataset main = ft.dataset("avatar-42", "main");
 *     main.importJsonl(Path.of("train.jsonl"), ImportOptions.defaults(), "first 44 examples");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #close()} closes the chat routers it handed out that are still
 * open, and the store only when the builder created it.
 */
public final class FineTuning implements AutoCloseable {

    private final FineTuningContext context;
    private final boolean ownsStore;
    private final JobService jobs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FineTuning(FineTuningContext context, boolean ownsStore) {
        this.context = context;
        this.ownsStore = ownsStore;
        this.jobs = new JobService(context);
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
        return context.tenant();
    }

    /** The store behind this instance. */
    public VersionStore store() {
        return context.store();
    }

    /**
     * Lifecycle facts: which end-of-life events apply to an assistant's models and how many days
     * are left, from the lifecycle table, the facts providers reported and the clock.
     */
    public Lifecycle lifecycle() {
        return context.lifecycle();
    }

    /** The clock stamping records. */
    public Clock clock() {
        return context.clock();
    }

    /** How datasets split into train and validation. */
    public SplitPolicy splitPolicy() {
        return context.splitPolicy();
    }

    /** The training policy (minimum examples, token limits, retrain advice). */
    public TrainingPolicy trainingPolicy() {
        return context.trainingPolicy();
    }

    /** The price table used for estimates and costs. */
    public PriceTable priceTable() {
        return context.priceTable();
    }

    /** The configured providers' ids, sorted. */
    public List<String> providers() {
        return context.providerIds();
    }

    /**
     * A configured provider.
     *
     * @throws NotFoundException naming the configured ones when there is none with this id
     */
    public Provider provider(String id) {
        return context.provider(id);
    }

    /**
     * A new chat router over this instance's assistants and providers. Selection changes made through
     * this instance reach it at once; changes by other processes within the refresh interval.
     *
     * <p>A router holds caches, circuit breakers, a selection subscription and, in shadow mode, a small
     * thread pool: create one per set of options and reuse it for every call (it is thread-safe), and
     * close it when done. {@link #close()} closes the routers still open. A router closed (or dropped
     * and collected) leaves nothing behind in this instance.
     *
     * @throws IllegalStateException when this instance is closed
     */
    public ChatRouter chatRouter(ChatRouter.Options options) {
        return new DefaultChatRouter(context, options);
    }

    /**
     * This tenant's captured chat calls: turn capture on per assistant, attach feedback, curate
     * captures into dataset versions. Capture is off until enabled; every router of this instance
     * (and of its tenant views) feeds it.
     */
    public Captures captures() {
        return new DefaultCaptures(context);
    }

    /**
     * An evaluator that calls through a chat router of its own, with pinning and without fallback, so
     * a failing version scores 0 instead of being replaced by the base model. The evaluator holds
     * nothing open: each evaluation opens its router and closes it when it returns, and
     * {@link #close()} stops evaluations still running.
     */
    public Evaluator evaluator() {
        return new DefaultEvaluator(context);
    }

    /**
     * Migrations: carry an assistant's live version to another provider (baseline, train the same
     * data, deploy, evaluate, non-inferiority gate, promote with the source as fallback), durable and
     * resumable. A service on this front door rather than {@code Assistant.migrate}, because a
     * migration uses the jobs and the evaluator, which an assistant does not own.
     */
    public Migrations migrations() {
        return new DefaultMigrations(context, jobs, evaluator());
    }

    /** Fine-tune jobs: estimate, submit, list, resume. */
    public FineTuneJobs jobs() {
        return jobs;
    }

    /**
     * Deployments of model versions where their provider needs one before it serves: deploy, list,
     * undeploy, reconcile, and what they cost. The job tracker ({@link FineTuneJobs#track}) follows
     * them too.
     */
    public Deployments deployments() {
        return context.deployments();
    }

    /**
     * The same library bound to another tenant, sharing the store and providers (which it does not
     * close). Closing this instance closes that one too.
     *
     * @throws IllegalStateException when this instance is closed
     */
    public FineTuning forTenant(Tenant other) {
        return new FineTuning(context.forTenant(Objects.requireNonNull(other, "other")), false);
    }

    /**
     * A dataset of an assistant; it exists once a first version is stored.
     *
     * @param assistant the assistant's name ({@code [A-Za-z0-9._-]}, 1–64 characters)
     * @param name the dataset's name, same alphabet
     * @throws IllegalArgumentException for an invalid name
     */
    public Dataset dataset(String assistant, String name) {
        return context.dataset(assistant, name);
    }

    /**
     * A dataset named {@code assistant/name}, as users write it on the command line.
     *
     * @throws IllegalArgumentException when the reference has no single slash or a name is invalid
     */
    public Dataset dataset(String ref) {
        return context.dataset(ref);
    }

    /** The names of an assistant's datasets that have at least one version, sorted. */
    public List<String> datasets(String assistant) {
        return context.datasets(assistant);
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
        return context.createAssistant(name, provider, baseModel);
    }

    /**
     * An existing assistant.
     *
     * @throws NotFoundException if there is none with this name
     */
    public Assistant assistant(String name) {
        return context.assistant(name);
    }

    /** The names of this tenant's assistants, sorted. */
    public List<String> assistants() {
        return context.assistants();
    }

    /**
     * Closes what this instance created: the chat routers it handed out that are still open (their
     * later calls fail with {@link IllegalStateException}, evaluations in progress stop), the
     * {@link #forTenant tenant views} made from it, and the store when the builder opened it.
     * Idempotent. A store passed to the builder stays open: the host app owns it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            context.close();
        } finally {
            if (ownsStore) {
                context.store().close();
            }
        }
    }

    /** How many routers still listen to this instance's selection changes (for leak tests). */
    int selectionSubscribers() {
        return context.selectionBus().subscriberCount();
    }

    /** How many handed-out resources (routers, tenant views) are still open and reachable (for leak tests). */
    int openResources() {
        return context.openResources();
    }

    @Override
    public String toString() {
        return "FineTuning[tenant=" + context.tenant().id() + ", store=" + context.store().getClass().getSimpleName()
                + "]";
    }

    /** Builds {@link FineTuning}. Not thread-safe. */
    public static final class Builder {
        private VersionStore store;
        private boolean ownsStore;
        private Tenant tenant = Tenant.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private SplitPolicy splitPolicy = SplitPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.system();
        private Duration firstPoll = FineTuningContext.DEFAULT_FIRST_POLL;
        private Duration maxPoll = FineTuningContext.DEFAULT_MAX_POLL;
        private TrainingPolicy trainingPolicy;
        private PriceTable priceTable = PriceTable.defaults();
        private LifecycleTable lifecycleTable;
        private LifecycleListener lifecycleListener = LifecycleListener.none();
        private int lifecycleWarningDays = LifecycleSettings.DEFAULT_WARNING_DAYS;
        private final Map<String, Provider> providers = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a provider (replacing one with the same id). The host app keeps ownership. Its
         * descriptor's data rules join the training policy when the policy has none for its id.
         */
        public Builder provider(Provider provider) {
            Objects.requireNonNull(provider, "provider");
            providers.put(provider.id(), provider);
            return this;
        }

        /**
         * How waiting between job polls happens (default: the thread sleeps); tests pass a
         * recording or fake-time sleeper. Retries of provider calls wait on the provider's own
         * {@code ProviderConfig.sleeper}.
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * How often an awaited job or deployment is polled ({@code FineTuneJob.awaitCompletion},
         * {@code Deployment.awaitReady}): {@code first} after each change, growing by half per
         * unchanged poll up to {@code max}. Default 5 s up to 60 s. A test on an emulator that moves jobs on each poll passes {@code Duration.ZERO} for
         * both and needs no sleeper.
         *
         * @throws IllegalArgumentException when a duration is negative or {@code first} exceeds {@code max}
         */
        public Builder pollInterval(Duration first, Duration max) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isNegative() || max.isNegative() || first.compareTo(max) > 0) {
                throw new IllegalArgumentException("poll intervals must be 0 or more with first <= max, were first="
                        + first + ", max=" + max);
            }
            this.firstPoll = first;
            this.maxPoll = max;
            return this;
        }

        /**
         * The training policy; default {@link TrainingPolicy#defaults()} (the published rules of the
         * provider modules on the class path). Providers passed with {@link #provider} add theirs
         * where the policy has none for their id.
         */
        public Builder trainingPolicy(TrainingPolicy policy) {
            this.trainingPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The price table; default {@link PriceTable#defaults()}. */
        public Builder priceTable(PriceTable table) {
            this.priceTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /**
         * The lifecycle table; default {@link LifecycleTable#defaults()} (the events the provider
         * modules on the class path ship, plus those of providers passed with {@link #provider}). Start
         * from {@code LifecycleTable.defaults().toBuilder()} to override or extend them.
         */
        public Builder lifecycleTable(LifecycleTable table) {
            this.lifecycleTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Who hears the chat router's lifecycle warnings; default none (they are logged at WARN). */
        public Builder lifecycleListener(LifecycleListener listener) {
            this.lifecycleListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How many days before a model's shutdown the chat router starts warning (once per model and
         * day); default 30.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder lifecycleWarningDays(int days) {
            if (days < 0) {
                throw new IllegalArgumentException("lifecycleWarningDays must be >= 0, was " + days);
            }
            this.lifecycleWarningDays = days;
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
            return new FineTuning(new FineTuningContext(store, tenant, clock, sleeper, splitPolicy, policy(),
                    priceTable, providers, new LifecycleSettings(lifecycle(), lifecycleListener, lifecycleWarningDays),
                    firstPoll, maxPoll), ownsStore);
        }

        /** The table given, else the defaults plus the events of providers passed by hand that it lacks. */
        private LifecycleTable lifecycle() {
            if (lifecycleTable != null) {
                return lifecycleTable;
            }
            LifecycleTable base = LifecycleTable.defaults();
            LifecycleTable.Builder b = base.toBuilder();
            for (Provider p : providers.values()) {
                if (base.events().stream().noneMatch(e -> e.provider().equals(p.id()))) {
                    b.putAll(p.descriptor().lifecycleEvents());
                }
            }
            return b.build();
        }

        /** The policy with the rules of every provider passed by hand that it lacks. */
        private TrainingPolicy policy() {
            TrainingPolicy base = trainingPolicy != null ? trainingPolicy : TrainingPolicy.defaults();
            TrainingPolicy.Builder b = null;
            for (Provider p : providers.values()) {
                if (base.providerRules(p.id()).isEmpty()) {
                    b = b == null ? base.toBuilder() : b;
                    b.providerRules(p.id(), p.descriptor().dataRules());
                }
            }
            return b == null ? base : b.build();
        }
    }
}
