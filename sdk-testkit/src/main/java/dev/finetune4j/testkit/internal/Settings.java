package dev.finetune4j.testkit.internal;

import java.util.List;
import java.util.Objects;

/**
 * What every emulator is configured with, whatever its provider.
 *
 * @param apiKey the only key accepted, or null for any non-blank key
 * @param seed the seed of generated ids
 * @param baseModels the base models chat and training accept
 * @param progression how jobs move
 * @param clock the emulator's clock
 */
public record Settings(String apiKey, long seed, List<String> baseModels, Progression progression,
                       EmulatorClock clock) {

    public Settings {
        baseModels = List.copyOf(baseModels);
        Objects.requireNonNull(progression, "progression");
        Objects.requireNonNull(clock, "clock");
    }
}
