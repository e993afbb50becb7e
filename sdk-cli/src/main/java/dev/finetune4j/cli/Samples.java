package dev.finetune4j.cli;

import java.io.InputStream;

/**
 * The sample dataset packed in the CLI jar. The repository keeps one copy, under {@code samples/}
 * at its root; the sdk-cli build copies it into the jar so that {@code quickstart} finds it from
 * any working directory.
 */
final class Samples {

    /** 60 lines: 57 good examples and 3 broken lines (14, 31, 47). */
    static final String FIRST_BATCH = "workout-voice-commands.jsonl";
    /** 15 lines: 13 new examples (some Malay and Chinese) and 2 repeats of the first batch. */
    static final String SECOND_BATCH = "workout-voice-commands-batch2.jsonl";

    private Samples() {}

    /** Opens a sample; the caller closes the stream. */
    static InputStream open(String name) {
        InputStream in = Samples.class.getResourceAsStream("/samples/" + name);
        if (in == null) {
            throw new IllegalStateException("the sample " + name + " is missing from the finetune4j jar");
        }
        return in;
    }
}
