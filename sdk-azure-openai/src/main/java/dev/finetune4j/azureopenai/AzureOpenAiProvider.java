package dev.finetune4j.azureopenai;

import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.azureopenai.internal.FileProcessing;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.OpenAiCompatibleTraining;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Azure OpenAI (Microsoft Foundry) provider: files and supervised fine-tuning jobs through the
 * resource's v1 API ({@code https://NAME.openai.azure.com/openai/v1/...}, no {@code api-version}
 * needed), and chat completions with a deployment's name as the {@code model}. Create it with
 * {@link AzureOpenAiProviderFactory} (or let {@link dev.finetune4j.spi.Providers} find it).
 *
 * <p>Azure's v1 API copies OpenAI's fine-tuning protocol, so the work is done by the provider
 * kit's {@link OpenAiCompatibleTraining} and {@link OpenAiCompatibleChat}, configured for Azure:
 *
 * <ul>
 *   <li>credential: the {@code api-key} header, or an Entra ID bearer token;
 *   <li>upload: the file part as {@code application/json} (Azure's how-to), the file written as
 *       UTF-8 with a byte-order mark (the descriptor's {@link ProviderDescriptor#uploadEncoding()}),
 *       under 512 MB; then {@code GET /files/{id}} until the file is {@code processed};
 *   <li>create: OpenAI's body plus {@code trainingType} (the setting or job option {@code
 *       training_type}: standard, globalstandard, developer); suffixes of at most 40 letters,
 *       digits, {@code -} and {@code _};
 *   <li>our tag: in {@code metadata.finetune4j_job}, as the v1 spec allows, <em>and</em> as the
 *       suffix when the job names none, because Microsoft's documents never show metadata being
 *       kept; find-by-tag reads the newest pages of {@code GET /fine_tuning/jobs} (the v1 list
 *       takes no metadata filter) and matches either;
 *   <li>fine-tuned ids in Azure's form ({@code gpt-4.1-mini-2025-04-14.ft-<32 hex>}, checkpoints
 *       {@code ftchkpt-<32 hex>}) can be trained further;
 *   <li>no model deletion: Azure documents it in its portal only.
 * </ul>
 *
 * <p>A model Azure trained serves only once it is deployed (an Azure Resource Manager call with
 * another credential); chat then sends the deployment's name as {@code model}. With the ARM
 * settings given ({@link AzureOpenAiProviderFactory}), {@link #deployments()} makes and removes
 * these deployments, named by the library's deployment ids.
 *
 * <p>Immutable and thread-safe.
 */
public final class AzureOpenAiProvider implements Provider, TrainingService {

    private final ProviderHttp http;
    private final OpenAiCompatibleTraining training;
    private final OpenAiCompatibleChat chat;
    private final FileProcessing files;
    private final DeploymentService deployments;

    AzureOpenAiProvider(ProviderHttp http, OpenAiCompatibleTraining training, OpenAiCompatibleChat chat,
            FileProcessing files, DeploymentService deployments) {
        this.deployments = deployments;
        this.http = Objects.requireNonNull(http, "http");
        this.training = Objects.requireNonNull(training, "training");
        this.chat = Objects.requireNonNull(chat, "chat");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** The resource endpoint: files belong to one Azure OpenAI resource. */
    @Override
    public String uploadScope() {
        return http.baseUrl().toString();
    }

    /** {@value AzureOpenAiProviderFactory#ID}. */
    @Override
    public String id() {
        return AzureOpenAiProviderFactory.ID;
    }

    /** {@link AzureOpenAiProviderFactory#DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return AzureOpenAiProviderFactory.DESCRIPTOR;
    }

    /**
     * Chat completions ({@code POST /openai/v1/chat/completions}, plain and streamed with {@code
     * include_usage}); the call's model must be a deployment's name.
     */
    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    /**
     * Deployments through Azure Resource Manager ({@code PUT}, {@code GET}, {@code DELETE} of {@code
     * …/accounts/{account}/deployments/{name}}), when the factory was given the subscription id,
     * resource group and an ARM token; empty otherwise. Hardware is the deployment type, the
     * maximum replicas the capacity; no price per hour (Azure publishes none through an API).
     */
    @Override
    public Optional<DeploymentService> deployments() {
        return Optional.ofNullable(deployments);
    }

    /**
     * Uploads the training file and the validation file, when there is one ({@code POST
     * /openai/v1/files}, {@code purpose=fine-tune}), then waits until Azure has processed each.
     *
     * @throws IllegalArgumentException when a file is 512 MB or larger, before anything is sent
     * @throws ProviderException when Azure cannot process a file, or not within the configured time
     */
    @Override
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        checkSize(data.trainingFile(), "training");
        data.validation().ifPresent(v -> checkSize(v, "validation"));
        UploadedData uploaded = training.upload(data);
        files.await(uploaded.trainingRef());
        uploaded.validation().ifPresent(files::await);
        return uploaded;
    }

    private static void checkSize(Path file, String role) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new FineTuneException("cannot read the " + role + " file " + file + ": " + e.getMessage(), e);
        }
        if (size >= AzureOpenAiProviderFactory.MAX_FILE_BYTES) {
            throw new IllegalArgumentException("the " + role + " file has " + size + " bytes; azure-openai takes "
                    + "files of less than 512 MB (" + AzureOpenAiProviderFactory.MAX_FILE_BYTES + " bytes): train on "
                    + "a smaller dataset version");
        }
    }

    /**
     * Builds the create body without sending it: a suffix Azure refuses (over 40 characters, a dot
     * or another character than letters, digits, {@code -} and {@code _}), an absolute learning
     * rate, {@code start = false}, an unknown option or training type fail before any upload with an
     * {@link IllegalArgumentException}.
     */
    @Override
    public void checkRequest(JobRequest request) {
        training.checkRequest(request);
    }

    /**
     * Creates a supervised job ({@code POST /openai/v1/fine_tuning/jobs}) with the training type,
     * hyper-parameters, seed, suffix (the tag when none is given) and our tag in {@code metadata}.
     * Not retried after a failure that may have reached Azure.
     *
     * @throws IllegalArgumentException as {@link #checkRequest}, before anything is sent
     * @throws InvalidRequestException also when Azure refuses to continue training a fine-tuned
     *     model; the message then suggests retraining from the base model
     */
    @Override
    public RemoteJob createJob(JobRequest request) {
        return training.createJob(request);
    }

    /** The job ({@code GET /openai/v1/fine_tuning/jobs/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return training.getJob(remoteId);
    }

    /**
     * Finds the job created with this tag among the {@value OpenAiCompatibleTraining#FIND_BY_TAG_MAX_PAGES}
     * × {@value OpenAiCompatibleTraining#FIND_BY_TAG_PAGE_SIZE} newest jobs: its {@code
     * metadata.finetune4j_job} or its {@code user_provided_suffix} is the tag. Should two match,
     * the oldest is returned.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        return training.findJobByTag(tag);
    }

    /**
     * Not supported: Azure starts a job when it is created (no cost preview).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        return training.startJob(remoteId);
    }

    /** Cancels a job ({@code POST /openai/v1/fine_tuning/jobs/{id}/cancel}). */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        return training.cancelJob(remoteId);
    }

    /**
     * Pauses a running job ({@code POST /openai/v1/fine_tuning/jobs/{id}/pause}); Azure pauses only
     * a job that is running and has trained at least one step, then makes a deployable checkpoint.
     * Not part of the provider SPI: reach it with {@code ((AzureOpenAiProvider)
     * fineTuning.provider("azure-openai")).pauseJob(remoteId)}.
     */
    public RemoteJob pauseJob(String remoteId) {
        return training.pauseJob(remoteId);
    }

    /** Resumes a paused job ({@code POST /openai/v1/fine_tuning/jobs/{id}/resume}). */
    public RemoteJob resumeJob(String remoteId) {
        return training.resumeJob(remoteId);
    }

    /** Events after the cursor, oldest first ({@code GET /openai/v1/fine_tuning/jobs/{id}/events}). */
    @Override
    public EventPage events(String remoteId, String cursor) {
        return training.events(remoteId, cursor);
    }

    /** The checkpoints' metrics by ascending step ({@code GET /openai/v1/fine_tuning/jobs/{id}/checkpoints}). */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return training.metrics(remoteId);
    }

    /**
     * Not supported: Azure documents deleting a fine-tuned model in its portal only (and not while
     * a deployment uses it).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void deleteModel(String providerModelId) {
        training.deleteModel(providerModelId);
    }

    /** Nothing to release: the HTTP client is shared (or the host app's). */
    @Override
    public void close() {
        // The JDK client is shared or owned by the host app; this provider holds nothing else.
    }

    @Override
    public String toString() {
        return "AzureOpenAiProvider[" + http.baseUrl() + "]";
    }
}
