package dev.finetune4j.testkit.internal.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;

/** OpenAI's error body {@code {"error":{"message","type","param","code"}}} and its common cases. */
final class OpenAiErrors {

    private OpenAiErrors() {}

    /** A failure a handler can throw; turned into an error reply by {@link OpenAiApi}. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String type;
        final String param;
        final String code;

        ApiError(int status, String message, String type, String param, String code) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.param = param;
            this.code = code;
        }

        Reply toReply() {
            return error(status, getMessage(), type, param, code);
        }
    }

    static Reply error(int status, String message, String type, String param, String code) {
        ObjectNode e = Jsons.object();
        e.put("message", message);
        e.put("type", type);
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return Reply.json(status, Jsons.object().set("error", e));
    }

    static ApiError invalid(String message, String param, String code) {
        return new ApiError(400, message, "invalid_request_error", param, code);
    }

    static ApiError missing(String param) {
        return invalid("Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
    }

    static ApiError notFound(String message, String param, String code) {
        return new ApiError(404, message, "invalid_request_error", param, code);
    }

    static ApiError modelNotFound(String model) {
        return notFound("The model `" + model + "` does not exist or you do not have access to it.", null,
                "model_not_found");
    }
}
