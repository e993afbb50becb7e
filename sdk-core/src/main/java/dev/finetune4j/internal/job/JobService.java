package dev.finetune4j.internal.job;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.ValidationException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelMetrics;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.Price;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.DatasetWriter;
import dev.finetune4j.format.FileEncoding;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.Polling;
import dev.finetune4j.internal.Names;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneJobs;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.tokens.TokenCounter;
import dev.finetune4j.tokens.TokenStats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FineTuneJobs} of one tenant: prepares and validates the data, prices it, returns the
 * existing job of the same intent instead of creating one ({@link JobIntents}), records the job
 * before any remote call and after each, uploads (reusing earlier uploads), creates the remote job
 * with our id as its tag, and reconciles unfinished jobs after a restart by looking for the tag
 * before ever creating another job.
 *
 * <p>Whoever advances an unfinished job — its submission, a {@code refresh()}, {@code resume()},
 * another process — may upload its data; only one sends its create request ({@link JobCreation}).
 */
public final class JobService implements FineTuneJobs {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.JOBS);
    static final String JOBS = "jobs";
    static final String UPLOADS = "uploads";
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_CONFLICT_RETRIES = 50;
    /** The tag of the request a stand-alone quote prices (no job exists; nothing is created with it). */
    private static final String QUOTE_TAG = "ftj-quote0000000";

    /** Assistants, datasets and the split policy of the instance this service belongs to. */
    private final FineTuningContext ft;
    private final VersionStore store;
    private final Tenant tenant;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Function<String, Provider> providers;
    private final TrainingPolicy policy;
    private final PriceTable prices;
    private final JobIntents intents;
    private final JobCreation creation;

    /** A service over the context's store, tenant, policies, prices and providers. */
    public JobService(FineTuningContext context) {
        this.ft = Objects.requireNonNull(context, "context");
        this.store = context.store();
        this.tenant = context.tenant();
        this.clock = context.clock();
        this.sleeper = context.sleeper();
        this.providers = id -> context.findProvider(id).orElse(null);
        this.policy = context.trainingPolicy();
        this.prices = context.priceTable();
        this.intents = new JobIntents(this);
        this.creation = new JobCreation(this);
    }

    Clock clock() {
        return clock;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    /** How an awaited job is polled. */
    Polling polling() {
        return new Polling(ft);
    }

    Provider provider(String id) {
        Provider p = providers.apply(id);
        if (p == null) {
            throw new NotFoundException("no provider '" + id + "' is configured; add its module "
                    + "(finetune4j-" + id + ") or pass it to FineTuning.builder().provider(...)");
        }
        return p;
    }

    /**
     * The provider's training service.
     *
     * @throws UnsupportedCapabilityException naming the provider when it does not train
     */
    static TrainingService training(Provider provider) {
        return provider.training().orElseThrow(() -> new UnsupportedCapabilityException(provider.id(),
                Capability.TRAINING, "train"));
    }

    /** Whether the provider's descriptor declares the capability. */
    static boolean has(Provider provider, Capability capability) {
        return provider.descriptor().capabilities().has(capability);
    }

    // ---- planning -----------------------------------------------------------------------------

    /** Everything a spec resolves to before anything leaves the machine. */
    record Plan(FineTuneSpec spec, Assistant assistant, Dataset dataset, DatasetVersion version,
            Provider provider, String baseModel, Integer continueFrom, List<String> warnings) {}

    private Plan plan(FineTuneSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Assistant assistant = ft.assistant(spec.assistant());
        Selection selection = assistant.selection();
        Dataset dataset = ft.dataset(spec.assistant(), spec.dataset());
        DatasetVersion version = dataset.version(spec.datasetVersion());
        String providerId = spec.provider().orElse(selection.provider());
        Provider provider = provider(providerId);
        training(provider);
        List<String> warnings = new ArrayList<>();
        if (spec.baseModel().isEmpty() && spec.continueFrom().isEmpty() && !providerId.equals(selection.provider())) {
            throw new IllegalArgumentException("training '" + assistant.name() + "' on " + providerId
                    + " needs a base model of that provider: the assistant's base model " + selection.baseModel()
                    + " belongs to " + selection.provider() + " (set FineTuneSpec.baseModel)");
        }
        String baseModel = spec.baseModel().orElse(selection.baseModel());
        Integer continueFrom = null;
        if (spec.continueFrom().isPresent()) {
            int n = spec.continueFrom().getAsInt();
            ModelVersion parent = assistant.modelVersion(n).orElseThrow(() -> new NotFoundException(
                    "assistant '" + assistant.name() + "' has no model version " + n + " to continue from"));
            if (!parent.provider().equals(providerId)) {
                throw new IllegalArgumentException("model version " + n + " was trained on " + parent.provider()
                        + "; it cannot be continued on " + providerId + " (retrain from a base model instead)");
            }
            if (has(provider, Capability.CONTINUE_FROM_FINE_TUNED)) {
                baseModel = parent.providerModelId();
                continueFrom = n;
            } else {
                baseModel = parent.baseModel();
                warnings.add(providerId + " cannot continue training a fine-tuned model; retraining "
                        + parent.baseModel() + " from base on all examples of " + version.datasetRef() + "@"
                        + version.number() + " instead (the recommended path)");
            }
        }
        return new Plan(spec, assistant, dataset, version, provider, baseModel, continueFrom, warnings);
    }

    /** Writes the splits in canonical form, validates them with the provider's rules and counts tokens. */
    private final class Prepared implements AutoCloseable {
        final Path dir;
        final Path train;
        final Path validation;
        long trainCount;
        long validationCount;
        TokenStats stats;

        Prepared(Plan plan, boolean withValidation) {
            try {
                dir = Files.createTempDirectory(store.stagingDirectory(), "job-");
                train = dir.resolve("train.canonical.jsonl");
                validation = dir.resolve("validation.canonical.jsonl");
                trainCount = writeCanonical(plan, Split.TRAIN, train);
                validationCount = withValidation ? writeCanonical(plan, Split.VALIDATION, validation) : 0;
            } catch (IOException e) {
                throw new StoreException("could not prepare the training data: " + e.getMessage(), e);
            }
        }

        private long writeCanonical(Plan plan, Split split, Path file) throws IOException {
            long n = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    Stream<Example> examples = plan.dataset().examples(plan.version(), split)) {
                for (Example e : (Iterable<Example>) examples::iterator) {
                    out.write(e.toJson());
                    out.write('\n');
                    n++;
                }
            }
            return n;
        }

        Path convert(Provider provider, Path canonical, String name) throws IOException {
            Path out = dir.resolve(name);
            ImportOptions read = ImportOptions.builder().parallelism(1).build();
            try (OutputStream os = Files.newOutputStream(out);
                    DatasetWriter writer = DatasetWriter.open(provider.descriptor().uploadFormat(),
                            provider.descriptor().uploadEncoding(), os)) {
                JsonlReader.read(canonical, read, r -> writer.write(r.example()));
            }
            return out;
        }

        @Override
        public void close() {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.debug("could not delete temp dir {}", dir, e);
            }
        }
    }

    /**
     * Validates the training split with the provider's rules, checks the minimum, and prices it.
     *
     * @param quoting whether the provider's own quote is asked next (then a missing list price is no
     *     news: the quote, or the warning that it failed, says what the job costs)
     */
    private JobEstimate check(Plan plan, Prepared data, boolean quoting) {
        String providerId = plan.provider().id();
        String label = plan.version().datasetRef() + "@" + plan.version().number();
        OptionalInt maxTokens = policy.maxTokensPerExample(providerId, plan.baseModel());
        ImportOptions.Builder options = ImportOptions.builder().rules(plan.provider().descriptor().dataRules())
                .model(plan.baseModel());
        maxTokens.ifPresent(options::maxTokensPerExample);
        TokenCounter counter = TokenCounter.forModel(plan.baseModel());
        TokenStats.Accumulator stats = TokenStats.accumulator(counter);
        maxTokens.ifPresent(stats::maxTokensPerExample);
        ValidationReport report = JsonlReader.read(data.train, options.build(),
                r -> stats.add(r.tokens(), r.assistantTokens(), r.example().messages().size()));
        if (report.hasErrors()) {
            throw new ValidationException("the training split of " + label + " breaks " + providerId + "'s rules in "
                    + report.invalid() + " example(s); nothing was uploaded. First: " + report.errors().get(0)
                    + " (line = example number in the training split)", report);
        }
        List<String> warnings = new ArrayList<>(plan.warnings());
        policy.checkMinimum(label, (int) Math.min(Integer.MAX_VALUE, data.trainCount), providerId, plan.baseModel())
                .ifPresent(warnings::add);
        if (!counter.exact()) {
            warnings.add("token counts for " + plan.baseModel() + " are an approximation (" + counter.encodingName()
                    + "); the provider's own count is final");
        }
        TokenStats tokenStats = stats.build();
        data.stats = tokenStats;
        CostEstimate cost = null;
        if (data.trainCount > 0) {
            try {
                OptionalInt epochs = plan.spec().hyperparameters().epochs();
                cost = epochs.isPresent()
                        ? prices.estimate(providerId, plan.baseModel(), tokenStats, epochs.getAsInt())
                        : prices.estimate(providerId, plan.baseModel(), tokenStats);
            } catch (NotFoundException e) {
                if (!has(plan.provider(), Capability.PRICE_QUOTE)) {
                    warnings.add(e.getMessage());
                } else if (!quoting) {
                    warnings.add("no list price for " + providerId + " " + plan.baseModel() + ": " + providerId
                            + " prices a job itself once its data is uploaded; ask it with FineTuneJobs.quote(spec) "
                            + "(`finetune4j train --estimate`)");
                }
            }
        }
        return JobEstimate.builder().provider(providerId).model(plan.baseModel())
                .datasetVersion(plan.version().id(), plan.version().number())
                .examples(data.trainCount, data.validationCount).tokens(tokenStats).cost(cost).warnings(warnings)
                .build();
    }

    @Override
    public JobEstimate estimate(FineTuneSpec spec) {
        Plan plan = plan(spec);
        checkRequest(plan);
        try (Prepared data = new Prepared(plan, spec.validation())) {
            return check(plan, data, false);
        }
    }

    @Override
    public JobEstimate quote(FineTuneSpec spec) {
        Plan plan = plan(spec);
        checkRequest(plan);
        try (Prepared data = new Prepared(plan, spec.validation())) {
            JobEstimate estimate = check(plan, data, true);
            if (!has(plan.provider(), Capability.PRICE_QUOTE) || data.trainCount == 0) {
                return estimate;
            }
            // a job that is never recorded: it only carries what the upload record needs
            JobRecord probe = newRecord(plan, data, estimate, JobIntents.of(plan, ft.splitPolicy().validationFraction()));
            probe.id = "quote";
            UploadedData uploaded = upload(probe, plan.provider(), data);
            Optional<PriceQuote> quote = training(plan.provider()).quote(request(probe, QUOTE_TAG, uploaded));
            return withQuote(estimate, quote.orElse(null), plan.provider().id());
        }
    }

    /** The request a job record's create sends (and its quote prices). */
    static JobRequest request(JobRecord r, String tag, UploadedData uploaded) {
        return new JobRequest(tag, r.assistant, r.baseModel, uploaded, r.hyperparameters, r.suffix, r.start, r.options);
    }

    /** The estimate with the provider's quote, and a warning when the provider says the account cannot pay. */
    private static JobEstimate withQuote(JobEstimate estimate, PriceQuote quote, String providerId) {
        if (quote == null) {
            List<String> warnings = new ArrayList<>(estimate.warnings());
            warnings.add(providerId + " could not price this job in advance; its price is known once the job runs");
            return estimate.toBuilder().warnings(warnings).build();
        }
        if (quote.allowedToProceed()) {
            return estimate.toBuilder().quote(quote).build();
        }
        List<String> warnings = new ArrayList<>(estimate.warnings());
        warnings.add(providerId + " says the account cannot pay for this job (quoted " + quote.price()
                + quote.creditLimit().map(l -> ", credit limit " + l).orElse("") + "): " + providerId
                + " will likely cancel it for insufficient funds; raise the account's limit or add credit first");
        return estimate.toBuilder().quote(quote).warnings(warnings).build();
    }

    /** The base model a plan trains: its own base, or the base of the fine-tuned model it continues. */
    private static String baseOf(Plan plan) {
        if (plan.continueFrom() == null) {
            return plan.baseModel();
        }
        return plan.assistant().modelVersion(plan.continueFrom()).map(ModelVersion::baseModel)
                .orElse(plan.baseModel());
    }

    /** Lets the provider refuse what it cannot take before anything is recorded or uploaded. */
    private static void checkRequest(Plan plan) {
        FineTuneSpec spec = plan.spec();
        training(plan.provider()).checkRequest(new JobRequest("ftj-check0000000", plan.assistant().name(),
                plan.baseModel(), new UploadedData("pending", spec.validation() ? "pending" : null,
                        java.util.Map.of()), spec.hyperparameters(), spec.suffix().orElse(null), spec.start(), spec.options()));
    }

    // ---- records ------------------------------------------------------------------------------

    StoreKey key(String jobId) {
        return new StoreKey(tenant, JOBS, jobId);
    }

    static String newJobId() {
        StringBuilder sb = new StringBuilder("ftj-");
        for (int i = 0; i < 12; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    JobRecord read(String jobId) {
        Names.requireValid(jobId, "job id");
        Revision r = store.latest(key(jobId)).orElseThrow(() -> new NotFoundException("there is no job '"
                + Names.printable(jobId) + "'"));
        return JobRecord.fromJson(r.value(), jobId);
    }

    /**
     * Writes the next revision of a job record. Concurrent writers (two refreshes of one job) are
     * resolved by re-reading and re-applying the change, which must therefore be idempotent.
     */
    JobRecord update(String jobId, UnaryOperator<JobRecord> change) {
        for (int attempt = 1; ; attempt++) {
            Revision r = store.latest(key(jobId)).orElseThrow();
            JobRecord next = change.apply(JobRecord.fromJson(r.value(), jobId).copy());
            next.updatedAt = clock.instant();
            try {
                store.write(key(jobId), next.toJson(), r.number());
                return next;
            } catch (ConflictException e) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    // ---- submit -------------------------------------------------------------------------------

    @Override
    public FineTuneJob submit(FineTuneSpec spec) {
        Plan plan = plan(spec);
        checkRequest(plan);
        // a provider past its job cutoff would refuse the create after the upload; refuse first
        ft.lifecycle().requireJobsOpen(plan.provider().id(), plan.baseModel(), baseOf(plan));
        JobIntents.Intent intent = JobIntents.of(plan, ft.splitPolicy().validationFraction());
        JobIntents.Decision decision = intents.decide(intent, spec);
        if (decision.existing() != null) {
            return decision.existing();
        }
        JobRecord record;
        try (Prepared data = new Prepared(plan, spec.validation())) {
            record = newRecord(plan, data, check(plan, data, has(plan.provider(), Capability.PRICE_QUOTE)), intent);
            while (!intents.claim(intent, decision.revision(), record)) {
                decision = intents.decide(intent, spec);
                if (decision.existing() != null) {
                    return decision.existing();
                }
            }
            intents.writeFirst(record);
            LOG.info("job {} recorded: {} on {} from {}", record.id, record.datasetLabel(), record.provider,
                    record.baseModel);
            try {
                record = uploadStep(record, plan.provider(), data);
            } catch (IllegalArgumentException | InvalidRequestException | AuthenticationException e) {
                throw rejected(record.id, e);
            }
        }
        record = quoteStep(record, plan.provider());
        try {
            record = createStep(record, plan.provider());
        } catch (IllegalArgumentException | InvalidRequestException | AuthenticationException e) {
            throw rejected(record.id, e);
        }
        return new JobHandle(this, record);
    }

    private JobRecord newRecord(Plan plan, Prepared data, JobEstimate estimate, JobIntents.Intent intent) {
        FineTuneSpec spec = plan.spec();
        JobRecord record = new JobRecord();
        record.id = newJobId();
        record.assistant = plan.assistant().name();
        record.provider = plan.provider().id();
        record.baseModel = plan.baseModel();
        record.dataset = plan.version().datasetRef();
        record.datasetVersionId = plan.version().id();
        record.datasetVersionNumber = plan.version().number();
        record.validation = spec.validation() && has(plan.provider(), Capability.VALIDATION_FILE)
                && data.validationCount > 0;
        record.start = spec.start();
        record.continueFrom = plan.continueFrom();
        record.migratedFrom = plan.spec().migratedFrom().isPresent() ? plan.spec().migratedFrom().getAsInt() : null;
        record.hyperparameters = spec.hyperparameters();
        record.suffix = spec.suffix().orElse(null);
        record.options = new java.util.LinkedHashMap<>(spec.options());
        record.estimate = estimate;
        record.intent = intent.fingerprint();
        record.again = spec.again();
        record.createdAt = clock.instant();
        record.updatedAt = record.createdAt;
        return record;
    }

    /**
     * Records that the provider refused the job (or the provider module refused its input), so it
     * does not stay unfinished for resume() to retry the same refusal forever; returns the error.
     */
    private RuntimeException rejected(String jobId, RuntimeException e) {
        update(jobId, r -> {
            r.status = JobStatus.FAILED;
            r.rawStatus = "REJECTED";
            r.error = new JobError(e instanceof ProviderException p ? p.errorCode().orElse("rejected")
                    : e instanceof NotFoundException n ? n.errorCode().orElse("rejected") : "rejected",
                    e.getMessage() == null ? e.toString() : e.getMessage(), "");
            return r;
        });
        return e;
    }

    /**
     * Asks a provider that quotes ({@link Capability#PRICE_QUOTE}) for its price of the job about to
     * be created, and keeps the quote on the job's estimate. A quote that fails at the provider, or
     * says the account cannot pay, becomes a warning (the create that follows meets any real refusal,
     * and the provider's own client submits in both cases too); a request the provider module refuses
     * ({@link IllegalArgumentException}: it would refuse the create the same way) rejects the job.
     */
    private JobRecord quoteStep(JobRecord record, Provider provider) {
        if (!has(provider, Capability.PRICE_QUOTE) || record.step != JobRecord.Step.UPLOADED || record.estimate == null) {
            return record;
        }
        JobEstimate quoted;
        try {
            PriceQuote quote = training(provider).quote(request(record, record.id, record.upload)).orElse(null);
            quoted = withQuote(record.estimate, quote, provider.id());
            if (quote != null && !quote.allowedToProceed()) {
                LOG.warn("job {}: {}", record.id, quoted.warnings().get(quoted.warnings().size() - 1));
            }
        } catch (IllegalArgumentException e) {
            // the provider module cannot take the request (its limits, once known): the create would refuse it too
            throw rejected(record.id, e);
        } catch (FineTuneException e) {
            LOG.warn("job {}: {} did not quote a price ({}); submitting without a quote", record.id, provider.id(),
                    e.getMessage());
            List<String> warnings = new ArrayList<>(record.estimate.warnings());
            warnings.add(provider.id() + " did not quote a price before the job was created: " + e.getMessage());
            quoted = record.estimate.toBuilder().warnings(warnings).build();
        }
        JobEstimate result = quoted;
        return update(record.id, r -> {
            r.estimate = result;
            return r;
        });
    }

    /**
     * Uploads the splits unless the same dataset version was uploaded in the same form, to the same
     * place ({@link TrainingService#uploadScope()}), before.
     */
    private JobRecord uploadStep(JobRecord record, Provider provider, Prepared data) {
        UploadedData result = upload(record, provider, data);
        return update(record.id, r -> {
            if (r.step == JobRecord.Step.RECORDED) {
                // Another process advancing the same job may have got further; never move it back.
                r.upload = result;
                r.step = JobRecord.Step.UPLOADED;
            }
            return r;
        });
    }

    /**
     * The uploaded splits of a record's dataset version: an earlier upload of the same version in the
     * same form to the same place, or a new one, recorded for the next.
     */
    private UploadedData upload(JobRecord record, Provider provider, Prepared data) {
        String scope = Objects.requireNonNull(training(provider).uploadScope(), "uploadScope() of " + provider.id());
        StoreKey uploadKey = uploadKey(record, provider, scope);
        Optional<Revision> known = store.latest(uploadKey);
        UploadedData uploaded = null;
        if (known.isPresent()) {
            JobRecord carrier = JobRecord.fromJson(known.get().value(), uploadKey.toString());
            if (scope.equals(carrier.uploadScope == null ? "" : carrier.uploadScope)) {
                uploaded = carrier.upload;
                LOG.info("job {} reuses the upload of {} ({})", record.id, record.datasetLabel(),
                        uploaded.trainingRef());
            } else {
                LOG.warn("the upload recorded under {} was made elsewhere; job {} uploads again", uploadKey,
                        record.id);
            }
        }
        if (uploaded == null) {
            try {
                Path train = data.convert(provider, data.train, "train.jsonl");
                Path validation = record.validation ? data.convert(provider, data.validation, "validation.jsonl") : null;
                uploaded = training(provider).upload(new TrainingData(record.datasetVersionId,
                        record.assistant + "-" + record.datasetLabel().replace('/', '-').replace("@", "-v"),
                        train, validation, data.trainCount));
            } catch (IOException e) {
                throw new StoreException("could not write the upload files: " + e.getMessage(), e);
            }
            JobRecord carrier = new JobRecord();
            carrier.id = record.id;
            carrier.assistant = record.assistant;
            carrier.provider = record.provider;
            carrier.baseModel = record.baseModel;
            carrier.dataset = record.dataset;
            carrier.datasetVersionId = record.datasetVersionId;
            carrier.datasetVersionNumber = record.datasetVersionNumber;
            carrier.upload = uploaded;
            carrier.uploadScope = scope.isEmpty() ? null : scope;
            carrier.createdAt = clock.instant();
            carrier.updatedAt = carrier.createdAt;
            if (known.isEmpty()) {
                try {
                    store.write(uploadKey, carrier.toJson(), 0);
                } catch (ConflictException e) {
                    LOG.debug("another job recorded the same upload first", e);
                }
            }
        }
        return uploaded;
    }

    /**
     * Where the upload of a dataset version in the provider's format is recorded: per provider, per
     * upload scope (a hash of it: the scope's meaning is the provider's), per dataset version,
     * format and split. A provider with no scope keeps the key records had before scopes existed.
     */
    private StoreKey uploadKey(JobRecord record, Provider provider, String scope) {
        return new StoreKey(tenant, UPLOADS, provider.id() + "/"
                + (scope.isEmpty() ? "" : "at-" + JobIntents.sha256(scope).substring(0, 32) + "/")
                + record.datasetVersionId + "-" + provider.descriptor().uploadFormat().id()
                + (provider.descriptor().uploadEncoding() == FileEncoding.UTF_8 ? "" : "-bom")
                + (record.validation ? "-with-validation" : "-train-only") + "-"
                + Math.round(ft.splitPolicy().validationFraction() * 1000));
    }

    /** Creates the remote job, or adopts the one a previous attempt created; see {@link JobCreation}. */
    private JobRecord createStep(JobRecord record, Provider provider) {
        return creation.create(record, provider);
    }

    /** Copies a provider snapshot into a record. */
    static void apply(JobRecord r, RemoteJob remote) {
        r.status = remote.status();
        r.rawStatus = remote.rawStatus();
        remote.error().ifPresent(e -> r.error = e);
        remote.fineTunedModel().ifPresent(m -> r.fineTunedModel = m);
        if (remote.trainedTokens().isPresent()) {
            r.trainedTokens = remote.trainedTokens().getAsLong();
        }
        remote.costPreview().ifPresent(c -> r.costPreview = c);
        if (!remote.hyperparameters().isEmpty()) {
            r.resolvedHyperparameters = new java.util.LinkedHashMap<>(remote.hyperparameters());
        }
    }

    // ---- tracking -----------------------------------------------------------------------------

    /** Reads the provider, records changes, registers the model version on success (once). */
    JobRecord refresh(String jobId) {
        JobRecord record = read(jobId);
        if (record.step != JobRecord.Step.CREATED) {
            return resumeOne(record);
        }
        if (record.status.isTerminal() && (record.status != JobStatus.SUCCEEDED || record.modelVersion != null)) {
            return record;
        }
        Provider provider = provider(record.provider);
        RemoteJob remote = training(provider).getJob(record.remoteId);
        if (remote.status() != record.status || !remote.rawStatus().equals(record.rawStatus)
                || remote.fineTunedModel().isPresent() != (record.fineTunedModel != null)) {
            LOG.debug("job {}: {} -> {} ({})", jobId, record.status, remote.status(), remote.rawStatus());
            record = update(jobId, r -> {
                apply(r, remote);
                return r;
            });
        }
        if (record.status == JobStatus.SUCCEEDED && record.modelVersion == null && record.fineTunedModel != null) {
            record = register(record, provider);
        }
        return record;
    }

    private JobRecord register(JobRecord record, Provider provider) {
        Assistant assistant = ft.assistant(record.assistant);
        ModelVersionSpec.Builder spec = ModelVersionSpec.builder(record.provider, record.fineTunedModel,
                record.continueFrom == null ? record.baseModel
                        : assistant.modelVersion(record.continueFrom).map(ModelVersion::baseModel)
                                .orElse(record.baseModel))
                .jobId(record.id)
                .trainedOn(new TrainedOn(record.dataset, record.datasetVersionId, record.datasetVersionNumber,
                        record.estimate == null ? 0 : record.estimate.trainingExamples(),
                        ft.splitPolicy().validationFraction()))
                .note("trained by job " + record.id + " on " + record.datasetLabel()
                        + (record.continueFrom == null ? "" : ", continued from version " + record.continueFrom)
                        + (record.migratedFrom == null ? "" : ", migrated from version " + record.migratedFrom));
        if (record.migratedFrom != null) {
            spec.migratedFrom(record.migratedFrom);
        }
        record.resolvedHyperparameters.forEach(spec::hyperparameter);
        try {
            List<MetricPoint> points = training(provider).metrics(record.remoteId);
            if (!points.isEmpty()) {
                spec.metrics(new ModelMetrics(points.get(points.size() - 1).values()));
            }
        } catch (FineTuneException e) {
            LOG.warn("job {}: metrics not available: {}", record.id, e.getMessage());
        }
        actualCost(record).ifPresent(spec::cost);
        ModelVersion version = assistant.register(spec.build());
        LOG.info("job {} registered as model version {} of {}", record.id, version.number(), record.assistant);
        return update(record.id, r -> {
            r.modelVersion = version.number();
            return r;
        });
    }

    /** The provider's own price (Mistral's preview), else billed tokens priced, else the local estimate. */
    private Optional<Money> actualCost(JobRecord record) {
        if (record.costPreview != null) {
            return Optional.of(record.costPreview);
        }
        if (record.trainedTokens != null) {
            Optional<Price> price = prices.find(record.provider, record.baseModel);
            if (price.isPresent()) {
                return Optional.of(price.get().trainingCost(record.trainedTokens));
            }
        }
        return record.estimate == null ? Optional.empty() : record.estimate.cost().map(CostEstimate::cost);
    }

    /** Continues an unfinished submission from its recorded step. */
    private JobRecord resumeOne(JobRecord record) {
        Provider provider = provider(record.provider);
        if (record.step == JobRecord.Step.RECORDED) {
            Optional<RemoteJob> found = has(provider, Capability.FIND_BY_TAG)
                    ? training(provider).findJobByTag(record.id) : Optional.empty();
            if (found.isPresent()) {
                return creation.adopt(record.id, found.get());
            }
            Dataset dataset = ft.dataset(record.dataset);
            DatasetVersion version = dataset.version(record.datasetVersionId);
            FineTuneSpec spec = FineTuneSpec.builder(record.assistant, dataset.name())
                    .datasetVersion(version.id()).validation(record.validation).build();
            Plan plan = new Plan(spec, ft.assistant(record.assistant), dataset, version, provider, record.baseModel,
                    record.continueFrom, List.of());
            try (Prepared data = new Prepared(plan, record.validation)) {
                record = uploadStep(record, provider, data);
            }
        }
        return createStep(record, provider);
    }

    @Override
    public FineTuneJob job(String id) {
        return new JobHandle(this, read(id));
    }

    @Override
    public List<FineTuneJob> list(String assistant) {
        Names.requireValid(assistant, "assistant name");
        return all().stream().filter(r -> r.assistant.equals(assistant))
                .map(r -> (FineTuneJob) new JobHandle(this, r)).toList();
    }

    @Override
    public List<FineTuneJob> active() {
        return all().stream().filter(r -> !r.status.isTerminal()
                        || (r.status == JobStatus.SUCCEEDED && r.modelVersion == null))
                .map(r -> (FineTuneJob) new JobHandle(this, r)).toList();
    }

    private List<JobRecord> all() {
        List<JobRecord> records = new ArrayList<>();
        String cursor = null;
        do {
            StorePage page = store.list(tenant, JOBS, cursor, 1000);
            for (StoreKey k : page.keys()) {
                store.latest(k).ifPresent(r -> records.add(JobRecord.fromJson(r.value(), k.id())));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        records.sort(java.util.Comparator.comparing((JobRecord r) -> r.createdAt).thenComparing(r -> r.id));
        return records;
    }

    @Override
    public List<FineTuneJob> resume() {
        List<FineTuneJob> touched = new ArrayList<>();
        for (FineTuneJob job : active()) {
            touched.add(job.refresh());
        }
        return touched;
    }

    @Override
    public dev.finetune4j.job.JobTracker track(dev.finetune4j.job.JobTracker.Options options) {
        return new BackgroundTracker(this, Objects.requireNonNull(options, "options"), true);
    }

    /** A tracker without its background thread: tests call {@code pollOnce()} themselves. */
    public dev.finetune4j.job.JobTracker manualTracker(dev.finetune4j.job.JobTracker.Options options) {
        return new BackgroundTracker(this, Objects.requireNonNull(options, "options"), false);
    }

    VersionStore store() {
        return store;
    }

    /** The deployments of the same tenant, which the tracker follows beside the jobs. */
    dev.finetune4j.deployment.Deployments deployments() {
        return ft.deployments();
    }

    /** A model version of an assistant, if it has one with that number. */
    Optional<ModelVersion> modelVersion(String assistant, int number) {
        return ft.assistant(assistant).modelVersion(number);
    }

    Tenant tenant() {
        return tenant;
    }

    /** Activates a version for the tracker's auto-activate policy, once (an already active one is left). */
    void activate(String assistant, int version, String jobId) {
        Assistant a = ft.assistant(assistant);
        if (a.selection().activeModelVersion().orElse(-1) == version) {
            return;
        }
        try {
            a.activate(version, BackgroundTracker.autoActivation(jobId));
        } catch (ConflictException e) {
            a.activate(version, BackgroundTracker.autoActivation(jobId));
        }
    }
}
