package dev.finetune4j.azureopenai.internal;

import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments of fine-tuned models on Azure OpenAI through Azure Resource Manager ({@link
 * ArmDeployments}): one ARM deployment per deployment of ours, <em>named</em> by our deployment id
 * ({@code ftd-…}), so a lost create is found again with one {@code GET} and chat sends that name as
 * {@code model} on the resource's usual endpoint.
 *
 * <ul>
 *   <li>hardware: the deployment type ({@code standard}, {@code globalstandard}, {@code developer},
 *       {@code provisionedmanaged}, any spelling {@link DeploymentSku} takes; {@code standard} unless set);
 *   <li>replicas: the SKU capacity is the spec's maximum (Azure counts capacity in units of a
 *       thousand tokens per minute, not replicas; it has no scale to zero, so a minimum of 0 is
 *       ignored);
 *   <li>region: the account's own; a spec naming one is refused, as is any option;
 *   <li>no price per hour: Azure publishes its hourly hosting fee on a web page only, by region and
 *       type, with no API, so these deployments count as unpriced.
 * </ul>
 *
 * Thread-safe.
 */
public final class ArmDeploymentService implements DeploymentService {

    /** The deployment type used when a spec names no hardware. */
    public static final String DEFAULT_SKU = "standard";

    private static final Logger LOG = LoggerFactory.getLogger(ArmDeploymentService.class);
    private static final String OURS = "ftd-";

    private final ArmDeployments arm;

    /** @param arm the account's ARM deployments */
    public ArmDeploymentService(ArmDeployments arm) {
        this.arm = Objects.requireNonNull(arm, "arm");
    }

    /**
     * Refuses a region, any option, a deployment type {@link DeploymentSku} does not know (naming
     * those offered), and a name or capacity ARM would refuse.
     */
    @Override
    public void checkRequest(DeploymentRequest request) {
        Objects.requireNonNull(request, "request");
        request.spec().region().ifPresent(r -> {
            throw new IllegalArgumentException("azure-openai: a deployment runs in its account's region; region '"
                    + r + "' cannot be chosen (deploy on an account in that region instead)");
        });
        if (!request.spec().options().isEmpty()) {
            throw new IllegalArgumentException("azure-openai: unknown deployment options "
                    + request.spec().options().keySet() + "; Azure deployments take none (hardware is the "
                    + "deployment type, max replicas the capacity)");
        }
        DeploymentSku.wire(sku(request));
        ArmDeployments.check(request.tag(), request.providerModelId(), request.spec().maxReplicas());
    }

    private static String sku(DeploymentRequest request) {
        return request.spec().hardware().orElse(DEFAULT_SKU);
    }

    /** Creates the ARM deployment named by the tag ({@code PUT …/deployments/{tag}}); Azure answers {@code Accepted}. */
    @Override
    public RemoteDeployment deploy(DeploymentRequest request) {
        checkRequest(request);
        ArmDeployment d = arm.deploy(request.tag(), request.providerModelId(), sku(request),
                request.spec().maxReplicas());
        LOG.info("azure-openai: deployment {} requested for {} ({}, capacity {})", d.name(), request.providerModelId(),
                d.skuName(), d.capacity());
        return remote(d);
    }

    /** The ARM deployment; one ARM does not know (404) is {@link DeploymentState#DELETED}. */
    @Override
    public RemoteDeployment get(String remoteId) {
        return arm.get(Objects.requireNonNull(remoteId, "remoteId")).map(ArmDeploymentService::remote)
                .orElseGet(() -> RemoteDeployment.builder(remoteId, DeploymentState.DELETED, "not found")
                        .billedReplicas(0).build());
    }

    /** The deployment named by the tag, if ARM has it. */
    @Override
    public Optional<RemoteDeployment> findByTag(String tag) {
        return arm.get(Objects.requireNonNull(tag, "tag")).map(ArmDeploymentService::remote);
    }

    /** The account's deployments named {@code ftd-…} (ours); base-model and hand-made ones are left out. */
    @Override
    public List<RemoteDeployment> list() {
        List<RemoteDeployment> out = new ArrayList<>();
        for (ArmDeployment d : arm.list()) {
            if (d.name().startsWith(OURS)) {
                out.add(remote(d));
            }
        }
        return out;
    }

    /**
     * Sets the capacity to {@code maxReplicas} ({@code PUT} of the deployment as it is, with the new
     * capacity); {@code minReplicas} is ignored: Azure deployments do not scale to zero.
     *
     * @throws IllegalArgumentException when the deployment does not exist
     */
    @Override
    public RemoteDeployment scale(String remoteId, int minReplicas, int maxReplicas) {
        ArmDeployment now = arm.get(Objects.requireNonNull(remoteId, "remoteId")).orElseThrow(() ->
                new IllegalArgumentException("azure-openai: deployment '" + remoteId + "' does not exist"));
        return remote(arm.deploy(now.name(), now.model(), now.skuName(), maxReplicas));
    }

    /** Deletes the ARM deployment ({@code DELETE}); the model stays; one already gone counts as deleted. */
    @Override
    public void undeploy(String remoteId) {
        if (!arm.undeploy(Objects.requireNonNull(remoteId, "remoteId"))) {
            LOG.info("azure-openai: deployment {} was already gone", remoteId);
        }
    }

    /**
     * The normalised state of a {@code provisioningState}: {@code Succeeded} ready; {@code Accepted}
     * pending; {@code Creating}, {@code Updating}, {@code Moving} initializing; {@code Failed},
     * {@code Canceled}, {@code Disabled} failed; {@code Deleting} deleted; others unknown.
     */
    public static DeploymentState state(String provisioningState) {
        return switch (provisioningState.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> DeploymentState.READY;
            case "accepted" -> DeploymentState.PENDING;
            case "creating", "updating", "moving" -> DeploymentState.INITIALIZING;
            case "failed", "canceled", "disabled" -> DeploymentState.FAILED;
            case "deleting" -> DeploymentState.DELETED;
            default -> DeploymentState.UNKNOWN;
        };
    }

    private static RemoteDeployment remote(ArmDeployment d) {
        DeploymentState state = state(d.provisioningState());
        RemoteDeployment.Builder b = RemoteDeployment.builder(d.name(), state, d.provisioningState())
                .address(ServingAddress.model(d.name()))
                .hardware(d.skuName());
        if (d.name().startsWith(OURS)) {
            b.tag(d.name());
        }
        if (state == DeploymentState.DELETED) {
            b.billedReplicas(0);
        }
        d.error().ifPresent(b::error);
        return b.build();
    }

    @Override
    public String toString() {
        return "ArmDeploymentService[" + arm.account().accountName() + "]";
    }
}
