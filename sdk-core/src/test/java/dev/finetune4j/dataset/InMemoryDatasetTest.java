package dev.finetune4j.dataset;

import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.time.Clock;

class InMemoryDatasetTest extends DatasetContract {

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.inMemory(clock);
    }
}
