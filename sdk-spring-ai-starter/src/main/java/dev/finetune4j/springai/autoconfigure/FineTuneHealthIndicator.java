package dev.finetune4j.springai.autoconfigure;

import dev.finetune4j.FineTuning;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of finetune4j: {@code UP} when the store answers and every configured
 * assistant exists in it; {@code DOWN} with the store's error, or with the configured assistants
 * the store does not have (their routers would fail every call). Details: tenant, assistants,
 * whether the job tracker runs. Stuck jobs and lifecycle warnings are not reported yet.
 */
public final class FineTuneHealthIndicator implements HealthIndicator {

    private final FineTuning ft;
    private final List<String> configured;
    private final ObjectProvider<JobTrackerLifecycle> tracker;

    /** A health indicator of {@code ft} and its configured assistants. */
    public FineTuneHealthIndicator(FineTuning ft, List<String> configured, ObjectProvider<JobTrackerLifecycle> tracker) {
        this.ft = ft;
        this.configured = List.copyOf(configured);
        this.tracker = tracker;
    }

    @Override
    public Health health() {
        List<String> stored;
        try {
            stored = ft.assistants();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("tenant", ft.tenant().id()).build();
        }
        List<String> missing = new ArrayList<>(configured);
        missing.removeAll(stored);
        JobTrackerLifecycle t = tracker.getIfAvailable();
        Health.Builder health = missing.isEmpty() ? Health.up() : Health.down().withDetail("missing_assistants",
                missing);
        return health.withDetail("tenant", ft.tenant().id())
                .withDetail("assistants", configured)
                .withDetail("job_tracker", t != null && t.isRunning() ? "running" : "off")
                .build();
    }
}
