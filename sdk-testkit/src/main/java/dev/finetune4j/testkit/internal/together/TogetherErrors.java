package dev.finetune4j.testkit.internal.together;

import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;

/**
 * Together's error body ({@code ErrorData}: {@code {"error":{"message","type","param","code"}}}) and
 * the plain {@code {"message"}} some routes answer instead (the model limits' 404).
 */
final class TogetherErrors {

    private TogetherErrors() {}

    static Reply reply(int status, String message, String type, String param, String code) {
        return ApiError.openAiShaped(status, message, type, param, code);
    }

    static ApiError of(int status, String message, String type, String param, String code) {
        return new ApiError(reply(status, message, type, param, code), message);
    }

    static ApiError invalid(String message, String param) {
        return of(400, message, "invalid_request_error", param, null);
    }

    static ApiError notFound(String message) {
        return of(404, message, "invalid_request_error", null, "not_found");
    }

    /** A 404 with only {@code {"message"}}, as {@code GET /fine-tunes/models/limits} answers it. */
    static ApiError plainNotFound(String message) {
        return new ApiError(Reply.json(404, Jsons.object().put("message", message)), message);
    }
}
