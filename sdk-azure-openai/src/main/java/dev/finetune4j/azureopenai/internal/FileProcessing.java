package dev.finetune4j.azureopenai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.azureopenai.AzureOpenAiProviderFactory;
import dev.finetune4j.ProviderException;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.JsonResponse;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Waits for an uploaded file to be processed before a job names it: Azure imports and checks a
 * file in the background ({@code status} {@code uploaded}/{@code pending}/{@code running} → {@code
 * processed}, or {@code error}), as Microsoft's samples do before creating a job. Polls {@code GET
 * /files/{id}} with waits of 1, 2, 4, … up to 10 seconds on the injected sleeper, until the
 * deadline. An answer without a {@code status} (a gateway that does not report one) counts as
 * processed. Thread-safe.
 */
public final class FileProcessing {

    private static final String PROVIDER = AzureOpenAiProviderFactory.ID;
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private final ProviderHttp http;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Duration timeout;

    /** @param timeout how long a file may take to be processed */
    public FileProcessing(ProviderHttp http, Sleeper sleeper, Clock clock, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Returns once the file is processed.
     *
     * @throws ProviderException (not retryable) when Azure reports the file in {@code error}, {@code
     *     deleting} or {@code deleted}, quoting its {@code status_details}; (retryable) when it is
     *     not processed within the timeout
     * @throws FineTuneException when the thread is interrupted while waiting (the flag is set again)
     */
    public void await(String fileId) {
        Objects.requireNonNull(fileId, "fileId");
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = FIRST_WAIT;
        String path = "/files/" + ApiRequest.segment(fileId);
        while (true) {
            JsonResponse answer = http.sendJson(ApiRequest.get(path).build());
            JsonNode status = answer.body().get("status");
            if (status == null || !status.isTextual() || status.asText().equals("processed")) {
                return;
            }
            String s = status.asText();
            if (s.equals("error") || s.equals("deleting") || s.equals("deleted")) {
                JsonNode details = answer.body().get("status_details");
                throw new ProviderException(PROVIDER + " could not process file " + fileId + " (status " + s
                        + ")" + (details != null && details.isTextual() ? ": " + details.asText() : "")
                        + "; check the data with `finetune4j validate --provider " + PROVIDER + "`", PROVIDER,
                        answer.status(), "file_" + s, answer.requestId().orElse(null), answer.body().toString(), false);
            }
            if (!clock.instant().plus(wait).isBefore(deadline)) {
                throw new ProviderException(PROVIDER + " has not processed file " + fileId + " within "
                        + timeout + " (status " + s + "); try again later or raise the setting "
                        + "file_processing_timeout_seconds", PROVIDER, answer.status(), "file_not_processed",
                        answer.requestId().orElse(null), answer.body().toString(), true);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FineTuneException("interrupted while waiting for " + PROVIDER + " to process file "
                        + fileId, e);
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }
}
