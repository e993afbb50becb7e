package dev.finetune4j.store;

class InMemoryVersionStoreTest extends VersionStoreContract {

    @Override
    protected VersionStore open() {
        return VersionStores.inMemory(clock);
    }
}
