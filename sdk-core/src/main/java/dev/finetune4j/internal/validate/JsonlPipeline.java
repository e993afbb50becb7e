package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.tokens.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads JSONL and turns every line into a {@link LineResult}, in input order.
 *
 * <p>With parallelism above 1, one thread splits lines into batches and a pool parses, validates,
 * hashes and counts tokens; the caller's thread receives the results in order. At most
 * {@code 2 × parallelism + 2} batches are in flight, so memory does not grow with the input.
 */
public final class JsonlPipeline {

    private static final int BATCH_LINES = 256;
    private static final int BATCH_BYTES = 4 * 1024 * 1024;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * What one line turned into; {@code example} is null when the line was rejected or blank.
     * {@code canonical} is the example's canonical line with its tags (UTF-8, no line break) when the
     * pipeline keeps lines, otherwise null.
     */
    public record LineResult(long line, Example example, int tokens, int assistantTokens,
            List<ValidationIssue> issues, byte[] canonical) {

        LineResult(long line, Example example, int tokens, int assistantTokens, List<ValidationIssue> issues) {
            this(line, example, tokens, assistantTokens, issues, null);
        }
    }

    /** Receives results in input order, on the caller's thread. */
    @FunctionalInterface
    public interface Receiver {
        /** Called once per line. */
        void accept(LineResult result);
    }

    private final ImportOptions options;
    private final LineDecoder decoder;
    private final TokenCounter counter;
    private final boolean keepLines;

    /** A pipeline for these options, decoding each line with {@code decoder}. */
    public JsonlPipeline(ImportOptions options, LineDecoder decoder) {
        this(options, decoder, false);
    }

    /**
     * A pipeline for these options, decoding each line with {@code decoder}; with {@code keepLines},
     * each example's canonical line is made on the worker threads too ({@link LineResult#canonical}),
     * for a caller that stores it.
     */
    public JsonlPipeline(ImportOptions options, LineDecoder decoder, boolean keepLines) {
        this.options = options;
        this.decoder = decoder;
        this.counter = options.model().map(TokenCounter::forModel).orElse(null);
        this.keepLines = keepLines;
    }

    /** The token counter in use, when the options name a model. */
    public Optional<TokenCounter> counter() {
        return Optional.ofNullable(counter);
    }

    /**
     * Reads the whole input, handing every line's result to {@code receiver} in order.
     *
     * @throws FineTuneException when the input cannot be read
     */
    public void run(InputStream in, Receiver receiver) {
        if (options.parallelism() == 1) {
            runInline(in, receiver);
        } else {
            runParallel(in, receiver);
        }
    }

    private void runInline(InputStream in, Receiver receiver) {
        LineSplitter splitter = new LineSplitter(in, options.maxLineBytes());
        try {
            for (LineSplitter.RawLine raw; (raw = splitter.next()) != null; ) {
                receiver.accept(process(raw));
            }
        } catch (IOException | OutOfMemoryError e) {
            throw unreadable(splitter, e);
        }
    }

    /** Why the input could not be split into lines, naming where: after line N, or line N+1 itself. */
    private static FineTuneException unreadable(LineSplitter splitter, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return new FineTuneException("line " + (splitter.lines() + 1) + ": not enough memory to read this line ("
                    + e.getMessage() + "); give the JVM more heap (-Xmx)", e);
        }
        return new FineTuneException("could not read the input after line " + splitter.lines() + ": "
                + e.getMessage(), e);
    }

    private void runParallel(InputStream in, Receiver receiver) {
        int threads = options.parallelism();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "finetune4j-jsonl-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<CompletableFuture<List<LineResult>>> inFlight = new ArrayBlockingQueue<>(2 * threads + 2);
        CompletableFuture<List<LineResult>> end = CompletableFuture.completedFuture(null);
        Thread reader = new Thread(() -> {
            LineSplitter splitter = new LineSplitter(in, options.maxLineBytes());
            try {
                List<LineSplitter.RawLine> batch = new ArrayList<>(BATCH_LINES);
                long bytes = 0;
                for (LineSplitter.RawLine raw; (raw = splitter.next()) != null; ) {
                    batch.add(raw);
                    bytes += raw.bytes().length;
                    if (batch.size() >= BATCH_LINES || bytes >= BATCH_BYTES) {
                        inFlight.put(submit(pool, batch));
                        batch = new ArrayList<>(BATCH_LINES);
                        bytes = 0;
                    }
                }
                if (!batch.isEmpty()) {
                    inFlight.put(submit(pool, batch));
                }
                inFlight.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException | Error e) {
                // whatever ends the reader must reach the caller, or it would wait for lines forever
                try {
                    inFlight.put(CompletableFuture.failedFuture(
                            e instanceof IOException || e instanceof OutOfMemoryError ? unreadable(splitter, e) : e));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "finetune4j-jsonl-reader-" + THREADS.incrementAndGet());
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                CompletableFuture<List<LineResult>> next = inFlight.take();
                if (next == end) {
                    break;
                }
                for (LineResult r : next.get()) {
                    receiver.accept(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FineTuneException("interrupted while reading the input", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FineTuneException fe) {
                throw fe;
            }
            throw new FineTuneException("could not read the input: " + cause.getMessage(), cause);
        } finally {
            reader.interrupt();
            inFlight.clear();
            pool.shutdownNow();
        }
    }

    private CompletableFuture<List<LineResult>> submit(ExecutorService pool, List<LineSplitter.RawLine> batch) {
        return CompletableFuture.supplyAsync(() -> {
            List<LineResult> results = new ArrayList<>(batch.size());
            for (LineSplitter.RawLine raw : batch) {
                results.add(process(raw));
            }
            return results;
        }, pool);
    }

    /**
     * Turns one raw line into its result. Thread-safe.
     *
     * @throws FineTuneException naming the line when it cannot be processed at all (a bug, or not
     *     enough memory for it): no failure leaves the line it happened on unnamed
     */
    LineResult process(LineSplitter.RawLine raw) {
        try {
            return processLine(raw);
        } catch (OutOfMemoryError e) {
            // The line's objects are unreachable once this frame unwinds, so there is room to say so.
            throw new FineTuneException("line " + raw.number() + ": not enough memory to read this line of "
                    + raw.length() + " bytes (" + e.getMessage() + "); give the JVM more heap (-Xmx)", e);
        } catch (RuntimeException e) {
            throw new FineTuneException("line " + raw.number() + ": could not read this line: "
                    + (e instanceof FineTuneException ? e.getMessage() : e.toString()), e);
        }
    }

    private LineResult processLine(LineSplitter.RawLine raw) {
        long line = raw.number();
        if (raw.encoding() != null) {
            return rejected(line, IssueCode.UNSUPPORTED_ENCODING, "this file is " + raw.encoding() + ", not UTF-8 "
                    + "(it starts with a " + raw.encoding() + " byte-order mark), so none of it was read; convert "
                    + "it to UTF-8 first, e.g. iconv -f " + raw.encoding() + " -t UTF-8 IN.jsonl > OUT.jsonl");
        }
        if (raw.tooLong()) {
            return rejected(line, IssueCode.LINE_TOO_LONG, "the line has " + raw.length()
                    + " bytes; lines longer than " + options.maxLineBytes() + " bytes are not read");
        }
        byte[] bytes = raw.bytes();
        if (isBlank(bytes)) {
            return new LineResult(line, null, 0, 0, List.of(new ValidationIssue(line, IssueCode.EMPTY_LINE,
                    Severity.WARNING, "blank line skipped")));
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            return new LineResult(line, null, 0, 0, List.of(ParseFailures.issue(line, bytes, e)));
        } catch (IOException e) {
            return rejected(line, IssueCode.INVALID_JSON, "not valid JSON: " + e.getMessage());
        }
        String unpaired = UnpairedSurrogates.find(node);
        if (unpaired != null) {
            return rejected(line, IssueCode.UNPAIRED_SURROGATE, unpaired + " (a \\uD800-\\uDFFF escape without "
                    + "its other half): that is not Unicode, so it cannot be stored or sent as UTF-8; remove it or "
                    + "write the whole character");
        }
        List<ValidationIssue> issues = new ArrayList<>(0);
        Example example = decoder.read(node, line, issues);
        if (example == null) {
            return new LineResult(line, null, 0, 0, issues);
        }
        if (!options.tags().isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(options.tags());
            merged.putAll(example.tags());
            example = example.withTags(merged);
        }
        int tokens = 0;
        int assistantTokens = 0;
        if (counter != null) {
            TokenCounter.ExampleTokens counted = counter.countBoth(example);
            tokens = counted.total();
            assistantTokens = counted.assistant();
            if (options.maxTokensPerExample().isPresent() && tokens > options.maxTokensPerExample().getAsInt()) {
                issues.add(new ValidationIssue(line, IssueCode.TOO_LONG, Severity.ERROR, "the example has "
                        + tokens + " tokens (" + counter.encodingName() + "); " + options.model().orElseThrow()
                        + " trains on at most " + options.maxTokensPerExample().getAsInt()
                        + " per example and would truncate it"));
                return new LineResult(line, null, tokens, assistantTokens, issues);
            }
        }
        example.id();
        return new LineResult(line, example, tokens, assistantTokens, issues,
                keepLines ? ExampleCodec.lineBytes(example, true) : null);
    }

    private static LineResult rejected(long line, IssueCode code, String message) {
        return new LineResult(line, null, 0, 0, List.of(new ValidationIssue(line, code, Severity.ERROR, message)));
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
