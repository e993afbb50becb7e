package dev.finetune4j.testkit.internal.openai;

import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Reply;

/** OpenAI's error body {@code {"error":{"message","type","param","code"}}} and its common cases. */
final class OpenAiErrors {

    private OpenAiErrors() {}

    static Reply reply(int status, String message, String type, String param, String code) {
        return ApiError.openAiShaped(status, message, type, param, code);
    }

    static ApiError of(int status, String message, String type, String param, String code) {
        return new ApiError(reply(status, message, type, param, code), message);
    }

    static ApiError invalid(String message, String param, String code) {
        return of(400, message, "invalid_request_error", param, code);
    }

    static ApiError missing(String param) {
        return invalid("Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
    }

    static ApiError notFound(String message, String param, String code) {
        return of(404, message, "invalid_request_error", param, code);
    }

    static ApiError modelNotFound(String model) {
        return notFound("The model `" + model + "` does not exist or you do not have access to it.", null,
                "model_not_found");
    }
}
