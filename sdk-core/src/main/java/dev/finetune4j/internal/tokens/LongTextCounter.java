package dev.finetune4j.internal.tokens;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * Counts the tokens of a text as jtokkit's {@code countTokensOrdinary} does, in memory that does not
 * grow with the length of one pre-token.
 *
 * <p>jtokkit splits a text into pre-tokens (words, runs of spaces, of punctuation, ...) and merges
 * the bytes of each; for one long pre-token, such as a 30 MB word, its merge structures take
 * 250 to 650 bytes per character. Texts shorter than {@code longPiece} characters cannot hold such
 * a pre-token: they are split into pre-tokens ({@link PreTokenizer}) whose counts come from a
 * {@link PieceCache}, so a pre-token seen before is not encoded again. Longer texts are split with
 * the same patterns, and the count is the sum over their pre-tokens:
 * <ul>
 *   <li>a pre-token of {@code longPiece} characters or more is counted by a {@link PieceCounter},
 *       streamed byte by byte;
 *   <li>other pre-tokens go to jtokkit in runs of up to about {@code slice} characters. A run may
 *       end only after a character that is not white space: no pattern looks behind, and the one
 *       that looks ahead, {@code \s+(?!\S)}, decides where a run of white space ends by the
 *       character after it, so a run cut after white space could split differently alone. A
 *       pre-token that ends in white space goes to jtokkit on its own, which splits it as itself.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class LongTextCounter {

    /** Pre-tokens shorter than this (chars) are left to jtokkit: at most a few MB of its structures. */
    static final int LONG_PIECE = 4096;

    /** The most characters handed to jtokkit at once in a long text. */
    static final int SLICE = 64 * 1024;

    /** How often (chars) a stretch is checked for repeats. */
    private static final int RUN_CHECK = 256;
    /** The longest repeating unit looked for (chars). */
    private static final int MAX_UNIT = 16;
    /** How many characters before a check must repeat: more bytes than a step and a repeat look back. */
    private static final int REPEAT_WINDOW = 512;

    private final EncodingType type;
    private final Encoding encoding;
    private final PreTokenizer preTokenizer;
    private final PieceCache pieces;
    private final int longPiece;
    private final int slice;

    /** A counter for jtokkit's {@code encoding} of {@code type}. */
    public LongTextCounter(EncodingType type, Encoding encoding) {
        this(type, encoding, LONG_PIECE, SLICE);
    }

    /** With other thresholds (chars), so tests can send short pre-tokens through the streamed count. */
    LongTextCounter(EncodingType type, Encoding encoding, int longPiece, int slice) {
        this.type = Objects.requireNonNull(type, "type");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.preTokenizer = PreTokenizer.of(type);
        this.pieces = PieceCache.shared(type, encoding);
        this.longPiece = longPiece;
        this.slice = slice;
    }

    /** The tokens of {@code text}, special-token text counted as ordinary text. */
    public int count(String text) {
        if (text.length() < longPiece) {
            return shortText(text);
        }
        int total = 0;
        int from = 0;
        Matcher m = preTokenizer.matcher(text);
        while (m.find()) {
            int start = m.start();
            int end = m.end();
            if (end - start >= longPiece) {
                total += jtokkit(text, from, start) + streamed(text, start, end);
                from = end;
            } else if (mayBeWhiteSpace(text.codePointBefore(end))) {
                total += jtokkit(text, from, start) + jtokkit(text, start, end);
                from = end;
            } else if (end - from >= slice) {
                total += jtokkit(text, from, end);
                from = end;
            }
        }
        return total + jtokkit(text, from, text.length());
    }

    /**
     * A text that cannot hold a long pre-token: the sum of its pre-tokens' counts, each from the
     * {@link PieceCache} (jtokkit encodes only pre-tokens not seen before). A text with an unpaired
     * surrogate goes to jtokkit whole.
     */
    private int shortText(String text) {
        char[] chars = text.toCharArray();
        if (PreTokenizer.hasUnpairedSurrogate(chars)) {
            return encoding.countTokensOrdinary(text);
        }
        if (!preTokenizer.splitsByHand()) {
            return byPattern(text, chars);
        }
        int total = 0;
        for (int i = 0, n = chars.length; i < n; ) {
            int end = preTokenizer.end(chars, i);
            if (end <= i) {
                return byPattern(text, chars);
            }
            total += pieces.count(chars, i, end);
            i = end;
        }
        return total;
    }

    private int byPattern(String text, char[] chars) {
        int total = 0;
        Matcher m = preTokenizer.matcher(text);
        while (m.find()) {
            total += pieces.count(chars, m.start(), m.end());
        }
        return total;
    }

    /**
     * Whether {@code \s} may match the code point under {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}
     * (Unicode's White_Space). A superset is enough: it only makes more pre-tokens go alone.
     */
    private static boolean mayBeWhiteSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    private int jtokkit(String text, int from, int to) {
        return from >= to ? 0 : encoding.countTokensOrdinary(text.substring(from, to));
    }

    /**
     * Feeds the UTF-8 bytes of {@code text[from..to)} to a {@link PieceCounter}, encoding an unpaired
     * surrogate as jtokkit does for this encoding: {@code ?} like {@code String.getBytes}, or (for
     * cl100k, whose splitter encodes code points itself) as the three bytes of its code unit. Every
     * {@link #RUN_CHECK} characters, a stretch that repeats a unit of up to {@link #MAX_UNIT}
     * characters is offered to the counter to skip through.
     */
    private int streamed(String text, int from, int to) {
        PieceCounter counter = new PieceCounter(Vocabulary.of(type));
        int nextCheck = from + REPEAT_WINDOW + MAX_UNIT;
        for (int i = from; i < to; ) {
            if (i >= nextCheck) {
                nextCheck = i + RUN_CHECK;
                i += skipRepeats(counter, text, i, to);
                if (i >= to) {
                    break;
                }
            }
            feed(counter, codePoint(text, i));
            i += Character.charCount(text.codePointAt(i));
        }
        return counter.count();
    }

    /**
     * When the {@link #REPEAT_WINDOW} characters before {@code i} repeat a unit of {@code p}
     * characters and the text goes on repeating it, lets the counter skip whole units.
     *
     * @return the characters skipped
     */
    private int skipRepeats(PieceCounter counter, String text, int i, int to) {
        for (int p = 1; p <= MAX_UNIT; p++) {
            if (!repeatsBefore(text, i, p)) {
                continue;
            }
            int end = i;
            while (end < to && text.charAt(end) == text.charAt(end - p)) {
                end++;
            }
            // Code points are cut where the text repeats; leaving out the last repeated char keeps a
            // surrogate pair whose second half does not repeat out of the skipped units.
            long units = Math.max(0, end - 1 - i) / p;
            if (units == 0) {
                return 0;
            }
            int unitBytes = 0;
            for (int j = i - p; j < i; j += Character.charCount(text.codePointAt(j))) {
                unitBytes += utf8Length(codePoint(text, j));
            }
            return Math.toIntExact(counter.skipRepeats(unitBytes, units) * p);
        }
        return 0;
    }

    private static boolean repeatsBefore(String text, int i, int p) {
        for (int j = i - REPEAT_WINDOW; j < i; j++) {
            if (text.charAt(j) != text.charAt(j - p)) {
                return false;
            }
        }
        return true;
    }

    /** The code point at {@code i} as this encoding's splitter sees it: an unpaired surrogate is '?' or itself. */
    private int codePoint(String text, int i) {
        int cp = text.codePointAt(i);
        if (Character.charCount(cp) == 1 && Character.isSurrogate((char) cp) && type != EncodingType.CL100K_BASE) {
            return '?';
        }
        return cp;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static void feed(PieceCounter counter, int cp) {
        if (cp < 0x80) {
            counter.add((byte) cp);
        } else if (cp < 0x800) {
            counter.add((byte) (0xc0 | (cp >> 6)));
            counter.add((byte) (0x80 | (cp & 0x3f)));
        } else if (cp < 0x10000) {
            counter.add((byte) (0xe0 | (cp >> 12)));
            counter.add((byte) (0x80 | ((cp >> 6) & 0x3f)));
            counter.add((byte) (0x80 | (cp & 0x3f)));
        } else {
            counter.add((byte) (0xf0 | (cp >> 18)));
            counter.add((byte) (0x80 | ((cp >> 12) & 0x3f)));
            counter.add((byte) (0x80 | ((cp >> 6) & 0x3f)));
            counter.add((byte) (0x80 | (cp & 0x3f)));
        }
    }
}
