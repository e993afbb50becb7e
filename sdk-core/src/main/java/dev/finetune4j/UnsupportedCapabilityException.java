package dev.finetune4j;

import dev.finetune4j.spi.Capability;
import java.util.Objects;

/**
 * A call needs something the provider does not offer: training at a chat-only provider, chat at a
 * training-only one, a cost preview where jobs start when created. Nothing was sent. Not retryable.
 */
public class UnsupportedCapabilityException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final Capability capability;

    /**
     * Creates the exception; the message names the provider, what was asked and the capability.
     *
     * @param provider the provider id, e.g. {@code acme}
     * @param capability the capability the call needs
     * @param what what was asked, e.g. {@code "train"}
     */
    public UnsupportedCapabilityException(String provider, Capability capability, String what) {
        super("provider '" + Objects.requireNonNull(provider, "provider") + "' cannot " + Objects.requireNonNull(what,
                "what") + ": it does not offer " + Objects.requireNonNull(capability, "capability"));
        this.provider = provider;
        this.capability = capability;
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The capability the call needed. */
    public Capability capability() {
        return capability;
    }
}
