package com.example.hostapp;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host application's own code on finetune4j's public API: one assistant that turns a spoken
 * workout command into JSON, trained on the application's examples and answering through the
 * router. The application owns the {@link FineTuning} (its store, its provider).
 */
public final class VoiceParser implements AutoCloseable {

    static final String ASSISTANT = "voice-parser";

    private final FineTuning ft;
    private ChatRouter router;

    public VoiceParser(FineTuning ft) {
        this.ft = ft;
    }

    /** Imports the examples, trains on them, and makes the trained model the one that answers. */
    public FineTuneJob train(Path examplesJsonl, String provider, String baseModel) {
        ft.createAssistant(ASSISTANT, provider, baseModel);
        ft.dataset(ASSISTANT + "/main").importJsonl(examplesJsonl, ImportOptions.defaults(), "host-app");
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder(ASSISTANT, "main").build())
                .awaitCompletion(Duration.ofMinutes(1));
        ft.assistant(ASSISTANT).activate(job.modelVersion().orElseThrow(), Change.by("host-app", "trained"));
        return job;
    }

    /** The active model's answer to one command. */
    public String parse(String command) {
        if (router == null) {
            router = ft.chatRouter(ChatRouter.Options.defaults());   // one per application, reused
        }
        return router.chat(ChatRequest.of(ASSISTANT, command)).content();
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
    }
}
