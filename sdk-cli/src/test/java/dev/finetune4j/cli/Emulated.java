package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI against the testkit's emulators: the environment points the providers at them, as a
 * user would after `finetune4j emulator`, with a store of the test's own.
 */
final class Emulated {

    static final String BASE = "gpt-4o-mini-2024-07-18";

    private final Map<String, String> env = new HashMap<>();
    private final Path store;

    Emulated(Path store, OpenAiEmulator openai, MistralEmulator mistral) {
        this.store = store;
        if (openai != null) {
            env.put("OPENAI_BASE_URL", openai.baseUrl());
            env.put("OPENAI_API_KEY", "sk-test");
        }
        if (mistral != null) {
            env.put("MISTRAL_BASE_URL", mistral.baseUrl());
            env.put("MISTRAL_API_KEY", "test");
        }
    }

    Map<String, String> env() {
        return env;
    }

    Cli.Result run(String... args) {
        return Cli.runWithEnv(env, withStore(args));
    }

    Cli.Result onTerminal(String... args) {
        return Cli.runOnTerminal(env, withStore(args));
    }

    Cli.Result ok(String... args) {
        Cli.Result r = run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private String[] withStore(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    /** voice-parser on openai with dataset main v1 = the sample (57 examples). */
    Emulated assistantWithSample(Path dir) {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok("dataset", "append", "voice-parser/main", sample.toString());
        ok("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);
        return this;
    }

    /** Appends the second batch: dataset main v2 = v1 + 13. */
    Emulated secondBatch(Path dir) {
        Path batch = Cli.sample(dir, Samples.SECOND_BATCH);
        ok("dataset", "append", "voice-parser/main", batch.toString());
        return this;
    }

    /** Trains the latest dataset version and waits; returns the model version number. */
    int train() {
        return ok("train", "voice-parser", "--wait", "--json").json().get("job").get("model_version").asInt();
    }
}
