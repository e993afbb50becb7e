package dev.finetune4j.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark's settings: {@code name=value} pairs from the system property {@code bench.args}
 * (what the Maven execution passes on, {@code -Dbench.args="rounds=3 records=2000"}), each
 * overridden by a system property of its own name. Unset or unexpanded ({@code ${bench.args}})
 * means every default.
 */
public final class Settings {

    private final Map<String, String> values = new HashMap<>();

    private Settings() {}

    /** Reads {@code bench.args}. */
    public static Settings fromSystemProperties() {
        Settings s = new Settings();
        String args = System.getProperty("bench.args", "");
        if (!args.startsWith("${")) {
            for (String pair : args.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    s.values.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
                }
            }
        }
        return s;
    }

    private String raw(String name) {
        String p = System.getProperty(name);
        return p != null && !p.startsWith("${") ? p : values.get(name.toLowerCase(Locale.ROOT));
    }

    public int integer(String name, int fallback) {
        String v = raw(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim().replace("_", ""));
    }

    public double decimal(String name, double fallback) {
        String v = raw(name);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
    }

    public String text(String name, String fallback) {
        String v = raw(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
