package dev.finetune4j.internal.tokens;

/**
 * Counts the byte-pair-encoding tokens of one pre-token of any length, fed a byte at a time, in
 * memory bounded by the vocabulary's longest token instead of by the pre-token's length.
 *
 * <p>The count is the one tiktoken's merge loop gives (the lowest-ranked adjacent pair merged
 * first, leftmost on ties), computed the way github/rust-gems' {@code bpe} crate's appendable
 * encoder does: the encoding of every prefix is known by its last token alone, because a prefix
 * of a valid encoding is the encoding of its text. The last token of the prefix ending at a byte
 * is the one token ending there that is compatible with the last token of the prefix before it
 * ({@link Vocabulary#compatible}: the merge loop run on their two texts leaves them as they are).
 * So only the last {@code maxTokenLength} prefixes are kept: their last token and their count.
 *
 * <p>Text that repeats a short unit (a run of spaces, of {@code =}, of one letter) can be skipped
 * through ({@link #skipRepeats}): once the last prefixes' tokens repeat with the text, every later
 * step repeats too, each period adding the same number of tokens.
 *
 * <p>One instance per pre-token; not thread-safe.
 */
final class PieceCounter {

    private final Vocabulary vocabulary;
    /** How far back a step looks: the longest token. */
    private final int window;
    private final int mask;
    /** The last bytes fed, by position. */
    private final byte[] text;
    /** By prefix length: the last token of its encoding and its token count. */
    private final int[] lastToken;
    private final int[] count;
    private long length;
    /** The shortest prefix length whose last token and count the ring holds. */
    private long validFrom = 1;

    private final int[] candidates;
    private final int[] candidateLengths;

    PieceCounter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        int longest = vocabulary.maxTokenLength();
        this.window = longest;
        // room for a step's window plus a repeat of up to the same length, see skipRepeats
        int ring = Integer.highestOneBit(longest) * 4;
        this.mask = ring - 1;
        this.text = new byte[ring];
        this.lastToken = new int[ring];
        this.count = new int[ring];
        this.candidates = new int[longest];
        this.candidateLengths = new int[longest];
    }

    /** Appends one byte of the pre-token. */
    void add(byte b) {
        text[(int) (length & mask)] = b;
        length++;
        int found = 0;
        int node = Vocabulary.root();
        for (int d = 1; d <= candidates.length && d <= length; d++) {
            node = vocabulary.child(node, text[(int) ((length - d) & mask)]);
            if (node < 0) {
                break;
            }
            int token = vocabulary.tokenAt(node);
            if (token != Vocabulary.NONE) {
                candidates[found] = token;
                candidateLengths[found++] = d;
            }
        }
        // Exactly one candidate fits; the longest is the likeliest, so try from there.
        for (int i = found - 1; i >= 0; i--) {
            int token = candidates[i];
            int d = candidateLengths[i];
            int at = (int) (length & mask);
            if (d == length) {
                lastToken[at] = token;
                count[at] = 1;
                return;
            }
            int before = (int) ((length - d) & mask);
            if (vocabulary.compatible(lastToken[before], token)) {
                lastToken[at] = token;
                count[at] = count[before] + 1;
                return;
            }
        }
        throw new IllegalStateException("no token of the vocabulary ends the text at byte " + length
                + " compatibly; the vocabulary does not have the properties the streaming count relies on");
    }

    /** The tokens of the bytes fed so far. */
    int count() {
        return length == 0 ? 0 : count[(int) (length & mask)];
    }

    /**
     * Skips through repeated text: the caller guarantees that {@code units} more units of
     * {@code unitBytes} bytes follow, each the same bytes as the unit fed last. When the text fed
     * and the prefixes' last tokens already repeat every {@code m} units ({@code m * unitBytes} at
     * most the longest token), a step sees the same bytes and the same tokens as the step
     * {@code m} units before, so it makes the same token and every {@code m} units add the same
     * count: whole groups of {@code m} units are skipped without feeding them.
     *
     * @return how many units were skipped (0 while the tokens do not repeat yet); the caller
     *     feeds the rest
     */
    long skipRepeats(int unitBytes, long units) {
        for (int m = 1; (long) m * unitBytes <= window && m <= units; m++) {
            int lag = m * unitBytes;
            if (length - window - lag - 1 < validFrom || !repeats(lag)) {
                continue;
            }
            long groups = units / m;
            int at = (int) (length & mask);
            long delta = (long) count[at] - count[(int) ((length - lag) & mask)];
            shift(groups * lag, groups * delta);
            return groups * m;
        }
        return 0;
    }

    /** Whether the last {@code window + 1} prefixes and their bytes repeat those {@code lag} bytes before. */
    private boolean repeats(int lag) {
        int delta = count[(int) (length & mask)] - count[(int) ((length - lag) & mask)];
        for (long x = length - window; x <= length; x++) {
            int now = (int) (x & mask);
            int then = (int) ((x - lag) & mask);
            if (lastToken[now] != lastToken[then] || count[now] - count[then] != delta
                    || text[(int) ((x - 1) & mask)] != text[(int) ((x - 1 - lag) & mask)]) {
                return false;
            }
        }
        return true;
    }

    /** Moves the ring {@code bytes} further on, as if they had been fed, adding {@code tokens} to each count. */
    private void shift(long bytes, long tokens) {
        int size = mask + 1;
        long oldest = Math.max(validFrom, length - size + 1);
        int n = (int) (length - oldest + 1);
        int[] tok = new int[n];
        int[] cnt = new int[n];
        byte[] txt = new byte[n];
        for (int i = 0; i < n; i++) {
            int slot = (int) ((oldest + i) & mask);
            tok[i] = lastToken[slot];
            cnt[i] = count[slot];
            txt[i] = text[(int) ((oldest + i - 1) & mask)];
        }
        length += bytes;
        validFrom = oldest + bytes;
        for (int i = 0; i < n; i++) {
            long x = validFrom + i;
            lastToken[(int) (x & mask)] = tok[i];
            count[(int) (x & mask)] = Math.toIntExact(cnt[i] + tokens);
            text[(int) ((x - 1) & mask)] = txt[i];
        }
    }
}
