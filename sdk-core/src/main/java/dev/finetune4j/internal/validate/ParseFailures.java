package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the reason a line could not be parsed into that line's issue: malformed UTF-8, one of the
 * reader's limits (nesting, number, string or key length) or plain invalid JSON. Never throws:
 * whatever Jackson reports, the line gets an issue with its number and a stable code.
 */
final class ParseFailures {

    private ParseFailures() {}

    /** The issue of a line that Jackson refused. */
    static ValidationIssue issue(long line, byte[] bytes, JsonProcessingException e) {
        StreamConstraintsException limit = limit(e);
        if (limit != null) {
            return limitIssue(line, limit);
        }
        String utf8Problem = utf8Problem(bytes);
        if (utf8Problem != null) {
            return error(line, IssueCode.INVALID_UTF8, utf8Problem);
        }
        // Jackson leaves the location out of some exceptions; the line number is what matters.
        JsonLocation at = e.getLocation();
        String reason = e.getOriginalMessage() != null ? e.getOriginalMessage() : e.getClass().getSimpleName();
        return error(line, IssueCode.INVALID_JSON, "not valid JSON: " + reason
                + (at != null && at.getColumnNr() > 0 ? " at column " + at.getColumnNr() : ""));
    }

    private static StreamConstraintsException limit(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StreamConstraintsException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * Jackson names the limit only in its message, by the getter of {@code StreamReadConstraints}
     * that holds it; that getter name is part of Jackson's API, so it is what is matched.
     */
    private static ValidationIssue limitIssue(long line, StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("getMaxNestingDepth")) {
            return error(line, IssueCode.NESTING_TOO_DEEP, "the JSON nests arrays and objects more than "
                    + Json.MAX_NESTING_DEPTH + " levels deep; a training example needs a few levels");
        }
        if (m.contains("getMaxNumberLength")) {
            return error(line, IssueCode.NUMBER_TOO_LONG, "a number has more than " + Json.MAX_NUMBER_LENGTH
                    + " characters; write such a value as a string");
        }
        if (m.contains("getMaxNameLength")) {
            return error(line, IssueCode.STRING_TOO_LONG, "a key has more than " + Json.MAX_NAME_LENGTH
                    + " characters");
        }
        if (m.contains("getMaxStringLength")) {
            return error(line, IssueCode.STRING_TOO_LONG, "a string has more than " + Json.MAX_STRING_LENGTH
                    + " characters");
        }
        return error(line, IssueCode.INVALID_JSON, "the line exceeds a limit of the JSON reader: " + m);
    }

    /** Describes the first malformed UTF-8 sequence, or returns null when the bytes are valid UTF-8. */
    private static String utf8Problem(byte[] bytes) {
        try {
            strictUtf8().decode(ByteBuffer.wrap(bytes));
            return null;
        } catch (CharacterCodingException e) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            strictUtf8().decode(in, CharBuffer.allocate(bytes.length + 1), true);
            return "the line is not valid UTF-8 (malformed byte 0x"
                    + String.format("%02x", bytes[Math.min(in.position(), bytes.length - 1)] & 0xff)
                    + " at byte " + (in.position() + 1) + "); save the file as UTF-8";
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static ValidationIssue error(long line, IssueCode code, String message) {
        return new ValidationIssue(line, code, Severity.ERROR, message);
    }
}
