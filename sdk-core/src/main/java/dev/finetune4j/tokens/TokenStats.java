package dev.finetune4j.tokens;

import dev.finetune4j.dataset.Example;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Token statistics of a set of examples, as the provider's training counts them.
 *
 * <p>Percentiles are computed like {@code numpy.quantile(values, q)} with its default
 * {@code "linear"} method: for {@code n} sorted values {@code x[0..n-1]} the position is
 * {@code h = (n - 1) * q}, and the result interpolates linearly between {@code x[floor(h)]} and
 * {@code x[floor(h) + 1]}. For the values 1..10, {@code p10} is 1.9 and {@code p90} is 9.1.
 *
 * <p>An empty set has every count, mean and percentile at zero. Build with {@link #accumulator}.
 *
 * @param examples how many examples were counted
 * @param messages how many messages they have in total
 * @param totalTokens the sum of the examples' tokens
 * @param billableTokens the sum over examples of {@code min(limit, tokens)}: what one epoch of
 *     training is billed for, since the provider truncates longer examples; equals
 *     {@code totalTokens} when no per-example limit was set
 * @param minTokens the fewest tokens of one example (0 when empty)
 * @param maxTokens the most tokens of one example (0 when empty)
 * @param meanTokens the mean tokens per example (0 when empty)
 * @param p10 the 10th percentile of tokens per example, numpy-linear (0 when empty)
 * @param p90 the 90th percentile of tokens per example, numpy-linear (0 when empty)
 * @param assistantTokens the sum of the assistant messages' tokens: what training learns to write
 * @param overLimit how many examples have more tokens than the per-example limit (0 when no limit)
 * @param encoding the tokenizer encoding that counted, e.g. {@code o200k_base}
 * @param exact whether the counts are exact for the target model (see {@link TokenCounter#exact()})
 */
public record TokenStats(
        long examples,
        long messages,
        long totalTokens,
        long billableTokens,
        int minTokens,
        int maxTokens,
        double meanTokens,
        double p10,
        double p90,
        long assistantTokens,
        long overLimit,
        String encoding,
        boolean exact) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code encoding} is null
     */
    public TokenStats {
        Objects.requireNonNull(encoding, "encoding");
    }

    /**
     * An accumulator for counts made elsewhere with the named encoding.
     *
     * @param encoding the encoding's name, e.g. {@code o200k_base}
     * @param exact whether the counts are exact for the target model
     */
    public static Accumulator accumulator(String encoding, boolean exact) {
        return new Accumulator(null, Objects.requireNonNull(encoding, "encoding"), exact);
    }

    /**
     * An accumulator that can also count examples itself ({@link Accumulator#add(Example)}) with
     * this counter; the statistics carry the counter's encoding and exactness.
     */
    public static Accumulator accumulator(TokenCounter counter) {
        Objects.requireNonNull(counter, "counter");
        return new Accumulator(counter, counter.encodingName(), counter.exact());
    }

    /**
     * Collects per-example counts one at a time and builds {@link TokenStats}.
     *
     * <p>Memory grows with the number of <em>distinct</em> token counts (a histogram), not with the
     * number of examples, so a dataset of any size can be streamed through it while the
     * percentiles stay exact. The per-example limit may be set before or after adding: it is
     * applied in {@link #build()}. Not thread-safe.
     */
    public static final class Accumulator {

        private final TokenCounter counter;
        private final String encoding;
        private final boolean exact;
        /** token count of one example -> how many examples have it. */
        private final TreeMap<Integer, Long> histogram = new TreeMap<>();
        private long examples;
        private long messages;
        private long totalTokens;
        private long assistantTokens;
        private int limit = Integer.MAX_VALUE;

        private Accumulator(TokenCounter counter, String encoding, boolean exact) {
            this.counter = counter;
            this.encoding = encoding;
            this.exact = exact;
        }

        /**
         * Sets the per-example token limit: longer examples are counted as over the limit, and
         * bill only {@code limit} tokens. Without a call there is no limit.
         *
         * @param maxTokensPerExample the limit, at least 1
         * @return this accumulator
         * @throws IllegalArgumentException if the limit is below 1
         */
        public Accumulator maxTokensPerExample(int maxTokensPerExample) {
            if (maxTokensPerExample < 1) {
                throw new IllegalArgumentException(
                        "maxTokensPerExample must be at least 1, was " + maxTokensPerExample);
            }
            this.limit = maxTokensPerExample;
            return this;
        }

        /**
         * Adds one example's counts.
         *
         * @param tokens the example's tokens, at least 0
         * @param assistantTokens its assistant messages' tokens, between 0 and {@code tokens}
         * @param messages its number of messages, at least 0
         * @return this accumulator
         * @throws IllegalArgumentException if a count is out of range
         */
        public Accumulator add(int tokens, int assistantTokens, int messages) {
            if (tokens < 0) {
                throw new IllegalArgumentException("tokens must be at least 0, was " + tokens);
            }
            if (assistantTokens < 0 || assistantTokens > tokens) {
                throw new IllegalArgumentException("assistantTokens must be between 0 and tokens ("
                        + tokens + "), was " + assistantTokens);
            }
            if (messages < 0) {
                throw new IllegalArgumentException("messages must be at least 0, was " + messages);
            }
            histogram.merge(tokens, 1L, Long::sum);
            this.examples++;
            this.messages += messages;
            this.totalTokens += tokens;
            this.assistantTokens += assistantTokens;
            return this;
        }

        /**
         * Counts an example with the accumulator's counter and adds it.
         *
         * @return this accumulator
         * @throws IllegalStateException if the accumulator was made without a counter
         */
        public Accumulator add(Example example) {
            Objects.requireNonNull(example, "example");
            if (counter == null) {
                throw new IllegalStateException("this accumulator has no TokenCounter: create it with "
                        + "TokenStats.accumulator(TokenCounter) to add examples, or add counts");
            }
            TokenCounter.ExampleTokens counted = counter.countBoth(example);
            return add(counted.total(), counted.assistant(), example.messages().size());
        }

        /** How many examples were added so far. */
        public long examples() {
            return examples;
        }

        /**
         * The statistics of what was added so far; the accumulator stays usable.
         *
         * @return the statistics, all zero when nothing was added
         */
        public TokenStats build() {
            if (examples == 0) {
                return new TokenStats(0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0, 0, encoding, exact);
            }
            long billable = 0;
            long overLimit = 0;
            for (Map.Entry<Integer, Long> e : histogram.entrySet()) {
                int tokens = e.getKey();
                long count = e.getValue();
                billable += Math.min(tokens, limit) * count;
                if (tokens > limit) {
                    overLimit += count;
                }
            }
            return new TokenStats(examples, messages, totalTokens, billable,
                    histogram.firstKey(), histogram.lastKey(), (double) totalTokens / examples,
                    quantile(0.1), quantile(0.9), assistantTokens, overLimit, encoding, exact);
        }

        /** numpy's default ("linear") quantile, including its two-sided interpolation formula. */
        private double quantile(double q) {
            double h = (examples - 1) * q;
            long lo = (long) Math.floor(h);
            double gamma = h - lo;
            double a = orderStatistic(lo);
            double b = orderStatistic(Math.min(lo + 1, examples - 1));
            double diff = b - a;
            // numpy.lib._function_base_impl._lerp: the b-side form for gamma >= 0.5 keeps the
            // result bit-identical to numpy's.
            return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
        }

        /** The k-th smallest (0-based) example token count. */
        private int orderStatistic(long k) {
            long seen = 0;
            for (Map.Entry<Integer, Long> e : histogram.entrySet()) {
                seen += e.getValue();
                if (k < seen) {
                    return e.getKey();
                }
            }
            throw new IllegalStateException("order statistic " + k + " of " + examples + " examples");
        }
    }
}
