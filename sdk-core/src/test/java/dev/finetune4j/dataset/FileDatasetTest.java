package dev.finetune4j.dataset;

import dev.finetune4j.store.FileTamper;
import dev.finetune4j.store.Tamper;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class FileDatasetTest extends DatasetContract {

    @TempDir
    Path dir;

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.file(dir, clock);
    }

    @Override
    protected Tamper tamper() {
        return new FileTamper(dir);
    }
}
