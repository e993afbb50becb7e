package dev.finetune4j.job;

import java.util.Objects;

/**
 * Why a job failed, as the provider said it.
 *
 * @param code the provider's error code (may be empty)
 * @param message the provider's message
 * @param param the parameter concerned, e.g. {@code training_file} (may be empty)
 */
public record JobError(String code, String message, String param) {

    /** Checks that no part is null. */
    public JobError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(param, "param");
    }

    @Override
    public String toString() {
        return (code.isEmpty() ? "" : code + ": ") + message + (param.isEmpty() ? "" : " (" + param + ")");
    }
}
