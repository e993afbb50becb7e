package dev.finetune4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.internal.json.Json;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The built-in {@link Scorer}s. */
public final class Scorers {

    private Scorers() {}

    /** Right when the answer equals the expected text exactly. */
    public static Scorer exactMatch() {
        return named("exact", (e, a) -> Score.of(e.equals(a)));
    }

    /**
     * Right when the texts are equal after Unicode normalisation (NFKC), lower-casing, dropping
     * punctuation and collapsing white space.
     */
    public static Scorer normalizedText() {
        return named("normalized", (e, a) -> Score.of(normalize(e).equals(normalize(a))));
    }

    static String normalize(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return n.replaceAll("[\\p{P}\\p{S}]", " ").replaceAll("\\s+", " ").trim();
    }

    /**
     * Per-field accuracy of JSON object answers (the voice-parser case): both sides are parsed; each
     * expected top-level field is right when the answer has it with an equal value (numbers within
     * {@code numericTolerance}, relative to the expected value's magnitude or absolute below 1;
     * strings compared exactly; nested values compared as JSON). A field the answer lacks is wrong;
     * fields the answer adds are reported as {@code extra:<name>} wrong. An answer that is not a JSON
     * object scores 0 and is counted as not parseable.
     */
    public static Scorer jsonFields(double numericTolerance) {
        if (!(numericTolerance >= 0)) {
            throw new IllegalArgumentException("numericTolerance must be >= 0, was " + numericTolerance);
        }
        return named("json-fields", (e, a) -> jsonScore(e, a, numericTolerance));
    }

    private static Score jsonScore(String expectedText, String actualText, double tolerance) {
        JsonNode expected = parse(expectedText);
        if (expected == null || !expected.isObject()) {
            throw new IllegalArgumentException("the expected answer is not a JSON object: " + abbreviate(expectedText));
        }
        JsonNode actual = parse(actualText);
        Map<String, Boolean> fields = new HashMap<>();
        if (actual == null || !actual.isObject()) {
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                fields.put(it.next(), false);
            }
            return new Score(0, fields, false);
        }
        int right = 0;
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            boolean ok = equal(f.getValue(), actual.get(f.getKey()), tolerance);
            fields.put(f.getKey(), ok);
            total++;
            right += ok ? 1 : 0;
        }
        for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!expected.has(name)) {
                fields.put("extra:" + name, false);
                total++;
            }
        }
        return new Score(total == 0 ? 1 : (double) right / total, fields, true);
    }

    private static boolean equal(JsonNode expected, JsonNode actual, double tolerance) {
        if (actual == null) {
            return false;
        }
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            return Math.abs(e - a) <= tolerance * Math.max(1, Math.abs(e));
        }
        return expected.equals(actual);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text.strip());
        } catch (Exception e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** A scorer from a name and a function. */
    public static Scorer named(String name, java.util.function.BiFunction<String, String, Score> fn) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        return new Scorer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Score score(String expected, String actual) {
                return fn.apply(expected, actual);
            }

            @Override
            public String toString() {
                return "Scorer[" + name + "]";
            }
        };
    }
}
