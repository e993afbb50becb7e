package dev.finetune4j.huggingface.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.kit.SseEvent;
import dev.finetune4j.spi.kit.SseReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerLogsTest {

    /** What a TRL SFT job prints, as the Jobs log stream sends it (keep-alives, a progress bar with █). */
    static final List<String> LOG_LINES = List.of(
            "===== Job started at 2026-11-21 10:01:00 =====",
            "finetune4j: acme/huggingface-data@c0ffee: train 40 examples, validation 4 examples",
            "Map: 100%|██████████| 40/40 [00:00<00:00, 2871.33 examples/s]",
            "{'loss': '2.134', 'grad_norm': '1.52', 'learning_rate': '0.0002', 'num_tokens': '8192.0', "
                    + "'mean_token_accuracy': '0.5512', 'epoch': '0.4'}",
            "  20%|██        | 2/10 [00:03<00:12,  1.52s/it]{'loss': '1.875', 'grad_norm': '1.1', 'learning_rate': "
                    + "'0.00016', 'num_tokens': '16384.0', 'mean_token_accuracy': '0.6', 'entropy': '1.25', 'epoch': '0.8'}",
            "{'eval_loss': '1.8', 'eval_runtime': '0.512', 'eval_samples_per_second': '7.8', 'eval_steps_per_second': "
                    + "'1.95', 'eval_num_tokens': '16384.0', 'eval_mean_token_accuracy': '0.61', 'epoch': '1.0'}",
            "{'loss': 1.5, 'grad_norm': 0.9, 'learning_rate': 8e-05, 'epoch': 1.6}",
            "{'loss': nan, 'grad_norm': nan, 'learning_rate': 4e-05, 'epoch': 2.0}",
            "{'train_runtime': '30.12', 'train_samples_per_second': '3.98', 'train_steps_per_second': '0.498', "
                    + "'train_loss': '1.7', 'epoch': '2.0'}",
            "finetune4j: adapter pushed to acme/huggingface-ftj-0a1b2c3d4e5f");

    static byte[] sse(List<String> lines) {
        StringBuilder sb = new StringBuilder(": keep-alive\n\n");
        int i = 0;
        for (String l : lines) {
            String json = "{\"data\":\"" + l.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"timestamp\":\""
                    + Instant.parse("2026-11-21T10:01:00Z").plusSeconds(i++) + "\"}";
            sb.append("data: ").append(json).append("\r\n\r\n");
            if (i % 3 == 0) {
                sb.append(": keep-alive\n\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out the bytes in the pieces given: each read ends at the next cut. */
    static final class Chunked extends InputStream {
        private final byte[] bytes;
        private final int[] cuts;
        private int pos;
        private int next;

        Chunked(byte[] bytes, int... cuts) {
            this.bytes = bytes;
            this.cuts = cuts;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            while (next < cuts.length && cuts[next] <= pos) {
                next++;
            }
            int end = next < cuts.length ? cuts[next] : bytes.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    static List<JobLogs.Line> readLines(InputStream in) {
        List<JobLogs.Line> out = new ArrayList<>();
        try (SseReader r = new SseReader(in)) {
            long n = 0;
            while (r.hasNext()) {
                SseEvent e = r.next();
                out.add(JobLogs.line(++n, e.data()));
            }
        }
        return out;
    }

    static List<MetricPoint> metricsOf(List<JobLogs.Line> lines) {
        TrainerLogs.Collector c = new TrainerLogs.Collector();
        lines.forEach(l -> c.accept(l.text()));
        return c.points();
    }

    @Test
    void quotedAndBareFloats_areRead_andRenamed() {
        assertThat(TrainerLogs.metrics(LOG_LINES.get(3))).containsExactly(entry("train_loss", 2.134),
                entry("grad_norm", 1.52), entry("learning_rate", 0.0002), entry("num_tokens", 8192.0),
                entry("train_mean_token_accuracy", 0.5512), entry("epoch", 0.4));
        assertThat(TrainerLogs.metrics(LOG_LINES.get(6))).containsExactly(entry("train_loss", 1.5),
                entry("grad_norm", 0.9), entry("learning_rate", 8e-05), entry("epoch", 1.6));
        assertThat(TrainerLogs.metrics(LOG_LINES.get(5))).containsExactly(entry("valid_loss", 1.8),
                entry("valid_num_tokens", 16384.0), entry("valid_mean_token_accuracy", 0.61), entry("epoch", 1.0));
        assertThat(TrainerLogs.metrics(LOG_LINES.get(7))).containsExactly(entry("learning_rate", 4e-05),
                entry("epoch", 2.0));
    }

    @Test
    void linesThatAreNotTrainerLogs_giveNothing() {
        assertThat(TrainerLogs.metrics(LOG_LINES.get(0))).isEmpty();
        assertThat(TrainerLogs.metrics(LOG_LINES.get(2))).isEmpty();
        assertThat(TrainerLogs.metrics("config: {'r': 16, 'lora_alpha': 32, 'target_modules': None}")).isEmpty();
        assertThat(TrainerLogs.metrics("{'loss': '1.2', 'epoch'")).isEmpty();
        assertThat(TrainerLogs.metrics("{broken {'loss': 0.75, 'grad_norm': tensor(0.3, device='cuda:0'), "
                + "'epoch': 0.1}")).containsExactly(entry("train_loss", 0.75), entry("epoch", 0.1));
    }

    @Test
    void collector_oneTrainingLogPerPoint_evaluationMergedIntoTheLatest_summaryAddsTheAverage() {
        List<MetricPoint> points = metricsOf(LOG_LINES.stream().map(l -> new JobLogs.Line(0, null, l)).toList());

        assertThat(points).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L, 4L);
        assertThat(points.get(1).values()).containsEntry("train_loss", 1.875).containsEntry("valid_loss", 1.8)
                .containsEntry("valid_mean_token_accuracy", 0.61).containsEntry("train_entropy", 1.25)
                .doesNotContainKeys("valid_runtime", "valid_samples_per_second");
        assertThat(points.get(3).values()).doesNotContainKey("train_loss")
                .containsEntry("train_loss_average", 1.7).containsEntry("train_runtime", 30.12)
                .doesNotContainKey("train_samples_per_second");
    }

    @Test
    void collector_usesTheLoggedStep_whenThereIsOne() {
        TrainerLogs.Collector c = new TrainerLogs.Collector();
        c.accept("{'loss': 0.9, 'step': 50, 'epoch': 0.5}");
        c.accept("{'loss': 0.8, 'step': 100, 'epoch': 1.0}");

        assertThat(c.points()).extracting(MetricPoint::step).containsExactly(50L, 100L);
        assertThat(c.points().get(1).values()).doesNotContainKey("step");
    }

    @Test
    void logStream_splitAtEveryByteBoundary_givesTheSameLinesAndMetrics() {
        byte[] stream = sse(LOG_LINES);
        List<JobLogs.Line> whole = readLines(new Chunked(stream));
        List<MetricPoint> expected = metricsOf(whole);
        assertThat(whole).extracting(JobLogs.Line::text).containsExactlyElementsOf(LOG_LINES);
        assertThat(whole.get(3).at()).isEqualTo(Instant.parse("2026-11-21T10:01:03Z"));
        assertThat(expected).hasSize(4);

        for (int cut = 1; cut < stream.length; cut++) {
            List<JobLogs.Line> lines = readLines(new Chunked(stream, cut));
            assertThat(lines).as("cut at byte %d", cut).isEqualTo(whole);
            assertThat(metricsOf(lines)).as("cut at byte %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void logStream_inManyRandomPieces_insideMultibyteCharactersToo_givesTheSameMetrics() {
        byte[] stream = sse(LOG_LINES);
        List<MetricPoint> expected = metricsOf(readLines(new Chunked(stream)));
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int[] cuts = random.ints(1 + random.nextInt(40), 1, stream.length).sorted().distinct().toArray();
            assertThat(metricsOf(readLines(new Chunked(stream, cuts)))).as("cuts %s", java.util.Arrays.toString(cuts))
                    .isEqualTo(expected);
        }
        assertThat("█".getBytes(StandardCharsets.UTF_8)).as("the bar character spans bytes a cut can fall between")
                .hasSize(3);
    }

    @Test
    void aDataLineThatIsNotJson_isTheLineItself() {
        assertThat(JobLogs.line(7, "plain text")).isEqualTo(new JobLogs.Line(7, null, "plain text"));
        assertThat(JobLogs.line(8, "{\"data\":\"x\",\"timestamp\":\"2026-11-21T10:00:00.5+00:00\"}").at())
                .isEqualTo(Instant.parse("2026-11-21T10:00:00.5Z"));
    }
}
