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

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aStreamThatFails_failsTheRunNamingTheLastLineRead(int parallelism) {
        byte[] twoLines = "{}\n{}\n".getBytes(StandardCharsets.UTF_8);
        java.io.InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(twoLines),
                new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw new java.io.IOException("disk gone");
                    }
                });
        JsonlPipeline pipeline = new JsonlPipeline(ImportOptions.builder().parallelism(parallelism).build(),
                (node, line, issues) -> Example.of(Message.user("u" + line), Message.assistant("a")));

        assertThatThrownBy(() -> pipeline.run(failing, r -> { }))
                .isInstanceOf(FineTuneException.class)
                .hasMessage("could not read the input after line 2: disk gone");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    @org.junit.jupiter.api.Timeout(60) // a guard: before, a reader thread that died left the caller waiting forever
    void runningOutOfMemoryWhileSplitting_failsTheRunNamingTheLine(int parallelism) {
        byte[] twoLines = "{}\n{}\n".getBytes(StandardCharsets.UTF_8);
        java.io.InputStream exhausted = new java.io.SequenceInputStream(new ByteArrayInputStream(twoLines),
                new java.io.InputStream() {
                    @Override
                    public int read() {
                        throw new OutOfMemoryError("Java heap space");
                    }
                });
        JsonlPipeline pipeline = new JsonlPipeline(ImportOptions.builder().parallelism(parallelism).build(),
                (node, line, issues) -> Example.of(Message.user("u" + line), Message.assistant("a")));

        assertThatThrownBy(() -> pipeline.run(exhausted, r -> { }))
                .isInstanceOf(FineTuneException.class)
                .hasMessage("line 3: not enough memory to read this line (Java heap space); give the JVM more heap (-Xmx)");
    }
}
