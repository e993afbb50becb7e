package dev.finetune4j.dataset;

import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.Postgres;
import java.time.Clock;

class JdbcDatasetTest extends DatasetContract {

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.jdbc(Postgres.freshDatabase(), clock);
    }
}
