package dev.finetune4j.store;

import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for the multi-process store tests. Modes:
 * {@code cas DIR|JDBC-URL N NAME}: N compare-and-set attempts on one key, printing {@code WON r} per success;
 * {@code crash DIR}: writes forever (record revisions and dataset appends), printing
 * {@code ACK kind number} after each write returned, until it is killed;
 * {@code import DIR|JDBC-URL FILE}: imports FILE into a dataset again and again, printing {@code ACK n}
 * after each, until it is killed;
 * {@code open DIR|JDBC-URL}: opens the store, prints {@code OPEN} and exits;
 * {@code delete DIR|JDBC-URL}: for N = 0, 1, ...: deletes what a killed run left of record {@code del/nN},
 * writes it (three revisions) and blob {@link #deleteBlob(int)} N, prints {@code ACK written N},
 * deletes both, prints {@code ACK deleted N}, until it is killed.
 */
public final class StoreWorker {

    private StoreWorker() {}

    /** The content of the delete mode's blob N: 1.5 MiB, so it has a chunk table too. */
    static byte[] deleteBlob(int n) {
        byte[] b = new byte[3 * 512 * 1024];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    public static void main(String[] args) {
        VersionStore store;
        if (args[1].startsWith("jdbc:")) {
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl(args[1]);
            config.setMaximumPoolSize(2);
            store = VersionStores.jdbc(new com.zaxxer.hikari.HikariDataSource(config));
        } else {
            store = VersionStores.file(Path.of(args[1]));
        }
        StoreKey key = new StoreKey(Tenant.DEFAULT, "race", "one-key");
        if (args[0].equals("open")) {
            System.out.println("OPEN");
            return;
        }
        if (args[0].equals("delete")) {
            for (int i = 0; ; i++) {
                StoreKey k = new StoreKey(Tenant.DEFAULT, "del", "n" + i);
                store.delete(k);
                for (int r = 0; r < 3; r++) {
                    store.write(k, "{\"n\":" + i + ",\"r\":" + r + "}", r);
                }
                String blob = store.putBlob(Tenant.DEFAULT, new java.io.ByteArrayInputStream(deleteBlob(i))).id();
                System.out.println("ACK written " + i);
                store.delete(k);
                store.deleteBlob(Tenant.DEFAULT, blob);
                System.out.println("ACK deleted " + i);
            }
        }
        if (args[0].equals("import")) {
            Dataset dataset = FineTuning.builder().store(store).build().dataset("staging/main");
            for (long i = 1; ; i++) {
                dataset.importJsonl(Path.of(args[2]), ImportOptions.defaults(), null);
                System.out.println("ACK " + i);
            }
        }
        if (args[0].equals("cas")) {
            int attempts = Integer.parseInt(args[2]);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < attempts; i++) {
                long current = store.latest(key).map(Revision::number).orElse(0L);
                try {
                    Revision r = store.write(key, "{\"by\":\"" + args[3] + "\",\"i\":" + i + "}", current);
                    out.append("WON ").append(r.number()).append('\n');
                } catch (ConflictException e) {
                    out.append("LOST\n");
                }
            }
            System.out.print(out);
            System.out.flush();
            return;
        }
        Dataset dataset = FineTuning.builder().store(store).build().dataset("crash/main");
        for (long i = 0; ; i++) {
            long current = store.latest(key).map(Revision::number).orElse(0L);
            Revision r = store.write(key, "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(2000) + "\"}", current);
            System.out.println("ACK record " + r.number());
            if (i % 5 == 0) {
                Example e = Example.of(Message.user("question " + i + " " + System.nanoTime()), Message.assistant("answer " + i));
                int number = dataset.append(List.of(e), null).version().orElseThrow().number();
                System.out.println("ACK dataset " + number);
            }
        }
    }
}
