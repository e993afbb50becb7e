package dev.finetune4j.spi;

import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.format.DatasetFormat;
import java.util.List;
import java.util.Optional;

/**
 * One fine-tuning and chat provider (OpenAI, Mistral, Hugging Face, ...), as the core uses it.
 * Created by a {@link ProviderFactory}; implementations are thread-safe.
 *
 * <p>Every method may throw a {@link dev.finetune4j.ProviderException} (with status, provider,
 * request id and raw body) or a {@link dev.finetune4j.TransportException}; calls are already
 * retried by the HTTP core where that is safe. A call the provider does not support throws
 * {@link UnsupportedOperationException} naming the provider and the capability; check
 * {@link #capabilities()} first. Chat ({@link ChatService}) follows the rules stated there.
 */
public interface Provider extends ChatService, AutoCloseable {

    /** The provider id, e.g. {@code openai}. */
    String id();

    /** What this provider can do. */
    Capabilities capabilities();

    /** The data rules applied before anything is uploaded. */
    RuleSet rules();

    /** The format training files must be written in for {@link #upload}. */
    DatasetFormat uploadFormat();

    /**
     * Checks a job request before anything is uploaded, so a request the provider cannot take
     * (an option it does not know, a suffix too long, a hyper-parameter it has no field for) fails
     * before any data leaves the machine. The request's {@code data} is a placeholder here. The
     * default accepts everything.
     *
     * @throws IllegalArgumentException naming what the provider cannot take
     */
    default void checkRequest(JobRequest request) {
        // accepts everything
    }

    /** Sends training (and validation) data; streams the files. */
    UploadedData upload(TrainingData data);

    /**
     * Creates a remote job. Never retried blindly: when the connection fails after the request may
     * have reached the provider, the core looks for the job by its tag before creating another.
     */
    RemoteJob createJob(JobRequest request);

    /** The current state of a job. */
    RemoteJob getJob(String remoteId);

    /**
     * Finds the job the core created with this tag, if the provider has one (crash reconciliation).
     * Looks at recent jobs only; see each provider's documentation for its limit.
     */
    Optional<RemoteJob> findJobByTag(String tag);

    /** Starts a job created with {@code start = false} (cost preview providers). */
    RemoteJob startJob(String remoteId);

    /** Cancels a job. */
    RemoteJob cancelJob(String remoteId);

    /** Events after a cursor ({@code null} for the first call), oldest first. */
    EventPage events(String remoteId, String cursor);

    /** Metrics reported so far (checkpoints, parsed log lines), by step. */
    List<dev.finetune4j.job.MetricPoint> metrics(String remoteId);

    /** Deletes a fine-tuned model at the provider. */
    void deleteModel(String providerModelId);

    /** Releases the provider's resources (not the HTTP client when the host app passed one in). */
    @Override
    void close();
}
