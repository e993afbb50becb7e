package dev.finetune4j.internal.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.DeletionReport;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.assistant.TimelineEntry.Action;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.assistant.WeightsCopy;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An {@link Assistant} kept in a {@link VersionStore}. Records: {@code assistants/NAME} (the
 * selection; one revision per change, so its history is the timeline), {@code model-versions/NAME/N}
 * and {@code prompt-versions/NAME/N} (N zero-padded to six digits so listings sort by number).
 */
public final class StoredAssistant implements Assistant {

    static final String ASSISTANTS = "assistants";
    static final String MODEL_VERSIONS = "model-versions";
    static final String PROMPT_VERSIONS = "prompt-versions";
    private static final int SYSTEM_RETRIES = 100;

    private final VersionStore store;
    private final Tenant tenant;
    private final String name;
    private final Clock clock;
    private final StoreKey selectionKey;
    private final SelectionBus bus;
    private final Function<String, Optional<Provider>> providers;
    private final ServingCheck serving;

    private StoredAssistant(VersionStore store, Tenant tenant, String name, Clock clock, SelectionBus bus,
            Function<String, Optional<Provider>> providers, ServingCheck serving) {
        this.store = store;
        this.tenant = tenant;
        this.name = name;
        this.clock = clock;
        this.bus = bus;
        this.providers = providers;
        this.serving = Objects.requireNonNull(serving, "serving");
        this.selectionKey = new StoreKey(tenant, ASSISTANTS, name);
    }

    /**
     * Creates an assistant, or returns the existing one when it was created with the same provider
     * and base model.
     *
     * @throws IllegalArgumentException if it exists with another provider or base model
     */
    public static StoredAssistant create(VersionStore store, Tenant tenant, String name, String provider,
            String baseModel, Clock clock, SelectionBus bus, Function<String, Optional<Provider>> providers,
            ServingCheck serving) {
        Names.requireValid(name, "assistant name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseModel, "baseModel");
        StoredAssistant assistant = new StoredAssistant(store, tenant, name, clock, bus, providers, serving);
        SelectionState first = new SelectionState(provider, baseModel, null, null, null, 0, Map.of(), 0,
                Action.CONFIGURE, 0, Change.SYSTEM.actor(), "created", List.of());
        try {
            store.write(assistant.selectionKey, first.toJson(), 0);
        } catch (ConflictException e) {
            SelectionState existing = assistant.state(1);
            if (!existing.provider().equals(provider) || !existing.baseModel().equals(baseModel)) {
                throw new IllegalArgumentException("assistant '" + name + "' exists with provider "
                        + existing.provider() + " and base model " + existing.baseModel() + ", not " + provider
                        + " and " + baseModel);
            }
        }
        return assistant;
    }

    /**
     * Opens an existing assistant.
     *
     * @throws NotFoundException if there is none with this name
     */
    public static StoredAssistant open(VersionStore store, Tenant tenant, String name, Clock clock, SelectionBus bus,
            Function<String, Optional<Provider>> providers, ServingCheck serving) {
        Names.requireValid(name, "assistant name");
        StoredAssistant assistant = new StoredAssistant(store, tenant, name, clock, bus, providers, serving);
        if (store.latest(assistant.selectionKey).isEmpty()) {
            throw new NotFoundException("assistant '" + name + "' does not exist; create it first");
        }
        return assistant;
    }

    /** The names of a tenant's assistants, sorted. */
    public static List<String> names(VersionStore store, Tenant tenant) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            StorePage page = store.list(tenant, ASSISTANTS, cursor, 1000);
            page.keys().forEach(k -> names.add(k.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return names;
    }

    @Override
    public String name() {
        return name;
    }

    // ---- selection ---------------------------------------------------------------------------

    private Revision head() {
        return store.latest(selectionKey).orElseThrow(() ->
                new NotFoundException("assistant '" + name + "' does not exist"));
    }

    private SelectionState state(long revision) {
        Revision r = store.read(selectionKey, revision).orElseThrow(() ->
                new StoreException("assistant '" + name + "' has no selection revision " + revision));
        return SelectionState.fromJson(r.value(), where(revision));
    }

    private String where(long revision) {
        return "'" + name + "' revision " + revision;
    }

    @Override
    public Selection selection() {
        Revision r = head();
        return SelectionState.fromJson(r.value(), where(r.number())).toSelection(name, r.number());
    }

    /** One selection change: the next state from the current one and its revision; null for no change. */
    @FunctionalInterface
    private interface Step {
        SelectionState apply(SelectionState current, long revision);
    }

    /** Applies one change with one compare-and-set; a no-op change writes nothing. */
    private Selection change(Step fn) {
        Revision r = head();
        SelectionState current = SelectionState.fromJson(r.value(), where(r.number()));
        SelectionState next = fn.apply(current, r.number());
        if (next == null) {
            return current.toSelection(name, r.number());
        }
        Revision written = store.write(selectionKey, next.toJson(), r.number());
        bus.publish(name);
        return next.toSelection(name, written.number());
    }

    /** Like {@link #change} but retried on conflict: for changes the library owes to its own invariants. */
    private Selection changeWithRetry(Step fn) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change(fn);
            } catch (ConflictException e) {
                if (attempt >= SYSTEM_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private static SelectionState normal(SelectionState s, long currentRevision, Integer model, Integer prompt,
            Integer candidate, int share, Map<Integer, ModelState> blocked, Action action, int version, Change c) {
        return s.next(model, prompt, candidate, share, blocked, currentRevision, action, version, c.actor(), c.reason());
    }

    @Override
    public Selection activate(int modelVersion, Change change) {
        Objects.requireNonNull(change, "change");
        ModelVersion v = requireModel(modelVersion);
        if (!v.state().usable()) {
            throw new IllegalStateException("model version " + modelVersion + " of '" + name + "' is " + v.state()
                    + "; only READY versions can be activated");
        }
        if (selection().activeModelVersion().orElse(-1) != modelVersion) {
            // activating the active version changes nothing, so it is not refused either
            serving.require(v, "activate");
        }
        return change((s, rev) -> {
            requireNotBlocked(s, modelVersion);
            if (Objects.equals(s.activeModel(), modelVersion)) {
                return null;
            }
            Integer candidate = Objects.equals(s.candidate(), modelVersion) ? null : s.candidate();
            return normal(s, rev, modelVersion, s.activePrompt(), candidate, s.candidateShare(), s.blocked(),
                    Action.ACTIVATE, modelVersion, change);
        });
    }

    @Override
    public Selection activate(int modelVersion, List<Fallback> fallbacks, Change change) {
        Objects.requireNonNull(change, "change");
        List<Fallback> chain = List.copyOf(fallbacks);
        ModelVersion v = requireModel(modelVersion);
        if (!v.state().usable()) {
            throw new IllegalStateException("model version " + modelVersion + " of '" + name + "' is " + v.state()
                    + "; only READY versions can be activated");
        }
        requireFallbacks(chain);
        return change((s, rev) -> {
            requireNotBlocked(s, modelVersion);
            requireNotBlocked(s, chain);
            if (Objects.equals(s.activeModel(), modelVersion) && s.fallbacks().equals(chain)) {
                return null;
            }
            Integer candidate = Objects.equals(s.candidate(), modelVersion) ? null : s.candidate();
            return normal(s, rev, modelVersion, s.activePrompt(), candidate, s.candidateShare(), s.blocked(),
                    Action.ACTIVATE, modelVersion, change).withFallbacks(chain);
        });
    }

    @Override
    public Selection setFallbacks(List<Fallback> fallbacks, Change change) {
        Objects.requireNonNull(change, "change");
        List<Fallback> chain = List.copyOf(fallbacks);
        requireFallbacks(chain);
        return change((s, rev) -> {
            requireNotBlocked(s, chain);
            return s.fallbacks().equals(chain) ? null
                    : normal(s, rev, s.activeModel(), s.activePrompt(), s.candidate(), s.candidateShare(),
                            s.blocked(), Action.SET_FALLBACKS, chain.isEmpty() ? 0 : chain.get(0).modelVersion(),
                            change).withFallbacks(chain);
        });
    }

    /** Every version of a chain exists and may be called (0, the base model, always may). */
    private void requireFallbacks(List<Fallback> chain) {
        for (Fallback f : chain) {
            if (f.modelVersion() == 0) {
                continue;
            }
            ModelVersion v = requireModel(f.modelVersion());
            if (!v.state().usable()) {
                throw new IllegalStateException("model version " + f.modelVersion() + " of '" + name + "' is "
                        + v.state() + "; only READY versions can be fallbacks");
            }
        }
    }

    private void requireNotBlocked(SelectionState s, List<Fallback> chain) {
        chain.stream().filter(f -> f.modelVersion() != 0).forEach(f -> requireNotBlocked(s, f.modelVersion()));
    }

    @Override
    public Selection noteMigration(int modelVersion, Change change) {
        Objects.requireNonNull(change, "change");
        // the note keeps the undo target of the state it follows, so a rollback passes over it
        return changeWithRetry((s, rev) -> s.next(s.activeModel(), s.activePrompt(), s.candidate(),
                s.candidateShare(), s.blocked(), s.undoTo(), Action.MIGRATE, modelVersion, change.actor(),
                change.reason()));
    }

    @Override
    public Selection deactivate(Change change) {
        Objects.requireNonNull(change, "change");
        return change((s, rev) -> s.activeModel() == null ? null
                : normal(s, rev, null, s.activePrompt(), s.candidate(), s.candidateShare(), s.blocked(),
                        Action.DEACTIVATE, s.activeModel(), change));
    }

    @Override
    public Selection rollback(Change change) {
        Objects.requireNonNull(change, "change");
        return change((current, rev) -> {
            if (current.undoTo() < 1) {
                throw new IllegalStateException("assistant '" + name + "' has nothing to roll back to: "
                        + "the selection is as it was created");
            }
            SelectionState target = state(current.undoTo());
            for (Integer v : new Integer[] {target.activeModel(), target.candidate()}) {
                if (v != null && current.blocked().containsKey(v)) {
                    throw new IllegalStateException("cannot roll back '" + name + "' to revision " + current.undoTo()
                            + ": it selects model version " + v + ", which is " + current.blocked().get(v) + " now");
                }
            }
            List<Fallback> chain = target.fallbacks().stream()
                    .filter(f -> !current.blocked().containsKey(f.modelVersion())).toList();
            return current.next(target.activeModel(), target.activePrompt(), target.candidate(),
                    target.candidateShare(), current.blocked(), target.undoTo(), Action.ROLLBACK,
                    (int) current.undoTo(), change.actor(), change.reason()).withFallbacks(chain);
        });
    }

    @Override
    public Selection activatePrompt(int promptVersion, Change change) {
        Objects.requireNonNull(change, "change");
        requirePrompt(promptVersion);
        return change((s, rev) -> Objects.equals(s.activePrompt(), promptVersion) ? null
                : normal(s, rev, s.activeModel(), promptVersion, s.candidate(), s.candidateShare(), s.blocked(),
                        Action.ACTIVATE_PROMPT, promptVersion, change));
    }

    @Override
    public Selection deactivatePrompt(Change change) {
        Objects.requireNonNull(change, "change");
        return change((s, rev) -> s.activePrompt() == null ? null
                : normal(s, rev, s.activeModel(), null, s.candidate(), s.candidateShare(), s.blocked(),
                        Action.DEACTIVATE_PROMPT, s.activePrompt(), change));
    }

    @Override
    public Selection setCandidate(int modelVersion, int sharePercent, Change change) {
        Objects.requireNonNull(change, "change");
        if (sharePercent < 1 || sharePercent > 100) {
            throw new IllegalArgumentException("candidate share must be 1 to 100 %, was " + sharePercent);
        }
        ModelVersion v = requireModel(modelVersion);
        if (!v.state().usable()) {
            throw new IllegalStateException("model version " + modelVersion + " of '" + name + "' is " + v.state()
                    + "; only READY versions can be candidates");
        }
        serving.require(v, "make a candidate of");
        return change((s, rev) -> {
            requireNotBlocked(s, modelVersion);
            if (Objects.equals(s.activeModel(), modelVersion)) {
                throw new IllegalArgumentException("model version " + modelVersion + " is already active for '"
                        + name + "'; a candidate must be another version");
            }
            if (Objects.equals(s.candidate(), modelVersion) && s.candidateShare() == sharePercent) {
                return null;
            }
            return normal(s, rev, s.activeModel(), s.activePrompt(), modelVersion, sharePercent, s.blocked(),
                    Action.SET_CANDIDATE, modelVersion, change);
        });
    }

    @Override
    public Selection clearCandidate(Change change) {
        Objects.requireNonNull(change, "change");
        return change((s, rev) -> s.candidate() == null ? null
                : normal(s, rev, s.activeModel(), s.activePrompt(), null, 0, s.blocked(), Action.CLEAR_CANDIDATE,
                        s.candidate(), change));
    }

    @Override
    public Selection promoteCandidate(Change change) {
        Objects.requireNonNull(change, "change");
        return change((s, rev) -> {
            if (s.candidate() == null) {
                throw new IllegalStateException("assistant '" + name + "' has no candidate to promote");
            }
            return normal(s, rev, s.candidate(), s.activePrompt(), null, 0, s.blocked(), Action.PROMOTE_CANDIDATE,
                    s.candidate(), change);
        });
    }

    /**
     * Records a deployment or undeployment of a model version in the timeline: a revision that
     * selects the same as the current one, so a rollback goes past it to the last real change.
     * Retried on conflict; the model version must exist.
     *
     * @param action {@link Action#DEPLOY} or {@link Action#UNDEPLOY}
     */
    public void recordDeployment(int modelVersion, Action action, Change change) {
        Objects.requireNonNull(change, "change");
        if (action != Action.DEPLOY && action != Action.UNDEPLOY) {
            throw new IllegalArgumentException("not a deployment action: " + action);
        }
        requireModel(modelVersion);
        changeWithRetry((s, rev) -> s.next(s.activeModel(), s.activePrompt(), s.candidate(), s.candidateShare(),
                s.blocked(), s.undoTo(), action, modelVersion, change.actor(), change.reason()));
    }

    private void requireNotBlocked(SelectionState s, int modelVersion) {
        ModelState blocked = s.blocked().get(modelVersion);
        if (blocked != null) {
            throw new IllegalStateException("model version " + modelVersion + " of '" + name + "' is " + blocked
                    + "; only READY versions can be selected");
        }
    }

    // ---- model versions ----------------------------------------------------------------------

    private StoreKey modelKey(int number) {
        return new StoreKey(tenant, MODEL_VERSIONS, name + "/" + String.format("%06d", number));
    }

    private StoreKey promptKey(int number) {
        return new StoreKey(tenant, PROMPT_VERSIONS, name + "/" + String.format("%06d", number));
    }

    /** The highest number used in a collection for this assistant, 0 when none. */
    private int highest(String collection) {
        int max = 0;
        String cursor = name + "/";
        while (true) {
            StorePage page = store.list(tenant, collection, cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (!k.id().startsWith(name + "/")) {
                    return max;
                }
                max = Math.max(max, Integer.parseInt(k.id().substring(name.length() + 1)));
            }
            if (page.nextCursor() == null) {
                return max;
            }
            cursor = page.nextCursor();
        }
    }

    /** Creates the next record of a collection: numbers stay contiguous because creation is the allocation. */
    private int createNext(String collection, java.util.function.IntFunction<String> valueFor) {
        head();
        int n = highest(collection) + 1;
        while (true) {
            StoreKey key = collection.equals(MODEL_VERSIONS) ? modelKey(n) : promptKey(n);
            try {
                store.write(key, valueFor.apply(n), 0);
                return n;
            } catch (ConflictException e) {
                n++;
            }
        }
    }

    @Override
    public ModelVersion register(ModelVersionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        for (ModelVersion existing : modelVersions()) {
            if (existing.provider().equals(spec.provider())
                    && existing.providerModelId().equals(spec.providerModelId())) {
                return existing;
            }
        }
        Instant now = clock.instant();
        int number = createNext(MODEL_VERSIONS, n -> StoredModelVersion.of(name, n, spec, now).toJson());
        return StoredModelVersion.of(name, number, spec, now);
    }

    @Override
    public ModelVersion importModel(String provider, String providerModelId, String baseModel, String note) {
        ModelVersionSpec.Builder b = ModelVersionSpec.builder(provider, providerModelId, baseModel);
        if (note != null) {
            b.note(note);
        }
        return register(b.build());
    }

    @Override
    public Optional<ModelVersion> modelVersion(int number) {
        if (number < 1) {
            return Optional.empty();
        }
        return store.latest(modelKey(number)).map(r -> effective(
                StoredModelVersion.fromJson(r.value(), modelKey(number).toString()), currentState()));
    }

    private SelectionState currentState() {
        Revision r = head();
        return SelectionState.fromJson(r.value(), where(r.number()));
    }

    /** The selection record wins: a version blocked there is retired or deleted even if its own record lags. */
    private static StoredModelVersion effective(StoredModelVersion v, SelectionState s) {
        ModelState blocked = s.blocked().get(v.number());
        return blocked != null && blocked != v.state() ? v.withState(blocked) : v;
    }

    @Override
    public List<ModelVersion> modelVersions() {
        SelectionState s = currentState();
        List<ModelVersion> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            Optional<Revision> r = store.latest(modelKey(n));
            if (r.isEmpty()) {
                return out;
            }
            out.add(effective(StoredModelVersion.fromJson(r.get().value(), modelKey(n).toString()), s));
        }
    }

    private ModelVersion requireModel(int number) {
        return modelVersion(number).orElseThrow(() -> new NotFoundException("assistant '" + name
                + "' has no model version " + number));
    }

    @Override
    public ModelVersion setState(int number, ModelState state, Change change) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(change, "change");
        ModelVersion v = requireModel(number);
        ModelState from = v.state();
        boolean allowed = (from == ModelState.TRAINING && (state == ModelState.READY || state == ModelState.FAILED))
                || (from == ModelState.READY && state == ModelState.RETIRED)
                || (from == ModelState.RETIRED && state == ModelState.READY);
        if (from == state) {
            return v;
        }
        if (!allowed) {
            throw new IllegalStateException("model version " + number + " of '" + name + "' cannot go from " + from
                    + " to " + state + "; allowed: TRAINING -> READY or FAILED, READY -> RETIRED, RETIRED -> READY"
                    + (state == ModelState.DELETED ? " (use delete to delete)" : ""));
        }
        if (state == ModelState.RETIRED) {
            block(number, ModelState.RETIRED, Action.RETIRE, change);
        } else if (from == ModelState.RETIRED) {
            changeWithRetry((s, rev) -> {
                Map<Integer, ModelState> blocked = new HashMap<>(s.blocked());
                blocked.remove(number);
                return s.next(s.activeModel(), s.activePrompt(), s.candidate(), s.candidateShare(), blocked,
                        rev, Action.UNRETIRE, number, change.actor(), change.reason());
            });
        }
        return writeModelState(number, state);
    }

    @Override
    public ModelVersion delete(int modelVersion, Change change) {
        Objects.requireNonNull(change, "change");
        ModelVersion v = requireModel(modelVersion);
        if (v.state() == ModelState.DELETED) {
            return v;
        }
        block(modelVersion, ModelState.DELETED, Action.DELETE, change);
        return writeModelState(modelVersion, ModelState.DELETED);
    }

    @Override
    public DeletionReport delete(int modelVersion, boolean alsoProviderModel, Change change) {
        ModelVersion deleted = delete(modelVersion, change);
        if (!alsoProviderModel) {
            return new DeletionReport(deleted, false, "kept: not asked to delete it");
        }
        Optional<Provider> provider = providers.apply(deleted.provider());
        if (provider.isEmpty()) {
            return new DeletionReport(deleted, false, "kept: no provider '" + deleted.provider()
                    + "' is configured to delete " + deleted.providerModelId());
        }
        Optional<TrainingService> training = provider.get().descriptor().capabilities().has(Capability.DELETE_MODEL)
                ? provider.get().training() : Optional.empty();
        if (training.isEmpty()) {
            return new DeletionReport(deleted, false, "kept: " + deleted.provider() + " cannot delete "
                    + deleted.providerModelId() + " through its API (it does not offer " + Capability.DELETE_MODEL
                    + ")");
        }
        try {
            training.get().deleteModel(deleted.providerModelId());
            return new DeletionReport(deleted, true, "deleted " + deleted.providerModelId() + " at "
                    + deleted.provider());
        } catch (NotFoundException e) {
            return new DeletionReport(deleted, true, deleted.providerModelId() + " was already gone at "
                    + deleted.provider());
        } catch (FineTuneException | UnsupportedOperationException e) {
            return new DeletionReport(deleted, false, "kept: " + deleted.provider() + " refused to delete "
                    + deleted.providerModelId() + ": " + e.getMessage());
        }
    }

    /** Takes a version out of the selection and blocks it there, in one compare-and-set (retried). */
    private void block(int number, ModelState state, Action action, Change change) {
        changeWithRetry((s, rev) -> {
            Map<Integer, ModelState> blocked = new HashMap<>(s.blocked());
            blocked.put(number, state);
            Integer active = Objects.equals(s.activeModel(), number) ? null : s.activeModel();
            Integer candidate = Objects.equals(s.candidate(), number) ? null : s.candidate();
            return s.next(active, s.activePrompt(), candidate, s.candidateShare(), blocked, rev, action,
                    number, change.actor(), change.reason())
                    .withFallbacks(s.fallbacks().stream().filter(f -> f.modelVersion() != number).toList());
        });
    }

    @Override
    public ModelVersion recordWeights(int modelVersion, WeightsCopy copy) {
        Objects.requireNonNull(copy, "copy");
        requireModel(modelVersion);
        if (copy.inStore()) {
            if (!store.hasBlob(tenant, copy.sha256())) {
                throw new NotFoundException("the version store has no blob " + copy.sha256() + " for the weights of "
                        + "model version " + modelVersion + " of '" + name + "'; store them first");
            }
        } else {
            Path file = Path.of(copy.location());
            try {
                long size = Files.size(file);
                if (size != copy.bytes()) {
                    throw new IllegalArgumentException("weights file " + file + " has " + size + " bytes, not the "
                            + copy.bytes() + " recorded for it");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("weights file " + file + " cannot be read: " + e, e);
            }
        }
        return rewriteModel(modelVersion, v -> v.withWeights(copy));
    }

    private ModelVersion writeModelState(int number, ModelState state) {
        return rewriteModel(number, v -> v.withState(state));
    }

    /**
     * Records what the provider reported about a version's end of life, replacing what was recorded
     * before; writes nothing when it is the same.
     *
     * @return the version as now stored
     * @throws NotFoundException when there is no such version
     */
    public ModelVersion recordReportedLifecycle(int number, List<LifecycleEvent> events) {
        Objects.requireNonNull(events, "events");
        ModelVersion current = requireModel(number);
        if (current.reportedLifecycle().equals(List.copyOf(events))) {
            return current;
        }
        rewriteModel(number, v -> v.withReportedLifecycle(events));
        return requireModel(number);
    }

    /** Writes the version's next revision, read again and changed by {@code change} after a conflict. */
    private ModelVersion rewriteModel(int number, UnaryOperator<StoredModelVersion> change) {
        StoreKey key = modelKey(number);
        for (int attempt = 1; ; attempt++) {
            Revision r = store.latest(key).orElseThrow();
            StoredModelVersion current = StoredModelVersion.fromJson(r.value(), key.toString());
            StoredModelVersion next = change.apply(current);
            if (next == current) {
                return current;
            }
            try {
                store.write(key, next.toJson(), r.number());
                return next;
            } catch (ConflictException e) {
                if (attempt >= SYSTEM_RETRIES) {
                    throw e;
                }
            }
        }
    }

    // ---- prompt versions ---------------------------------------------------------------------

    @Override
    public PromptVersion createPrompt(String systemPrompt, List<Example> fewShot, String note) {
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(fewShot, "fewShot");
        Instant now = clock.instant();
        int number = createNext(PROMPT_VERSIONS, n -> promptJson(systemPrompt, fewShot, note, now));
        return new PromptVersion(name, number, systemPrompt, fewShot, note, now);
    }

    private static String promptJson(String systemPrompt, List<Example> fewShot, String note, Instant at) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("system_prompt", systemPrompt);
        ArrayNode shots = n.putArray("few_shot");
        for (Example e : fewShot) {
            try {
                shots.add(Json.mapper().readTree(ExampleCodec.toJson(e, true)));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        n.put("note", note);
        n.put("created_at", at.toString());
        return n.toString();
    }

    @Override
    public Optional<PromptVersion> promptVersion(int number) {
        if (number < 1) {
            return Optional.empty();
        }
        StoreKey key = promptKey(number);
        return store.latest(key).map(r -> readPrompt(number, r.value(), key.toString()));
    }

    private PromptVersion readPrompt(int number, String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            List<Example> shots = new ArrayList<>();
            ExampleReader reader = new ExampleReader(DataRules.standard());
            for (JsonNode e : n.path("few_shot")) {
                List<ValidationIssue> issues = new ArrayList<>();
                Example example = reader.read(e, shots.size() + 1, issues);
                if (example == null) {
                    throw new StoreException("prompt version " + where + " has a corrupt few-shot example: " + issues);
                }
                shots.add(example);
            }
            JsonNode note = n.get("note");
            return new PromptVersion(name, number, n.path("system_prompt").asText(), shots,
                    note == null || note.isNull() ? null : note.asText(), Instant.parse(n.path("created_at").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("prompt version " + where + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public List<PromptVersion> promptVersions() {
        List<PromptVersion> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            Optional<PromptVersion> p = promptVersion(n);
            if (p.isEmpty()) {
                return out;
            }
            out.add(p.get());
        }
    }

    private PromptVersion requirePrompt(int number) {
        return promptVersion(number).orElseThrow(() -> new NotFoundException("assistant '" + name
                + "' has no prompt version " + number));
    }

    // ---- timeline and advice -----------------------------------------------------------------

    @Override
    public Stream<TimelineEntry> timeline() {
        Selection[] previous = {null};
        return store.history(selectionKey).map(r -> {
            SelectionState s = SelectionState.fromJson(r.value(), where(r.number()));
            Selection after = s.toSelection(name, r.number());
            Selection before = previous[0] == null
                    ? Selection.builder().assistant(name).baseModel(s.provider(), s.baseModel()).build() : previous[0];
            previous[0] = after;
            return new TimelineEntry(r.createdAt(), s.actor(), s.reason(), s.action(), s.version(), before, after);
        });
    }

    @Override
    public RetrainAdvice retrainAdvice(Dataset dataset, TrainingPolicy policy) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(policy, "policy");
        Selection s = selection();
        if (s.activeModelVersion().isEmpty()) {
            throw new IllegalStateException("assistant '" + name + "' runs on its base model; retrain advice "
                    + "compares with the active model version's training data");
        }
        ModelVersion active = requireModel(s.activeModelVersion().getAsInt());
        TrainedOn trained = active.trainedOn().orElseThrow(() -> new IllegalStateException("model version "
                + active.number() + " of '" + name + "' has no training data on record (imported?)"));
        if (!trained.dataset().equals(dataset.ref())) {
            throw new IllegalArgumentException("model version " + active.number() + " was trained on '"
                    + trained.dataset() + "', not '" + dataset.ref() + "'");
        }
        DatasetVersion trainedVersion = dataset.version(trained.versionId());
        DatasetVersion latest = dataset.latest().orElseThrow();
        boolean canContinue = providers.apply(active.provider())
                .map(p -> p.descriptor().capabilities().has(Capability.CONTINUE_FROM_FINE_TUNED)).orElse(false);
        return dataset.retrainAdvice(trainedVersion, latest, policy, canContinue);
    }

    @Override
    public String toString() {
        return "Assistant[" + name + "]";
    }
}
