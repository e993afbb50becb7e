package dev.finetune4j.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The results of one evaluation: every target's score on every example, summaries per target and
 * scorer (with per-field accuracy), and paired comparisons between targets. Immutable.
 */
public final class EvalReport {

    private static final int RESAMPLES = 2000;
    private static final long SEED = 42;

    private final String id;
    private final String assistant;
    private final String evaluationSet;
    private final Instant createdAt;
    private final List<EvalTarget> targets;
    private final List<String> scorers;
    private final List<Item> items;
    private final Score[][][] scores;
    private final String[][] answers;
    private final boolean[][] failed;

    /**
     * One evaluated example.
     *
     * @param input the last user message
     * @param expected the expected answer
     */
    public record Item(String input, String expected) {}

    /**
     * Creates a report; the evaluator creates these.
     *
     * @param scores {@code [target][example][scorer]}
     * @param answers {@code [target][example]}, the model's answer ("" when the call failed)
     * @param failed {@code [target][example]}, whether the call failed
     */
    public EvalReport(String id, String assistant, String evaluationSet, Instant createdAt, List<EvalTarget> targets,
            List<String> scorers, List<Item> items, Score[][][] scores, String[][] answers, boolean[][] failed) {
        this.id = Objects.requireNonNull(id, "id");
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        this.evaluationSet = Objects.requireNonNull(evaluationSet, "evaluationSet");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.targets = List.copyOf(targets);
        this.scorers = List.copyOf(scorers);
        this.items = List.copyOf(items);
        // deep copies: the report is immutable whatever the caller does with its arrays afterwards
        this.scores = new Score[scores.length][][];
        for (int t = 0; t < scores.length; t++) {
            this.scores[t] = new Score[scores[t].length][];
            for (int e = 0; e < scores[t].length; e++) {
                this.scores[t][e] = scores[t][e].clone();
            }
        }
        this.answers = new String[answers.length][];
        for (int t = 0; t < answers.length; t++) {
            this.answers[t] = answers[t].clone();
        }
        this.failed = new boolean[failed.length][];
        for (int t = 0; t < failed.length; t++) {
            this.failed[t] = failed[t].clone();
        }
    }

    /** The report id ({@code eval-...}). */
    public String id() {
        return id;
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** What was evaluated on, e.g. {@code avatar-42/main@3 validation}. */
    public String evaluationSet() {
        return evaluationSet;
    }

    /** When the evaluation ran. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The targets. */
    public List<EvalTarget> targets() {
        return targets;
    }

    /** The scorers' names. */
    public List<String> scorers() {
        return scorers;
    }

    /** The examples, in evaluation order. */
    public List<Item> items() {
        return items;
    }

    /** A target's answer to an example. */
    public String answer(EvalTarget target, int example) {
        return answers[index(target)][example];
    }

    /** A target's score on an example. */
    public Score score(EvalTarget target, int example, String scorer) {
        return scores[index(target)][example][scorerIndex(scorer)];
    }

    private int index(EvalTarget target) {
        int i = targets.indexOf(target);
        if (i < 0) {
            throw new IllegalArgumentException("target " + target.label() + " is not in this report; it has "
                    + targets.stream().map(EvalTarget::label).toList());
        }
        return i;
    }

    private int scorerIndex(String scorer) {
        int i = scorers.indexOf(scorer);
        if (i < 0) {
            throw new IllegalArgumentException("scorer '" + scorer + "' is not in this report; it has " + scorers);
        }
        return i;
    }

    /** One target's summary for one scorer. */
    public TargetSummary summary(EvalTarget target, String scorer) {
        int t = index(target);
        int s = scorerIndex(scorer);
        double sum = 0;
        long right = 0;
        long unparseable = 0;
        long failedCalls = 0;
        Map<String, long[]> fields = new LinkedHashMap<>();
        for (int e = 0; e < items.size(); e++) {
            Score score = scores[t][e][s];
            sum += score.value();
            right += score.right() ? 1 : 0;
            unparseable += score.parseable() ? 0 : 1;
            failedCalls += failed[t][e] ? 1 : 0;
            score.fields().forEach((name, ok) -> {
                long[] c = fields.computeIfAbsent(name, k -> new long[2]);
                c[0] += ok ? 1 : 0;
                c[1]++;
            });
        }
        Map<String, FieldAccuracy> accuracy = new HashMap<>();
        fields.forEach((name, c) -> accuracy.put(name, new FieldAccuracy(c[0], c[1])));
        return new TargetSummary(target, scorer, items.isEmpty() ? 0 : sum / items.size(), right, items.size(),
                unparseable, failedCalls, accuracy);
    }

    /**
     * Compares a candidate with a baseline on the same examples: mean difference, a 95 % paired
     * bootstrap interval and a paired sign-flip permutation p-value (both seeded, so a report always
     * gives the same numbers), the examples that changed, and per-field differences.
     */
    public Comparison compare(EvalTarget candidate, EvalTarget baseline, String scorer) {
        int c = index(candidate);
        int b = index(baseline);
        int s = scorerIndex(scorer);
        int n = items.size();
        double[] diff = new double[n];
        int rightToWrong = 0;
        int wrongToRight = 0;
        List<Comparison.Regression> regressions = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            Score cs = scores[c][e][s];
            Score bs = scores[b][e][s];
            diff[e] = cs.value() - bs.value();
            if (bs.right() && !cs.right()) {
                rightToWrong++;
                if (regressions.size() < 20) {
                    regressions.add(new Comparison.Regression(e, items.get(e).input(), items.get(e).expected(),
                            answers[b][e], answers[c][e]));
                }
            } else if (!bs.right() && cs.right()) {
                wrongToRight++;
            }
        }
        double mean = mean(diff);
        Random random = new Random(SEED);
        double[] boot = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += diff[random.nextInt(n)];
            }
            boot[r] = n == 0 ? 0 : sum / n;
        }
        java.util.Arrays.sort(boot);
        int extreme = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += random.nextBoolean() ? diff[i] : -diff[i];
            }
            if (Math.abs(n == 0 ? 0 : sum / n) >= Math.abs(mean) - 1e-12) {
                extreme++;
            }
        }
        TargetSummary cand = summary(candidate, scorer);
        TargetSummary base = summary(baseline, scorer);
        Map<String, Double> fieldDiff = new HashMap<>();
        cand.fields().forEach((name, acc) -> {
            FieldAccuracy other = base.fields().get(name);
            fieldDiff.put(name, acc.accuracy() - (other == null ? 0 : other.accuracy()));
        });
        base.fields().forEach((name, acc) -> fieldDiff.putIfAbsent(name, -acc.accuracy()));
        return new Comparison(candidate, baseline, scorer, cand.mean(), base.mean(), mean,
                boot[(int) (RESAMPLES * 0.025)], boot[(int) (RESAMPLES * 0.975) - 1],
                n == 0 ? 1 : (double) (extreme + 1) / (RESAMPLES + 1), rightToWrong, wrongToRight, regressions,
                fieldDiff);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    /** A readable table: one row per target and scorer, then per-field accuracy. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("evaluation ").append(id).append(" of ").append(assistant).append(" on ").append(evaluationSet)
                .append(" (").append(items.size()).append(" examples)\n");
        for (String scorer : scorers) {
            for (EvalTarget t : targets) {
                TargetSummary s = summary(t, scorer);
                sb.append(String.format(Locale.ROOT, "  %-8s %-12s mean %6.2f %%  right %d/%d%s%s%n", t.label(), scorer,
                        100 * s.mean(), s.right(), s.examples(),
                        s.unparseable() > 0 ? "  unparseable " + s.unparseable() : "",
                        s.failedCalls() > 0 ? "  failed calls " + s.failedCalls() : ""));
                s.fields().forEach((name, acc) -> sb.append(String.format(Locale.ROOT, "           %-20s %6.2f %%%n",
                        name, 100 * acc.accuracy())));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "EvalReport[" + id + ", " + assistant + ", " + items.size() + " examples, targets "
                + targets.stream().map(EvalTarget::label).toList() + "]";
    }
}
