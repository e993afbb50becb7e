package dev.finetune4j.internal.capture;

import dev.finetune4j.ConflictException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.capture.CaptureQuery;
import dev.finetune4j.capture.CaptureStats;
import dev.finetune4j.capture.Captures;
import dev.finetune4j.capture.CurationResult;
import dev.finetune4j.capture.Feedback;
import dev.finetune4j.capture.PruneResult;
import dev.finetune4j.capture.Redactor;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link Captures} of one tenant: policies and the writer live in the shared {@link CaptureHub};
 * reading, feedback and curation work on the store directly. Feedback is a record per call in
 * {@value #FEEDBACK}, id {@code assistant/callId}, one revision per change, looked up per capture
 * while reading so memory stays flat.
 */
public final class DefaultCaptures implements Captures {

    /** The collection of feedback records. */
    static final String FEEDBACK = "capture-feedback";
    /** How long {@link #feedback} waits for the call's capture to be written. */
    private static final Duration WRITE_WAIT = Duration.ofSeconds(10);

    private final FineTuningContext ft;
    private final CaptureHub hub;
    private final VersionStore store;
    private final Tenant tenant;

    /** The captures of the context's tenant. */
    public DefaultCaptures(FineTuningContext context) {
        this.ft = Objects.requireNonNull(context, "context");
        this.hub = context.captureHub();
        this.store = context.store();
        this.tenant = context.tenant();
    }

    @Override
    public void enable(String assistant, CapturePolicy policy) {
        ft.assistant(assistant);   // an unknown name fails here, not silently never captured
        hub.enable(tenant, assistant, policy);
    }

    @Override
    public void disable(String assistant) {
        hub.disable(tenant, Objects.requireNonNull(assistant, "assistant"));
    }

    @Override
    public Optional<CapturePolicy> policy(String assistant) {
        return hub.policy(tenant, Objects.requireNonNull(assistant, "assistant"));
    }

    @Override
    public Capture feedback(String callId, Feedback feedback) {
        long millis = CallIds.millis(callId);
        Objects.requireNonNull(feedback, "feedback");
        hub.flush(WRITE_WAIT);
        Located found = locate(callId, millis).orElseThrow(() -> notCaptured(callId));
        Capture c = found.capture();
        Redactor redactor = policy(c.assistant()).map(CapturePolicy::redactor).orElse(Redactor.NONE);
        Feedback stored = Feedback.of(feedback.rating().orElse(null),
                feedback.score().isPresent() ? feedback.score().getAsDouble() : null,
                feedback.correction().map(t -> CaptureCodec.redacted(t, redactor)).orElse(null),
                feedback.note().map(t -> CaptureCodec.redacted(t, redactor)).orElse(null), feedback.tags());
        StoreKey key = feedbackKey(c.assistant(), callId);
        String value = CaptureCodec.writeFeedback(callId, c.assistant(), ft.clock().instant(), stored);
        for (int attempt = 0; ; attempt++) {
            long latest = store.latest(key).map(Revision::number).orElse(0L);
            try {
                store.write(key, value, latest);
                if (!live(found.segment())) {
                    // a prune took the segment while this was written: the feedback must not outlive it
                    store.delete(key);
                    throw notCaptured(callId);
                }
                return c.withFeedback(stored);
            } catch (ConflictException e) {
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private NotFoundException notCaptured(String callId) {
        return new NotFoundException("tenant '" + tenant.id() + "' has no capture of call " + callId
                + " (capture was off for its assistant, the call was not sampled or was dropped, or the captures "
                + "were pruned or purged)");
    }

    private StoreKey feedbackKey(String assistant, String callId) {
        return feedbackKey(tenant, assistant, callId);
    }

    /** The record of the feedback on one call. */
    static StoreKey feedbackKey(Tenant tenant, String assistant, String callId) {
        return new StoreKey(tenant, FEEDBACK, assistant + "/" + callId);
    }

    @Override
    public Optional<Capture> find(String callId) {
        return locate(callId, CallIds.millis(callId)).map(Located::capture);
    }

    /** A capture and the segment it was read from. */
    private record Located(Capture capture, CaptureSegments.Segment segment) {}

    /**
     * The capture of a call: its id's time names the segments that may hold it, which a listing
     * bounded by that time finds (a few keys, see {@link CaptureSegments}) whatever the number of
     * segments; then segments written in the legacy layout, if the store has any, by listing all of
     * them. A segment's record is read (and verified) before its data, and skipped when it is gone
     * or being pruned.
     */
    private Optional<Located> locate(String callId, long millis) {
        for (Iterator<CaptureSegments.Segment> it = CaptureSegments.newestLayoutFirst(store, tenant, null, millis,
                millis); it.hasNext(); ) {
            CaptureSegments.Segment s = it.next();
            if (!s.covers(millis)) {
                continue;
            }
            Optional<Capture> c = CaptureSegments.find(store, s, callId);
            if (c.isPresent()) {
                return Optional.of(new Located(withFeedback(c.get()), s));
            }
        }
        return Optional.empty();
    }

    /** Whether a segment is still there and not being pruned. */
    private boolean live(CaptureSegments.Segment s) {
        return store.latest(s.key()).map(r -> !CaptureSegments.Record.parse(r, s.key()).pruning()).orElse(false);
    }

    @Override
    public PruneResult prune(String assistant, Duration olderThan) {
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative, was " + olderThan);
        }
        long cutoff = ft.clock().millis() - Math.min(olderThan.toMillis(), Long.MAX_VALUE / 2);
        return CaptureRetention.prune(store, tenant, assistant, cutoff);
    }

    @Override
    public PruneResult applyRetention() {
        return hub.applyRetention(tenant);
    }

    private Capture withFeedback(Capture c) {
        StoreKey key = feedbackKey(c.assistant(), c.callId());
        return store.latest(key).map(r -> c.withFeedback(CaptureCodec.readFeedback(r.value(), key.toString())))
                .orElse(c);
    }

    @Override
    public Stream<Capture> find(CaptureQuery query) {
        Objects.requireNonNull(query, "query");
        long from = query.from().map(i -> i.toEpochMilli()).orElse(Long.MIN_VALUE);
        long to = query.to().map(i -> i.toEpochMilli()).orElse(Long.MAX_VALUE);
        // a bounded range lists only the segments of its time (and the legacy ones)
        Iterator<CaptureSegments.Segment> segments = CaptureSegments.segments(store, tenant, query.assistant(), from,
                to == Long.MIN_VALUE ? to : to - 1);
        Matches matches = new Matches(segments, from, to, query);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(matches, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(matches::close);
    }

    /** The matching captures of a sequence of segments, one segment open at a time. */
    private final class Matches implements Iterator<Capture> {
        private final Iterator<CaptureSegments.Segment> segments;
        private final long from;
        private final long to;
        private final CaptureQuery query;
        private CaptureSegments.CloseableIterator open;
        private Capture next;

        Matches(Iterator<CaptureSegments.Segment> segments, long from, long to, CaptureQuery query) {
            this.segments = segments;
            this.from = from;
            this.to = to;
            this.query = query;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (open != null && open.hasNext()) {
                    Capture c = open.next();
                    if (c.time().toEpochMilli() >= from && c.time().toEpochMilli() < to) {
                        c = withFeedback(c);
                        if (query.matches(c)) {
                            next = c;
                        }
                    }
                    continue;
                }
                close();
                CaptureSegments.Segment s = nextSegment();
                if (s == null) {
                    return false;
                }
                open = CaptureSegments.read(store, s);
            }
            return true;
        }

        private CaptureSegments.Segment nextSegment() {
            while (segments.hasNext()) {
                CaptureSegments.Segment s = segments.next();
                if (s.toMillis() >= from && s.fromMillis() < to) {
                    return s;
                }
            }
            return null;
        }

        @Override
        public Capture next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Capture c = next;
            next = null;
            return c;
        }

        void close() {
            if (open != null) {
                CaptureSegments.CloseableIterator o = open;
                open = null;
                o.close();
            }
        }
    }

    @Override
    public CurationResult curate(CaptureQuery query, Dataset dataset, ImportOptions options, String note) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(options, "options");
        if (!dataset.assistant().equals(query.assistant())) {
            throw new IllegalArgumentException("dataset '" + dataset.ref() + "' belongs to assistant '"
                    + dataset.assistant() + "', the query selects captures of '" + query.assistant() + "'");
        }
        Assistant assistant = ft.assistant(query.assistant());
        Map<Integer, Optional<PromptVersion>> prompts = new HashMap<>();
        long selected = 0;
        long rejected = 0;
        Path staging = null;
        try {
            staging = Files.createTempFile(store.stagingDirectory(), "curate-", ".jsonl");
            try (Stream<Capture> captures = find(query);
                    BufferedWriter out = Files.newBufferedWriter(staging, StandardCharsets.UTF_8)) {
                for (Iterator<Capture> it = captures.iterator(); it.hasNext(); ) {
                    Capture c = it.next();
                    selected++;
                    Optional<Feedback> f = c.feedback();
                    if (f.isPresent() && !f.get().positive() && f.get().correction().isEmpty()) {
                        rejected++;
                        continue;
                    }
                    PromptVersion prompt = c.servedBy().promptVersion() == 0 ? null
                            : prompts.computeIfAbsent(c.servedBy().promptVersion(), assistant::promptVersion)
                                    .orElse(null);
                    out.write(ExampleCodec.toJson(example(c, prompt), true));
                    out.write('\n');
                }
            }
            AppendResult appended = dataset.importJsonl(staging, options, note);
            return new CurationResult(selected, rejected, appended);
        } catch (IOException e) {
            throw new StoreException("could not stage the curated examples in " + store.stagingDirectory(), e);
        } finally {
            if (staging != null) {
                try {
                    Files.deleteIfExists(staging);
                } catch (IOException e) {
                    // the staging area removes leftovers when the next process opens the store
                }
            }
        }
    }

    /**
     * The training example of a capture: the prompt version's system prompt when the conversation
     * has none (the model answered with it), the conversation, and the correction or the answer.
     */
    static Example example(Capture c, PromptVersion prompt) {
        Example.Builder b = Example.builder();
        boolean hasSystem = c.messages().stream().anyMatch(m -> m.role() == Role.SYSTEM);
        if (!hasSystem && prompt != null && !prompt.systemPrompt().isEmpty()) {
            b.message(Message.system(prompt.systemPrompt()));
        }
        c.messages().forEach(b::message);
        Optional<Feedback> f = c.feedback();
        if (f.isPresent() && f.get().correction().isPresent()) {
            b.message(Message.assistant(f.get().correction().get()));
        } else if (!c.toolCalls().isEmpty()) {
            b.message(Message.assistantToolCalls(c.answer().isEmpty() ? null : c.answer(), c.toolCalls()));
        } else {
            b.message(Message.assistant(c.answer()));
        }
        c.tools().forEach(b::tool);
        f.ifPresent(fb -> fb.tags().forEach(b::tag));
        b.tag(Example.TAG_SOURCE, "capture");
        b.tag("call_id", c.callId());
        if (f.isPresent()) {
            if (f.get().rating().isPresent()) {
                b.tag("rating", f.get().rating().get().wireName());
            } else {
                b.tag("score", Double.toString(f.get().score().getAsDouble()));
            }
            if (f.get().correction().isPresent()) {
                b.tag("corrected", "true");
            }
        }
        return b.build();
    }

    @Override
    public boolean flush(Duration timeout) {
        return hub.flush(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public CaptureStats stats() {
        return hub.stats();
    }

    @Override
    public String toString() {
        return "Captures[tenant=" + tenant.id() + "]";
    }
}
