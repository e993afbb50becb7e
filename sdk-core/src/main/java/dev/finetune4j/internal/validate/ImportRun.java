package dev.finetune4j.internal.validate;

import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ReadExample;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.internal.dataset.IdIndex;
import dev.finetune4j.internal.format.LineDecoders;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One pass over a JSONL input: validates every line, drops duplicates (first occurrence wins, also
 * against examples a dataset already has), counts every issue and hands accepted examples to a
 * sink in input order. Memory: about 48 bytes per distinct example plus the bounded issue list.
 */
public final class ImportRun {

    /**
     * Warnings about the composition of a dataset rather than a fault of a line: only their first
     * {@value #LISTED_PER_COMPOSITION_CODE} lines are listed in the report; all are counted.
     */
    private static final Set<IssueCode> COMPOSITION_WARNINGS =
            EnumSet.of(IssueCode.MISSING_SYSTEM_MESSAGE, IssueCode.MISSING_USER_MESSAGE);
    /** How many lines of each composition warning the report lists. */
    public static final int LISTED_PER_COMPOSITION_CODE = 10;

    private final ImportOptions options;
    private final Map<IssueCode, Long> counts = new EnumMap<>(IssueCode.class);
    private final List<ValidationIssue> issues = new ArrayList<>();
    private final IdIndex seen = new IdIndex(1024);
    private boolean truncated;
    private long lines;
    private long valid;
    private long invalid;
    private long duplicates;

    /** A run with these options. */
    public ImportRun(ImportOptions options) {
        this.options = options;
    }

    /** Receives an accepted example with its canonical line (UTF-8 JSON with tags, no line break). */
    @FunctionalInterface
    public interface LineSink {
        /** Called once per accepted example, in input order. */
        void accept(ReadExample example, byte[] canonical);
    }

    /** Reads a whole input and returns the report; the sink gets accepted examples in order. */
    public ValidationReport run(InputStream in, Consumer<ReadExample> sink) {
        return run(in, false, (r, canonical) -> sink.accept(r));
    }

    /**
     * Reads a whole input as {@link #run(InputStream, Consumer)} does, handing the sink each example's
     * canonical line as well, made on the worker threads (the sink only writes it).
     */
    public ValidationReport runKeepingLines(InputStream in, LineSink sink) {
        return run(in, true, sink);
    }

    private ValidationReport run(InputStream in, boolean keepLines, LineSink sink) {
        JsonlPipeline pipeline = new JsonlPipeline(options,
                LineDecoders.forFormat(options.format(), options.rules()), keepLines);
        pipeline.run(in, r -> accept(r, sink));
        if (lines == 0 && !counts.containsKey(IssueCode.EMPTY_LINE)) {
            record(new ValidationIssue(0, IssueCode.EMPTY_FILE, Severity.WARNING, "the input has no lines"));
        }
        return report();
    }

    /**
     * Turns an accepted line into a duplicate after the fact: the dataset already had its example.
     *
     * @param where where the dataset has it, e.g. {@code "version 3"}
     */
    public void rejectAsKnown(long line, String id, String where) {
        valid--;
        duplicates++;
        record(new ValidationIssue(line, IssueCode.DUPLICATE, Severity.WARNING,
                "the dataset already has this conversation (added in " + where + ", example " + id + "); skipped"));
    }

    /** The report so far, issues in line order. */
    public ValidationReport report() {
        List<ValidationIssue> sorted = new ArrayList<>(issues);
        sorted.sort(java.util.Comparator.comparingLong(ValidationIssue::line));
        return new ValidationReport(lines, valid, invalid, duplicates, counts, sorted, truncated);
    }

    private void accept(JsonlPipeline.LineResult r, LineSink sink) {
        boolean blank = r.example() == null && r.issues().size() == 1
                && r.issues().get(0).code() == IssueCode.EMPTY_LINE;
        if (!blank) {
            lines++;
        }
        boolean error = false;
        for (ValidationIssue issue : r.issues()) {
            record(issue);
            error |= issue.severity() == Severity.ERROR;
        }
        if (error) {
            invalid++;
            return;
        }
        if (r.example() == null) {
            return;
        }
        String id = r.example().id();
        long first = seen.putIfAbsent(id, r.line());
        if (first != IdIndex.NONE) {
            duplicates++;
            record(new ValidationIssue(r.line(), IssueCode.DUPLICATE, Severity.WARNING,
                    "same conversation as line " + first + " (example " + id + "); skipped"));
            return;
        }
        valid++;
        ExampleWarnings.check(r.example(), r.line(), this::record);
        sink.accept(new ReadExample(r.line(), r.example(), r.tokens(), r.assistantTokens()), r.canonical());
    }

    private void record(ValidationIssue issue) {
        long n = counts.merge(issue.code(), 1L, Long::sum);
        if (COMPOSITION_WARNINGS.contains(issue.code()) && n > LISTED_PER_COMPOSITION_CODE) {
            // a dataset without system messages has one on every line: listing them all would
            // crowd the errors out of the bounded list; the count stays exact
            return;
        }
        if (issues.size() < options.maxIssues()) {
            issues.add(issue);
        } else {
            truncated = true;
        }
    }
}
