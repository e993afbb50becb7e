package dev.finetune4j.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plain Java values that stand for JSON, as the public API takes them (no Jackson type in a public
 * signature): {@code null}, {@link String}, {@link Boolean}, a whole number ({@link Integer},
 * {@link Long}, {@link Short}, {@link Byte}, {@link BigInteger}), a finite {@link Double} or
 * {@link Float}, a {@link BigDecimal}, a {@link List} of such values, and a {@link Map} from
 * strings to such values. Copies are deep and unmodifiable; maps keep their order.
 */
public final class JsonValues {

    private JsonValues() {}

    /**
     * A deep, unmodifiable copy of a JSON object given as a map.
     *
     * @param what what the map is, for messages ({@code "extra field"})
     * @throws IllegalArgumentException naming the key and the type when a value is not JSON, or a
     *     key is blank
     */
    public static Map<String, Object> copyObject(Map<String, ?> map, String what) {
        Objects.requireNonNull(map, what);
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            copy.put(name(e.getKey(), what), copy(e.getValue(), what + " '" + e.getKey() + "'"));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** A name of a JSON object's member: not null, not blank. */
    public static String name(String name, String what) {
        Objects.requireNonNull(name, what + " name");
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " name is blank");
        }
        return name;
    }

    /**
     * A deep, unmodifiable copy of one JSON value.
     *
     * @param path where the value is, for messages
     * @throws IllegalArgumentException when the value (or one inside it) is not a JSON value
     */
    public static Object copy(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + " is " + d + "; JSON has no such number");
            }
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has the key " + e.getKey() + " ("
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                            + "); JSON object keys are strings");
                }
                copy.put(key, copy(e.getValue(), path + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new IllegalArgumentException(path + " is a " + value.getClass().getName() + "; use null, a String, "
                + "a Boolean, a Number, a List or a Map of String to such values");
    }

    /** Writes a value {@link #copy} accepted. */
    public static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
