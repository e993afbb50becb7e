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
            }, Pattern.UNICODE_CHARACTER_CLASS)));
        }
    }

    private final Pattern pattern;

    private PreTokenizer(Pattern pattern) {
        this.pattern = pattern;
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
    static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }
}
