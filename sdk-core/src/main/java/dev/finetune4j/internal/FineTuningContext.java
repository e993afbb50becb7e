package dev.finetune4j.internal;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.internal.assistant.SelectionBus;
import dev.finetune4j.internal.assistant.StoredAssistant;
import dev.finetune4j.internal.capture.CaptureHub;
import dev.finetune4j.internal.dataset.StoredDataset;
import dev.finetune4j.internal.deploy.DeploymentBook;
import dev.finetune4j.internal.lifecycle.LifecycleService;
import dev.finetune4j.internal.lifecycle.LifecycleSettings;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the services behind one {@code FineTuning} share, built once by its builder: the store,
 * tenant, clock, sleeper, split and training policies, price table and providers, the selection bus,
 * the factories of assistants and datasets, the deployments, and the resources handed out that must
 * be closed with it (chat routers, tenant views). Services take this instead of the public front object, so nothing
 * under {@code dev.finetune4j.internal} depends on {@code dev.finetune4j.FineTuning}.
 *
 * <p>Thread-safe. Resources are held weakly: a router that is closed, or dropped and collected,
 * leaves no trace here.
 */
public final class FineTuningContext implements AutoCloseable {

    private final VersionStore store;
    private final Tenant tenant;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SplitPolicy splitPolicy;
    private final TrainingPolicy trainingPolicy;
    private final PriceTable priceTable;
    private final Map<String, Provider> providers;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final LifecycleSettings lifecycleSettings;
    private final LifecycleService lifecycle;
    private final SelectionBus selectionBus = new SelectionBus();
    /** Shared by this context and its tenant views; closed by the context that created it. */
    private final CaptureHub captureHub;
    private final boolean ownsCaptureHub;
    private final WeakRegistry<AutoCloseable> opened = new WeakRegistry<>();
    private final DeploymentBook deployments;
    private boolean closed;   // guarded by opened
    private volatile WeakRegistry.Entry<AutoCloseable> inParent;

    /** The first wait between job polls when none is configured; it grows by half while nothing changes. */
    public static final Duration DEFAULT_FIRST_POLL = Duration.ofSeconds(5);

    /** The longest wait between job polls when none is configured. */
    public static final Duration DEFAULT_MAX_POLL = Duration.ofSeconds(60);

    /** A context over these parts with the default job polling; {@code providers} is copied. */
    public FineTuningContext(VersionStore store, Tenant tenant, Clock clock, Sleeper sleeper, SplitPolicy splitPolicy,
            TrainingPolicy trainingPolicy, PriceTable priceTable, Map<String, Provider> providers,
            LifecycleSettings lifecycleSettings) {
        this(store, tenant, clock, sleeper, splitPolicy, trainingPolicy, priceTable, providers, lifecycleSettings,
                DEFAULT_FIRST_POLL, DEFAULT_MAX_POLL);
    }

    /** A context over these parts, polling awaited jobs from {@code firstPoll} up to {@code maxPoll} apart. */
    public FineTuningContext(VersionStore store, Tenant tenant, Clock clock, Sleeper sleeper, SplitPolicy splitPolicy,
            TrainingPolicy trainingPolicy, PriceTable priceTable, Map<String, Provider> providers,
            LifecycleSettings lifecycleSettings, Duration firstPoll, Duration maxPoll) {
        this(store, tenant, clock, sleeper, splitPolicy, trainingPolicy, priceTable, providers, lifecycleSettings,
                firstPoll, maxPoll, null);
    }

    private FineTuningContext(VersionStore store, Tenant tenant, Clock clock, Sleeper sleeper, SplitPolicy splitPolicy,
            TrainingPolicy trainingPolicy, PriceTable priceTable, Map<String, Provider> providers,
            LifecycleSettings lifecycleSettings, Duration firstPoll, Duration maxPoll, CaptureHub shared) {
        this.firstPoll = Objects.requireNonNull(firstPoll, "firstPoll");
        this.maxPoll = Objects.requireNonNull(maxPoll, "maxPoll");
        this.ownsCaptureHub = shared == null;
        this.captureHub = shared != null ? shared : new CaptureHub(store, clock);
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.splitPolicy = Objects.requireNonNull(splitPolicy, "splitPolicy");
        this.trainingPolicy = Objects.requireNonNull(trainingPolicy, "trainingPolicy");
        this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
        this.providers = Map.copyOf(providers);
        this.lifecycleSettings = Objects.requireNonNull(lifecycleSettings, "lifecycleSettings");
        this.lifecycle = new LifecycleService(lifecycleSettings, clock, this::assistant, this::findProvider);
        // last: the book reads the parts above
        this.deployments = new DeploymentBook(this);
    }

    /**
     * The same parts bound to another tenant, with its own selection bus, registered here so that
     * closing this context closes it too.
     *
     * @throws IllegalStateException when this context is closed
     */
    public FineTuningContext forTenant(Tenant other) {
        FineTuningContext child = new FineTuningContext(store, Objects.requireNonNull(other, "other"), clock, sleeper,
                splitPolicy, trainingPolicy, priceTable, providers, lifecycleSettings, firstPoll, maxPoll, captureHub);
        child.inParent = register(child);
        return child;
    }

    /** The store. */
    public VersionStore store() {
        return store;
    }

    /** The tenant every call is bound to. */
    public Tenant tenant() {
        return tenant;
    }

    /** The clock stamping records and driving circuit breakers. */
    public Clock clock() {
        return clock;
    }

    /** How waiting between polls happens. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** The first wait between polls of a job being awaited. */
    public Duration firstPoll() {
        return firstPoll;
    }

    /** The longest wait between polls of a job being awaited. */
    public Duration maxPoll() {
        return maxPoll;
    }

    /** How datasets split into train and validation. */
    public SplitPolicy splitPolicy() {
        return splitPolicy;
    }

    /** Minimum examples, token limits, retrain advice. */
    public TrainingPolicy trainingPolicy() {
        return trainingPolicy;
    }

    /** Prices for estimates and costs. */
    public PriceTable priceTable() {
        return priceTable;
    }

    /** Lifecycle facts: the table, the versions' reported events, the router's warnings. */
    public LifecycleService lifecycle() {
        return lifecycle;
    }

    /** Where routers hand answered calls for capture; shared with the tenant views. */
    public CaptureHub captureHub() {
        return captureHub;
    }

    /** This tenant's deployments; also what activation and the router ask about serving. */
    public DeploymentBook deployments() {
        return deployments;
    }

    /** Tells this tenant's routers about selection changes made in this JVM. */
    public SelectionBus selectionBus() {
        return selectionBus;
    }

    /** The configured providers' ids, sorted. */
    public List<String> providerIds() {
        return providers.keySet().stream().sorted().toList();
    }

    /** A configured provider, if there is one with this id. */
    public Optional<Provider> findProvider(String id) {
        return Optional.ofNullable(providers.get(Objects.requireNonNull(id, "id")));
    }

    /**
     * A configured provider.
     *
     * @throws NotFoundException naming the configured ones when there is none with this id
     */
    public Provider provider(String id) {
        return findProvider(id).orElseThrow(() -> new NotFoundException("no provider '" + id
                + "' is configured; configured: " + providerIds()));
    }

    // ---- assistants and datasets ----------------------------------------------------------------

    /**
     * Creates an assistant, or returns the existing one created with the same provider and base model.
     *
     * @throws IllegalArgumentException if it exists with another provider or base model
     */
    public Assistant createAssistant(String name, String provider, String baseModel) {
        return StoredAssistant.create(store, tenant, name, provider, baseModel, clock, selectionBus,
                this::findProvider, deployments::requireServing);
    }

    /**
     * An existing assistant.
     *
     * @throws NotFoundException if there is none with this name
     */
    public Assistant assistant(String name) {
        return storedAssistant(name);
    }

    /**
     * An existing assistant, as the store keeps it (for what only the library records: deployments
     * in its timeline).
     *
     * @throws NotFoundException if there is none with this name
     */
    public StoredAssistant storedAssistant(String name) {
        return StoredAssistant.open(store, tenant, name, clock, selectionBus, this::findProvider,
                deployments::requireServing);
    }

    /** The names of this tenant's assistants, sorted. */
    public List<String> assistants() {
        return StoredAssistant.names(store, tenant);
    }

    /**
     * A dataset of an assistant; it exists once a first version is stored.
     *
     * @throws IllegalArgumentException for an invalid name
     */
    public Dataset dataset(String assistant, String name) {
        return new StoredDataset(store, tenant, assistant, name, clock, splitPolicy);
    }

    /**
     * A dataset named {@code assistant/name}.
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

    // ---- what was handed out --------------------------------------------------------------------

    /**
     * Registers something handed out that {@link #close()} must close, held weakly: the resource
     * removes its entry when it closes itself, and one that is collected unclosed drops out alone.
     *
     * @throws IllegalStateException when this context is closed
     */
    public WeakRegistry.Entry<AutoCloseable> register(AutoCloseable resource) {
        synchronized (opened) {
            if (closed) {
                throw new IllegalStateException("this FineTuning (tenant '" + tenant.id()
                        + "') is closed; build a new one");
            }
            return opened.add(resource);
        }
    }

    /** How many registered resources are still open and reachable (for leak tests). */
    public int openResources() {
        return opened.size();
    }

    /**
     * Closes every registered resource that is still open, refuses new ones, and leaves the parent
     * context's registry; idempotent. The store is not closed here: its owner decides.
     *
     * @throws IllegalStateException when a resource failed to close (the others are closed all the same)
     */
    @Override
    public void close() {
        List<AutoCloseable> open;
        synchronized (opened) {
            closed = true;
            open = opened.members();
        }
        RuntimeException failure = null;
        for (AutoCloseable resource : open) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + resource + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (ownsCaptureHub) {
            // after the routers: nothing queues captures any more, so what is queued gets written
            captureHub.close();
        }
        WeakRegistry.Entry<AutoCloseable> entry = inParent;
        if (entry != null) {
            entry.remove();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "FineTuningContext[tenant=" + tenant.id() + ", store=" + store.getClass().getSimpleName() + "]";
    }
}
