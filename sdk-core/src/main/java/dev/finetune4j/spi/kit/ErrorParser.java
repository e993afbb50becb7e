package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the provider's error code and message in an error response, whatever the provider's
 * shape:
 *
 * <ul>
 *   <li>OpenAI: {@code {"error": {"message", "type", "param", "code"}}};
 *   <li>Mistral: {@code {"object": "error", "message", "type", "param", "code"}}, where {@code
 *       message} may itself be an object;
 *   <li>FastAPI-style 422 (Mistral, AutoTrain): {@code {"detail": [{"loc", "msg", "type"}]}} or
 *       {@code {"detail": "..."}};
 *   <li>Hugging Face: headers {@code X-Error-Code} / {@code X-Error-Message}, body {@code
 *       {"error": "..."}} or {@code {"errors": [...]}};
 *   <li>anything else: the first {@value #FALLBACK_CHARS} characters of the body.
 * </ul>
 *
 * Part of the provider kit (see the package documentation). Stateless and thread-safe.
 */
public final class ErrorParser {

    /** How much of a body that has no recognisable error shape is quoted. */
    public static final int FALLBACK_CHARS = 500;

    private static final int MAX_DETAILS = 10;

    private ErrorParser() {}

    /**
     * The code and message of an error response.
     *
     * @param code the provider's error code, else its error type; null when it gives neither
     * @param message the provider's message, never null (empty when the body is empty)
     */
    public record ParsedError(String code, String message) {
        /** Checks the message. */
        public ParsedError {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Parses an error response.
     *
     * @param headers the response headers
     * @param body the body as text (may be empty)
     */
    public static ParsedError parse(HttpHeaders headers, String body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        String code = null;
        String message = null;
        JsonNode root = tryParse(body);
        if (root != null && root.isObject()) {
            JsonNode error = root.get("error");
            if (error != null && error.isObject()) {
                message = describe(error.get("message"));
                code = firstNonBlank(text(error.get("code")), text(error.get("type")));
            } else if (error != null && error.isTextual()) {
                message = error.asText();
                code = text(root.get("code"));
            } else if (root.has("message") || "error".equals(text(root.get("object")))) {
                message = describe(root.get("message"));
                code = firstNonBlank(text(root.get("code")), text(root.get("type")));
            } else if (root.has("detail")) {
                JsonNode detail = root.get("detail");
                message = describe(detail);
                code = detail.isArray() && detail.size() > 0 ? text(detail.get(0).get("type")) : null;
            } else if (root.has("errors")) {
                message = describe(root.get("errors"));
            }
        }
        String headerCode = headers.firstValue("X-Error-Code").filter(s -> !s.isBlank()).orElse(null);
        if (headerCode != null) {
            code = headerCode;
        }
        if (message == null || message.isBlank()) {
            message = headers.firstValue("X-Error-Message").filter(s -> !s.isBlank()).orElse(null);
        }
        if (message == null || message.isBlank()) {
            String stripped = body.strip();
            message = stripped.length() > FALLBACK_CHARS ? stripped.substring(0, FALLBACK_CHARS) + "…" : stripped;
        }
        return new ParsedError(code == null || code.isBlank() ? null : code, message.strip());
    }

    /**
     * The HTTP status an error body names itself, as servers do that report an error inside an
     * event stream (vLLM: {@code {"error": {"message", "type", "code": 400}}}): {@code error.code}
     * or {@code error.status}, else {@code code} or {@code status} at the top level, when it is a
     * JSON number from 400 to 599.
     *
     * @return the status, or 0 when the body names none
     */
    public static int statusNamed(String body) {
        Objects.requireNonNull(body, "body");
        JsonNode root = tryParse(body);
        if (root == null || !root.isObject()) {
            return 0;
        }
        JsonNode error = root.path("error");
        for (JsonNode n : List.of(error.path("code"), error.path("status"), root.path("code"), root.path("status"))) {
            if (n.isIntegralNumber() && n.asInt() >= 400 && n.asInt() <= 599) {
                return n.asInt();
            }
        }
        return 0;
    }

    private static JsonNode tryParse(String body) {
        String s = body.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            return Json.mapper().readTree(s);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A node as readable text: strings as they are, validation details as "loc: msg; ...". */
    private static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.has("detail")) {
            return describe(node.get("detail"));
        }
        if (node.isObject() && node.has("message")) {
            return describe(node.get("message"));
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : node) {
                if (parts.size() == MAX_DETAILS) {
                    parts.add("and " + (node.size() - MAX_DETAILS) + " more");
                    break;
                }
                parts.add(item.isObject() && item.has("msg") ? validationDetail(item) : describe(item));
            }
            return String.join("; ", parts);
        }
        return node.toString();
    }

    private static String validationDetail(JsonNode item) {
        String msg = text(item.get("msg"));
        JsonNode loc = item.get("loc");
        if (loc == null || !loc.isArray() || loc.isEmpty()) {
            return msg;
        }
        List<String> path = new ArrayList<>();
        loc.forEach(p -> path.add(p.asText()));
        return String.join(".", path) + ": " + msg;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
