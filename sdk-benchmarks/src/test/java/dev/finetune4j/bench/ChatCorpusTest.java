package dev.finetune4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated benchmark input is what the benchmarks claim it is; no timing here. */
class ChatCorpusTest {

    @TempDir
    Path dir;

    @Test
    void write_sameSeed_givesTheSameBytes() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");

        ChatCorpus.write(a, 2_000, 1);
        ChatCorpus.write(b, 2_000, 1);

        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    }

    @Test
    void write_reportsDuplicatesAndInvalidLines_asTheImportFindsThem() {
        Path file = dir.resolve("chat.jsonl");

        ChatCorpus.Stats stats = ChatCorpus.write(file, 20_000, 42);
        ValidationReport report = JsonlReader.validate(file, ImportOptions.defaults());

        assertThat(report.lines()).isEqualTo(stats.lines());
        assertThat(report.duplicates()).isEqualTo(stats.duplicates());
        assertThat(report.invalid()).isEqualTo(stats.invalid());
        assertThat(report.valid()).isEqualTo(stats.lines() - stats.duplicates() - stats.invalid());
        assertThat(stats.duplicates()).isBetween(120L, 280L);
        assertThat(stats.invalid()).isPositive();
        assertThat(stats.bytesPerLine()).isBetween(650.0, 950.0);
    }

    @Test
    void examples_withAnotherSeed_areNotInTheFile() {
        Path file = dir.resolve("chat.jsonl");
        ChatCorpus.write(file, 5_000, 42);
        List<Example> fresh = ChatCorpus.examples(43, 0, 1_000);

        ValidationReport before = JsonlReader.validate(file, ImportOptions.defaults());
        long[] seen = {0};
        JsonlReader.read(file, ImportOptions.defaults(), r -> {
            if (fresh.stream().anyMatch(e -> e.id().equals(r.example().id()))) {
                seen[0]++;
            }
        });

        assertThat(before.valid()).isPositive();
        assertThat(seen[0]).isZero();
        assertThat(fresh.stream().map(Example::id).distinct()).hasSize(1_000);
    }
}
