package dev.finetune4j.springai.autoconfigure;

import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.job.JobTracker;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.JdbcStoreOptions;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Builds finetune4j from {@link FineTuneProperties}: the store ({@code file}, {@code jdbc} on the
 * application's {@code DataSource}, or {@code memory}), the providers configured by the
 * environment, {@link FineTuning} bound to the tenant, a router and a Spring AI chat model per
 * configured assistant ({@link AssistantBeans}), the job tracker when enabled, and a health
 * indicator when Actuator is on the class path. Every bean backs off when the application defines
 * its own of the same type. Nothing is started that the application did not ask for: no thread
 * runs and no provider is called until a router is used or the tracker is enabled.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@EnableConfigurationProperties(FineTuneProperties.class)
@Import(AssistantBeans.class)
public class FineTuneAutoConfiguration {

    /** The options every configured assistant's router is created with. */
    public record RouterOptions(ChatRouter.Options options) {}

    /** The store the properties name; closed with the context (a JDBC store leaves the data source open). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    VersionStore finetune4jStore(FineTuneProperties properties, ObjectProvider<DataSource> dataSource,
            Environment environment) {
        return switch (properties.getStore().getType()) {
            case MEMORY -> VersionStores.inMemory();
            case JDBC -> VersionStores.jdbc(dataSource.getIfAvailable(() -> {
                throw new IllegalStateException("finetune4j.store.type=jdbc needs a DataSource bean (spring.datasource.* "
                        + "or your own); none was found");
            }), JdbcStoreOptions.builder().schema(properties.getStore().getSchema())
                    .createTables(properties.getStore().isCreateTables()).build());
            case FILE -> VersionStores.file(properties.getStore().getDir() != null ? properties.getStore().getDir()
                    : Path.of(environment.getProperty("FINETUNE4J_STORE", FineTuning.DEFAULT_STORE)));
        };
    }

    @Bean(destroyMethod = "close")
    DiscoveredProviders finetune4jProviders(Environment environment, ObjectProvider<Provider> fromApplication) {
        return new DiscoveredProviders(environment, fromApplication.orderedStream().toList());
    }

    /** The front door, bound to {@code finetune4j.tenant}; closing it closes the routers it handed out. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    FineTuning fineTuning(VersionStore store, DiscoveredProviders providers, FineTuneProperties properties) {
        FineTuning.Builder b = FineTuning.builder().store(store).tenant(Tenant.of(properties.getTenant()));
        providers.all().forEach(b::provider);
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    RouterOptions finetune4jRouterOptions(FineTuneProperties properties) {
        FineTuneProperties.Router r = properties.getRouter();
        return new RouterOptions(ChatRouter.Options.defaults().withRefreshInterval(r.getRefreshInterval())
                .withFallback(r.isFallback()));
    }

    /** The background job tracker, only when {@code finetune4j.jobs.tracker.enabled=true}. */
    @Bean
    @ConditionalOnProperty(prefix = "finetune4j.jobs.tracker", name = "enabled", havingValue = "true")
    JobTrackerLifecycle finetune4jJobTracker(FineTuning ft, FineTuneProperties properties) {
        FineTuneProperties.Tracker t = properties.getJobs().getTracker();
        return new JobTrackerLifecycle(ft, JobTracker.Options.defaults().withAutoActivate(t.isAutoActivate())
                .withIntervals(t.getMinInterval(), t.getMaxInterval()));
    }

    /** The health indicator, only when Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "finetune4jHealthIndicator")
        FineTuneHealthIndicator finetune4jHealthIndicator(FineTuning ft, FineTuneProperties properties,
                ObjectProvider<JobTrackerLifecycle> tracker) {
            return new FineTuneHealthIndicator(ft, properties.getAssistants(), tracker);
        }
    }
}
