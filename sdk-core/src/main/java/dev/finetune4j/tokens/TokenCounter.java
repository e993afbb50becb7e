package dev.finetune4j.tokens;

import com.fasterxml.jackson.core.JsonGenerator;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.tokens.LongTextCounter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts the tokens of examples with the real tiktoken encodings (bundled with jtokkit, no network).
 *
 * <p>Model to encoding: {@code gpt-4o*}, {@code gpt-4.1*}, {@code gpt-5*}, {@code o1*}/{@code o3*}/{@code o4*}
 * use {@code o200k_base}; {@code gpt-4*} (not 4o), {@code gpt-3.5*}, {@code davinci-002} and
 * {@code babbage-002} use {@code cl100k_base}; a fine-tuned id {@code ft:BASE:...} uses its base
 * model's encoding. Any other model (Mistral, open-weight models) is counted with {@code o200k_base}
 * as a documented approximation: {@link #exact()} is then {@code false}, and real counts usually
 * differ by 10–30 %.
 *
 * <p>An example is counted as OpenAI's cookbook {@code num_tokens_from_messages} does: 3 for the
 * reply primer, plus for each message 3 + tokens(role) + tokens(content), plus tokens(name) + 1
 * when a name is present. Parts the cookbook does not cover are counted as their text: a tool
 * message's {@code tool_call_id}, an assistant's {@code tool_calls} as their canonical JSON, and the
 * example's {@code tools} list as its canonical JSON. Special-token text such as
 * {@code <|endoftext|>} is counted as ordinary text.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenCounter {

    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int REPLY_PRIMER = 3;

    private final EncodingType type;
    private final Encoding encoding;
    private final LongTextCounter counter;
    private final boolean exact;
    private final int[] roleTokens;
    private final java.util.Map<String, Integer> systemPrompts = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_PROMPTS = 256;

    private TokenCounter(EncodingType type, boolean exact) {
        this.type = type;
        this.encoding = Registry.INSTANCE.getEncoding(type);
        this.counter = new LongTextCounter(type, encoding);
        this.exact = exact;
        this.roleTokens = new int[Role.values().length];
        for (Role r : Role.values()) {
            roleTokens[r.ordinal()] = encoding.countTokensOrdinary(r.wireName());
        }
    }

    /**
     * The counter for a model id, e.g. {@code gpt-4o-mini-2024-07-18} or
     * {@code ft:gpt-4o-mini-2024-07-18:org:suffix:abc123}.
     */
    public static TokenCounter forModel(String model) {
        String base = baseModel(Objects.requireNonNull(model, "model")).toLowerCase(Locale.ROOT);
        if (base.startsWith("gpt-4o") || base.startsWith("chatgpt-4o") || base.startsWith("gpt-4.1")
                || base.startsWith("gpt-4.5") || base.startsWith("gpt-5") || base.matches("o[1-9].*")) {
            return new TokenCounter(EncodingType.O200K_BASE, true);
        }
        if (base.startsWith("gpt-4") || base.startsWith("gpt-3.5") || base.startsWith("gpt-35")
                || base.startsWith("davinci-002") || base.startsWith("babbage-002")
                || base.startsWith("text-embedding")) {
            return new TokenCounter(EncodingType.CL100K_BASE, true);
        }
        return new TokenCounter(EncodingType.O200K_BASE, false);
    }

    /**
     * The counter for an encoding by name: {@code o200k_base}, {@code cl100k_base},
     * {@code p50k_base}, {@code p50k_edit} or {@code r50k_base}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static TokenCounter forEncoding(String name) {
        for (EncodingType t : EncodingType.values()) {
            if (t.getName().equals(name)) {
                return new TokenCounter(t, true);
            }
        }
        throw new IllegalArgumentException("unknown encoding '" + name
                + "': use o200k_base, cl100k_base, p50k_base, p50k_edit or r50k_base");
    }

    /**
     * The base model of a fine-tuned model id ({@code ft:BASE:org:suffix:id} gives {@code BASE});
     * any other id is returned as it is.
     */
    public static String baseModel(String model) {
        if (model.startsWith("ft:")) {
            int end = model.indexOf(':', 3);
            return end < 0 ? model.substring(3) : model.substring(3, end);
        }
        return model;
    }

    /** The encoding's name, e.g. {@code o200k_base}. */
    public String encodingName() {
        return type.getName();
    }

    /** Whether counts are exact for the model (false: an approximation for a non-OpenAI model). */
    public boolean exact() {
        return exact;
    }

    /**
     * The number of tokens of a text, special-token text counted as ordinary text. The memory this
     * takes does not grow with the length of one word: a 30 MB word is counted, exactly, in a few
     * MB.
     */
    public int countText(String text) {
        return counter.count(text);
    }

    /**
     * Counts a message body, remembering the counts of system prompts: training sets repeat the
     * same system prompt in every example, and encoding it once instead of once per example saves a
     * large share of an import's work. The memory is bounded (a few hundred distinct prompts).
     */
    private int countContent(Message m) {
        String text = m.content().orElse(null);
        if (text == null) {
            return 0;
        }
        if (m.role() != Role.SYSTEM) {
            return countText(text);
        }
        Integer known = systemPrompts.get(text);
        if (known != null) {
            return known;
        }
        int n = countText(text);
        if (systemPrompts.size() < MAX_REMEMBERED_PROMPTS) {
            systemPrompts.put(text, n);
        }
        return n;
    }

    /**
     * An example's tokens as training counts them and the part of them its assistant messages
     * write, counted in one pass.
     *
     * @param total the tokens of the whole example (see {@link #count})
     * @param assistant the tokens of the assistant messages' content and tool calls (see {@link #countAssistant})
     */
    public record ExampleTokens(int total, int assistant) {}

    /** The tokens of an example as the provider's training counts them (see the class comment). */
    public int count(Example example) {
        return countBoth(example).total();
    }

    /** Both counts of an example in one pass over its messages: each text is encoded once. */
    public ExampleTokens countBoth(Example example) {
        int n = REPLY_PRIMER;
        int assistant = 0;
        for (Message m : example.messages()) {
            int body = countMessageBody(m);
            n += TOKENS_PER_MESSAGE + roleTokens[m.role().ordinal()] + body;
            if (m.role() == Role.ASSISTANT) {
                assistant += body;
            }
            if (m.name().isPresent()) {
                n += countText(m.name().get()) + TOKENS_PER_NAME;
            }
            if (m.toolCallId().isPresent()) {
                n += countText(m.toolCallId().get());
            }
        }
        if (!example.tools().isEmpty()) {
            n += countText(toolsJson(example));
        }
        return new ExampleTokens(n, assistant);
    }

    /** The tokens of the assistant messages' content and tool calls: what training learns to write. */
    public int countAssistant(Example example) {
        int n = 0;
        for (Message m : example.messages()) {
            if (m.role() == Role.ASSISTANT) {
                n += countMessageBody(m);
            }
        }
        return n;
    }

    private int countMessageBody(Message m) {
        int n = countContent(m);
        if (!m.toolCalls().isEmpty()) {
            n += countText(toolCallsJson(m));
        }
        return n;
    }

    private static String toolCallsJson(Message m) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (ToolCall c : m.toolCalls()) {
                ExampleCodec.writeToolCall(g, c);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String toolsJson(Example example) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (ToolDefinition t : example.tools()) {
                ExampleCodec.writeTool(g, t);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "TokenCounter[" + type.getName() + (exact ? "" : ", approximate") + "]";
    }

    /** Loads the encoding registry once, on first use. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }
}
