package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Objects;

/**
 * A request an emulator refuses: thrown by a handler with the reply the provider would send (its
 * status and error body), and turned into that reply by {@link Emulation}. Carries no stack trace:
 * it is an answer, not a bug.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    public ApiError(Reply reply, String message) {
        super(message, null, false, false);
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    public Reply reply() {
        return reply;
    }

    /**
     * The error body OpenAI made the norm and OpenAI-compatible APIs (Together's) copy,
     * {@code {"error": {"message", "type", "param", "code"}}}, with this status.
     */
    public static Reply openAiShaped(int status, String message, String type, String param, String code) {
        ObjectNode e = Jsons.object();
        e.put("message", message);
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        return Reply.json(status, Jsons.object().set("error", e));
    }

    /**
     * FastAPI's answer to a known path with another method, {@code 405 {"detail": "Method Not
     * Allowed"}} with {@code Allow}: what the servers built on it (Mistral's API, vLLM) send.
     */
    public static ApiError fastApiMethodNotAllowed(Collection<String> allowed) {
        return new ApiError(Reply.json(405, Jsons.object().put("detail", "Method Not Allowed"))
                .header("Allow", String.join(", ", allowed)), "Method Not Allowed");
    }
}
