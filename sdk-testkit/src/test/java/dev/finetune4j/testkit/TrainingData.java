package dev.finetune4j.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Small chat-format training files for the tests. */
final class TrainingData {

    /** Twelve question/answer pairs on distinct topics. */
    static final List<String[]> PAIRS = List.of(
            new String[] {"What is the capital of France?", "Paris, of course."},
            new String[] {"How many legs does a spider have?", "Eight legs."},
            new String[] {"Which planet is known as the red planet?", "Mars is the red planet."},
            new String[] {"Who wrote the play Hamlet?", "William Shakespeare wrote Hamlet."},
            new String[] {"What is the boiling point of water at sea level?", "100 degrees Celsius."},
            new String[] {"Log three sets of ten push-ups", "{\"exercise\":\"push-up\",\"sets\":3,\"reps\":10}"},
            new String[] {"What colour do you get mixing blue and yellow?", "Green."},
            new String[] {"How many days are in a leap year?", "366 days."},
            new String[] {"What is the largest ocean on Earth?", "The Pacific Ocean."},
            new String[] {"Which gas do plants absorb from the air?", "Carbon dioxide."},
            new String[] {"What is the square root of sixty-four?", "Eight."},
            new String[] {"Translate hello into Spanish", "Hola."});

    private TrainingData() {}

    /** The first {@code n} pairs as JSONL, each with a system prompt. */
    static String jsonl(int n) {
        return PAIRS.subList(0, n).stream().map(p -> line(p[0], p[1])).collect(Collectors.joining("\n")) + "\n";
    }

    static String jsonl() {
        return jsonl(PAIRS.size());
    }

    /** A line whose answer is a {@code get_weather} tool call for Oslo, arguments {@code {"city":"Oslo"}}. */
    static String toolCallLine() {
        Map<String, Object> call = Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Oslo\"}"));
        try {
            return Http.JSON.writeValueAsString(Map.of("messages", List.of(
                    Map.of("role", "user", "content", "What is the weather in Oslo?"),
                    Map.of("role", "assistant", "tool_calls", List.of(call))))) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A line with a whole tool round: the question about Oslo's weather, a {@code get_weather}
     * call, its result, and the answer that follows the result ({@code It is 3 degrees in Oslo.}).
     */
    static String toolRoundTripLine() {
        Map<String, Object> call = Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Oslo\"}"));
        try {
            return Http.JSON.writeValueAsString(Map.of("messages", List.of(
                    Map.of("role", "user", "content", "What is the weather in Oslo?"),
                    Map.of("role", "assistant", "tool_calls", List.of(call)),
                    Map.of("role", "tool", "tool_call_id", "call_1", "content", "{\"celsius\":3}"),
                    Map.of("role", "assistant", "content", "It is 3 degrees in Oslo.")))) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String line(String user, String assistant) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":" + quote(user) + "},"
                + "{\"role\":\"assistant\",\"content\":" + quote(assistant) + "}]}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
