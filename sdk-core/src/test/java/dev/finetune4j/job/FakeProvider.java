package dev.finetune4j.job;

import dev.finetune4j.TransportException;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory, training-only provider for the job service's tests: jobs move one status per poll
 * (validating, queued, running, succeeded) and faults can be scripted.
 */
final class FakeProvider implements Provider, TrainingService {

    /** Thrown to simulate the JVM dying at a precise point. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /**
     * Thrown to simulate the process being killed (kill -9) at a precise point: an {@link Error},
     * so that no {@code catch (RuntimeException)} on the way cleans anything up.
     */
    static final class SimulatedKill extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedKill(String where) {
            super("simulated kill " + where);
        }
    }

    enum Fault { NONE, CRASH_BEFORE_CREATE, CRASH_AFTER_CREATE, DROP_AFTER_CREATE, KILLED_WHILE_CREATING }

    /** Replaceable by a test that needs another descriptor (an upload encoding). */
    volatile ProviderDescriptor descriptor;
    final AtomicInteger uploads = new AtomicInteger();
    final Map<String, RemoteState> jobs = new ConcurrentHashMap<>();
    final List<String> uploadedLines = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger creates = new AtomicInteger();
    final AtomicInteger starts = new AtomicInteger();
    /** How many of the next look-ups by tag fail with a 429. */
    final AtomicInteger rateLimitedLookups = new AtomicInteger();
    /** Runs inside createJob before the job exists, e.g. to hold it there while another caller acts. */
    volatile Runnable onCreate = () -> { };
    volatile Fault nextCreate = Fault.NONE;
    volatile boolean neverFinish;
    volatile boolean fail;
    volatile String refuseOption;
    volatile Consumer<TrainingData> onUpload = d -> { };
    /** What {@link #uploadScope()} says; "" (one scope everywhere) by default. */
    volatile String uploadScope = "";
    final AtomicInteger calls = new AtomicInteger();
    /** The requests {@link #quote} was asked to price, in order. */
    final List<JobRequest> quoted = java.util.Collections.synchronizedList(new ArrayList<>());
    /** How {@link #quote} answers (PRICE_QUOTE must be declared, see {@link #quoting}). */
    volatile java.util.function.Function<JobRequest, Optional<dev.finetune4j.cost.PriceQuote>> quoter =
            r -> Optional.empty();

    static final class RemoteState {
        final JobRequest request;
        final String remoteId;
        int polls;
        boolean cancelled;
        boolean started;
        /** Priced by its first poll, when it was created without starting on a cost-preview provider. */
        boolean priced;

        RemoteState(JobRequest request, String remoteId) {
            this.request = request;
            this.remoteId = remoteId;
        }
    }

    FakeProvider(String id, boolean continueFromFineTuned, DataRules rules) {
        this(id, continueFromFineTuned, rules, false);
    }

    /**
     * @param costPreview whether a job created with {@code start = false} is priced (4 USD) and
     *     waits, queued, for {@link #startJob} as Mistral's do
     */
    FakeProvider(String id, boolean continueFromFineTuned, DataRules rules, boolean costPreview) {
        Capabilities capabilities = Capabilities.of(Capability.TRAINING, Capability.VALIDATION_FILE,
                Capability.CANCEL, Capability.DELETE_MODEL, Capability.WEIGHTS, Capability.TOOLS,
                Capability.FIND_BY_TAG);
        if (continueFromFineTuned) {
            capabilities = capabilities.with(Capability.CONTINUE_FROM_FINE_TUNED);
        }
        if (costPreview) {
            capabilities = capabilities.with(Capability.COST_PREVIEW);
        }
        this.descriptor = ProviderDescriptor.builder(id).dataRules(rules).capabilities(capabilities).build();
    }

    /** Declares {@link Capability#PRICE_QUOTE}, answered by {@link #quoter}. */
    FakeProvider quoting(java.util.function.Function<JobRequest, Optional<dev.finetune4j.cost.PriceQuote>> quoter) {
        this.quoter = quoter;
        this.descriptor = descriptor.toBuilder().capabilities(descriptor.capabilities().with(Capability.PRICE_QUOTE))
                .build();
        return this;
    }

    @Override
    public Optional<dev.finetune4j.cost.PriceQuote> quote(JobRequest request) {
        calls.incrementAndGet();
        quoted.add(request);
        return quoter.apply(request);
    }

    int remoteJobs() {
        return jobs.size();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }


    @Override
    public void checkRequest(JobRequest request) {
        if (refuseOption != null && request.options().containsKey(refuseOption)) {
            throw new IllegalArgumentException(id() + " has no option '" + refuseOption + "'");
        }
    }

    @Override
    public String uploadScope() {
        return uploadScope;
    }

    @Override
    public UploadedData upload(TrainingData data) {
        calls.incrementAndGet();
        onUpload.accept(data);
        int n = uploads.incrementAndGet();
        try {
            uploadedLines.addAll(Files.readAllLines(data.trainingFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UploadedData("file-train-" + n, data.validation().isPresent() ? "file-val-" + n : null,
                Map.of("label", data.label()));
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        calls.incrementAndGet();
        creates.incrementAndGet();
        onCreate.run();
        Fault fault = nextCreate;
        nextCreate = Fault.NONE;
        if (fault == Fault.CRASH_BEFORE_CREATE) {
            throw new SimulatedCrash("before create");
        }
        if (fault == Fault.KILLED_WHILE_CREATING) {
            throw new SimulatedKill("while creating");
        }
        RemoteState state;
        synchronized (jobs) {
            state = new RemoteState(request, "ftjob-" + (jobs.size() + 1));
            state.started = request.start();
            jobs.put(state.remoteId, state);
        }
        if (fault == Fault.CRASH_AFTER_CREATE) {
            throw new SimulatedCrash("after create");
        }
        if (fault == Fault.DROP_AFTER_CREATE) {
            throw new TransportException("connection reset", null, id(), true);
        }
        return snapshot(state);
    }

    private RemoteJob snapshot(RemoteState s) {
        String raw;
        JobStatus status;
        if (s.cancelled) {
            raw = "cancelled";
            status = JobStatus.CANCELLED;
        } else if (neverFinish) {
            raw = "running";
            status = JobStatus.RUNNING;
        } else if (!s.started && descriptor.capabilities().has(Capability.COST_PREVIEW)) {
            s.priced |= s.polls > 0;
            raw = s.priced ? "validated" : "validating";
            status = s.priced ? JobStatus.QUEUED : JobStatus.VALIDATING;
        } else {
            String[] raws = {"validating_files", "queued", "running", fail ? "failed" : "succeeded"};
            JobStatus[] statuses = {JobStatus.VALIDATING, JobStatus.QUEUED, JobStatus.RUNNING,
                fail ? JobStatus.FAILED : JobStatus.SUCCEEDED};
            int i = Math.min(s.polls, 3);
            raw = raws[i];
            status = statuses[i];
        }
        RemoteJob.Builder b = RemoteJob.builder(s.remoteId, status, raw).baseModel(s.request.baseModel())
                .tag(s.request.tag()).hyperparameter("n_epochs", "3");
        if (s.priced) {
            b.costPreview(dev.finetune4j.cost.Money.usd("4"));
        }
        if (status == JobStatus.SUCCEEDED) {
            b.fineTunedModel("ft:" + s.request.baseModel() + ":acme:" + (s.request.suffix() == null ? ""
                    : s.request.suffix()) + ":" + s.remoteId.substring(6) + "x").trainedTokens(300_000L);
        }
        if (status == JobStatus.FAILED) {
            b.error(new dev.finetune4j.job.JobError("invalid_training_file", "bad file", "training_file"));
        }
        return b.build();
    }

    @Override
    public RemoteJob getJob(String remoteId) {
        calls.incrementAndGet();
        RemoteState s = jobs.get(remoteId);
        s.polls++;
        return snapshot(s);
    }

    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        calls.incrementAndGet();
        if (rateLimitedLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new dev.finetune4j.RateLimitedException("Rate limit reached for requests", id(), 429,
                    "rate_limit_exceeded", "req_1", "{}", true, java.time.Duration.ofSeconds(2));
        }
        return jobs.values().stream().filter(s -> s.request.tag().equals(tag)).findFirst().map(this::snapshot);
    }

    @Override
    public RemoteJob startJob(String remoteId) {
        starts.incrementAndGet();
        RemoteState s = jobs.get(remoteId);
        if (s.started || !s.priced) {
            throw new dev.finetune4j.InvalidRequestException("job " + remoteId + " cannot be started now", id(), 400,
                    "invalid_request_error", "req_1", "{}", false);
        }
        s.polls = 1;
        s.started = true;
        return snapshot(jobs.get(remoteId));
    }

    @Override
    public RemoteJob cancelJob(String remoteId) {
        calls.incrementAndGet();
        jobs.get(remoteId).cancelled = true;
        return snapshot(jobs.get(remoteId));
    }

    @Override
    public EventPage events(String remoteId, String cursor) {
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(jobs.get(remoteId).polls + 1, 4);
        List<JobEvent> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            events.add(new JobEvent(String.valueOf(i + 1), java.time.Instant.EPOCH, "info", "event " + (i + 1), Map.of()));
        }
        return new EventPage(events, events.isEmpty() ? cursor : String.valueOf(to));
    }

    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return List.of(new MetricPoint(10, Map.of("train_loss", 1.2)), new MetricPoint(20, Map.of("train_loss", 0.4,
                "valid_loss", 0.5)));
    }

    @Override
    public void deleteModel(String providerModelId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        // nothing
    }
}
