package dev.finetune4j.springai.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code finetune4j.*} properties of the Spring Boot starter.
 *
 * <pre>
 * finetune4j.tenant=acme                      # default: default
 * finetune4j.store.type=file                  # file (default), jdbc (the app's DataSource) or memory
 * finetune4j.store.dir=/var/lib/app/ft4j      # file store; default $FINETUNE4J_STORE or ./.finetune4j
 * finetune4j.assistants=avatar-42,voice-parser   # a ChatRouter and a ChatModel bean for each
 * finetune4j.router.refresh-interval=5s
 * finetune4j.router.fallback=true
 * finetune4j.jobs.tracker.enabled=false       # polls unfinished jobs in the background when true
 * finetune4j.jobs.tracker.auto-activate=false
 * </pre>
 *
 * <p>Providers and their keys come from the environment as the library reads them ({@code
 * OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code MISTRAL_API_KEY}, {@code HF_TOKEN}, …), looked
 * up in Spring's {@code Environment}, so they may also be set as properties of those names.
 */
@ConfigurationProperties("finetune4j")
public class FineTuneProperties {

    /** Where versions, datasets and selections are kept. */
    public enum StoreType {
        /** The embedded file store in {@code finetune4j.store.dir}. */
        FILE,
        /** PostgreSQL through the application's {@code DataSource}. */
        JDBC,
        /** In memory: lost when the application stops (tests, demos). */
        MEMORY
    }

    private String tenant = "default";
    private final Store store = new Store();
    private List<String> assistants = new ArrayList<>();
    private final Router router = new Router();
    private final Jobs jobs = new Jobs();

    /** The tenant every bean is bound to. */
    public String getTenant() {
        return tenant;
    }

    /** Sets the tenant. */
    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    /** The store settings. */
    public Store getStore() {
        return store;
    }

    /** The assistants that get a {@code ChatRouter} and a {@code ChatModel} bean. */
    public List<String> getAssistants() {
        return assistants;
    }

    /** Sets the assistants. */
    public void setAssistants(List<String> assistants) {
        this.assistants = new ArrayList<>(assistants);
    }

    /** The routers' settings. */
    public Router getRouter() {
        return router;
    }

    /** The job settings. */
    public Jobs getJobs() {
        return jobs;
    }

    /** {@code finetune4j.store.*}. */
    public static class Store {
        private StoreType type = StoreType.FILE;
        private Path dir;
        private String schema;
        private boolean createTables = true;

        /** The kind of store. */
        public StoreType getType() {
            return type;
        }

        /** Sets the kind of store. */
        public void setType(StoreType type) {
            this.type = type;
        }

        /** The file store's directory; null for {@code $FINETUNE4J_STORE} or {@code ./.finetune4j}. */
        public Path getDir() {
            return dir;
        }

        /** Sets the file store's directory. */
        public void setDir(Path dir) {
            this.dir = dir;
        }

        /** The JDBC store's schema; null for the first schema of the connection's search path. */
        public String getSchema() {
            return schema;
        }

        /** Sets the JDBC store's schema (a lower-case PostgreSQL identifier). */
        public void setSchema(String schema) {
            this.schema = schema;
        }

        /** Whether the JDBC store may create and migrate its tables (false when Flyway/Liquibase owns them). */
        public boolean isCreateTables() {
            return createTables;
        }

        /** Sets whether the JDBC store may create and migrate its tables. */
        public void setCreateTables(boolean createTables) {
            this.createTables = createTables;
        }
    }

    /** {@code finetune4j.router.*}. */
    public static class Router {
        private Duration refreshInterval = Duration.ofSeconds(5);
        private boolean fallback = true;

        /** How long a router uses a cached selection before reading the store again. */
        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        /** Sets the refresh interval. */
        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }

        /** Whether a failing version falls back to the assistant's base model. */
        public boolean isFallback() {
            return fallback;
        }

        /** Sets fallback on or off. */
        public void setFallback(boolean fallback) {
            this.fallback = fallback;
        }
    }

    /** {@code finetune4j.jobs.*}. */
    public static class Jobs {
        private final Tracker tracker = new Tracker();

        /** The background job tracker's settings. */
        public Tracker getTracker() {
            return tracker;
        }
    }

    /** {@code finetune4j.jobs.tracker.*}. */
    public static class Tracker {
        private boolean enabled;
        private boolean autoActivate;
        private Duration minInterval = Duration.ofSeconds(10);
        private Duration maxInterval = Duration.ofMinutes(2);

        /** Whether the tracker runs (off unless enabled). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Turns the tracker on or off. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Whether a newly trained model version is activated at once. */
        public boolean isAutoActivate() {
            return autoActivate;
        }

        /** Sets auto-activation. */
        public void setAutoActivate(boolean autoActivate) {
            this.autoActivate = autoActivate;
        }

        /** The shortest wait between two polls of a job. */
        public Duration getMinInterval() {
            return minInterval;
        }

        /** Sets the shortest wait. */
        public void setMinInterval(Duration minInterval) {
            this.minInterval = minInterval;
        }

        /** The longest wait between two polls of a job. */
        public Duration getMaxInterval() {
            return maxInterval;
        }

        /** Sets the longest wait. */
        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }
    }
}
