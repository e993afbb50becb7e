package dev.finetune4j.dataset;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a validation or import found, line by line.
 *
 * <p>Counts are always exact; {@link #issues()} keeps at most the first
 * {@link ImportOptions#maxIssues()} issues so a file of a million bad lines cannot exhaust memory
 * ({@link #issuesTruncated()} says when some were left out). The warnings about what a dataset is
 * made of rather than about a fault of a line, {@link IssueCode#MISSING_SYSTEM_MESSAGE} and
 * {@link IssueCode#MISSING_USER_MESSAGE}, are listed for their first 10 lines only (a dataset
 * without system messages has one on every line), and counted for all in {@link #countsByCode()}.
 *
 * @param lines non-blank lines read (candidate examples)
 * @param valid examples accepted (after removing duplicates)
 * @param invalid lines rejected with at least one error
 * @param duplicates lines skipped because the same example was seen before
 * @param countsByCode how many issues of each code were found, errors and warnings
 * @param issues the issues in line order, at most {@code maxIssues}
 * @param issuesTruncated whether issues were left out of {@code issues}
 */
public record ValidationReport(long lines, long valid, long invalid, long duplicates,
        Map<IssueCode, Long> countsByCode, List<ValidationIssue> issues, boolean issuesTruncated) {

    /** Copies the collections. */
    public ValidationReport {
        countsByCode = countsByCode.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(countsByCode));
        issues = List.copyOf(issues);
    }

    /** Whether any line was rejected. */
    public boolean hasErrors() {
        return invalid > 0;
    }

    /** The errors kept in {@link #issues()}. */
    public List<ValidationIssue> errors() {
        return issues.stream().filter(i -> i.severity() == ValidationIssue.Severity.ERROR).toList();
    }

    /** The warnings kept in {@link #issues()}. */
    public List<ValidationIssue> warnings() {
        return issues.stream().filter(i -> i.severity() == ValidationIssue.Severity.WARNING).toList();
    }

    /** How many issues had this code. */
    public long count(IssueCode code) {
        return countsByCode.getOrDefault(Objects.requireNonNull(code, "code"), 0L);
    }

    /** A one-line summary, e.g. {@code "60 lines: 57 valid, 3 invalid, 0 duplicates"}. */
    public String summary() {
        return lines + " lines: " + valid + " valid, " + invalid + " invalid, " + duplicates + " duplicates";
    }
}
