package dev.finetune4j.internal.migration;

import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.Price;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.eval.Baseline;
import dev.finetune4j.eval.BaselineSpec;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.Evaluator;
import dev.finetune4j.eval.GateVerdict;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.deploy.DeploymentBook;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneJobs;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationEstimate;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.migration.MigrationStep;
import dev.finetune4j.migration.Migrations;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.tokens.TokenCounter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The {@link Migrations}: a state machine over one store record per migration. Each stage is written
 * (compare-and-set) before its remote work and noted in the assistant's timeline; the training job
 * is submitted through {@link FineTuneJobs#submit}, whose intent makes a rerun adopt the first job.
 */
public final class DefaultMigrations implements Migrations {

    static final String COLLECTION = "migrations";

    private final FineTuningContext ft;

    /** Whether the target version needs a deployment of ours before it answers (none serves it already). */
    private static boolean needsDeployment(Provider provider, String providerModelId) {
        return provider.descriptor().trainedModelsNeedDeployment()
                && DeploymentBook.standingAddress(provider, providerModelId).isEmpty();
    }
    private final FineTuneJobs jobs;
    private final Evaluator evaluator;

    /** Migrations over the context's assistants, with its jobs and evaluator. */
    public DefaultMigrations(FineTuningContext context, FineTuneJobs jobs, Evaluator evaluator) {
        this.ft = Objects.requireNonNull(context, "context");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    }

    // ---- what is migrated ----------------------------------------------------------------------

    private ModelVersion source(Assistant assistant, MigrationSpec spec) {
        Selection s = assistant.selection();
        int number = spec.sourceVersion().isPresent() ? spec.sourceVersion().getAsInt()
                : s.activeModelVersion().orElseThrow(() -> new IllegalStateException("assistant '"
                        + assistant.name() + "' has no active model version to migrate; name one with sourceVersion"));
        return assistant.modelVersion(number).orElseThrow(() -> new NotFoundException("assistant '"
                + assistant.name() + "' has no model version " + number));
    }

    private static TrainedOn trainedOn(ModelVersion v) {
        return v.trainedOn().orElseThrow(() -> new IllegalStateException("model version " + v.number() + " of '"
                + v.assistant() + "' has no training data on record (it was imported), so there is nothing to "
                + "train on the target; train it with finetune4j first or register it with its dataset"));
    }

    private static String datasetName(TrainedOn t) {
        return t.dataset().substring(t.dataset().indexOf('/') + 1);
    }

    private static FineTuneSpec trainSpec(MigrationSpec spec, ModelVersion source) {
        TrainedOn t = trainedOn(source);
        FineTuneSpec.Builder b = FineTuneSpec.builder(spec.assistant(), datasetName(t))
                .datasetVersion(Integer.toString(t.versionNumber()))
                .provider(spec.provider())
                .baseModel(spec.baseModel())
                .hyperparameters(spec.hyperparameters())
                .migratedFrom(source.number());
        spec.options().forEach(b::option);
        return b.build();
    }

    static String idOf(String assistant, int source, String provider, String baseModel) {
        byte[] h = ExampleCodec.sha256((assistant + "\n" + source + "\n" + provider + "\n" + baseModel)
                .getBytes(StandardCharsets.UTF_8));
        return "mig-" + HexFormat.of().formatHex(h).substring(0, 12);
    }

    // ---- estimate -------------------------------------------------------------------------------

    @Override
    public MigrationEstimate estimate(MigrationSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Assistant assistant = ft.assistant(spec.assistant());
        ModelVersion source = source(assistant, spec);
        TrainedOn t = trainedOn(source);
        JobEstimate training = jobs.estimate(trainSpec(spec, source));
        Dataset dataset = ft.dataset(t.dataset());
        DatasetVersion version = dataset.version(Integer.toString(t.versionNumber()));
        TokenCounter counter = TokenCounter.forModel(source.baseModel());
        long calls = 0;
        long tokens = 0;
        try (Stream<Example> examples = dataset.examples(version, Split.VALIDATION)) {
            for (Example e : (Iterable<Example>) examples.limit(spec.maxExamples())::iterator) {
                calls++;
                tokens += counter.count(e);
            }
        }
        Optional<Price> price = ft.priceTable().find(source.provider(), TokenCounter.baseModel(source.baseModel()));
        // every token priced as output: an upper bound, since the split of prompt and answer is not known before asking
        BigDecimal millions = BigDecimal.valueOf(tokens).movePointLeft(6);
        Optional<Money> baselineCost = price.map(p -> p.outputPerMillion().max(p.inputPerMillion()).times(millions));
        Provider target = ft.provider(spec.provider());
        boolean deploy = target.descriptor().trainedModelsNeedDeployment()
                && DeploymentBook.standingAddress(target, spec.baseModel()).isEmpty();
        List<String> notes = new ArrayList<>();
        if (deploy) {
            notes.add(spec.provider() + " needs a deployment for trained models"
                    + (target.descriptor().capabilities().has(Capability.DEPLOY)
                            ? ": the migration deploys the new version with the provider's default hardware; its "
                                    + "price per hour shows once deployed (`finetune4j deployments`)"
                            : ", and offers none this library can create: the migration stops at its deploy stage"));
        } else {
            notes.add("no deployment: " + spec.provider() + " serves trained models as they are (price per hour: none)");
        }
        if (training.cost().isEmpty() && target.descriptor().capabilities().has(Capability.PRICE_QUOTE)) {
            notes.add("training cost: " + spec.provider() + " prices a job itself once its data is uploaded, which this "
                    + "estimate does not do; FineTuneJobs.quote (`finetune4j train " + spec.assistant() + " --provider "
                    + spec.provider() + " --model " + spec.baseModel() + " --estimate`) asks it, and the migration's "
                    + "job keeps the quote it gets before it is created");
        }
        notes.add("training time: not published by " + spec.provider() + " in advance; it depends on the queue "
                + "and the " + training.tokens().totalTokens() + " tokens per epoch");
        if (price.isEmpty()) {
            notes.add("baseline cost: no price for " + source.provider() + " " + source.baseModel() + " in the price table");
        }
        return new MigrationEstimate(training, deploy, calls, tokens, baselineCost, calls, notes);
    }

    // ---- the state machine ----------------------------------------------------------------------

    private StoreKey key(String assistant, String id) {
        return new StoreKey(ft.tenant(), COLLECTION, assistant + "/" + id);
    }

    /** A migration and the store revision it was read at. */
    private record Stored(Migration migration, long revision) {}

    private Optional<Stored> read(String assistant, String id) {
        StoreKey k = key(assistant, id);
        return ft.store().latest(k).map(r -> new Stored(MigrationRecord.fromJson(r.value(), k + "@" + r.number()),
                r.number()));
    }

    /** Writes the next state (compare-and-set on the revision read), notes it in the timeline, tells the listener. */
    private Stored advance(Stored current, MigrationSpec spec, MigrationStage stage, String note,
            java.util.function.UnaryOperator<Migration> change) {
        Instant now = ft.clock().instant();
        Migration m = change.apply(current.migration());
        List<MigrationStep> steps = new ArrayList<>(m.steps());
        steps.add(new MigrationStep(stage, now, note));
        Migration next = new Migration(m.id(), m.assistant(), m.sourceVersion(), m.provider(), m.baseModel(), stage,
                m.baselineId(), m.jobId(), m.targetVersion(), m.verdict(), steps, m.createdAt(), now);
        Revision r = ft.store().write(key(m.assistant(), m.id()), MigrationRecord.toJson(next), current.revision());
        ft.assistant(m.assistant()).noteMigration(stage == MigrationStage.BASELINE ? m.sourceVersion()
                : m.targetVersion(), Change.by("migration", next.id() + " " + stage.name().toLowerCase(
                        java.util.Locale.ROOT) + ": " + note));
        spec.listener().onStage(next);
        return new Stored(next, r.number());
    }

    private static Migration with(Migration m, String baselineId, String jobId, int targetVersion, String verdict) {
        return new Migration(m.id(), m.assistant(), m.sourceVersion(), m.provider(), m.baseModel(), m.stage(),
                baselineId, jobId, targetVersion, verdict, m.steps(), m.createdAt(), m.updatedAt());
    }

    @Override
    public Migration run(MigrationSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Assistant assistant = ft.assistant(spec.assistant());
        if (spec.sourceVersion().isEmpty()) {
            // a run killed after promotion finds its own result active: that migration is the one asked for
            OptionalInt active = assistant.selection().activeModelVersion();
            Optional<Migration> promoted = list(spec.assistant()).stream()
                    .filter(m -> m.provider().equals(spec.provider()) && m.baseModel().equals(spec.baseModel()))
                    .filter(m -> active.isPresent() && m.targetVersion() == active.getAsInt())
                    .reduce((a, b) -> b);
            if (promoted.isPresent()) {
                return run(spec, assistant, assistant.modelVersion(promoted.get().sourceVersion()).orElseThrow());
            }
        }
        return run(spec, assistant, source(assistant, spec));
    }

    private Migration run(MigrationSpec spec, Assistant assistant, ModelVersion source) {
        FineTuneSpec train = trainSpec(spec, source);
        String id = idOf(spec.assistant(), source.number(), spec.provider(), spec.baseModel());
        Stored s = read(spec.assistant(), id).orElse(null);
        if (s == null) {
            Instant now = ft.clock().instant();
            Migration first = new Migration(id, spec.assistant(), source.number(), spec.provider(), spec.baseModel(),
                    MigrationStage.BASELINE, "", "", 0, "", List.of(), now, now);
            s = advance(new Stored(first, 0), spec, MigrationStage.BASELINE, "from v" + source.number() + " ("
                    + source.provider() + " " + source.providerModelId() + ") to " + spec.provider() + " "
                    + spec.baseModel() + "; recording the baseline", m -> m);
        }
        while (!s.migration().stage().finished()) {
            Stored next = step(s, spec, source, train);
            if (next == s) {
                return s.migration();
            }
            s = next;
        }
        return s.migration();
    }

    /** One stage's work; returns the same object when the migration must wait (training still running). */
    private Stored step(Stored s, MigrationSpec spec, ModelVersion source, FineTuneSpec train) {
        Migration m = s.migration();
        switch (m.stage()) {
            case BASELINE -> {
                Baseline b = evaluator.recordBaseline(BaselineSpec.builder(m.assistant(), m.sourceVersion())
                        .maxExamples(spec.maxExamples()).build());
                return advance(s, spec, MigrationStage.TRAIN, "baseline " + b.id() + " recorded: " + b.items().size()
                        + " answers of v" + m.sourceVersion() + " on " + b.evaluationSet() + "; training on "
                        + m.provider(), x -> with(x, b.id(), x.jobId(), 0, x.verdict()));
            }
            case TRAIN -> {
                FineTuneJob job = jobs.submit(train);
                if (m.jobId().isEmpty()) {
                    s = advance(s, spec, MigrationStage.TRAIN, "job " + job.id() + " submitted to " + m.provider()
                            + " on " + job.datasetVersion(), x -> with(x, x.baselineId(), job.id(), 0, x.verdict()));
                }
                if (!job.status().isTerminal() && !spec.await().isZero()) {
                    job.awaitCompletion(spec.await());
                }
                if (!job.status().isTerminal()) {
                    return s;
                }
                if (job.status() != JobStatus.SUCCEEDED || job.modelVersion().isEmpty()) {
                    return advance(s, spec, MigrationStage.FAILED, "job " + job.id() + " ended " + job.status()
                            + job.error().map(e -> ": " + e.message()).orElse(""), x -> x);
                }
                int target = job.modelVersion().getAsInt();
                return advance(s, spec, MigrationStage.DEPLOY, "job " + job.id() + " succeeded: v" + target + " ("
                        + job.fineTunedModel().orElse("?") + ")", x -> with(x, x.baselineId(), x.jobId(), target,
                                x.verdict()));
            }
            case DEPLOY -> {
                ModelVersion target = ft.assistant(m.assistant()).modelVersion(m.targetVersion()).orElseThrow();
                Provider provider = ft.provider(m.provider());
                if (!needsDeployment(provider, target.providerModelId())) {
                    return advance(s, spec, MigrationStage.EVALUATE, m.provider() + " serves v" + m.targetVersion()
                            + " without a deployment of ours; evaluating against the expected answers and baseline "
                            + m.baselineId(), x -> x);
                }
                Optional<Deployment> serving = ft.deployments().serving(m.assistant(), m.targetVersion());
                if (serving.isPresent()) {
                    // deployed by hand (e.g. on hardware the default spec lacks) after this stage stopped
                    return advance(s, spec, MigrationStage.EVALUATE, "v" + m.targetVersion() + " is served by "
                            + "deployment " + serving.get().id() + " (" + serving.get().state() + "); evaluating "
                            + "against the expected answers and baseline " + m.baselineId(), x -> x);
                }
                if (!provider.descriptor().capabilities().has(Capability.DEPLOY)) {
                    throw new DeploymentRequiredException(m.assistant(), m.targetVersion(), m.provider(),
                            "migrate to", "it has none, and the provider offers no deployments this library can "
                            + "create; migration " + m.id() + " is stored at its deploy stage and resumes there once "
                            + "a deployment serves the version");
                }
                // a deploy of the same version and spec returns the one already there: a rerun never pays twice
                Deployment d = ft.deployments().deploy(m.assistant(), m.targetVersion(), DeploymentSpec.defaults(),
                        Change.by("migration", m.id() + ": deploy v" + m.targetVersion()));
                if (!d.state().routable() && !spec.await().isZero()) {
                    d.awaitReady(spec.await());
                }
                if (!d.state().routable()) {
                    return s;   // still starting: the next run goes on from here
                }
                return advance(s, spec, MigrationStage.EVALUATE, "v" + m.targetVersion() + " deployed as " + d.id()
                        + " (" + d.state() + "); evaluating against the expected answers and baseline "
                        + m.baselineId(), x -> x);
            }
            case EVALUATE -> {
                Baseline b = evaluator.baseline(m.assistant(), m.baselineId());
                EvalSpec eval = EvalSpec.builder(m.assistant()).examples(b.examples()).scorer(spec.scorer())
                        .target(b.target()).build();
                GateVerdict v = evaluator.checkNotWorse(eval, m.targetVersion(), b.target(), spec.rule());
                if (!v.passed()) {
                    return advance(s, spec, MigrationStage.REFUSED, v.reason(),
                            x -> with(x, x.baselineId(), x.jobId(), x.targetVersion(), v.reason()));
                }
                return advance(s, spec, MigrationStage.PROMOTE, v.reason(),
                        x -> with(x, x.baselineId(), x.jobId(), x.targetVersion(), v.reason()));
            }
            case PROMOTE -> {
                Assistant a = ft.assistant(m.assistant());
                List<Fallback> chain = List.of(spec.keepSourceUntil().map(d -> Fallback.until(m.sourceVersion(), d))
                        .orElse(Fallback.to(m.sourceVersion())), Fallback.baseModel());
                Change change = Change.by("migration", m.id() + ": " + m.verdict());
                Selection after;
                if (spec.canaryShare() > 0) {
                    a.setCandidate(m.targetVersion(), spec.canaryShare(), change);
                    after = a.setFallbacks(chain, change);
                } else {
                    after = a.activate(m.targetVersion(), chain, change);
                }
                return advance(s, spec, MigrationStage.DONE, after.describe(), x -> x);
            }
            default -> throw new IllegalStateException("migration " + m.id() + " is " + m.stage());
        }
    }

    @Override
    public Migration get(String assistant, String id) {
        return read(assistant, id).orElseThrow(() -> new NotFoundException("assistant '" + assistant
                + "' has no migration '" + id + "'")).migration();
    }

    @Override
    public List<Migration> list(String assistant) {
        List<Migration> out = new ArrayList<>();
        String prefix = assistant + "/";
        String cursor = prefix;
        while (true) {
            StorePage page = ft.store().list(ft.tenant(), COLLECTION, cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (!k.id().startsWith(prefix)) {
                    cursor = null;
                    break;
                }
                read(assistant, k.id().substring(prefix.length())).ifPresent(st -> out.add(st.migration()));
            }
            if (cursor == null || page.nextCursor() == null) {
                break;
            }
            cursor = page.nextCursor();
        }
        out.sort(java.util.Comparator.comparing(Migration::createdAt));
        return out;
    }
}
