package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.lifecycle.ModelLifecycle;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code finetune4j chat ASSISTANT "message"}: one call through the chat router. The answer goes to
 * stdout; what answered it, the tokens and the cost to stderr. With {@code --json}, exactly
 * {@code {"call_id", "content", "served_by": {"assistant", "model_version", "prompt_version", "provider",
 * "provider_model_id", "arm", "fallback"}, "usage": {"input_tokens", "output_tokens", "cost"}, "lifecycle":
 * {...}}} ({@link LifecycleDocs#json}: the end-of-life events of the model that answered).
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {
            "Send one message to an assistant through the chat router and print the answer.",
            "The live selection answers: the active model version (or the base model) with the active prompt "
                + "version; a candidate answers its share of --subject keys. --pin tests a version (or base) "
                + "before it goes live. A version whose model is gone or failing is answered by the base model "
                + "and flagged as a fallback.",
            "The answer goes to stdout; what answered it, the tokens and the cost go to stderr."
        })
final class ChatCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "What the user says.")
    String message;

    @Option(names = "--pin", paramLabel = "VERSION|base", converter = Pin.class,
            description = "Answer with this model version (2 or v2), or with the base model (base), live or not.")
    Integer pin;

    @Option(names = "--prompt", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "Use this prompt version instead of the active one.")
    Integer prompt;

    @Option(names = "--subject", paramLabel = "KEY",
            description = "The user or conversation the call is for: a candidate's share is chosen by it, "
                    + "so the same key always lands on the same version.")
    String subject;

    @Option(names = "--stream", description = "Print the answer as it arrives.")
    boolean stream;

    @Option(names = "--capture", description = "Capture this call (unredacted) for feedback and curation; "
            + "see finetune4j feedback and finetune4j captures.")
    boolean capture;

    /** {@code base} is 0, a version its number. */
    static final class Pin implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equalsIgnoreCase("base")) {
                return 0;
            }
            try {
                return new Converters.VersionNumber().convert(value);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("'" + value + "' is neither a version number (2, v2) nor base");
            }
        }
    }

    @Override
    public Integer call() {
        if (message.isBlank()) {
            throw usage("MESSAGE must not be blank");
        }
        if (subject != null && subject.isBlank()) {
            throw usage("--subject must not be blank");
        }
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            s.providers().primary(a.selection().provider());
            ChatRequest.Builder b = ChatRequest.builder(a.name()).user(message);
            if (pin != null) {
                if (pin == 0) {
                    b.pinBaseModel();
                } else {
                    b.pinModelVersion(pin);
                }
            }
            if (prompt != null) {
                b.pinPromptVersion(prompt);
            }
            if (subject != null) {
                b.subject(subject);
            }
            if (capture) {
                s.ft().captures().enable(a.name(), CapturePolicy.builder().build());
            }
            PrintWriter out = cli.out();
            ChatResponse r;
            // one call, so one router; it is closed with the session's FineTuning as well
            try (ChatRouter router = s.ft().chatRouter(ChatRouter.Options.defaults())) {
                if (stream) {
                    r = router.chatStream(b.build(), piece -> {
                        if (!cli.json()) {
                            out.print(piece);
                            out.flush();
                        }
                    });
                    if (!cli.json()) {
                        out.println();
                    }
                } else {
                    r = router.chat(b.build());
                    if (!cli.json()) {
                        out.println(r.content());
                    }
                }
            }
            ModelLifecycle lifecycle = lifecycle(s.ft(), r.servedBy());
            if (cli.json()) {
                ObjectNode doc = json(r);
                doc.set("lifecycle", LifecycleDocs.json(lifecycle));
                cli.printJson(doc);
            } else {
                out.flush();
                cli.err().println("  (" + servedBy(r) + ")");
                if (lifecycle.affected()) {
                    cli.err().println("  lifecycle: " + lifecycle.summary() + "; `finetune4j doctor` says what to run");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The lifecycle of the model that answered: its version's, or the base model's. */
    static ModelLifecycle lifecycle(FineTuning ft, ServedBy by) {
        if (by.modelVersion() == 0) {
            return ft.lifecycle().ofModel(by.provider(), by.providerModelId(), by.providerModelId());
        }
        return ft.assistant(by.assistant()).modelVersion(by.modelVersion()).map(ft.lifecycle()::of)
                .orElseGet(() -> ft.lifecycle().ofModel(by.provider(), by.providerModelId(), by.providerModelId()));
    }

    /** The {@code --json} document of one answer. */
    static ObjectNode json(ChatResponse r) {
        ServedBy by = r.servedBy();
        ObjectNode doc = JsonDocs.object();
        doc.put("call_id", r.callId());
        doc.put("content", r.content());
        ObjectNode s = doc.putObject("served_by");
        s.put("assistant", by.assistant());
        if (by.modelVersion() == 0) {
            s.putNull("model_version");
        } else {
            s.put("model_version", by.modelVersion());
        }
        if (by.promptVersion() == 0) {
            s.putNull("prompt_version");
        } else {
            s.put("prompt_version", by.promptVersion());
        }
        s.put("provider", by.provider());
        s.put("provider_model_id", by.providerModelId());
        s.put("arm", JsonDocs.lower(by.arm()));
        s.put("fallback", by.fallback());
        ObjectNode u = doc.putObject("usage");
        u.put("input_tokens", r.usage().inputTokens());
        u.put("output_tokens", r.usage().outputTokens());
        Jobs.putMoney(u, "cost", r.cost().orElse(null));
        return doc;
    }

    /**
     * What answered, in words: {@code model v1 (openai ft:...) with prompt v2, arm active; 52 + 21
     * tokens, USD 0.0000123}, and why the base model answered after a fallback.
     */
    static String servedBy(ChatResponse r) {
        ServedBy by = r.servedBy();
        String what = (by.modelVersion() == 0 ? "base model" : "model v" + by.modelVersion()) + " of "
                + by.assistant() + " (" + by.provider() + " " + by.providerModelId() + ")"
                + (by.promptVersion() == 0 ? ", no prompt" : " with prompt v" + by.promptVersion())
                + ", arm " + by.arm().name().toLowerCase(Locale.ROOT);
        String usage = r.usage().inputTokens() + " + " + r.usage().outputTokens() + " tokens"
                + r.cost().map(c -> ", " + c).orElse("");
        return what + "; " + usage + "; call " + r.callId() + (by.fallback() ? "; FALLBACK to the base model: " + by.fallbackReason() : "");
    }
}
