package dev.finetune4j.internal;

import dev.finetune4j.tokens.TokenCounter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lookup rule shared by price tables and training policies: per provider, a table keyed by
 * model id or model-id prefix, matched case-insensitively.
 *
 * <p>A fine-tuned id ({@code ft:BASE:...}, and Mistral's {@code ft:classifier:BASE:...}) uses an
 * entry for exactly that id when there is one, else its base model's entry. A model takes an
 * exact key first, then the longest key that is a prefix of it ({@code gpt-4o-mini} matches
 * {@code gpt-4o-mini-2024-07-18}). The empty key is a prefix of every model: it is the provider's
 * fallback.
 */
public final class ModelKeys {

    private ModelKeys() {}

    /**
     * The canonical form of a provider id: trimmed, lower case.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public static String provider(String provider) {
        Objects.requireNonNull(provider, "provider");
        String p = provider.trim().toLowerCase(Locale.ROOT);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("provider must not be blank");
        }
        return p;
    }

    /** The canonical form of a model id or prefix: trimmed, lower case (may be empty). */
    public static String model(String model) {
        return Objects.requireNonNull(model, "model").trim().toLowerCase(Locale.ROOT);
    }

    /** The base model of a fine-tuned id; any other id is returned as it is. */
    public static String base(String model) {
        Objects.requireNonNull(model, "model");
        if (model.startsWith("ft:classifier:")) {
            return TokenCounter.baseModel("ft:" + model.substring("ft:classifier:".length()));
        }
        return TokenCounter.baseModel(model);
    }

    /**
     * Finds the entry for a model in a table whose keys are canonical ({@link #model}).
     *
     * @return the matching key and value, or empty
     */
    public static <V> Optional<Map.Entry<String, V>> lookup(Map<String, V> table, String model) {
        String raw = model(model);
        String base = base(raw);
        if (!base.equals(raw)) {
            // a fine-tuned id: only an entry for exactly this id beats its base model's entry
            V exact = table.get(raw);
            if (exact != null) {
                return Optional.of(Map.entry(raw, exact));
            }
        }
        return lookupOne(table, base);
    }

    private static <V> Optional<Map.Entry<String, V>> lookupOne(Map<String, V> table, String model) {
        V exact = table.get(model);
        if (exact != null) {
            return Optional.of(Map.entry(model, exact));
        }
        Map.Entry<String, V> best = null;
        for (Map.Entry<String, V> e : table.entrySet()) {
            if (model.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.getKey().length())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}
