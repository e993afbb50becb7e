package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.Tenant;
import dev.finetune4j.testing.Postgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Several application instances (JVMs) sharing one PostgreSQL store. */
class JdbcStoreProcessesTest {

    @Test
    void fourProcesses_racingCasWrites_neverShareARevision_andLeaveNoGaps() throws Exception {
        DataSource dataSource = Postgres.freshDatabase();
        VersionStore store = VersionStores.jdbc(dataSource);
        String url = Postgres.jdbcUrl(Postgres.lastDatabase());
        int processes = 4;
        int attempts = 1000;
        List<Process> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    StoreWorker.class.getName(), "cas", url, String.valueOf(attempts), "p" + p)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        Set<Long> won = new HashSet<>();
        int lost = 0;
        for (Process w : workers) {
            String out = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(w.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(w.exitValue()).isZero();
            for (String line : out.split("\n")) {
                if (line.startsWith("WON ")) {
                    assertThat(won.add(Long.parseLong(line.substring(4)))).as("revision %s won twice", line).isTrue();
                } else if (line.equals("LOST")) {
                    lost++;
                }
            }
        }

        StoreKey key = new StoreKey(Tenant.DEFAULT, "race", "one-key");
        long latest = store.latest(key).orElseThrow().number();
        assertThat(won.size() + lost).isEqualTo(processes * attempts);
        assertThat(won).hasSize((int) latest);
        try (Stream<Revision> history = store.history(key)) {
            assertThat(history.map(Revision::number).toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, latest).boxed().toList());
        }
    }
}
