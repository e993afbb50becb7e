package dev.finetune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalReportTest {

    @Test
    void aReport_isImmutable_whateverTheCallerDoesWithItsArraysAfterwards() {
        Score[][][] scores = {{{Score.of(true)}}};
        String[][] answers = {{"right"}};
        boolean[][] failed = {{false}};
        EvalTarget v1 = EvalTarget.version(1);
        EvalReport report = new EvalReport("eval-1", "parser", "parser/main@1 validation", Instant.EPOCH, List.of(v1),
                List.of("exact"), List.of(new EvalReport.Item("squat 100", "right")), scores, answers, failed);

        scores[0][0][0] = Score.of(false);
        answers[0][0] = "changed";
        failed[0][0] = true;

        assertThat(report.score(v1, 0, "exact").value()).isEqualTo(1.0);
        assertThat(report.answer(v1, 0)).isEqualTo("right");
    }
}
