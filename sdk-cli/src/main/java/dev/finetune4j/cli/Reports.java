package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationReport;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders validation reports the same way in every command. */
final class Reports {

    /**
     * The warnings about what the dataset is made of, the OpenAI cookbook's "examples missing system
     * message" and "missing user message": one line each with the count and the first lines, not
     * one line per example.
     */
    private static final Set<IssueCode> COMPOSITION =
            EnumSet.of(IssueCode.MISSING_SYSTEM_MESSAGE, IssueCode.MISSING_USER_MESSAGE);

    private Reports() {}

    /**
     * One line per issue, {@code line 12: missing_content: ...}; warnings say so after the code.
     *
     * @param limit the most lines to print; the rest are counted
     */
    static void printIssues(PrintWriter out, ValidationReport report, int limit) {
        printIssues(out, report, limit, true);
    }

    /**
     * Like {@link #printIssues(PrintWriter, ValidationReport, int)}, optionally leaving out the
     * duplicate warnings (when every line is a known example, listing them all is noise).
     */
    static void printIssues(PrintWriter out, ValidationReport report, int limit, boolean duplicates) {
        List<ValidationIssue> issues = report.issues().stream()
                .filter(i -> duplicates || i.code() != IssueCode.DUPLICATE)
                .filter(i -> !COMPOSITION.contains(i.code()))
                .toList();
        int shown = Math.min(limit, issues.size());
        for (int i = 0; i < shown; i++) {
            out.println(issueLine(issues.get(i)));
        }
        long total = report.countsByCode().entrySet().stream()
                .filter(e -> duplicates || e.getKey() != IssueCode.DUPLICATE)
                .filter(e -> !COMPOSITION.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        if (total > shown) {
            out.println("... and " + (total - shown) + " more issue(s)"
                    + (report.issuesTruncated() ? " (the report keeps the first " + report.issues().size() + ")" : ""));
        }
        for (IssueCode code : COMPOSITION) {
            printComposition(out, report, code);
        }
    }

    private static void printComposition(PrintWriter out, ValidationReport report, IssueCode code) {
        long n = report.count(code);
        if (n == 0) {
            return;
        }
        List<Long> lines = report.issues().stream().filter(i -> i.code() == code).map(ValidationIssue::line).toList();
        StringBuilder sb = new StringBuilder(code.code()).append(" (warning): ").append(count(n, "example"))
                .append(code == IssueCode.MISSING_SYSTEM_MESSAGE ? " without a system message" : " without a user message")
                .append(", line").append(lines.size() == 1 ? " " : "s ");
        for (int i = 0; i < lines.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(lines.get(i));
        }
        if (n > lines.size()) {
            sb.append(" and ").append(n - lines.size()).append(" more");
        }
        out.println(sb);
    }

    static String issueLine(ValidationIssue i) {
        String severity = i.severity() == ValidationIssue.Severity.WARNING ? " (warning)" : "";
        return "line " + i.line() + ": " + i.code().code() + severity + ": " + i.message();
    }

    /** The validation fields shared by {@code validate}, {@code dataset append} and {@code quickstart}. */
    static void putValidation(ObjectNode doc, ValidationReport report) {
        doc.put("examples", report.lines());
        doc.put("valid", report.valid());
        doc.put("invalid", report.invalid());
        doc.put("duplicates", report.duplicates());
        doc.set("errors", JsonDocs.issues(report.errors()));
        doc.set("warnings", JsonDocs.issues(report.warnings()));
        doc.put("issues_truncated", report.issuesTruncated());
    }

    /** {@code 500 ms}, {@code 90 s}, {@code 30 min}, {@code 2 h}: a duration as a person writes it. */
    static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** {@code "3 invalid lines"}, {@code "1 invalid line"}. */
    static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : plural(singular));
    }

    private static String plural(String singular) {
        if (singular.endsWith("y")) {
            return singular.substring(0, singular.length() - 1) + "ies";
        }
        return singular.endsWith("s") ? singular + "es" : singular + "s";
    }
}
