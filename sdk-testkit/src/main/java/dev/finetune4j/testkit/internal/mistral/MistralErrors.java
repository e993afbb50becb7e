package dev.finetune4j.testkit.internal.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import java.util.List;

/**
 * Mistral's two error shapes: the error glossary's
 * {@code {"object":"error","message","type","param","code"}} and FastAPI's 422
 * {@code {"detail":[{"type","loc","msg","input"}]}}.
 */
final class MistralErrors {

    private MistralErrors() {}

    static Reply error(int status, String message, String type, String code) {
        ObjectNode n = Jsons.object();
        n.put("object", "error");
        n.put("message", message);
        n.put("type", type);
        n.putNull("param");
        n.put("code", code);
        return Reply.json(status, n);
    }

    static ApiError of(int status, String message, String type, String code) {
        return new ApiError(error(status, message, type, code), message);
    }

    static ApiError invalid(String message) {
        return of(400, message, "invalid_request_error", null);
    }

    static ApiError notFound(String message) {
        return of(404, message, "invalid_request_error", null);
    }

    /** A 422 with one pydantic-style detail entry. */
    static ApiError unprocessable(String type, List<Object> loc, String msg, JsonNode input) {
        ObjectNode d = Jsons.object();
        d.put("type", type);
        var locNode = d.putArray("loc");
        for (Object o : loc) {
            if (o instanceof Integer i) {
                locNode.add(i);
            } else {
                locNode.add(String.valueOf(o));
            }
        }
        d.put("msg", msg);
        if (input != null) {
            d.set("input", input);
        }
        ObjectNode body = Jsons.object();
        body.putArray("detail").add(d);
        return new ApiError(Reply.json(422, body), msg);
    }

    static ApiError missing(String field, JsonNode input) {
        return unprocessable("missing", List.of("body", field), "Field required", input);
    }
}
