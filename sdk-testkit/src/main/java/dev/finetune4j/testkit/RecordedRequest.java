package dev.finetune4j.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request an emulator received, for assertions on what a client sent.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the path and query relative to the emulator's root, e.g.
 *     {@code /v1/fine_tuning/jobs?limit=5}
 * @param headers the request headers as received; unmodifiable
 * @param body the body decoded as UTF-8 (empty when there was none)
 * @param fault the scripted fault this request was given ({@link ScriptedFault#NONE} when it was
 *     answered as the emulated API answers), so a test can check that each scripted fault went to
 *     the request it meant
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
        ScriptedFault fault) {

    /** Copies the headers and checks that nothing is null. */
    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(fault, "fault");
    }

    /** The first value of a header, matched without regard to case. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
