package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ValidationIssue;
import java.util.List;

/**
 * Turns one parsed JSONL line of some importable format into an {@link Example}, reporting
 * problems as {@link ValidationIssue}s. Implementations are stateless and thread-safe.
 */
public interface LineDecoder {

    /**
     * Reads one example.
     *
     * @param node the parsed line
     * @param line its 1-based line number, for the issues
     * @param issues receives every problem found (errors and warnings)
     * @return the example, or {@code null} when an error was reported
     */
    Example read(JsonNode node, long line, List<ValidationIssue> issues);
}
