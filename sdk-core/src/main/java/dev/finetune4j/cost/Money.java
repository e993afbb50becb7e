package dev.finetune4j.cost;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An amount of money in one currency, exact (no floating point).
 *
 * <p>The amount is kept in a canonical form: trailing zeros removed, but at least the currency's
 * usual number of decimals ({@code 0.9} USD is stored as {@code 0.90}, {@code 0.000125} stays as it
 * is). So two amounts that are numerically equal are {@code equals}, and {@link #toString()} shows
 * every digit that matters: {@code "USD 0.90"}, {@code "USD 0.000125"}. Nothing is rounded.
 *
 * @param amount the amount (canonicalised as described above; may be negative)
 * @param currency the ISO 4217 code, e.g. {@code USD} or {@code EUR}
 */
public record Money(BigDecimal amount, String currency) {

    /**
     * Checks and canonicalises the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code currency} is not an ISO 4217 code
     */
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        int digits = fractionDigits(currency);
        BigDecimal stripped = amount.stripTrailingZeros();
        amount = stripped.setScale(Math.max(digits, stripped.scale()));
    }

    /**
     * An amount from its decimal text, e.g. {@code Money.of("3.00", "USD")}.
     *
     * @throws NumberFormatException if {@code amount} is not a decimal number
     * @throws IllegalArgumentException if {@code currency} is not an ISO 4217 code
     */
    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(Objects.requireNonNull(amount, "amount")), currency);
    }

    /** An amount in US dollars from its decimal text, e.g. {@code Money.usd("0.30")}. */
    public static Money usd(String amount) {
        return of(amount, "USD");
    }

    /** Zero in a currency. */
    public static Money zero(String currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /**
     * The sum of this and another amount.
     *
     * @throws IllegalArgumentException if the currencies differ
     */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    /** This amount multiplied exactly by a factor. */
    public Money times(BigDecimal factor) {
        return new Money(amount.multiply(Objects.requireNonNull(factor, "factor")), currency);
    }

    /** This amount multiplied by a whole number. */
    public Money times(long factor) {
        return times(BigDecimal.valueOf(factor));
    }

    /**
     * The larger of this and another amount (this one when equal).
     *
     * @throws IllegalArgumentException if the currencies differ
     */
    public Money max(Money other) {
        requireSameCurrency(other);
        return other.amount.compareTo(amount) > 0 ? other : this;
    }

    /** Whether the amount is zero. */
    public boolean isZero() {
        return amount.signum() == 0;
    }

    /** The currency code and the amount, e.g. {@code "USD 1.23"}. */
    @Override
    public String toString() {
        return currency + " " + amount.toPlainString();
    }

    private void requireSameCurrency(Money other) {
        Objects.requireNonNull(other, "other");
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + this + " with " + other
                    + ": the currencies differ");
        }
    }

    /** The usual number of decimals per currency code checked so far (a handful in practice). */
    private static final Map<String, Integer> FRACTION_DIGITS = new ConcurrentHashMap<>();

    private static int fractionDigits(String code) {
        // on every priced chat call: a map lookup, not a regex and a Currency lookup
        Integer known = FRACTION_DIGITS.get(code);
        if (known != null) {
            return known;
        }
        boolean threeLetters = code.length() == 3;
        for (int i = 0; threeLetters && i < 3; i++) {
            char c = code.charAt(i);
            threeLetters = c >= 'A' && c <= 'Z';
        }
        if (!threeLetters) {
            throw notIso4217(code, null);
        }
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            throw notIso4217(code, e);
        }
        FRACTION_DIGITS.put(code, digits);
        return digits;
    }

    private static IllegalArgumentException notIso4217(String code, Exception cause) {
        return new IllegalArgumentException("currency '" + code + "' is not an ISO 4217 code such as USD or EUR",
                cause);
    }
}
