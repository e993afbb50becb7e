package dev.finetune4j.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A candidate against a baseline on the same examples, for one scorer, with the uncertainty that
 * small evaluation sets carry.
 *
 * @param candidate the candidate target
 * @param baseline the baseline target
 * @param scorer the scorer's name
 * @param candidateMean the candidate's mean score
 * @param baselineMean the baseline's mean score
 * @param difference {@code candidateMean - baselineMean}
 * @param ciLow the low end of the 95 % paired-bootstrap confidence interval of the difference
 * @param ciHigh the high end of that interval
 * @param pValue two-sided paired sign-flip permutation test of "no difference"
 * @param rightToWrong examples the baseline got right and the candidate got wrong
 * @param wrongToRight examples the baseline got wrong and the candidate got right
 * @param regressions the first (at most 20) examples that went from right to wrong
 * @param fieldDifferences per field, candidate accuracy minus baseline accuracy
 */
public record Comparison(EvalTarget candidate, EvalTarget baseline, String scorer, double candidateMean,
        double baselineMean, double difference, double ciLow, double ciHigh, double pValue, int rightToWrong,
        int wrongToRight, List<Regression> regressions, Map<String, Double> fieldDifferences) {

    /** Copies the collections. */
    public Comparison {
        regressions = List.copyOf(regressions);
        fieldDifferences = java.util.Collections.unmodifiableMap(new TreeMap<>(fieldDifferences));
    }

    /** Whether the 95 % interval lies entirely above zero. */
    public boolean significantlyBetter() {
        return ciLow > 0;
    }

    /**
     * One example that got worse.
     *
     * @param index the example's position in the evaluation set (0-based)
     * @param input the last user message
     * @param expected the expected answer
     * @param baselineAnswer the baseline's answer
     * @param candidateAnswer the candidate's answer
     */
    public record Regression(int index, String input, String expected, String baselineAnswer,
            String candidateAnswer) {}
}
