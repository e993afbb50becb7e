package dev.finetune4j.internal.tokens;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * A tiktoken vocabulary (token bytes by rank), read from the same bundled file jtokkit reads, in
 * compact arrays: the rank of any byte sequence, a trie of the reversed tokens to find every token
 * a text ends with, and each token's split into the two tokens the merge loop joins last, to tell
 * in a few lookups whether two tokens are compatible (github/rust-gems' {@code bpe} crate,
 * {@code is_valid_token_pair}). About 15 MB for {@code o200k_base}; loaded once per encoding, on
 * first use. Immutable and thread-safe.
 */
final class Vocabulary {

    /** Rank of a byte sequence that is no token. */
    static final int NONE = -1;

    private static final Map<EncodingType, Vocabulary> LOADED = new EnumMap<>(EncodingType.class);

    /** Every token's bytes, back to back; token r is {@code bytes[start[r]..start[r + 1])}. */
    private final byte[] bytes;
    private final int[] start;
    private final int maxTokenLength;
    /** Open addressing: rank + 1 of the token hashed there, 0 for a free slot. */
    private final int[] table;

    /** Trie of reversed tokens, nodes in breadth-first order: children of k are childStart[k]..childStart[k+1]-1. */
    private final int[] childStart;
    private final byte[] edge;
    private final int[] tokenAt;

    /** The two tokens the merge loop joins last into each token; a token no merge makes is its own split. */
    private final int[] splitLeft;
    private final int[] splitRight;
    /** Open addressing over (left << 32 | right) of every split: the token it makes; key -1 for free. */
    private final long[] pairKeys;
    private final int[] pairTokens;

    private Vocabulary(byte[][] tokens) {
        int total = 0;
        int longest = 0;
        for (byte[] t : tokens) {
            total += t == null ? 0 : t.length;
            longest = Math.max(longest, t == null ? 0 : t.length);
        }
        bytes = new byte[total];
        start = new int[tokens.length + 1];
        int at = 0;
        for (int r = 0; r < tokens.length; r++) {
            start[r] = at;
            if (tokens[r] != null) {
                System.arraycopy(tokens[r], 0, bytes, at, tokens[r].length);
                at += tokens[r].length;
            }
        }
        start[tokens.length] = at;
        maxTokenLength = longest;
        table = new int[Integer.highestOneBit(Math.max(16, tokens.length * 2)) * 2];
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r] != null && tokens[r].length > 0) {
                int slot = hash(bytes, start[r], start[r + 1]) & (table.length - 1);
                while (table[slot] != 0) {
                    slot = (slot + 1) & (table.length - 1);
                }
                table[slot] = r + 1;
            }
        }
        int[][] trie = reversedTrie(tokens.length);
        childStart = trie[0];
        tokenAt = trie[1];
        edge = new byte[tokenAt.length];
        for (int k = 0; k < trie[2].length; k++) {
            edge[k] = (byte) trie[2][k];
        }
        splitLeft = new int[tokens.length];
        splitRight = new int[tokens.length];
        pairKeys = new long[table.length];
        pairTokens = new int[table.length];
        Arrays.fill(pairKeys, -1L);
        buildSplits();
    }

    /**
     * Finds, in rank order, each token's split: the longest prefix token whose rest is a token,
     * both of lower rank, that are compatible in the vocabulary of the lower ranks (so the merge
     * loop run on the token's bytes ends with exactly those two, and then joins them).
     */
    private void buildSplits() {
        int ranks = size();
        for (int id = 0; id < ranks; id++) {
            splitLeft[id] = id;
            splitRight[id] = id;
            int length = length(id);
            for (int prefix = length - 1; prefix >= 1; prefix--) {
                int left = rank(bytes, start[id], start[id] + prefix);
                if (left == NONE || left >= id) {
                    continue;
                }
                int right = rank(bytes, start[id] + prefix, start[id + 1]);
                if (right != NONE && right < id && compatible(left, right)) {
                    splitLeft[id] = left;
                    splitRight[id] = right;
                    putPair(left, right, id);
                    break;
                }
            }
        }
    }

    private void putPair(int left, int right, int token) {
        long key = pairKey(left, right);
        int mask = pairKeys.length - 1;
        int slot = pairSlot(key, mask);
        while (pairKeys[slot] != -1L) {
            slot = (slot + 1) & mask;
        }
        pairKeys[slot] = key;
        pairTokens[slot] = token;
    }

    /** The token the merge loop makes of {@code left} next to {@code right}, or {@link #NONE}. */
    private int pair(int left, int right) {
        long key = pairKey(left, right);
        int mask = pairKeys.length - 1;
        for (int slot = pairSlot(key, mask); pairKeys[slot] != -1L; slot = (slot + 1) & mask) {
            if (pairKeys[slot] == key) {
                return pairTokens[slot];
            }
        }
        return NONE;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    private static int pairSlot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    /**
     * Whether the merge loop run on the bytes of {@code first} followed by those of {@code second}
     * ends with exactly those two tokens. Undoes the merges that made the two tokens, highest rank
     * first, and fails as soon as a pair across the boundary would have been merged before the
     * merge being undone (rust-gems' {@code is_valid_token_pair}).
     */
    boolean compatible(int first, int second) {
        int left = first;
        int right = second;
        int limit = Integer.MAX_VALUE;
        while (true) {
            int across = pair(left, right);
            if (across != NONE && across < limit) {
                return false;
            }
            if (left > right) {
                limit = left;
                left = splitRight[left];
                if (left == limit) {
                    limit = right + 1;
                    right = splitLeft[right];
                    if (right + 1 == limit) {
                        return true;
                    }
                }
            } else {
                limit = right + 1;
                right = splitLeft[right];
                if (right + 1 == limit) {
                    limit = left;
                    left = splitRight[left];
                    if (left == limit) {
                        return true;
                    }
                }
            }
        }
    }

    /**
     * The vocabulary of an encoding.
     *
     * @throws IllegalStateException when jtokkit no longer bundles the file where it did
     */
    static Vocabulary of(EncodingType type) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(type, t -> new Vocabulary(read(fileOf(t))));
        }
    }

    private static String fileOf(EncodingType type) {
        return switch (type) {
            case P50K_BASE, P50K_EDIT -> "p50k_base.tiktoken";
            default -> type.getName() + ".tiktoken";
        };
    }

    /** Reads {@code base64 rank} lines into an array indexed by rank (null where a rank is unused). */
    private static byte[][] read(String file) {
        String path = "/com/knuddels/jtokkit/" + file;
        try (InputStream in = Encoding.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("jtokkit does not bundle " + path + " any more");
            }
            byte[][] tokens = new byte[1 << 16][];
            int size = 0;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                int rank = Integer.parseInt(line.substring(space + 1).trim());
                if (rank >= tokens.length) {
                    tokens = Arrays.copyOf(tokens, Math.max(rank + 1, tokens.length * 2));
                }
                tokens[rank] = Base64.getDecoder().decode(line.substring(0, space));
                size = Math.max(size, rank + 1);
            }
            return Arrays.copyOf(tokens, size);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    /** One more than the highest rank. */
    int size() {
        return start.length - 1;
    }

    /** The longest token, in bytes. */
    int maxTokenLength() {
        return maxTokenLength;
    }

    /** The length of a token, in bytes. */
    int length(int rank) {
        return start[rank + 1] - start[rank];
    }

    /** Copies a token's bytes to {@code to} at {@code at}. */
    void copy(int rank, byte[] to, int at) {
        System.arraycopy(bytes, start[rank], to, at, length(rank));
    }

    /** The rank of {@code text[from..to)}, or {@link #NONE}. */
    int rank(byte[] text, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > maxTokenLength) {
            return NONE;
        }
        int mask = table.length - 1;
        for (int slot = hash(text, from, to) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            int r = table[slot] - 1;
            if (start[r + 1] - start[r] == length
                    && Arrays.equals(bytes, start[r], start[r + 1], text, from, to)) {
                return r;
            }
        }
        return NONE;
    }

    /** The trie's root. */
    static int root() {
        return 0;
    }

    /** The child of a trie node along a byte, or -1. */
    int child(int node, byte b) {
        int lo = childStart[node];
        int hi = childStart[node + 1] - 1;
        int key = b & 0xff;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int e = edge[mid] & 0xff;
            if (e < key) {
                lo = mid + 1;
            } else if (e > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The rank of the token whose reversed bytes lead from the root to {@code node}, or {@link #NONE}. */
    int tokenAt(int node) {
        return tokenAt[node];
    }

    /**
     * Builds the trie of reversed tokens level by level from the ranks sorted by reversed bytes:
     * the nodes of depth {@code d} are the distinct reversed prefixes of length {@code d}, numbered
     * in sorted order, so the children of a node are consecutive and sorted by their byte. Run
     * twice: once to count the nodes, once to fill the arrays.
     *
     * @return {childStart (one more than the nodes), tokenAt, edge}
     */
    private int[][] reversedTrie(int ranks) {
        int n = 0;
        int[] order = new int[ranks];
        for (int r = 0; r < ranks; r++) {
            if (length(r) > 0) {
                order[n++] = r;
            }
        }
        order = Arrays.copyOf(order, n);
        sortByReversedBytes(order);
        int nodes = levels(order, null, null, null);
        int[] childStarts = new int[nodes + 1];
        int[] tokens = new int[nodes];
        int[] edges = new int[nodes];
        levels(order, childStarts, tokens, edges);
        return new int[][] {childStarts, tokens, edges};
    }

    /** Numbers the trie's nodes level by level; fills the arrays when they are given. Returns the node count. */
    private int levels(int[] order, int[] childStarts, int[] tokens, int[] edges) {
        boolean fill = childStarts != null;
        if (fill) {
            Arrays.fill(childStarts, -1);
            Arrays.fill(tokens, NONE);
        }
        int[] nodeOf = new int[order.length]; // each token's node at the depth numbered last; 0 is the root
        int[] alive = new int[order.length]; // positions in order of the tokens at least d long
        int living = order.length;
        for (int k = 0; k < living; k++) {
            alive[k] = k;
        }
        int next = 1;
        for (int d = 1; living > 0; d++) {
            int previousParent = -1;
            int previousByte = -1;
            int previousNode = -1;
            int kept = 0;
            for (int i = 0; i < living; i++) {
                int k = alive[i];
                int rank = order[k];
                int parent = nodeOf[k];
                int b = reversedByte(rank, d - 1);
                int node;
                if (parent == previousParent && b == previousByte) {
                    node = previousNode;
                } else {
                    node = next++;
                    if (fill) {
                        if (childStarts[parent] < 0) {
                            childStarts[parent] = node;
                        }
                        edges[node] = b;
                    }
                }
                previousParent = parent;
                previousByte = b;
                previousNode = node;
                nodeOf[k] = node;
                if (length(rank) == d) {
                    if (fill) {
                        tokens[node] = rank;
                    }
                } else {
                    alive[kept++] = k;
                }
            }
            living = kept;
        }
        if (fill) {
            // a node without children gets the empty range where the next node's children start
            childStarts[next] = next;
            for (int node = next - 1; node >= 0; node--) {
                if (childStarts[node] < 0) {
                    childStarts[node] = childStarts[node + 1];
                }
            }
        }
        return next;
    }

    /** Sorts ranks by their reversed bytes, unsigned, a prefix first (a merge sort: no boxing). */
    private void sortByReversedBytes(int[] ranks) {
        int[] buffer = new int[ranks.length];
        for (int width = 1; width < ranks.length; width *= 2) {
            for (int lo = 0; lo < ranks.length - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, ranks.length);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    buffer[k++] = compareReversed(ranks[i], ranks[j]) <= 0 ? ranks[i++] : ranks[j++];
                }
                while (i < mid) {
                    buffer[k++] = ranks[i++];
                }
                while (j < hi) {
                    buffer[k++] = ranks[j++];
                }
                System.arraycopy(buffer, lo, ranks, lo, hi - lo);
            }
        }
    }

    private int reversedByte(int rank, int d) {
        return bytes[start[rank + 1] - 1 - d] & 0xff;
    }

    private int compareReversed(int a, int b) {
        int la = length(a);
        int lb = length(b);
        for (int d = 0; d < Math.min(la, lb); d++) {
            int c = Integer.compare(reversedByte(a, d), reversedByte(b, d));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(la, lb);
    }

    private static int hash(byte[] text, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ (text[i] & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
