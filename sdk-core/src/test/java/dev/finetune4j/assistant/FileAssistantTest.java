package dev.finetune4j.assistant;

import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.time.Clock;

class FileAssistantTest extends AssistantContract {

    @TempDir
    Path dir;

    @Override
    protected VersionStore openStore(Clock clock) {
        return VersionStores.file(dir, clock);
    }
}
