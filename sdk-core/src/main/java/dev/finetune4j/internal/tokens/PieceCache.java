package dev.finetune4j.internal.tokens;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The token counts of short pre-tokens seen before, so that a word that comes back is not
 * byte-pair-encoded again: in chat data most pre-tokens (words with their leading space,
 * punctuation, numbers) repeat thousands of times, and encoding them is most of the work of
 * counting.
 *
 * <p>A pre-token's count is what jtokkit gives for it alone, which is its share of any text's count
 * (see {@link PreTokenizer}), so cached counts are exact. The JVM keeps one cache per encoding
 * ({@link #shared}), so counters made per call share what was learnt. It is bounded: a fixed table of
 * {@code slots} entries for pre-tokens of at most {@code maxChars} chars; a new pre-token takes
 * the place of an older one when both of its slots are taken. Longer pre-tokens are counted each
 * time.
 *
 * <p>Thread-safe without locks: a slot holds an immutable entry, written and read as one
 * reference, so a reader sees either a whole entry or none; two threads may both count a new
 * pre-token, with the same result.
 */
final class PieceCache {

    /** Slots of the table (a power of two). */
    static final int SLOTS = 1 << 15;
    /** The longest pre-token remembered (chars). */
    static final int MAX_CHARS = 24;

    private record Entry(char[] piece, int tokens) {}

    /** One cache per encoding in the JVM: a count depends on the encoding only. */
    private static final Map<EncodingType, PieceCache> SHARED = new EnumMap<>(EncodingType.class);

    /** The JVM's cache for {@code type}, counting misses with {@code encoding} (jtokkit's encoding of that type). */
    static PieceCache shared(EncodingType type, Encoding encoding) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(type, t -> new PieceCache(encoding));
        }
    }

    private final Encoding encoding;
    private final Entry[] table;
    private final int mask;
    private final int maxChars;

    PieceCache(Encoding encoding) {
        this(encoding, SLOTS, MAX_CHARS);
    }

    PieceCache(Encoding encoding, int slots, int maxChars) {
        if (Integer.bitCount(slots) != 1 || slots < 2) {
            throw new IllegalArgumentException("slots must be a power of two, was " + slots);
        }
        this.encoding = encoding;
        this.table = new Entry[slots];
        this.mask = slots - 1;
        this.maxChars = maxChars;
    }

    /** The tokens of the pre-token {@code text[from..to)}. */
    int count(char[] text, int from, int to) {
        int length = to - from;
        if (length > maxChars) {
            return encoding.countTokensOrdinary(new String(text, from, length));
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text[i];
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        int first = h & mask;
        int second = (first + 1) & mask;
        Entry e = table[first];
        if (e != null && Arrays.equals(e.piece, 0, e.piece.length, text, from, to)) {
            return e.tokens;
        }
        Entry f = table[second];
        if (f != null && Arrays.equals(f.piece, 0, f.piece.length, text, from, to)) {
            return f.tokens;
        }
        int tokens = encoding.countTokensOrdinary(new String(text, from, length));
        table[e == null || f != null ? first : second] = new Entry(Arrays.copyOfRange(text, from, to), tokens);
        return tokens;
    }
}
