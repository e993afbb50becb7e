package dev.finetune4j.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as an emulator sees it: the path is relative to the emulator's mount point
 * (e.g. {@code /v1/files/file-abc}), query parameters and path segments are percent-decoded, and
 * the route that matched it names its variable segments ({@link #param}). Immutable.
 */
public final class HttpCall {

    private final String method;
    private final String path;
    private final List<String> segments;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Map<String, String> params;

    public HttpCall(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        this.query = q < 0 ? Map.of() : parseQuery(pathAndQuery.substring(q + 1));
        List<String> segs = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segs.add(percentDecode(s, false));
            }
        }
        this.segments = List.copyOf(segs);
        this.path = rawPath.isEmpty() ? "/" : rawPath;
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = body == null ? new byte[0] : body;
        this.params = Map.of();
    }

    private HttpCall(HttpCall call, Map<String, String> params) {
        this.method = call.method;
        this.path = call.path;
        this.segments = call.segments;
        this.query = call.query;
        this.headers = call.headers;
        this.body = call.body;
        this.params = Map.copyOf(params);
    }

    /** This call with the variable segments of the route that matched it. */
    public HttpCall withParams(Map<String, String> params) {
        return new HttpCall(this, params);
    }

    /**
     * A variable segment of the matched route, e.g. {@code id} of {@code /v1/files/{id}}.
     *
     * @throws IllegalArgumentException when the route has no such variable (a bug in the route table)
     */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no variable {" + name + "}; it has " + params.keySet());
        }
        return v;
    }

    /** Upper-case method, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The raw (still encoded) path without the query string. */
    public String path() {
        return path;
    }

    /** The decoded, non-empty path segments. */
    public List<String> segments() {
        return segments;
    }

    /** All decoded query parameters in their order of appearance. */
    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a header (case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body bytes (never null; not copied, do not modify). */
    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String v = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    /** Decodes %XX escapes as UTF-8; '+' becomes a space only in query strings. */
    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
                i++;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
