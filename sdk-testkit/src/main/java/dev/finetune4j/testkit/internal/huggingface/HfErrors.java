package dev.finetune4j.testkit.internal.huggingface;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;

/**
 * The Hub's errors ({@code {"error": message}} with {@code X-Error-Code} and {@code
 * X-Error-Message}) and vLLM's ({@code {"object":"error","message","type","param","code"}}).
 */
final class HfErrors {

    private HfErrors() {}

    /** A Hub error; {@code code} goes to {@code X-Error-Code} when not null. */
    static ApiError hub(int status, String code, String message) {
        ObjectNode body = Jsons.object().put("error", message);
        Reply r = Reply.json(status, body).header("X-Error-Message", message.replaceAll("[\\r\\n]", " "));
        if (code != null) {
            r.header("X-Error-Code", code);
        }
        return new ApiError(r, message);
    }

    static ApiError badRequest(String message) {
        return hub(400, null, message);
    }

    static ApiError repoNotFound(String repoId) {
        return hub(404, "RepoNotFound", "Repository Not Found for url: " + repoId + ".");
    }

    /** The Hub's answer to a page it does not have. */
    static ApiError pageNotFound() {
        return hub(404, null, "Sorry, we can't find the page you are looking for.");
    }

    /** A vLLM (OpenAI server) error. */
    static ApiError serving(int status, String type, String message) {
        ObjectNode body = Jsons.object().put("object", "error").put("message", message).put("type", type);
        body.putNull("param");
        body.put("code", status);
        return new ApiError(Reply.json(status, body), message);
    }

}
