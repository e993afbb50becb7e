package dev.finetune4j.examples.store;

import dev.finetune4j.assistant.AssistantContract;
import dev.finetune4j.dataset.DatasetContract;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStoreContract;
import dev.finetune4j.store.VersionStores;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

/**
 * The store contract suites run from outside sdk-core, as a store written by a third party runs
 * them: from sdk-core's test jar, with only JUnit 5 and AssertJ beside it. A store of your own
 * replaces {@code VersionStores.inMemory(clock)} with its own, and returns a {@code Tamper} when it
 * keeps bytes that can be damaged at rest.
 */
class StoreContractsTest {

    @Nested
    class Revisions extends VersionStoreContract {
        @Override
        protected VersionStore open() {
            return VersionStores.inMemory(clock);
        }
    }

    @Nested
    class Datasets extends DatasetContract {
        @Override
        protected VersionStore openStore(Clock clock) {
            return VersionStores.inMemory(clock);
        }
    }

    @Nested
    class Assistants extends AssistantContract {
        @Override
        protected VersionStore openStore(Clock clock) {
            return VersionStores.inMemory(clock);
        }

        /** Fewer concurrent calls than the default: sdk-core runs the in-memory store's full stress. */
        @Override
        protected int stressCallsEach() {
            return 100;
        }
    }
}
