package dev.finetune4j.chat;

import java.util.Objects;

/**
 * What answered a chat call.
 *
 * @param assistant the assistant
 * @param modelVersion the model version that answered (a fallback entry's when it answered), 0 when the base
 *     model answered
 * @param promptVersion the prompt version used, 0 when none
 * @param provider the provider id
 * @param providerModelId the provider's model id that was called
 * @param arm which side of the selection was chosen
 * @param fallback whether the chosen version failed (or its circuit was open) and an entry of the
 *     assistant's fallback chain (the base model by default) answered
 * @param fallbackReason why the fallback happened; empty without fallback
 */
public record ServedBy(String assistant, int modelVersion, int promptVersion, String provider, String providerModelId,
        Arm arm, boolean fallback, String fallbackReason) {

    /** Checks the parts. */
    public ServedBy {
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerModelId, "providerModelId");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
    }

    /** Whether the base model answered (no model version, or a fallback). */
    public boolean baseModel() {
        return modelVersion == 0;
    }
}
