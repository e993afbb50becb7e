package dev.finetune4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** Small helpers shared by the benchmarks: settings, medians, formatting, temp directories. */
final class Bench {

    static final double MIB = 1024.0 * 1024.0;

    private Bench() {}

    /**
     * A setting's raw value, or null when unset. The Maven executions pass every setting as
     * {@code -Dname=${name}}, so a setting not given to Maven arrives as the literal placeholder.
     */
    static String setting(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() || v.startsWith("${") ? null : v.trim();
    }

    /** An integer setting from {@code -Dname=value}, or the default. */
    static int intSetting(String name, int defaultValue) {
        String v = setting(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim().replace("_", ""));
            if (n < 1) {
                throw new IllegalArgumentException("-D" + name + " must be >= 1, was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a whole number, was '" + v + "'", e);
        }
    }

    /** A decimal setting from {@code -Dname=value}, or the default. */
    static double doubleSetting(String name, double defaultValue) {
        String v = setting(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a number, was '" + v + "'", e);
        }
    }

    /** A boolean setting from {@code -Dname=true|false}, or the default. */
    static boolean flag(String name, boolean defaultValue) {
        String v = setting(name);
        return v == null ? defaultValue : Boolean.parseBoolean(v);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String mib(long bytes) {
        return fmt("%.0f MiB", bytes / MIB);
    }

    /** Prints what the numbers were measured on. */
    static void printEnvironment(String benchmark) {
        Runtime rt = Runtime.getRuntime();
        System.out.println(fmt("%s  %s  java %s (%s)  cores=%d  -Xmx=%s  gc=%s", benchmark, LocalDate.now(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.availableProcessors(),
                mib(rt.maxMemory()), String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(b -> b.getName()).toList())));
    }

    /** A fresh temp directory, deleted with its content when the JVM exits normally. */
    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: it is a temp directory
                }
            });
        } catch (IOException ignored) {
            // best effort: it is a temp directory
        }
    }
}
