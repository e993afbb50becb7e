package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an OpenAI-compatible server serves ({@code GET {serving}/models}), cached briefly, checked
 * before every chat call. TGI answers a request for an adapter it has not loaded with its base
 * model, silently; asking first turns that into a {@link NotFoundException}, on which the
 * chat router falls back to the base model and says so.
 *
 * <p>vLLM lists every LoRA module ({@code --lora-modules name=…}) by name. TGI lists only its base
 * model, so adapters it loads ({@code LORA_ADAPTERS}) must be declared to this library too (the
 * {@code served_adapters} setting). A model missing from the list is looked up once more before
 * the call is refused — at once the first time that model is missed (an adapter trained and loaded a
 * moment ago is found), then at most every {@value #MIN_REFRESH_SECONDS} s while it stays missing, so
 * a model that is really absent does not make every call fetch the list. Thread-safe.
 */
public final class ServedModels {

    /** A list younger than this is not fetched again for a missing model. */
    public static final long MIN_REFRESH_SECONDS = 5;

    private final ProviderHttp serving;
    private final Clock clock;
    private final Duration ttl;
    private final Set<String> declared;
    private volatile Snapshot snapshot;
    /** Models found missing, with the time of the list they were missing from. */
    private final Map<String, Instant> missed = new ConcurrentHashMap<>();

    private record Snapshot(Set<String> ids, Instant at) {}

    /**
     * A cache.
     *
     * @param ttl how long a list is trusted
     * @param declared adapters the server serves without listing them (TGI's {@code LORA_ADAPTERS}
     *     entries: {@code org/adapter}, {@code org/adapter@revision} or {@code name=/path})
     */
    public ServedModels(ProviderHttp serving, Clock clock, Duration ttl, Collection<String> declared) {
        this.serving = Objects.requireNonNull(serving, "serving");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        Set<String> names = new LinkedHashSet<>();
        for (String d : declared) {
            String v = d.strip();
            if (v.isEmpty()) {
                continue;
            }
            int eq = v.indexOf('=');
            if (eq > 0) {
                names.add(v.substring(0, eq));
                continue;
            }
            names.add(v);
            int at = v.indexOf('@');
            if (at > 0) {
                names.add(v.substring(0, at));
            }
        }
        this.declared = Set.copyOf(names);
    }

    /**
     * Checks that the server serves a model.
     *
     * @throws NotFoundException when it neither lists it nor was told it serves it
     */
    public void require(String model) {
        if (declared.contains(model)) {
            return;
        }
        Snapshot s = current(false);
        if (s.ids().contains(model)) {
            return;
        }
        boolean firstMiss = !missed.containsKey(model);
        if (firstMiss || Duration.between(s.at(), clock.instant()).getSeconds() >= MIN_REFRESH_SECONDS) {
            s = current(true);
            if (s.ids().contains(model)) {
                missed.remove(model);
                return;
            }
        }
        if (missed.size() > 1_000) {
            missed.clear();   // names asked for by mistake must not grow without bound
        }
        missed.put(model, s.at());
        String message = "huggingface: the serving endpoint " + serving.baseUrl() + " does not serve '" + model
                + "' (its /models lists " + (s.ids().isEmpty() ? "nothing" : String.join(", ", s.ids()))
                + "); not sending the call, because a TGI server would silently answer with its base model. Load the "
                + "adapter (vLLM: --lora-modules " + model + "=" + model + "; TGI: LORA_ADAPTERS=" + model
                + ", then declare it in the provider setting 'served_adapters')";
        throw new NotFoundException(message,
                ProviderError.builder("huggingface", 404).errorCode("model_not_served").build());
    }

    /** The models the server listed last (fetched when none is cached or the cache is stale). */
    public Set<String> listed() {
        return current(false).ids();
    }

    private Snapshot current(boolean force) {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (!force && s != null && Duration.between(s.at(), now).compareTo(ttl) < 0) {
            return s;
        }
        JsonNode answer = serving.getJson("/models");
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode m : answer.path("data")) {
            String id = m.path("id").asText("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        Snapshot fresh = new Snapshot(Collections.unmodifiableSet(ids), now);
        snapshot = fresh;
        return fresh;
    }
}
