package dev.finetune4j.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code multipart/form-data} body (RFC 7578): its parts in order. Parsed from the
 * bytes the emulator received, so it does not depend on how the HTTP engine handles multipart.
 * Immutable.
 */
public final class MultipartForm {

    /** One part: its form field name, optional file name, content type and bytes. */
    public record Part(String name, String filename, String contentType, byte[] data) {

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[;\\s]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private final List<Part> parts;

    private MultipartForm(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** Parses a body, or empty when the content type is not multipart or the body is malformed. */
    public static Optional<MultipartForm> parse(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return Optional.empty();
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            return Optional.empty();
        }
        while (true) {
            int afterDelimiter = pos + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                break; // closing delimiter
            }
            int headersStart = skipLineBreak(body, afterDelimiter);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                return Optional.empty();
            }
            String headerText = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int dataStart = headersEnd + 4;
            int next = indexOf(body, delimiter, dataStart);
            if (next < 0) {
                return Optional.empty();
            }
            int dataEnd = next;
            if (dataEnd >= 2 && body[dataEnd - 2] == '\r' && body[dataEnd - 1] == '\n') {
                dataEnd -= 2;
            }
            parts.add(part(headerText, Arrays.copyOfRange(body, dataStart, Math.max(dataStart, dataEnd))));
            pos = next;
        }
        return Optional.of(new MultipartForm(parts));
    }

    public List<Part> parts() {
        return parts;
    }

    /** The first part with this field name. */
    public Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The text of the first part with this field name. */
    public Optional<String> field(String name) {
        return part(name).map(Part::text);
    }

    private static Part part(String headerText, byte[] data) {
        String name = "";
        String filename = null;
        String contentType = "";
        for (String line : headerText.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("content-disposition")) {
                Matcher n = NAME.matcher(value);
                if (n.find()) {
                    name = n.group(1);
                }
                Matcher f = FILENAME.matcher(value);
                if (f.find()) {
                    filename = f.group(1);
                }
            } else if (key.equals("content-type")) {
                contentType = value;
            }
        }
        return new Part(name, filename, contentType, data);
    }

    private static int skipLineBreak(byte[] b, int i) {
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') {
            return i + 2;
        }
        return i < b.length && b[i] == '\n' ? i + 1 : i;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
