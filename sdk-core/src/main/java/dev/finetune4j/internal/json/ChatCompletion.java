package dev.finetune4j.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a provider's {@code chat.completion} answer, or one {@code chat.completion.chunk} of a
 * stream, says, in the shape OpenAI, Mistral, vLLM and the Hugging Face routers share ({@code
 * choices[0].message} or {@code choices[0].delta}, {@code usage}, {@code model}, and a chunk's
 * {@code error}), read with a streaming parser: no tree is built, fields nobody reads are skipped,
 * and a field of an unexpected type reads as absent. The chat client decides what an absent value
 * means.
 *
 * @param hasChoice whether {@code choices} held a first choice object
 * @param content the message (or delta) text: a string, or the text chunks of a list joined; null
 *     when absent
 * @param refusal the message's {@code refusal}, or null
 * @param toolCalls the message's tool calls, in order
 * @param finishReason the choice's {@code finish_reason}, or null
 * @param hasUsage whether a {@code usage} object came
 * @param promptTokens {@code usage.prompt_tokens}, 0 when absent
 * @param completionTokens {@code usage.completion_tokens}, 0 when absent
 * @param model the answer's {@code model}, or null
 * @param hasError whether the document holds an {@code error} member (an error sent inside a stream)
 */
public record ChatCompletion(boolean hasChoice, String content, String refusal, List<RawToolCall> toolCalls,
        String finishReason, boolean hasUsage, long promptTokens, long completionTokens, String model,
        boolean hasError) {

    /**
     * One tool call (or, in a chunk, a piece of one) as sent: any part may be null; {@code
     * arguments} is the JSON text even when a provider sent an object rather than a string.
     *
     * @param index the call's {@code index} (stream chunks), or -1 when absent
     */
    public record RawToolCall(int index, String id, String name, String arguments) {}

    /**
     * Reads a stream chunk's data.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when it is not JSON
     */
    public static ChatCompletion read(String data) throws IOException {
        try (JsonParser p = Json.mapper().createParser(data)) {
            return read(p);
        }
    }

    /**
     * Reads an answer.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the body is not JSON
     */
    public static ChatCompletion read(byte[] body) throws IOException {
        try (JsonParser p = Json.mapper().createParser(body)) {
            return read(p);
        }
    }

    private static ChatCompletion read(JsonParser p) throws IOException {
        Reader r = new Reader();
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "no JSON document");
        }
        if (first == JsonToken.START_OBJECT) {
            r.answer(p);
        } else {
            p.skipChildren();
        }
        // like the mapper's readTree: nothing may follow the document
        if (p.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "trailing content after the answer");
        }
        return new ChatCompletion(r.hasChoice, r.content, r.refusal, List.copyOf(r.toolCalls), r.finishReason,
                r.hasUsage, r.promptTokens, r.completionTokens, r.model, r.hasError);
    }

    /** Reads a value inside the document (the mapper itself would insist the document ends after it). */
    private static final ObjectReader EMBEDDED = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The state of one read. */
    private static final class Reader {
        boolean hasChoice;
        String content;
        String refusal;
        final List<RawToolCall> toolCalls = new ArrayList<>();
        String finishReason;
        boolean hasUsage;
        long promptTokens;
        long completionTokens;
        String model;
        boolean hasError;

        /** At START_OBJECT of the answer; ends at its END_OBJECT. */
        void answer(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> model = text(p, value);
                    case "choices" -> choices(p, value);
                    case "usage" -> usage(p, value);
                    case "error" -> {
                        hasError = value != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
        }

        void choices(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT && !hasChoice) {
                    hasChoice = true;
                    choice(p);
                } else {
                    p.skipChildren();
                }
            }
        }

        void choice(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ((field.equals("message") || field.equals("delta")) && value == JsonToken.START_OBJECT) {
                    message(p);
                } else if (field.equals("finish_reason")) {
                    finishReason = text(p, value);
                } else {
                    p.skipChildren();
                }
            }
        }

        void message(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "content" -> content = content(p, value);
                    case "refusal" -> refusal = text(p, value);
                    case "tool_calls" -> toolCalls(p, value);
                    default -> p.skipChildren();
                }
            }
        }

        void toolCalls(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                int index = -1;
                String id = null;
                String name = null;
                String arguments = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("index") && v == JsonToken.VALUE_NUMBER_INT) {
                        index = Math.max(-1, p.getIntValue());
                    } else if (field.equals("id")) {
                        id = text(p, v);
                    } else if (field.equals("function") && v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken fv = p.nextToken();
                            if (f.equals("name")) {
                                name = text(p, fv);
                            } else if (f.equals("arguments")) {
                                arguments = fv == JsonToken.VALUE_STRING ? p.getText()
                                        : fv == JsonToken.VALUE_NULL ? null : EMBEDDED.readTree(p).toString();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                toolCalls.add(new RawToolCall(index, id, name, arguments));
            }
        }

        void usage(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            hasUsage = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("prompt_tokens")) {
                    promptTokens = count(p, v);
                } else if (field.equals("completion_tokens")) {
                    completionTokens = count(p, v);
                } else {
                    p.skipChildren();
                }
            }
        }

        /** A string value, or null for anything else (skipped). */
        private static String text(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            p.skipChildren();
            return null;
        }

        /** A token count: a number (or numeric text) at least 0; anything else is 0. */
        private static long count(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
                return 0;
            }
            return Math.max(0, p.getValueAsLong(0));
        }

        /** A string, or the text chunks of a list ({@code "x"} or {@code {"type":"text","text":"x"}}) joined. */
        private static String content(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    sb.append(p.getText());
                } else if (t == JsonToken.START_OBJECT) {
                    String type = "text";
                    String text = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("type")) {
                            type = text(p, v);
                        } else if (field.equals("text")) {
                            text = text(p, v);
                        } else {
                            p.skipChildren();
                        }
                    }
                    if (text != null && "text".equals(type)) {
                        sb.append(text);
                    }
                } else {
                    p.skipChildren();
                }
            }
            return sb.toString();
        }
    }
}
