package dev.finetune4j.cli;

import dev.finetune4j.format.DatasetFormat;

/** Provider defaults of the CLI. */
final class Providers {

    /** The model the OpenAI fine-tuning guide starts with; the default for token counts and cost. */
    static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini-2024-07-18";
    /** The smallest Mistral model that can be fine-tuned; the default for {@code --provider mistral}. */
    static final String DEFAULT_MISTRAL_MODEL = "open-mistral-7b";

    private Providers() {}

    /** The rules to validate with: the provider given, else Mistral's for Mistral files, else OpenAI's. */
    static String rulesFor(String provider, DatasetFormat from) {
        if (provider != null) {
            return provider;
        }
        return from == DatasetFormat.MISTRAL ? "mistral" : "openai";
    }

    /** The default model of a provider, for token counts and cost estimates. */
    static String defaultModel(String provider) {
        return "mistral".equals(provider) ? DEFAULT_MISTRAL_MODEL : DEFAULT_OPENAI_MODEL;
    }
}
