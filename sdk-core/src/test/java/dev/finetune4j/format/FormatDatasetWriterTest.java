package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FormatDatasetWriterTest {

    private static final String CHINESE = "请把这句话翻译成英文：我今天做了三组深蹲。";
    private static final String EMOJI = "Great set! 💪🏽🔥 — keep going 👋";

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void unicode_chineseAndEmoji_surviveByteExact(DatasetFormat format) {
        Example e = Example.of(Message.system("用中文回答 🙂"), Message.user(CHINESE), Message.assistant(EMOJI));

        ConversionFixtures.Converted c = convert(format, e);

        byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
        assertThat(c.text()).contains(CHINESE, EMOJI, "用中文回答 🙂").doesNotContain("\\u");
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(c.text());
        assertThat(contains(bytes, EMOJI.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void unicode_openaiLine_isTheUtf8OfTheCanonicalForm() {
        Example e = Example.of(Message.user(CHINESE), Message.assistant(EMOJI));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (DatasetWriter w = DatasetWriter.open(DatasetFormat.OPENAI, out)) {
            w.write(e);
        }

        assertThat(out.toByteArray()).isEqualTo((e.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void utf8WithBom_startsWithTheMarkFollowedByTheSameLines() {
        Example e = Example.of(Message.user(CHINESE), Message.assistant(EMOJI));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream bom = new ByteArrayOutputStream();

        try (DatasetWriter p = DatasetWriter.open(DatasetFormat.OPENAI, plain);
                DatasetWriter b = DatasetWriter.open(DatasetFormat.OPENAI, FileEncoding.UTF_8_WITH_BOM, bom)) {
            p.write(e);
            p.write(e);
            b.write(e);
            b.write(e);
        }

        byte[] withMark = bom.toByteArray();
        assertThat(java.util.Arrays.copyOf(withMark, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(java.util.Arrays.copyOfRange(withMark, 3, withMark.length)).isEqualTo(plain.toByteArray());
        assertThat(plain.toByteArray()[0]).isEqualTo((byte) '{');
    }

    @Test
    void utf8WithBom_noExamples_isJustTheMark() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (DatasetWriter w = DatasetWriter.open(DatasetFormat.MISTRAL, FileEncoding.UTF_8_WITH_BOM, out)) {
            assertThat(w.report().examplesWritten()).isZero();
        }

        assertThat(out.toByteArray()).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(FileEncoding.UTF_8.preamble()).isEmpty();
    }

    @Test
    void unpairedSurrogate_isRejectedWithoutWritingOrCounting() {
        Example bad = Example.of(Message.user("broken \uD83D text"), Message.assistant("ok"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (DatasetWriter w = DatasetWriter.open(DatasetFormat.HF_MESSAGES, out)) {
            w.write(ConversionFixtures.typical());
            assertThatThrownBy(() -> w.write(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("example 2 (id " + bad.id() + ") cannot be written as hf-messages: ");
            w.write(ConversionFixtures.multiTurn());

            assertThat(w.report().examplesRead()).isEqualTo(2);
            assertThat(w.report().examplesWritten()).isEqualTo(2);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).contains("How are you?");
    }

    @Test
    void streaming_100kExamples_countsEverythingAndKeepsOnlyTheFirst100Notes() {
        CountingStream out = new CountingStream();
        Example written = Example.of(Message.user("Hi"), Message.assistant("Hello").withWeight(0));
        Example skipped = ConversionFixtures.multiTurn();

        ConversionReport report;
        try (DatasetWriter w = DatasetWriter.open(DatasetFormat.ALPACA, out)) {
            for (int i = 0; i < 100_000; i++) {
                w.write(i % 4 == 3 ? skipped : written);
            }
            report = w.report();
        }

        assertThat(report.examplesRead()).isEqualTo(100_000);
        assertThat(report.examplesWritten()).isEqualTo(75_000);
        assertThat(report.examplesSkipped()).isEqualTo(25_000);
        assertThat(report.losses()).containsExactly(
                entry(ConversionLoss.WEIGHT_DROPPED, 75_000L), entry(ConversionLoss.MULTI_TURN_NOT_SUPPORTED, 25_000L));
        assertThat(report.notes()).hasSize(ConversionReport.MAX_NOTES);
        assertThat(report.notes().get(3)).startsWith("example 4 (id " + skipped.id() + "): skipped: ");
        assertThat(out.newlines).isEqualTo(75_000);
        assertThat(out.bytes).isEqualTo(75_000L
                * "{\"instruction\":\"Hi\",\"input\":\"\",\"output\":\"Hello\"}\n".length());
        assertThat(out.flushes).isEqualTo(1);
        assertThat(out.closed).isFalse();
    }

    @Test
    void close_flushesButDoesNotCloseTheStream_andIsIdempotent() {
        CountingStream out = new CountingStream();
        DatasetWriter w = DatasetWriter.open(DatasetFormat.OPENAI, out);
        w.write(ConversionFixtures.typical());

        w.close();
        w.close();

        assertThat(out.flushes).isEqualTo(1);
        assertThat(out.bytes).isEqualTo(ConversionFixtures.typical().toJson().length() + 1);
        assertThat(out.closed).isFalse();
        assertThatThrownBy(() -> w.write(ConversionFixtures.typical()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this openai writer is closed");
        assertThat(w.report().examplesWritten()).isEqualTo(1);
    }

    @Test
    void write_returnsWhetherTheLineWasWritten_andReportIsASnapshot() {
        try (DatasetWriter w = DatasetWriter.open(DatasetFormat.BEDROCK_CLAUDE, new ByteArrayOutputStream())) {
            assertThat(w.format()).isEqualTo(DatasetFormat.BEDROCK_CLAUDE);
            assertThat(w.write(ConversionFixtures.typical())).isTrue();
            ConversionReport before = w.report();
            assertThat(w.write(ConversionFixtures.withTools())).isFalse();

            assertThat(before.examplesRead()).isEqualTo(1);
            assertThat(before.isLossless()).isTrue();
            assertThat(w.report().examplesSkipped()).isEqualTo(1);
            assertThat(w.report().count(ConversionLoss.TOOL_CALLS_NOT_SUPPORTED)).isEqualTo(1);
            assertThat(w.report().count(ConversionLoss.WEIGHT_DROPPED)).isZero();
        }
    }

    @Test
    void failingStream_raisesUncheckedIOExceptionFromClose() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        DatasetWriter w = DatasetWriter.open(DatasetFormat.OPENAI, broken);
        w.write(ConversionFixtures.typical());

        assertThatThrownBy(w::close)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("flushing the openai output failed")
                .hasRootCauseMessage("disk full");
    }

    @Test
    void failingStream_raisesUncheckedIOExceptionFromWrite_onceTheBufferIsFull() {
        OutputStream broken = OutputStream.nullOutputStream();
        try {
            broken.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DatasetWriter w = DatasetWriter.open(DatasetFormat.OPENAI, broken);
        Example big = Example.of(Message.user("x".repeat(70_000)), Message.assistant("y"));

        assertThatThrownBy(() -> w.write(big))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("writing example 1 failed")
                .hasRootCauseMessage("Stream closed");
    }

    @Test
    void nullArguments_areRejected() {
        assertThatThrownBy(() -> DatasetWriter.open(null, new ByteArrayOutputStream()))
                .isInstanceOf(NullPointerException.class).hasMessage("format");
        assertThatThrownBy(() -> DatasetWriter.open(DatasetFormat.OPENAI, null))
                .isInstanceOf(NullPointerException.class).hasMessage("out");
        DatasetWriter w = DatasetWriter.open(DatasetFormat.OPENAI, new ByteArrayOutputStream());
        assertThatThrownBy(() -> w.write(null)).isInstanceOf(NullPointerException.class).hasMessage("example");
    }

    @Test
    void report_copiesItsCollections_andChecksItsCounts() {
        java.util.HashMap<ConversionLoss, Long> losses = new java.util.HashMap<>(
                Map.of(ConversionLoss.NAME_DROPPED, 2L, ConversionLoss.WEIGHT_DROPPED, 0L));
        ConversionReport r = new ConversionReport(DatasetFormat.ALPACA, 3, 3, 0, losses, List.of("n"));
        losses.put(ConversionLoss.TOOLS_DROPPED, 1L);

        assertThat(r.losses()).containsExactly(entry(ConversionLoss.NAME_DROPPED, 2L));
        assertThatThrownBy(() -> r.losses().put(ConversionLoss.TOOLS_DROPPED, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ConversionReport(DatasetFormat.ALPACA, 3, 2, 0, Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inconsistent counts: read 3, written 2, skipped 0");
        assertThatThrownBy(() -> new ConversionReport(DatasetFormat.ALPACA, 1, 1, 0,
                Map.of(ConversionLoss.NAME_DROPPED, -1L), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count of name_dropped must be >= 0, was -1");
    }

    @Test
    void everyLoss_hasAStableSnakeCaseCode_andSkipsAreMarked() {
        for (ConversionLoss loss : ConversionLoss.values()) {
            assertThat(loss.code()).matches("[a-z]+(_[a-z]+)*").isEqualTo(loss.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(ConversionLoss.WEIGHT_DROPPED.skipsExample()).isFalse();
        assertThat(ConversionLoss.MULTI_TURN_NOT_SUPPORTED.skipsExample()).isTrue();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Counts what it is given and keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long bytes;
        long newlines;
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            bytes++;
            newlines += b == '\n' ? 1 : 0;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
