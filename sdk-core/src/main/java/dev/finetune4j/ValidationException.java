package dev.finetune4j;

import dev.finetune4j.dataset.ValidationReport;
import java.util.Objects;

/**
 * Input data has problems the user must fix; carries the full report with line numbers and codes.
 */
public class ValidationException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final transient ValidationReport report;

    /** Creates the exception for a report that has at least one error. */
    public ValidationException(String message, ValidationReport report) {
        super(message);
        this.report = Objects.requireNonNull(report, "report");
    }

    /** The report: every problem with its line number and stable code. */
    public ValidationReport report() {
        return report;
    }
}
