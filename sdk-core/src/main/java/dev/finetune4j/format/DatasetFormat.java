package dev.finetune4j.format;

import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import java.util.Locale;

/**
 * The file formats datasets are exported to and imported from. Every format is JSON Lines, one
 * example per line.
 */
public enum DatasetFormat {
    /** OpenAI chat fine-tuning: {@code {"messages":[...],"tools"?:[...]}}. Import and export. */
    OPENAI("openai"),
    /** Mistral fine-tuning: the OpenAI shape under Mistral's rules. Import and export. */
    MISTRAL("mistral"),
    /** Hugging Face TRL conversational language modelling: {@code {"messages":[...]}}. Export. */
    HF_MESSAGES("hf-messages"),
    /**
     * Hugging Face TRL conversational prompt-completion:
     * {@code {"prompt":[messages],"completion":[assistant message]}}. Export.
     */
    HF_PROMPT_COMPLETION("hf-prompt-completion"),
    /**
     * Alpaca: {@code {"instruction","input","output","system"?}} as Stanford Alpaca and
     * LLaMA-Factory use it (instruction = the user's request, system = the system prompt). Import
     * (also LLaMA-Factory's {@code history}) and export (single-turn only).
     */
    ALPACA("alpaca"),
    /** Google Vertex AI Gemini: {@code {"systemInstruction"?,"contents":[{"role","parts"}]}}. Export. */
    VERTEX_GEMINI("vertex-gemini"),
    /** Amazon Bedrock Claude: {@code {"system"?,"messages":[alternating user/assistant]}}. Export. */
    BEDROCK_CLAUDE("bedrock-claude");

    private final String id;

    DatasetFormat(String id) {
        this.id = id;
    }

    /** The name used on the command line and in configuration, e.g. {@code hf-messages}. */
    public String id() {
        return id;
    }

    /**
     * The data rules a file of this format must follow, on top of the shared checks: for {@link
     * #MISTRAL}, the rules Mistral's fine-tuning format defines (one leading system message, an
     * assistant message last, tool call ids of exactly 9 letters and digits, each tool message
     * naming its call, every called tool defined, no content beside tool calls); {@link
     * DataRules#standard()} for the others. Formats are the core's data, so these rules live here;
     * a provider that uploads in a format starts its own rules from them ({@code
     * DatasetFormat.MISTRAL.rules().toBuilder()...}).
     */
    public DataRules rules() {
        return this == MISTRAL ? FormatRules.MISTRAL : DataRules.standard();
    }

    /** Built on first use, after the enum's constants. */
    private static final class FormatRules {
        static final DataRules MISTRAL = DataRules.builder("Mistral")
                .enable(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE, DataCheck.ASSISTANT_MESSAGE_LAST,
                        DataCheck.TOOL_MESSAGE_HAS_CALL_ID, DataCheck.CALLED_TOOLS_DEFINED,
                        DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS)
                .toolCallIdFormat("[a-zA-Z0-9]{9}", "exactly 9 characters, each a-z, A-Z or 0-9")
                .build();
    }

    /** Whether files of this format can be imported as examples. */
    public boolean importable() {
        return this == OPENAI || this == MISTRAL || this == ALPACA;
    }

    /**
     * The format with this id (case-insensitive).
     *
     * @throws IllegalArgumentException naming every known id
     */
    public static DatasetFormat fromId(String id) {
        for (DatasetFormat f : values()) {
            if (f.id.equalsIgnoreCase(id) || f.name().equalsIgnoreCase(id)) {
                return f;
            }
        }
        StringBuilder known = new StringBuilder();
        for (DatasetFormat f : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(f.id);
        }
        throw new IllegalArgumentException("unknown format '" + id + "': use one of " + known
                + " (" + "case-insensitive)");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
