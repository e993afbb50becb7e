package dev.finetune4j.assistant;

import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.Postgres;
import java.time.Clock;

class JdbcAssistantTest extends AssistantContract {

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.jdbc(Postgres.freshDatabase(), clock);
    }
}
