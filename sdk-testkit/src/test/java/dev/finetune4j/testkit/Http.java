package dev.finetune4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plain JDK HTTP client speaking to an emulator the way any OpenAI client would. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, headers, body. */
    record Response(int status, HttpResponse<String> raw) {

        String text() {
            return raw.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The JSON of each {@code data:} event of a server-sent-event body, without the final {@code [DONE]}. */
        List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : text().split("\n")) {
                if (line.startsWith("data: {")) {
                    try {
                        out.add(JSON.readTree(line.substring(6)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not JSON: " + line, e);
                    }
                }
            }
            return out;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String key;
    private String keyHeader;
    private Duration timeout = Duration.ofSeconds(20);

    Http(String baseUrl) {
        this(baseUrl, "sk-test-0123456789");
    }

    Http(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /** Sends the key as this header's whole value (Azure's {@code api-key}) instead of {@code Authorization: Bearer}. */
    Http keyHeader(String name) {
        this.keyHeader = name;
        return this;
    }

    Response put(String path, Object body) throws IOException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    Http timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    Response get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    Response delete(String path) throws IOException {
        return send(request(path).DELETE().build());
    }

    Response post(String path) throws IOException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    Response postJson(String path, Object body) throws IOException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    /** A multipart form: values that are {@link FilePart} are sent as files. */
    Response postMultipart(String path, Map<String, Object> fields) throws IOException {
        String boundary = "----finetune4jTestBoundary7MA4YWxkTrZu0gW";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            if (e.getValue() instanceof FilePart f) {
                out.writeBytes(("Content-Disposition: form-data; name=\"" + e.getKey() + "\"; filename=\"" + f.filename()
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(f.content());
            } else {
                out.writeBytes(("Content-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.writeBytes(String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
    }

    /** A file part of a multipart form. */
    record FilePart(String filename, byte[] content) {
        static FilePart of(String filename, String content) {
            return new FilePart(filename, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Uploads JSONL text with purpose fine-tune and returns the file id. */
    String uploadJsonl(String filename, String jsonl) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("purpose", "fine-tune");
        fields.put("file", FilePart.of(filename, jsonl));
        Response r = postMultipart("/files", fields);
        if (r.status() != 200) {
            throw new AssertionError("upload failed: " + r.status() + " " + r.text());
        }
        return r.json().get("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        if (key != null) {
            b.header(keyHeader == null ? "Authorization" : keyHeader, keyHeader == null ? "Bearer " + key : key);
        }
        return b;
    }

    private Response send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
