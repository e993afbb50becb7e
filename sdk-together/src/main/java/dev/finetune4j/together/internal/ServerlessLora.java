package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Together's one rule for which trained models answer without a dedicated endpoint: a LoRA adapter
 * ({@code training_type.type} {@code Lora}) whose base model is one Together serves LoRA adapters on
 * serverless (docs.together.ai/docs/lora-inference, "Serverless LoRA Inference": the supported base
 * models). A full fine-tune, or an adapter on any other base, needs a dedicated endpoint.
 *
 * <p>The model is looked up once per process among the jobs {@code GET /fine-tunes} lists (by its
 * {@code model_output_name}); a model no job produced is not served serverless and is asked about
 * again next time. Thread-safe.
 */
public final class ServerlessLora {

    /**
     * The bases whose LoRA adapters Together serves serverless (docs.together.ai/docs/lora-inference;
     * the same list the Together emulator uses).
     */
    public static final Set<String> BASES = Set.of("meta-llama/Llama-4-Maverick-17B-128E-Instruct",
            "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
            "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen3-235B-A22B-Instruct-2507-tput");

    private final ProviderHttp http;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    /** @param http Together's API */
    public ServerlessLora(ProviderHttp http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Whether a job of this training type and base model produces a model Together serves serverless. */
    public static boolean servesServerless(boolean lora, String baseModel) {
        return lora && baseModel != null && BASES.contains(baseModel);
    }

    /** Where Together serves the trained model without an endpoint: its own name on {@code /chat/completions}. */
    public Optional<ServingAddress> address(String providerModelId) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        if (BASES.contains(providerModelId)) {
            // the base itself: LoRA adapters trained on it will be served serverless (migration estimates ask so)
            return Optional.of(ServingAddress.model(providerModelId));
        }
        Boolean serverless = known.get(providerModelId);
        if (serverless == null) {
            serverless = lookUp(providerModelId);
            if (serverless != null) {
                known.put(providerModelId, serverless);
            }
        }
        return Boolean.TRUE.equals(serverless) ? Optional.of(ServingAddress.model(providerModelId)) : Optional.empty();
    }

    /** True or false from the job that produced the model; null when no job did (not cached). */
    private Boolean lookUp(String model) {
        for (JsonNode j : http.getJson("/fine-tunes").path("data")) {
            if (model.equals(JobJson.text(j, "model_output_name"))) {
                boolean lora = "Lora".equalsIgnoreCase(JobJson.text(j.path("training_type"), "type"));
                return servesServerless(lora, JobJson.text(j, "model"));
            }
        }
        return null;
    }
}
