package dev.finetune4j.azureopenai.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Names Microsoft spells several ways (training tiers, deployment types): case, spaces, '-' and '_' do not count. */
final class Spellings {

    private Spellings() {}

    /** The wire spelling {@code wire} maps {@code value} to, once normalised; empty when it names none. */
    static Optional<String> wire(Map<String, String> wire, String value) {
        Objects.requireNonNull(value, "value");
        String key = value.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
        return Optional.ofNullable(wire.get(key));
    }
}
