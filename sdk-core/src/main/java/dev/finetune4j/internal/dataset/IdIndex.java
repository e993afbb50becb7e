package dev.finetune4j.internal.dataset;

/**
 * A compact set of 128-bit example ids (32 hex characters), each with a long value (such as the
 * line it was first seen on), stored in flat long arrays with open addressing: about 48 bytes an
 * id, a tenth of a {@code HashMap<String, Long>}. Not thread-safe.
 */
public final class IdIndex {

    private long[] table;
    private boolean[] used;
    private int size;

    /** An empty set. */
    public IdIndex() {
        this(64);
    }

    /** An empty set sized for about {@code expected} ids. */
    public IdIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[capacity * 3];
        used = new boolean[capacity];
    }

    /** How many ids the set holds. */
    public int size() {
        return size;
    }

    /** Adds an id; returns {@code false} when it was already there. */
    public boolean add(String hexId) {
        return putIfAbsent(high(hexId), low(hexId), 0) == NONE;
    }

    /** The value returned by {@link #putIfAbsent} and {@link #get} when an id is absent. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * Adds an id with a value unless it is there.
     *
     * @return the value already stored for the id, or {@link #NONE} when it was added
     */
    public long putIfAbsent(String hexId, long value) {
        return putIfAbsent(high(hexId), low(hexId), value);
    }

    /** Like {@link #putIfAbsent(String, long)} for an id given as its two halves. */
    public long putIfAbsent(long hi, long lo, long value) {
        if ((size + 1) * 2 > used.length) {
            grow();
        }
        int slot = find(hi, lo);
        if (used[slot]) {
            return table[3 * slot + 2];
        }
        used[slot] = true;
        table[3 * slot] = hi;
        table[3 * slot + 1] = lo;
        table[3 * slot + 2] = value;
        size++;
        return NONE;
    }

    /**
     * Stores {@code value} for an id unless a larger value is stored already.
     *
     * @return the value stored for the id afterwards
     */
    public long putMax(long hi, long lo, long value) {
        long old = putIfAbsent(hi, lo, value);
        if (old == NONE) {
            return value;
        }
        if (old >= value) {
            return old;
        }
        table[3 * find(hi, lo) + 2] = value;
        return value;
    }

    /** The value stored for an id given as its two halves, or {@link #NONE}. */
    public long get(long hi, long lo) {
        int slot = find(hi, lo);
        return used[slot] ? table[3 * slot + 2] : NONE;
    }

    /** The value stored for an id, or {@link #NONE}. */
    public long get(String hexId) {
        int slot = find(high(hexId), low(hexId));
        return used[slot] ? table[3 * slot + 2] : NONE;
    }

    /** Whether the set holds an id. */
    public boolean contains(String hexId) {
        return contains(high(hexId), low(hexId));
    }

    /** Removes every id. */
    public void clear() {
        java.util.Arrays.fill(used, false);
        size = 0;
    }

    /** Whether the set holds an id given as its two halves. */
    public boolean contains(long hi, long lo) {
        return used[find(hi, lo)];
    }

    private int find(long hi, long lo) {
        int mask = used.length - 1;
        int slot = (int) (mix(hi ^ (lo * 0x9E3779B97F4A7C15L))) & mask;
        while (used[slot] && (table[3 * slot] != hi || table[3 * slot + 1] != lo)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldTable = table;
        boolean[] oldUsed = used;
        table = new long[oldTable.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                putIfAbsent(oldTable[3 * i], oldTable[3 * i + 1], oldTable[3 * i + 2]);
            }
        }
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }

    /** The first 64 bits of a 32-hex-character id. */
    public static long high(String hexId) {
        return Long.parseUnsignedLong(hexId.substring(0, 16), 16);
    }

    /** The last 64 bits of a 32-hex-character id. */
    public static long low(String hexId) {
        return Long.parseUnsignedLong(hexId.substring(16, 32), 16);
    }

    /** Receives the two halves of each id. */
    @FunctionalInterface
    interface IdConsumer {
        void accept(long hi, long lo);
    }

    /** Calls {@code action} for every id, in no particular order. */
    void forEach(IdConsumer action) {
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                action.accept(table[3 * i], table[3 * i + 1]);
            }
        }
    }
}
