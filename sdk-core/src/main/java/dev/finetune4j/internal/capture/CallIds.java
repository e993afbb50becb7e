package dev.finetune4j.internal.capture;

import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Call ids: {@code c}, the answer's time as 12 hex digits of epoch milliseconds, then 16 random hex
 * digits. The time prefix lets a capture be found from its id without an index (its segment's id
 * holds the time range), and sorts ids by time; 64 random bits make collisions negligible.
 */
public final class CallIds {

    private static final Pattern FORM = Pattern.compile("c[0-9a-f]{28}");
    private static final HexFormat HEX = HexFormat.of();

    private CallIds() {}

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /** A new id stamped with the clock's time; one array and one string, as every routed call makes one. */
    public static String next(Clock clock) {
        char[] id = new char[29];
        id[0] = 'c';
        long millis = clock.millis();
        for (int i = 12; i >= 1; i--, millis >>>= 4) {
            id[i] = DIGITS[(int) (millis & 0xf)];
        }
        long random = ThreadLocalRandom.current().nextLong();
        for (int i = 28; i >= 13; i--, random >>>= 4) {
            id[i] = DIGITS[(int) (random & 0xf)];
        }
        return new String(id);
    }

    /**
     * The epoch milliseconds an id was stamped with.
     *
     * @throws IllegalArgumentException if {@code callId} is not a call id
     */
    public static long millis(String callId) {
        requireValid(callId);
        return Long.parseLong(callId.substring(1, 13), 16);
    }

    /**
     * Checks the form.
     *
     * @throws IllegalArgumentException naming the value and the form
     */
    public static String requireValid(String callId) {
        if (callId == null || !FORM.matcher(callId).matches()) {
            throw new IllegalArgumentException("'" + (callId == null ? "null" : dev.finetune4j.internal.Names.printable(
                    callId)) + "' is not a call id; call ids are 'c' and 28 hex digits, as ChatResponse.callId() "
                    + "returns them");
        }
        return callId;
    }
}
