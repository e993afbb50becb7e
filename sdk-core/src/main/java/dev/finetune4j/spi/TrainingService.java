package dev.finetune4j.spi;

import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.job.MetricPoint;
import java.util.List;
import java.util.Optional;

/**
 * Fine-tuning at one provider: upload, jobs, their events and metrics, and deleting what they
 * trained. A provider that trains returns one from {@link Provider#training()}. Implementations
 * are thread-safe.
 *
 * <p>Every method may throw a {@link dev.finetune4j.ProviderException} (with status, provider,
 * request id and raw body) or a {@link dev.finetune4j.TransportException}; calls are already
 * retried by the HTTP layer where that is safe. The core asks the provider's {@link
 * ProviderDescriptor#capabilities()} before it calls an optional operation ({@link #startJob} needs
 * {@link Capability#COST_PREVIEW}, {@link #findJobByTag} {@link Capability#FIND_BY_TAG}, {@link
 * #deleteModel} {@link Capability#DELETE_MODEL}, {@link #quote} {@link Capability#PRICE_QUOTE}); one the provider does not support throws {@link
 * UnsupportedOperationException} naming the provider and the capability.
 */
public interface TrainingService {

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

    /**
     * Where this service's uploads live, as text the core keeps uploads apart by without reading it:
     * for a service reached at one base URL under one account, the base URL and the account
     * (organization, project, namespace). The core reuses an upload of the same dataset version in
     * the same format only for a service with the same scope, so a store used against an emulator
     * and then the real service (or another endpoint, or another account) never sends a file id
     * the new place does not know. Never a secret: it is written to the store. Cheap and stable for
     * the service's life (it may ask the service once, e.g. who the key belongs to).
     *
     * <p>The default, {@code ""}, is one scope for every instance of the provider: uploads are
     * reused wherever the service is reached (what every provider did before scopes existed; its
     * earlier upload records stay in use).
     */
    default String uploadScope() {
        return "";
    }

    /**
     * Sends training (and validation) data, written in the descriptor's {@link
     * ProviderDescriptor#uploadFormat()}; streams the files.
     */
    UploadedData upload(TrainingData data);

    /**
     * Creates a remote job. Never retried blindly: when the connection fails after the request may
     * have reached the provider, the core looks for the job by its tag before creating another.
     */
    RemoteJob createJob(JobRequest request);

    /**
     * The provider's own price for the job this request would create, on data already uploaded
     * ({@code request.data()} holds the uploaded files' references), without creating anything. The
     * core asks after the upload and before the create, with the request the create will send, and
     * for {@code FineTuneJobs.quote}. Needs {@link Capability#PRICE_QUOTE}; the default throws
     * {@link UnsupportedOperationException}.
     *
     * @return the quote, or empty when the provider answered that it cannot price this job (e.g.
     *     Together's {@code estimation_available: false})
     */
    default Optional<PriceQuote> quote(JobRequest request) {
        throw new UnsupportedOperationException("this provider does not quote prices (" + Capability.PRICE_QUOTE
                + ")");
    }

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
    List<MetricPoint> metrics(String remoteId);

    /** Deletes a model this provider trained. */
    void deleteModel(String providerModelId);
}
