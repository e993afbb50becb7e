package dev.finetune4j.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The loss and accuracy an emulated training run reports: smooth curves whose loss strictly
 * decreases step by step, shaped by the training data — the same examples give the same curve
 * (and the same final metrics), other examples another one, so two versions trained on different
 * data do not report identical results. Immutable.
 */
public final class LossCurve {

    private final double floor;
    private final double height;
    private final double rate;
    private final double accuracyGain;

    private LossCurve(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.floor = 0.20 + 0.20 * random.nextDouble();
        this.height = 1.70 + 0.60 * random.nextDouble();
        this.rate = 2.5 + 1.0 * random.nextDouble();
        this.accuracyGain = 0.33 + 0.10 * random.nextDouble();
    }

    /** The curve of a run on these examples. */
    public static LossCurve of(TrainingSet examples) {
        long hash = 0xcbf29ce484222325L;
        for (TrainingSet.Example e : examples.examples()) {
            for (byte b : (e.question() + '\u0000' + Jsons.write(e.reply()) + '\u0001').getBytes(StandardCharsets.UTF_8)) {
                hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
            }
        }
        return new LossCurve(hash);
    }

    /** The training loss after {@code step} of {@code total} steps. */
    public double trainLoss(int step, int total) {
        return round(floor + height * decay(step, total));
    }

    /** The validation loss, a little above the training loss. */
    public double validLoss(int step, int total) {
        return round(trainLoss(step, total) * 1.08 + 0.04);
    }

    /** The mean token accuracy on the training data. */
    public double accuracy(int step, int total) {
        return round(0.55 + accuracyGain * (1 - decay(step, total)));
    }

    /** The mean token accuracy on the validation data, a little below the training one. */
    public double validAccuracy(int step, int total) {
        return round(accuracy(step, total) - 0.02);
    }

    private double decay(int step, int total) {
        return Math.exp(-rate * step / Math.max(1, total));
    }

    /** {@code v} to five decimals, as the curves are reported. */
    public static double round(double v) {
        return Math.round(v * 100_000d) / 100_000d;
    }
}
