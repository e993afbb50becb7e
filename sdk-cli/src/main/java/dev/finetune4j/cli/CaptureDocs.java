package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.Feedback;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import java.io.PrintWriter;

/** The JSON documents and text lines of captures, shared by {@code captures} and {@code feedback}. */
final class CaptureDocs {

    private CaptureDocs() {}

    /**
     * {@code {"call_id","assistant","time","model_version","prompt_version","provider","provider_model_id",
     * "arm","fallback","input_tokens","output_tokens","cost","latency_ms","messages":[{"role","content"}],
     * "answer","tool_calls":[{"id","name","arguments"}],"feedback":{"rating","score","correction","note","tags"}}}}.
     */
    static ObjectNode capture(Capture c) {
        ObjectNode doc = JsonDocs.object();
        doc.put("call_id", c.callId());
        doc.put("assistant", c.assistant());
        doc.put("time", c.time().toString());
        doc.put("model_version", c.servedBy().modelVersion());
        doc.put("prompt_version", c.servedBy().promptVersion());
        doc.put("provider", c.servedBy().provider());
        doc.put("provider_model_id", c.servedBy().providerModelId());
        doc.put("arm", JsonDocs.lower(c.servedBy().arm()));
        doc.put("fallback", c.servedBy().fallback());
        doc.put("input_tokens", c.usage().inputTokens());
        doc.put("output_tokens", c.usage().outputTokens());
        Jobs.putMoney(doc, "cost", c.cost().orElse(null));
        doc.put("latency_ms", c.latency().toNanos() / 1_000_000.0);
        ArrayNode messages = doc.putArray("messages");
        for (Message m : c.messages()) {
            ObjectNode o = messages.addObject();
            o.put("role", m.role().wireName());
            o.put("content", m.content().orElse(null));
        }
        doc.put("answer", c.answer());
        ArrayNode calls = doc.putArray("tool_calls");
        for (ToolCall t : c.toolCalls()) {
            calls.addObject().put("id", t.id()).put("name", t.name()).put("arguments", t.arguments());
        }
        if (c.feedback().isEmpty()) {
            doc.putNull("feedback");
        } else {
            Feedback f = c.feedback().get();
            ObjectNode o = doc.putObject("feedback");
            o.put("rating", f.rating().map(JsonDocs::lower).orElse(null));
            if (f.score().isPresent()) {
                o.put("score", f.score().getAsDouble());
            } else {
                o.putNull("score");
            }
            o.put("correction", f.correction().orElse(null));
            o.put("note", f.note().orElse(null));
            ObjectNode tags = o.putObject("tags");
            f.tags().forEach(tags::put);
        }
        return doc;
    }

    /** {@code up}, {@code down} or {@code score 0.8}, and {@code corrected} when there is a correction. */
    static String verdict(Feedback f) {
        return f.rating().map(JsonDocs::lower).orElseGet(() -> "score " + f.score().getAsDouble())
                + (f.correction().isPresent() ? ", corrected" : "");
    }

    /** One capture in full, as {@code captures show} prints it. */
    static void print(PrintWriter out, Capture c) {
        out.println(c.callId() + "  " + Assistants.time(c.time()) + "  " + c.assistant() + " "
                + (c.servedBy().modelVersion() == 0 ? "base" : "v" + c.servedBy().modelVersion())
                + (c.servedBy().promptVersion() == 0 ? "" : " prompt v" + c.servedBy().promptVersion())
                + (c.servedBy().fallback() ? " (fallback)" : "") + ", " + c.usage().inputTokens() + " + "
                + c.usage().outputTokens() + " tokens" + c.cost().map(m -> ", " + m).orElse(""));
        for (Message m : c.messages()) {
            out.println("  " + m.role().wireName() + ": " + Visible.of(m.content().orElse("")));
        }
        out.println("  answer: " + Visible.of(c.answer()));
        for (ToolCall t : c.toolCalls()) {
            out.println("  tool call " + t.name() + ": " + Visible.of(t.arguments()));
        }
        c.feedback().ifPresent(f -> {
            out.println("  feedback: " + verdict(f) + (f.tags().isEmpty() ? "" : " " + f.tags()));
            f.correction().ifPresent(t -> out.println("  correction: " + Visible.of(t)));
            f.note().ifPresent(t -> out.println("  note: " + Visible.of(t)));
        });
    }
}
