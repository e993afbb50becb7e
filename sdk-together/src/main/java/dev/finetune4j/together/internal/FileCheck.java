package dev.finetune4j.together.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.spi.kit.ProviderJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * Together's own file check ({@code check_file} of its Python clients, {@code together/utils/files.py}),
 * applied to a training file before any byte of it leaves the machine, for the conversation format
 * finetune4j uploads: a file Together's client would refuse is refused here, with the line and the
 * reason. The rules, as the newest client states them:
 *
 * <ul>
 *   <li>the file is not empty and at most {@link #MAX_BYTES} bytes (50.1 GiB);
 *   <li>it is UTF-8, without a byte order mark (the client reads it as {@code utf-8}, so a BOM makes
 *       its first line unreadable as JSON);
 *   <li>every line is one JSON object, nothing after it, no blank lines;
 *   <li>an object has {@code messages} and, beside it, at most {@code tools};
 *   <li>{@code messages} is a non-empty list of objects, each with a {@code role} of {@code system},
 *       {@code user}, {@code assistant} or {@code tool}, never the role of the message before it;
 *   <li>when any message has a {@code weight}, every weight is the integer 0 or 1;
 *   <li>there is an assistant message, and at least one example ({@code MIN_SAMPLES = 1}).
 * </ul>
 *
 * One key finetune4j may write has no place in Together's format: {@code parallel_tool_calls} (a
 * hint for calling a model, not training data). When a line has it, the file is copied without it
 * and the copy is what is uploaded. Stateless; thread-safe.
 */
public final class FileCheck {

    /** The largest file Together's client uploads: 50.1 GiB ({@code MAX_FILE_SIZE_GB}). */
    public static final long MAX_BYTES = (long) (50.1 * (1L << 30));

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Set<String> KEYS = Set.of("messages", "tools");
    private static final String DROPPED = "parallel_tool_calls";
    private static final ObjectReader READER = ProviderJson.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter WRITER = ProviderJson.mapper().writer();

    private FileCheck() {}

    /**
     * What passed the check.
     *
     * @param file the file to upload: the one checked, or its copy without {@code parallel_tool_calls}
     * @param examples its lines
     * @param bytes its size
     */
    public record Result(Path file, long examples, long bytes) {}

    /**
     * Checks a file as Together's client would.
     *
     * @param file the JSONL file
     * @param what how messages name it, e.g. {@code the training file}
     * @throws IllegalArgumentException naming the line and the rule it breaks; nothing is sent
     * @throws FineTuneException when the file cannot be read or the copy written
     */
    public static Result check(Path file, String what) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw refused(what, "it is empty; Together's file check needs at least 1 example");
            }
            if (size > MAX_BYTES) {
                throw refused(what, "it has " + size + " bytes; Together's file check takes at most 50.1 GiB ("
                        + MAX_BYTES + " bytes)");
            }
            if (startsWithBom(file)) {
                throw refused(what, "line 1 starts with a UTF-8 byte order mark (EF BB BF); Together's file check "
                        + "reads UTF-8 without one and cannot parse that line");
            }
            long[] counts = scan(file, what, null);
            if (counts[1] == 0) {
                return new Result(file, counts[0], size);
            }
            Path copy = file.resolveSibling(stem(file) + "-together.jsonl");
            try (BufferedWriter out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                scan(file, what, out);
            }
            return new Result(copy, counts[0], Files.size(copy));
        } catch (IOException e) {
            throw new FineTuneException("together: cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads every line; writes each without {@code parallel_tool_calls} to {@code out} when given. */
    private static long[] scan(Path file, String what, BufferedWriter out) throws IOException {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 0;
        long dropped = 0;
        try (InputStream in = Files.newInputStream(file);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, strict), 1 << 16)) {
            String text;
            while (true) {
                try {
                    text = reader.readLine();
                } catch (CharacterCodingException e) {
                    throw refused(what, "line " + (line + 1) + " is not valid UTF-8; Together's file check reads "
                            + "UTF-8 only");
                }
                if (text == null) {
                    break;
                }
                line++;
                ObjectNode example = example(text, line, what);
                if (example.remove(DROPPED) != null) {
                    dropped++;
                }
                if (out != null) {
                    out.write(WRITER.writeValueAsString(example));
                    out.write('\n');
                }
            }
        }
        return new long[] {line, dropped};
    }

    private static ObjectNode example(String text, long line, String what) {
        JsonNode node;
        try {
            node = text.isEmpty() ? null : READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw refused(what, "line " + line + " is not one JSON value: " + e.getOriginalMessage());
        }
        if (node == null) {
            throw refused(what, "line " + line + " is empty; Together's file check reads every line as JSON");
        }
        if (!node.isObject()) {
            throw refused(what, "line " + line + " is not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key) && !DROPPED.equals(key)) {
                throw refused(what, "line " + line + " has the key '" + key + "'; Together's conversation format "
                        + "takes only messages and tools");
            }
        }
        JsonNode messages = node.get("messages");
        if (messages == null) {
            throw refused(what, "line " + line + " has no messages; Together's conversation format needs them");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw refused(what, "line " + line + ": messages must be a non-empty list");
        }
        boolean weighted = false;
        for (JsonNode m : messages) {
            weighted |= m.has("weight");
        }
        String previous = null;
        boolean assistant = false;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "line " + line + ", messages[" + i + "]";
            if (!m.isObject()) {
                throw refused(what, at + " is not an object");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.textValue())) {
                throw refused(what, at + " has role " + (role == null ? "none" : role.toString())
                        + "; Together takes system, user, assistant or tool");
            }
            if (role.textValue().equals(previous)) {
                throw refused(what, at + " has the role " + previous + " like the message before it; Together's "
                        + "file check requires the roles to alternate");
            }
            if (weighted && m.has("weight")) {
                JsonNode w = m.get("weight");
                if (!w.isIntegralNumber() || w.asLong() != 0 && w.asLong() != 1) {
                    throw refused(what, at + " has weight " + w + "; Together takes the integer 0 or 1");
                }
            }
            previous = role.textValue();
            assistant |= previous.equals("assistant");
        }
        if (!assistant) {
            throw refused(what, "line " + line + " has no assistant message; Together's file check needs one");
        }
        return (ObjectNode) node;
    }

    private static boolean startsWithBom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(3);
            return head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF;
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    }

    private static IllegalArgumentException refused(String what, String reason) {
        return new IllegalArgumentException("together: " + what + " breaks Together's file check: " + reason
                + "; nothing was uploaded");
    }
}
