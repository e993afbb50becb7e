package dev.finetune4j.dataset;

import dev.finetune4j.store.JdbcTamper;
import dev.finetune4j.store.Tamper;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.Postgres;
import java.time.Clock;
import javax.sql.DataSource;

class JdbcDatasetTest extends DatasetContract {

    private DataSource dataSource;

    @Override
    protected VersionStore openStore(Clock clock) {
        dataSource = Postgres.freshDatabase();
        return VersionStores.jdbc(dataSource, clock);
    }

    @Override
    protected Tamper tamper() {
        return new JdbcTamper(dataSource);
    }
}
