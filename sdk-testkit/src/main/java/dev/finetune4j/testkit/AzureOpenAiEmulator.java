package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.azure.ArmDeployments;
import dev.finetune4j.testkit.internal.openai.AzureDialect;
import dev.finetune4j.testkit.internal.openai.OpenAiApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stateful emulator of one Azure OpenAI (Microsoft Foundry) resource on a local port, both of its
 * planes on the same server: the data plane's v1 API ({@code /openai/v1/files}, {@code
 * /fine_tuning/jobs} with events, checkpoints, cancel, pause and resume, {@code /models}, {@code
 * /chat/completions} through a deployment's name) and the Azure Resource Manager deployments of
 * the account ({@code /subscriptions/…/accounts/ACCOUNT/deployments/NAME}, {@code PUT} / {@code
 * GET} / {@code DELETE} / list). {@link #baseUrl()} is the resource endpoint ({@code
 * AZURE_OPENAI_ENDPOINT}); {@link #managementUrl()} stands for {@code https://management.azure.com}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static AzureOpenAiEmulator azure = AzureOpenAiEmulator.create();
 * }</pre>
 *
 * <p>The data plane accepts any non-blank {@code api-key} header or {@code Authorization: Bearer}
 * token, or only the one {@link Builder#apiKey} names; the control plane any non-blank Bearer token
 * (never an {@code api-key}). Every base model has a ready deployment of the same name unless
 * {@link Builder#baseModelDeployments(boolean)} turns that off; a fine-tuned model must be deployed
 * before chat reaches it. Deployments move {@code Accepted → Creating → Succeeded} as jobs move
 * ({@link JobProgression}); one of a fine-tuned model is deleted after 15 days without a chat call,
 * a Developer-tier one 24 hours after it was created ({@link #advanceTime}). What is emulated and
 * what is not is listed in {@code sdk-testkit/README.md}.
 *
 * <p>Thread-safe: requests are served concurrently, state changes one request at a time.
 */
public final class AzureOpenAiEmulator extends EmulatorBase<AzureOpenAiEmulator> {

    private final ArmDeployments deployments;
    /** The ARM token {@link #environment()} names; the emulator checks only that a Bearer token is sent. */
    public static final String ARM_TOKEN = "emulator-arm-token";

    private final String subscriptionId;
    private final String resourceGroup;
    private final String accountName;

    private AzureOpenAiEmulator(Builder b, AzureDialect dialect, OpenAiApi api) {
        super("azure-openai", "Azure OpenAI", api, b);
        this.subscriptionId = b.subscriptionId;
        this.resourceGroup = b.resourceGroup;
        this.accountName = b.accountName;
        Map<String, String> initial = new LinkedHashMap<>();
        if (b.baseModelDeployments) {
            api.settings().baseModels().forEach(m -> initial.put(m, m));
        }
        this.deployments = new ArmDeployments(api.settings(), api.ids(), b.subscriptionId, b.resourceGroup,
                b.accountName, b.location, initial, m -> api.isBaseModel(m) || api.trained(m) != null,
                api::isBaseModel, b.autoDeploy);
        dialect.deployments(deployments);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static AzureOpenAiEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static AzureOpenAiEmulator start() {
        return builder().start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The resource endpoint, {@code http://localhost:PORT} (as {@code AZURE_OPENAI_ENDPOINT}); starts
     * the emulator if needed.
     */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl();
    }

    /** The Azure Resource Manager endpoint, the same server as {@link #baseUrl()}; starts the emulator if needed. */
    public String managementUrl() {
        return lifecycle.rootUrl();
    }

    /** The subscription id of the emulated account. */
    public String subscriptionId() {
        return subscriptionId;
    }

    /** The resource group of the emulated account. */
    public String resourceGroup() {
        return resourceGroup;
    }

    /** The account (resource) name. */
    public String accountName() {
        return accountName;
    }

    /** The resource endpoint and the ARM endpoint, named {@code azure-openai} and {@code azure-openai-management}. */
    @Override
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put(providerId(), baseUrl());
        urls.put(providerId() + "-management", managementUrl());
        return urls;
    }

    /**
     * {@code AZURE_OPENAI_ENDPOINT} and {@code AZURE_OPENAI_API_KEY}, and for deployments {@code
     * AZURE_SUBSCRIPTION_ID}, {@code AZURE_RESOURCE_GROUP}, {@code AZURE_OPENAI_ACCOUNT_NAME}, {@code
     * AZURE_MANAGEMENT_ENDPOINT} and {@code AZURE_ARM_TOKEN} ({@value #ARM_TOKEN}: the emulator takes
     * any Bearer token); starts the emulator if needed.
     */
    @Override
    public Map<String, String> environment() {
        return variables("AZURE_OPENAI_ENDPOINT", baseUrl(), "AZURE_OPENAI_API_KEY", clientKey(),
                "AZURE_SUBSCRIPTION_ID", subscriptionId, "AZURE_RESOURCE_GROUP", resourceGroup,
                "AZURE_OPENAI_ACCOUNT_NAME", accountName, "AZURE_MANAGEMENT_ENDPOINT", managementUrl(),
                "AZURE_ARM_TOKEN", ARM_TOKEN);
    }

    /**
     * Paths below {@code /openai/v1} unless they name the control plane ({@code /subscriptions/...})
     * or the v1 root.
     */
    @Override
    String faultPath(String path) {
        String p = FaultScript.normaliseAsIs(path);
        if (p == null || p.startsWith("/subscriptions") || p.equals("/openai") || p.startsWith("/openai/")) {
            return p;
        }
        return "/openai" + (p.equals("/v1") || p.startsWith("/v1/") ? p : "/v1" + p);
    }

    // ---------------------------------------------------------------- deployments

    /** The deployments, oldest first, as they are now (expired ones are gone). */
    public List<EmulatedDeployment> deployments() {
        synchronized (api) {
            return deployments.snapshots();
        }
    }

    /** One deployment as it is now. */
    public Optional<EmulatedDeployment> deployment(String name) {
        return deployments().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * Moves one deployment one provisioning state on.
     *
     * @throws IllegalArgumentException when there is no such deployment
     */
    public AzureOpenAiEmulator advanceDeployment(String name) {
        synchronized (api) {
            deployments.advance(Objects.requireNonNull(name, "name"));
        }
        return this;
    }

    /** Finishes the provisioning of every deployment ({@code Succeeded}, or {@code Failed} when scripted). */
    public AzureOpenAiEmulator finishDeployments() {
        synchronized (api) {
            deployments.finishAll();
        }
        return this;
    }

    /** The next deployment created ends {@code Failed}, with this message in {@code properties.error}. */
    public AzureOpenAiEmulator failNextDeployment(String message) {
        synchronized (api) {
            deployments.failNext(message);
        }
        return this;
    }

    /**
     * Settings of an {@link AzureOpenAiEmulator}: those of every emulator, plus the account's
     * names and region and whether base models come deployed. The default base models are the
     * ones Azure fine-tunes with supervised training: gpt-4o-mini, gpt-4o, gpt-4.1, gpt-4.1-mini
     * and gpt-4.1-nano, with their dated versions. Not thread-safe.
     */
    public static final class Builder extends EmulatorBuilder<Builder, AzureOpenAiEmulator> {

        private String subscriptionId = "00000000-0000-0000-0000-000000000000";
        private String resourceGroup = "emulator-rg";
        private String accountName = "emulator";
        private String location = "swedencentral";
        private boolean baseModelDeployments = true;
        private boolean autoDeploy;

        private Builder() {
            super(List.of("gpt-4o-mini-2024-07-18", "gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4o",
                    "gpt-4.1-2025-04-14", "gpt-4.1", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini",
                    "gpt-4.1-nano-2025-04-14", "gpt-4.1-nano"));
        }

        /** The subscription id in ARM paths (default all zeros). */
        public Builder subscriptionId(String id) {
            this.subscriptionId = name(id, "subscriptionId");
            return this;
        }

        /** The resource group in ARM paths (default {@code emulator-rg}). */
        public Builder resourceGroup(String name) {
            this.resourceGroup = name(name, "resourceGroup");
            return this;
        }

        /** The account (resource) name in ARM paths (default {@code emulator}). */
        public Builder accountName(String name) {
            this.accountName = name(name, "accountName");
            return this;
        }

        /**
         * The region reported in {@code x-ms-region} and deployments' {@code location} (default
         * {@code swedencentral}).
         */
        public Builder location(String location) {
            this.location = name(location, "location");
            return this;
        }

        /** Whether every base model has a ready deployment of its own name (default true). */
        public Builder baseModelDeployments(boolean deployed) {
            this.baseModelDeployments = deployed;
            return this;
        }

        /**
         * Whether a chat call naming a trained model (or checkpoint) that has no deployment of that
         * name first deploys it under its id, ready at once (default false: chat reaches only what
         * was deployed). For suites written for providers whose trained models serve without a
         * deployment, standing for a host application that names its deployments after the models.
         */
        public Builder autoDeployTrainedModels(boolean deploy) {
            this.autoDeploy = deploy;
            return this;
        }

        @Override
        void account(String name) {
            accountName(name);
        }

        private static String name(String value, String what) {
            Objects.requireNonNull(value, what);
            if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException(what + " must be letters, digits, '.', '-' and '_', was '" + value
                        + "'");
            }
            return value;
        }

        @Override
        public AzureOpenAiEmulator build() {
            AzureDialect dialect = new AzureDialect(location);
            return new AzureOpenAiEmulator(this, dialect, new OpenAiApi(settings(), accountName, dialect));
        }
    }
}
