package dev.finetune4j.assistant;

import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.time.Clock;

class InMemoryAssistantTest extends AssistantContract {

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.inMemory(clock);
    }
}
