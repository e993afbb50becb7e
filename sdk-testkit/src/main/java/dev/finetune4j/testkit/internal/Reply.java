package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.ScriptedFault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an emulator answers: a status, headers and a body, or a dropped connection; optionally
 * after a delay. Built by the handlers, turned into a WireMock response in one place
 * ({@link EmulatorServer}) so that the handlers never see WireMock types. Not thread-safe; one
 * reply belongs to one request.
 */
public final class Reply {

    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private boolean dropConnection;
    private Duration delay = Duration.ZERO;
    private ScriptedFault fault = ScriptedFault.NONE;

    private Reply(int status) {
        this.status = status;
    }

    public static Reply status(int status) {
        return new Reply(status);
    }

    public static Reply json(int status, JsonNode body) {
        try {
            return new Reply(status)
                    .header("Content-Type", "application/json")
                    .body(Jsons.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Reply ok(JsonNode body) {
        return json(200, body);
    }

    /** A connection reset instead of any response. */
    public static Reply dropped() {
        Reply r = new Reply(0);
        r.dropConnection = true;
        return r;
    }

    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Reply body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    public Reply body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Reply delay(Duration d) {
        this.delay = this.delay.plus(d);
        return this;
    }

    /** Keeps the work done but resets the connection instead of sending this reply. */
    public Reply dropInsteadOfSending() {
        this.dropConnection = true;
        return this;
    }

    /**
     * Keeps only the first {@code events} server-sent events of an event stream ({@code
     * Content-Type: text/event-stream}), each ended by a blank line, and ends the body there: the
     * client sees the stream stop, cleanly, before the events that finish it. A stream of no more
     * than {@code events} events, and an answer that is not an event stream, are sent whole.
     */
    public Reply cutStreamAfter(int events) {
        if (!headers.getOrDefault("Content-Type", "").startsWith("text/event-stream")) {
            return this;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        int end = 0;
        for (int i = 0; i < events; i++) {
            int blank = text.indexOf("\n\n", end);
            if (blank < 0) {
                return this;
            }
            end = blank + 2;
        }
        if (end < text.length()) {
            body = text.substring(0, end).getBytes(StandardCharsets.UTF_8);
        }
        return this;
    }

    /** Marks the reply as carrying a scripted fault, for the request journal. */
    public Reply fault(ScriptedFault f) {
        this.fault = f;
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] bodyBytes() {
        return body;
    }

    public boolean isDropped() {
        return dropConnection;
    }

    public Duration delay() {
        return delay;
    }

    /** The scripted fault this reply carries; {@link ScriptedFault#NONE} for a normal answer. */
    public ScriptedFault fault() {
        return fault;
    }
}
