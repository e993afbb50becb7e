package dev.finetune4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * How busy the machine is with other processes: CPU time of the whole machine ({@code /proc/stat})
 * minus this JVM's own, over a window. On a shared 2-core machine a measurement taken while
 * another build runs is worth little, so rounds can wait for a quiet moment and say how busy
 * the others were. Not thread-safe.
 */
public final class Machine {

    /** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every common kernel. */
    private static final double TICK_NANOS = 10_000_000;

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long wall;
    private long machineBusy;
    private long ownCpu;

    /** Starts a window. */
    public void mark() {
        wall = System.nanoTime();
        machineBusy = machineBusyTicks();
        ownCpu = os.getProcessCpuTime();
    }

    /** Cores kept busy by other processes since {@link #mark()}; NaN without /proc/stat. */
    public double othersSinceMark() {
        long w = System.nanoTime() - wall;
        long busy = machineBusyTicks();
        if (busy < 0 || machineBusy < 0 || w <= 0) {
            return Double.NaN;
        }
        double machineCores = (busy - machineBusy) * TICK_NANOS / w;
        double ownCores = (double) (os.getProcessCpuTime() - ownCpu) / w;
        return Math.max(0, machineCores - ownCores);
    }

    /**
     * Waits (up to {@code maxSeconds}) until other processes use at most {@code cores} cores over
     * half a second.
     *
     * @return the others' cores in the last window
     */
    public double waitQuiet(double cores, double maxSeconds) {
        long until = System.nanoTime() + (long) (maxSeconds * 1e9);
        double others;
        do {
            mark();
            sleep(500);
            others = othersSinceMark();
        } while (!(others <= cores) && !Double.isNaN(others) && System.nanoTime() < until);
        return others;
    }

    private static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return total - idle;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One line about where the numbers come from. */
    public static String describe() {
        Runtime rt = Runtime.getRuntime();
        String load = "";
        try {
            load = ", load average " + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return LocalDate.now() + ", " + rt.availableProcessors() + " cores" + load + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), heap "
                + rt.maxMemory() / (1024 * 1024) + " MiB";
    }
}
