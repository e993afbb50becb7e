package dev.finetune4j.testkit.internal;

import java.util.Random;
import java.util.UUID;

/** Random ids in the providers' formats, reproducible from a seed. Thread-safe. */
public final class Ids {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private final Random random;

    public Ids(long seed) {
        this.random = new Random(seed);
    }

    /** {@code prefix} followed by {@code n} ASCII letters and digits. */
    public synchronized String alnum(String prefix, int n) {
        return prefix + pick(ALNUM, n);
    }

    public synchronized String hex(int n) {
        return pick(HEX, n);
    }

    public synchronized UUID uuid() {
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
    }

    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String pick(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
