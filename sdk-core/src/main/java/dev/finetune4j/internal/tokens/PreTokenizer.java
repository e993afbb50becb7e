package dev.finetune4j.internal.tokens;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text into pre-tokens exactly as jtokkit does before it byte-pair-encodes them: with
 * jtokkit 1.1.0's patterns ({@code EncodingFactory}, compiled with
 * {@link Pattern#UNICODE_CHARACTER_CLASS} as there), and for cl100k the regular expression that
 * its hand-written splitter ({@code Cl100kParser}) implements.
 *
 * <p>Byte-pair encoding never merges across pre-tokens, so the tokens of a text are the sum of the
 * tokens of its pre-tokens, each encoded alone; and a pre-token split again alone is itself (no
 * pattern looks behind, and the one that looks ahead, {@code \s+(?!\S)}, matches a whole run of
 * white space at the end of a text). That is what lets {@link PieceCache} count a pre-token once
 * and {@link LongTextCounter} cut long texts between pre-tokens.
 *
 * <p>Texts with an unpaired surrogate are not split here (jtokkit's splitters encode one
 * differently per encoding); callers hand those to jtokkit whole.
 *
 * <p>Immutable and thread-safe.
 */
final class PreTokenizer {

    private static final String O200K = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");
    private static final String CL100K =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String X50K = "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Map<EncodingType, PreTokenizer> BY_TYPE = new EnumMap<>(EncodingType.class);

    static {
        for (EncodingType type : EncodingType.values()) {
            BY_TYPE.put(type, new PreTokenizer(Pattern.compile(switch (type) {
                case O200K_BASE -> O200K;
                case CL100K_BASE -> CL100K;
                default -> X50K;
            }, Pattern.UNICODE_CHARACTER_CLASS), type));
        }
    }

    private final Pattern pattern;
    private final EncodingType type;

    private PreTokenizer(Pattern pattern, EncodingType type) {
        this.pattern = pattern;
        this.type = type;
    }

    /** Whether {@link #end} splits this encoding's texts (cl100k and o200k); else use {@link #matcher}. */
    boolean splitsByHand() {
        return type == EncodingType.CL100K_BASE || type == EncodingType.O200K_BASE;
    }

    /**
     * Where the pre-token that starts at {@code i} ends: what the pattern's next match from
     * {@code i} gives, computed by hand (no backtracking engine: the alternatives are tried in the
     * pattern's order, each the way the regular expression's greedy quantifiers settle). For
     * cl100k and o200k only ({@link #splitsByHand}), on a text without unpaired surrogates.
     *
     * @return the end, or -1 if no alternative matches at {@code i} (the caller then uses the pattern)
     */
    int end(char[] text, int i) {
        return type == EncodingType.O200K_BASE ? o200k(text, i) : cl100k(text, i);
    }

    // Character classes under UNICODE_CHARACTER_CLASS, by general category (Character.getType).
    private static final int LETTER = 1 << Character.UPPERCASE_LETTER | 1 << Character.LOWERCASE_LETTER
            | 1 << Character.TITLECASE_LETTER | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER;
    private static final int MARK = 1 << Character.NON_SPACING_MARK | 1 << Character.ENCLOSING_MARK
            | 1 << Character.COMBINING_SPACING_MARK;
    private static final int NUMBER = 1 << Character.DECIMAL_DIGIT_NUMBER | 1 << Character.LETTER_NUMBER
            | 1 << Character.OTHER_NUMBER;
    /** o200k's {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]}. */
    private static final int UPPERISH = 1 << Character.UPPERCASE_LETTER | 1 << Character.TITLECASE_LETTER
            | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER | MARK;
    /** o200k's {@code [\p{Ll}\p{Lm}\p{Lo}\p{M}]}. */
    private static final int LOWERISH = 1 << Character.LOWERCASE_LETTER | 1 << Character.MODIFIER_LETTER
            | 1 << Character.OTHER_LETTER | MARK;
    private static final int SPACE = 1 << Character.SPACE_SEPARATOR | 1 << Character.LINE_SEPARATOR
            | 1 << Character.PARAGRAPH_SEPARATOR;

    /** Character.getType of the Latin-1 code points, looked up without a call. */
    private static final byte[] LATIN1_TYPE = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LATIN1_TYPE[c] = (byte) Character.getType(c);
        }
    }

    private static boolean in(int cp, int categories) {
        return (categories >> (cp < 256 ? LATIN1_TYPE[cp] : Character.getType(cp)) & 1) != 0;
    }

    /** {@code \s}: Unicode's White_Space, as java.util.regex defines it under UNICODE_CHARACTER_CLASS. */
    private static boolean space(int cp) {
        return (cp >= 0x9 && cp <= 0xd) || cp == 0x20 || cp == 0x85 || (cp > 0x7f && in(cp, SPACE));
    }

    private static boolean newline(int cp) {
        return cp == '\r' || cp == '\n';
    }

    /** {@code [^\r\n\p{L}\p{N}]}. */
    private static boolean prefix(int cp) {
        return !newline(cp) && !in(cp, LETTER | NUMBER);
    }

    /** {@code [^\s\p{L}\p{N}]}. */
    private static boolean symbol(int cp) {
        return !space(cp) && !in(cp, LETTER | NUMBER);
    }

    private static int next(char[] text, int i) {
        return i + Character.charCount(Character.codePointAt(text, i));
    }

    /** The end of the longest run from {@code i} of code points in {@code categories}. */
    private static int run(char[] text, int i, int categories) {
        int n = text.length;
        while (i < n) {
            int cp = Character.codePointAt(text, i);
            if (!in(cp, categories)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** {@code \p{N}{1,3}} at i, or -1. */
    private static int numbers(char[] text, int i) {
        int at = i;
        for (int k = 0; k < 3 && at < text.length; k++) {
            int cp = Character.codePointAt(text, at);
            if (!in(cp, NUMBER)) {
                break;
            }
            at += Character.charCount(cp);
        }
        return at > i ? at : -1;
    }

    /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} at i (Unicode case folding: 'ſ' is an s), or -1. */
    private static int contraction(char[] text, int i) {
        int n = text.length;
        if (i + 1 >= n || text[i] != '\'') {
            return -1;
        }
        char a = text[i + 1];
        if (folds(a, 's') || folds(a, 't') || folds(a, 'm') || folds(a, 'd')) {
            return i + 2;
        }
        if (i + 2 < n) {
            char b = text[i + 2];
            if ((folds(a, 'r') && folds(b, 'e')) || (folds(a, 'v') && folds(b, 'e')) || (folds(a, 'l') && folds(b, 'l'))) {
                return i + 3;
            }
        }
        return -1;
    }

    private static boolean folds(char c, char lower) {
        return c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower;
    }

    /** {@code ( ?[^\s\p{L}\p{N}]+)} then the run of {@code tail} chars, or -1. */
    private static int symbols(char[] text, int i, boolean slash) {
        int n = text.length;
        int at = i;
        if (text[at] == ' ' && at + 1 < n && symbol(Character.codePointAt(text, at + 1))) {
            at++;
        }
        if (!symbol(Character.codePointAt(text, at))) {
            return -1;
        }
        while (at < n) {
            int cp = Character.codePointAt(text, at);
            if (!symbol(cp)) {
                break;
            }
            at += Character.charCount(cp);
        }
        while (at < n && (newline(text[at]) || (slash && text[at] == '/'))) {
            at++;
        }
        return at;
    }

    /** The three white-space alternatives: {@code \s*[\r\n]+|\s+(?!\S)|\s+}, or -1. */
    private static int spaces(char[] text, int i) {
        int n = text.length;
        int end = i;
        int lastNewline = -1;
        while (end < n && space(text[end])) { // every White_Space char is in the BMP
            if (newline(text[end])) {
                lastNewline = end;
            }
            end++;
        }
        if (end == i) {
            return -1;
        }
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        if (end == n || end - i == 1) {
            return end;
        }
        return end - 1;
    }

    private static int o200k(char[] text, int i) {
        int cp = Character.codePointAt(text, i);
        boolean withPrefix = prefix(cp) && next(text, i) < text.length;
        int e;
        if (withPrefix && (e = upperThenLower(text, next(text, i))) >= 0) {
            return e;
        }
        if ((e = upperThenLower(text, i)) >= 0) {
            return e;
        }
        if (withPrefix && (e = upperRunThenLower(text, next(text, i))) >= 0) {
            return e;
        }
        if ((e = upperRunThenLower(text, i)) >= 0) {
            return e;
        }
        if ((e = numbers(text, i)) >= 0) {
            return e;
        }
        if ((e = symbols(text, i, true)) >= 0) {
            return e;
        }
        return spaces(text, i);
    }

    /**
     * {@code [UPPERISH]*[LOWERISH]+} then an optional contraction, at i, or -1: the upper run backs
     * off a code point at a time until a lower-ish one follows, then the lower run is greedy.
     */
    private static int upperThenLower(char[] text, int i) {
        int n = text.length;
        int u = run(text, i, UPPERISH);
        for (int k = u; ; ) {
            if (k < n && in(Character.codePointAt(text, k), LOWERISH)) {
                int end = run(text, k, LOWERISH);
                int c = contraction(text, end);
                return c >= 0 ? c : end;
            }
            if (k == i) {
                return -1;
            }
            k -= Character.charCount(Character.codePointBefore(text, k));
        }
    }

    /** {@code [UPPERISH]+[LOWERISH]*} then an optional contraction, at i, or -1. */
    private static int upperRunThenLower(char[] text, int i) {
        int u = run(text, i, UPPERISH);
        if (u == i) {
            return -1;
        }
        int end = run(text, u, LOWERISH);
        int c = contraction(text, end);
        return c >= 0 ? c : end;
    }

    private static int cl100k(char[] text, int i) {
        int e;
        if ((e = contraction(text, i)) >= 0) {
            return e;
        }
        int cp = Character.codePointAt(text, i);
        if (prefix(cp) && next(text, i) < text.length) {
            int l = run(text, next(text, i), LETTER);
            if (l > next(text, i)) {
                return l;
            }
        }
        int l = run(text, i, LETTER);
        if (l > i) {
            return l;
        }
        if ((e = numbers(text, i)) >= 0) {
            return e;
        }
        if ((e = symbols(text, i, false)) >= 0) {
            return e;
        }
        return spaces(text, i);
    }

    /** The pre-tokenizer of an encoding. */
    static PreTokenizer of(EncodingType type) {
        return BY_TYPE.get(type);
    }

    /** A matcher whose successive {@link Matcher#find()} give the pre-tokens of {@code text}, in order. */
    Matcher matcher(CharSequence text) {
        return pattern.matcher(text);
    }

    /** Whether {@code text} has a surrogate that is not half of a pair. */
    static boolean hasUnpairedSurrogate(char[] text) {
        for (int i = 0, n = text.length; i < n; i++) {
            char c = text[i];
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text[i + 1])) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }
}
