package dev.finetune4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.tokens.TokenCounter;
import org.junit.jupiter.api.Test;

class LossCurveTest {

    private static TrainingSet examples(String... answers) {
        StringBuilder jsonl = new StringBuilder();
        for (String a : answers) {
            jsonl.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Say it\"},{\"role\":\"assistant\",\"content\":\"")
                    .append(a).append("\"}]}\n");
        }
        TrainingSet.Parsed parsed = TrainingSet.parse(jsonl.toString(), TrainingSet.Shape.CHAT,
                TokenCounter.forModel("gpt-4o-mini"));
        assertThat(parsed.ok()).isTrue();
        return parsed.set();
    }

    @Test
    void theSameExamples_giveTheSameCurve_otherExamplesAnother() {
        LossCurve v1 = LossCurve.of(examples("one", "two", "three"));
        LossCurve again = LossCurve.of(examples("one", "two", "three"));
        LossCurve v2 = LossCurve.of(examples("one", "two", "three", "four"));

        assertThat(again.trainLoss(30, 30)).isEqualTo(v1.trainLoss(30, 30));
        assertThat(again.accuracy(30, 30)).isEqualTo(v1.accuracy(30, 30));
        assertThat(v2.trainLoss(30, 30)).isNotEqualTo(v1.trainLoss(30, 30));
        assertThat(v2.validLoss(30, 30)).isNotEqualTo(v1.validLoss(30, 30));
    }

    @Test
    void lossStrictlyDecreases_accuracyRises_validationIsAboveTraining() {
        LossCurve curve = LossCurve.of(examples("a", "b"));

        for (int step = 1; step < 200; step++) {
            assertThat(curve.trainLoss(step + 1, 200)).isLessThan(curve.trainLoss(step, 200));
            assertThat(curve.accuracy(step + 1, 200)).isGreaterThanOrEqualTo(curve.accuracy(step, 200));
            assertThat(curve.validLoss(step, 200)).isGreaterThan(curve.trainLoss(step, 200));
        }
        assertThat(curve.trainLoss(200, 200)).isBetween(0.2, 0.6);
        assertThat(curve.trainLoss(1, 200)).isBetween(1.8, 2.8);
    }
}
