package dev.finetune4j.deployment;

import dev.finetune4j.cost.Money;
import java.util.List;
import java.util.Objects;

/**
 * What serving an assistant costs per hour now: the sum, over its deployments in billed states, of
 * each one's price per hour times its billed replicas.
 *
 * @param assistant the assistant
 * @param perHour the sum (zero when nothing is billed now); in the providers' currency (USD)
 * @param billed the ids of the deployments billed now that have a price
 * @param unpriced the ids of the deployments billed now whose provider publishes no price: the sum
 *     leaves them out, so it is a lower bound when this is not empty
 */
public record ServingCost(String assistant, Money perHour, List<String> billed, List<String> unpriced) {

    /** Checks and copies. */
    public ServingCost {
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(perHour, "perHour");
        billed = List.copyOf(billed);
        unpriced = List.copyOf(unpriced);
    }
}
