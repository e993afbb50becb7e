package dev.finetune4j.cli;

/**
 * Makes text from users safe to print on a terminal: every character that would move the cursor,
 * start an escape sequence or reorder the line is shown as an escape instead of acting.
 * {@code \n}, {@code \r} and {@code \t} as themselves, other C0 and C1 controls, DEL, line and
 * paragraph separators and the bidirectional controls (embeddings, overrides, isolates and marks,
 * which can make text read in another order than it is stored) as {@code \}{@code u} and four hex
 * digits. A note cannot forge a table row, colour the terminal or hide what follows it.
 */
final class Visible {

    private Visible() {}

    /** {@code text} with every control character escaped; the text itself when it has none. */
    static String of(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (isControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
