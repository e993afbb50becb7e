package dev.finetune4j.internal.validate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuneException;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlPipelineTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aLineThatBreaksTheDecoder_failsTheRunWithItsLineNumber(int parallelism) {
        LineDecoder breaksOnLineTwo = (node, line, issues) -> {
            if (line == 2) {
                throw new IllegalStateException("decoder bug");
            }
            return Example.of(Message.user("u" + line), Message.assistant("a"));
        };
        JsonlPipeline pipeline = new JsonlPipeline(ImportOptions.builder().parallelism(parallelism).build(),
                breaksOnLineTwo);
        byte[] input = "{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(input), r -> { }))
                .isInstanceOf(FineTuneException.class)
                .hasMessage("line 2: could not read this line: java.lang.IllegalStateException: decoder bug");
    }
}
