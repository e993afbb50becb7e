package dev.finetune4j.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/** Validation of the names that become parts of store keys (and so of file paths and SQL rows). */
public final class Names {

    /** The longest name accepted. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    private Names() {}

    /**
     * Checks a name: 1–64 characters from {@code [A-Za-z0-9._-]}, not starting with a dot, so it
     * can never be {@code .}, {@code ..}, contain a separator or a control character.
     *
     * @return the name
     * @throws IllegalArgumentException naming {@code what} and the rule
     */
    public static String requireValid(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + printable(name)
                    + "' is invalid: use 1-" + MAX_LENGTH
                    + " characters from A-Z a-z 0-9 . _ - and do not start with a dot");
        }
        return name;
    }

    /** Shortens and escapes a user-supplied value so it can be quoted in a message. */
    public static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 80; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 80 && value.length() > 80) {
            sb.append("...");
        }
        return sb.toString();
    }
}
