package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.cost.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hourly prices and assumed training throughput of Hugging Face Jobs hardware.
 *
 * <p>Prices: the documented table (USD per hour, Hugging Face Jobs pricing page as read in 2026),
 * used when {@code GET /api/jobs/hardware} cannot be read; that endpoint's live {@code
 * unitCostMicroUSD} per {@code unitLabel} wins when it can.
 *
 * <p>Throughput: an assumption, not a measurement of your job: tokens per second of LoRA SFT with
 * TRL on a model of about 0.5 to 1.5 billion parameters, bf16, sequences up to 1,024 tokens, batch
 * 8, derived from TRL's own timing (three epochs of a ~16 M-token chat set on {@code a10g-small}
 * in about 2 h 20 min, i.e. ≈ 5,700 tokens/s) and the GPUs' relative speed; multi-GPU flavors at
 * 90 % scaling. Larger models are slower roughly in proportion to their size; pass your own
 * throughput when you know it.
 */
public final class Pricing {

    /** Documented hourly prices in USD. */
    public static final Map<String, BigDecimal> HOURLY_USD = table(
            "cpu-basic", "0.01", "cpu-upgrade", "0.03", "cpu-performance", "1.90", "cpu-xl", "1.00",
            "t4-small", "0.40", "t4-medium", "0.60",
            "a10g-small", "1.00", "a10g-large", "1.50", "a10g-largex2", "3.00", "a10g-largex4", "5.00",
            "a100-large", "2.50", "a100x4", "10.00", "a100x8", "20.00",
            "h200", "5.00", "h200x2", "10.00", "h200x4", "20.00", "h200x8", "40.00",
            "rtx-pro-6000", "2.75", "rtx-pro-6000x2", "5.50", "rtx-pro-6000x4", "11.00", "rtx-pro-6000x8", "22.00");

    /** Assumed training tokens per second (see the class comment). */
    public static final Map<String, Double> TOKENS_PER_SECOND = throughput(
            "cpu-basic", 30, "cpu-upgrade", 60, "cpu-performance", 250, "cpu-xl", 150,
            "t4-small", 1_800, "t4-medium", 1_800,
            "l4x1", 3_500, "l4x4", 12_600,
            "l40sx1", 8_000, "l40sx4", 28_800, "l40sx8", 57_600,
            "a10g-small", 5_000, "a10g-large", 5_000, "a10g-largex2", 9_000, "a10g-largex4", 18_000,
            "a100-large", 12_000, "a100x4", 43_200, "a100x8", 86_400,
            "h200", 25_000, "h200x2", 45_000, "h200x4", 90_000, "h200x8", 180_000,
            "rtx-pro-6000", 14_000, "rtx-pro-6000x2", 25_200, "rtx-pro-6000x4", 50_400, "rtx-pro-6000x8", 100_800);

    /** Added to every estimate: starting the container, downloading the model, pushing the adapter. */
    public static final long OVERHEAD_SECONDS = 600;

    private Pricing() {}

    /**
     * Hourly prices from a {@code GET /api/jobs/hardware} answer: a list of {@code {name,
     * unitCostMicroUSD, unitLabel}}; entries whose unit is not a second, minute or hour are
     * left out.
     */
    public static Map<String, BigDecimal> fromHardware(JsonNode list) {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        for (JsonNode h : list) {
            String name = h.path("name").asText("");
            JsonNode micro = h.path("unitCostMicroUSD");
            Optional<Long> perHour = unitsPerHour(h.path("unitLabel").asText(""));
            if (name.isEmpty() || !micro.isNumber() || perHour.isEmpty()) {
                continue;
            }
            prices.put(name, micro.decimalValue().multiply(BigDecimal.valueOf(perHour.get()))
                    .divide(BigDecimal.valueOf(1_000_000), 6, RoundingMode.HALF_UP).stripTrailingZeros());
        }
        return prices;
    }

    /** The cost of running for some seconds at an hourly price, in USD, exact to a millionth of a dollar. */
    public static Money cost(BigDecimal hourly, long seconds) {
        return new Money(hourly.multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_UP), "USD");
    }

    private static Optional<Long> unitsPerHour(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "second" -> Optional.of(3600L);
            case "minute" -> Optional.of(60L);
            case "hour" -> Optional.of(1L);
            default -> Optional.empty();
        };
    }

    private static Map<String, BigDecimal> table(String... pairs) {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], new BigDecimal(pairs[i + 1]));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Double> throughput(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
