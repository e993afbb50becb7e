package dev.finetune4j.internal.lifecycle;

import dev.finetune4j.JobsEndedException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.internal.assistant.StoredAssistant;
import dev.finetune4j.lifecycle.Lifecycle;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.LifecycleWarning;
import dev.finetune4j.lifecycle.ModelLifecycle;
import dev.finetune4j.spi.Provider;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Lifecycle} of one {@code FineTuning}: answers from its table, the versions' reported
 * events and its clock; warns once per model and day for the chat router. Thread-safe.
 */
public final class LifecycleService implements Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleService.class);

    private final LifecycleSettings settings;
    private final Clock clock;
    private final Function<String, Assistant> assistants;
    private final Function<String, Optional<Provider>> providers;
    /** provider + model id -> the last day a served call was checked; bounded by the models served. */
    private final Map<String, LocalDate> checked = new ConcurrentHashMap<>();

    /**
     * A service over these settings.
     *
     * @param assistants opens an assistant by name (throws NotFoundException when there is none)
     * @param providers finds a configured provider by id
     */
    public LifecycleService(LifecycleSettings settings, Clock clock, Function<String, Assistant> assistants,
            Function<String, Optional<Provider>> providers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.assistants = Objects.requireNonNull(assistants, "assistants");
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    @Override
    public LifecycleTable table() {
        return settings.table();
    }

    @Override
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public int warningDays() {
        return settings.warningDays();
    }

    @Override
    public ModelLifecycle of(ModelVersion version) {
        Objects.requireNonNull(version, "version");
        return answer(version.provider(), version.providerModelId(), version.baseModel(), version.reportedLifecycle(),
                today());
    }

    @Override
    public ModelLifecycle ofModel(String provider, String modelId, String baseModel) {
        return answer(provider, modelId, baseModel, List.of(), today());
    }

    @Override
    public ModelLifecycle ofLive(Selection selection) {
        Objects.requireNonNull(selection, "selection");
        if (selection.activeModelVersion().isEmpty()) {
            return ofModel(selection.provider(), selection.baseModel(), selection.baseModel());
        }
        int n = selection.activeModelVersion().getAsInt();
        ModelVersion v = assistants.apply(selection.assistant()).modelVersion(n).orElseThrow(() ->
                new NotFoundException("assistant '" + selection.assistant() + "' has no model version " + n));
        return of(v);
    }

    private ModelLifecycle answer(String provider, String modelId, String baseModel, List<LifecycleEvent> reported,
            LocalDate today) {
        List<LifecycleEvent> events = new ArrayList<>(settings.table().find(provider, modelId, baseModel));
        events.addAll(reported);
        return new ModelLifecycle(provider, modelId, baseModel, today, events);
    }

    @Override
    public List<ModelVersion> refresh(String assistant) {
        Assistant a = assistants.apply(Objects.requireNonNull(assistant, "assistant"));
        if (!(a instanceof StoredAssistant stored)) {
            throw new IllegalStateException("assistant " + assistant + " is not stored by this library");
        }
        LocalDate today = today();
        List<ModelVersion> changed = new ArrayList<>();
        for (ModelVersion v : a.modelVersions()) {
            Optional<Provider> p = providers.apply(v.provider());
            if (!v.state().usable() || p.isEmpty()) {
                continue;
            }
            List<LifecycleEvent> reported = p.get().reportedLifecycle(v.providerModelId(), today);
            if (reported.isEmpty() && v.reportedLifecycle().isEmpty()) {
                continue;
            }
            if (!sameFacts(reported, v.reportedLifecycle())) {
                changed.add(stored.recordReportedLifecycle(v.number(), reported));
            }
        }
        return changed;
    }

    /** Equal but for the check date: a re-read that confirms the facts does not write a revision. */
    private static boolean sameFacts(List<LifecycleEvent> a, List<LifecycleEvent> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            LifecycleEvent x = a.get(i);
            LifecycleEvent y = b.get(i);
            if (!x.key().equals(y.key()) || !x.date().equals(y.date()) || !x.source().equals(y.source())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void requireJobsOpen(String provider, String modelId, String baseModel) {
        ModelLifecycle l = ofModel(provider, modelId, baseModel);
        Optional<LifecycleEvent> closed = l.jobsClosedBy();
        if (closed.isEmpty()) {
            return;
        }
        LifecycleEvent e = closed.get();
        LocalDate date = e.date().orElseThrow();
        String what = e.kind() == LifecycleKind.JOBS_END ? "takes no new fine-tuning jobs for " + baseModel + " since "
                : "shut " + baseModel + " down on ";
        throw new JobsEndedException(provider, modelId, date, e.source().toString(), provider + " " + what + date
                + " (today is " + l.today() + "; source: " + e.source() + ", " + e.sourceQuality().jsonName()
                + ", checked " + e.checkedOn() + "); nothing was uploaded. Train on another provider (finetune4j "
                + "migrate ASSISTANT --to PROVIDER --model BASE), or override the lifecycle table if this date does "
                + "not hold for you");
    }

    /**
     * Called by the chat router after a model answered: once per model and day, warns (log and
     * listener) when its shutdown is within the warning window or passed. Never throws.
     *
     * @param version the model version that answered, 0 for the base model
     */
    public void served(String assistant, int version, String provider, String modelId, String baseModel) {
        try {
            LocalDate today = today();
            String key = provider + ":" + modelId;
            if (today.equals(checked.put(key, today))) {
                return;
            }
            List<LifecycleEvent> reported = List.of();
            if (version > 0) {
                reported = assistants.apply(assistant).modelVersion(version)
                        .map(ModelVersion::reportedLifecycle).orElse(List.of());
            }
            ModelLifecycle l = answer(provider, modelId, baseModel, reported, today);
            Optional<LifecycleEvent> shutdown = l.shutdown();
            if (shutdown.isEmpty()) {
                return;
            }
            long days = l.daysLeft().orElseThrow();
            if (days > settings.warningDays()) {
                return;
            }
            LifecycleEvent e = shutdown.get();
            LOG.warn("{} v{} is served by {} model {}, which {} (source: {}, {}); migrate it: finetune4j migrate {} "
                    + "--to PROVIDER --model BASE", assistant, version, provider, modelId, l.summary(), e.source(),
                    e.sourceQuality().jsonName(), assistant);
            settings.listener().onWarning(new LifecycleWarning(assistant, version, l, e, days));
        } catch (RuntimeException e) {
            LOG.warn("the lifecycle check of {} v{} failed; the call was answered all the same", assistant, version, e);
        }
    }
}
