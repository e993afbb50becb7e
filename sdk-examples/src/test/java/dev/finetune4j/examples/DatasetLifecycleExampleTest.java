package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLifecycleExampleTest {

    @TempDir
    Path dir;

    @Test
    void run_importsAppendsPricesAdvisesAndExports() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            jsonl.append("{\"messages\":[{\"role\":\"system\",\"content\":\"You are a voice command parser.\"},")
                    .append("{\"role\":\"user\",\"content\":\"bench press ").append(100 + i).append(" for 8\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"{\\\"weight\\\":").append(100 + i)
                    .append(",\\\"reps\\\":8}\"}]}\n");
        }
        jsonl.append("{\"messages\":[{\"role\":\"human\",\"content\":\"x\"}]}\n");
        Path file = dir.resolve("train.jsonl");
        Files.writeString(file, jsonl);
        Path export = dir.resolve("out.jsonl");

        String output = DatasetLifecycleExample.run(file, dir.resolve("store"), export);

        assertThat(output).contains("31 lines: 30 valid, 1 invalid, 0 duplicates")
                .contains("line 31: unrecognized_role")
                .contains("version 2: 31 examples, 1 added")
                .contains("3900 billed tokens over 4 epochs: USD 0.0117")
                .contains("1 new example since the trained version (30 examples, +3 %): not yet");
        List<String> lines = Files.readAllLines(export);
        assertThat(output).contains("exported " + lines.size() + " examples to hf-messages");
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"messages\":["));
    }
}
