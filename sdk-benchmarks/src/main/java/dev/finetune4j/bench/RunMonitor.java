package dev.finetune4j.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches one measured run without a profiler: wall time, process CPU time (how many cores were
 * busy), CPU time per Java thread group (sampled every 50 ms), heap used (the largest sample, and
 * the sum of the heap pools' own peaks, an upper bound since pools peak at different moments) and
 * the largest heap left after a GC (the live set). Not thread-safe: one run at
 * a time, driven from one thread.
 */
final class RunMonitor implements AutoCloseable {

    /** What a run used. */
    record Usage(long wallNanos, long cpuNanos, long sampledPeakHeapBytes, long poolPeaksHeapBytes,
            long maxAfterGcBytes, long gcCount, long gcNanos, Map<String, Long> cpuByThreadGroup,
            double machineBusyCores) {

        double seconds() {
            return wallNanos / 1e9;
        }

        /** Busy cores on average: process CPU time over wall time. */
        double cores() {
            return (double) cpuNanos / wallNanos;
        }

        /**
         * Cores kept busy by other processes on the machine meanwhile (from {@code /proc/stat});
         * NaN where that is not available. Above a few tenths, the run shared its cores.
         */
        double otherCores() {
            return Math.max(0, machineBusyCores - cores());
        }
    }

    private static final long SAMPLE_MILLIS = 50;

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
    private final java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong sampledPeak = new AtomicLong();
    private final AtomicLong gcCount = new AtomicLong();
    private final AtomicLong gcMillis = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener gcListener = this::onGc;
    private final Map<Long, long[]> cpuByThread = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();
    private volatile boolean sampling;
    private Thread sampler;
    private long startWall;
    private long startCpu;
    private long[] startMachine;

    RunMonitor() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool);
            }
        }
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gcListener, null, null);
                emitters.add(emitter);
            }
        }
        if (threads.isThreadCpuTimeSupported()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /** Collects garbage left by earlier work, resets the peaks and starts the clocks. */
    void start() {
        System.gc();
        try {
            // lets the notification of that collection arrive before the counters are reset
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        maxAfterGc.set(0);
        sampledPeak.set(0);
        gcCount.set(0);
        gcMillis.set(0);
        synchronized (cpuByThread) {
            cpuByThread.clear();
            threadNames.clear();
        }
        sampleThreads(true);
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                sampleThreads(false);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
        startMachine = machineTicks();
        startCpu = os.getProcessCpuTime();
        startWall = System.nanoTime();
    }

    /** Stops the clocks and returns what the run used. */
    Usage stop() {
        long wall = System.nanoTime() - startWall;
        long cpu = os.getProcessCpuTime() - startCpu;
        long[] endMachine = machineTicks();
        double machineBusy = Double.NaN;
        if (startMachine != null && endMachine != null && endMachine[1] > startMachine[1]) {
            machineBusy = (double) (endMachine[0] - startMachine[0]) / (endMachine[1] - startMachine[1])
                    * Runtime.getRuntime().availableProcessors();
        }
        sampling = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleThreads(false);
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage u = pool.getPeakUsage();
            peak += u == null ? 0 : u.getUsed();
        }
        Map<String, Long> groups = new TreeMap<>();
        synchronized (cpuByThread) {
            for (Map.Entry<Long, long[]> e : cpuByThread.entrySet()) {
                long used = e.getValue()[1] - e.getValue()[0];
                if (used > 0) {
                    groups.merge(group(threadNames.get(e.getKey())), used, Long::sum);
                }
            }
        }
        return new Usage(wall, cpu, sampledPeak.get(), peak, maxAfterGc.get(), gcCount.get(), gcMillis.get() * 1_000_000L, groups,
                machineBusy);
    }

    /**
     * Records each live thread's CPU time: {first seen, last seen}. A thread that starts during
     * the run counts from zero; one that ends loses at most one sampling period.
     */
    private void sampleThreads(boolean baseline) {
        sampledPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        long self = sampler == null ? -1 : sampler.getId();
        for (long id : threads.getAllThreadIds()) {
            if (id == self) {
                continue;
            }
            long t = threads.getThreadCpuTime(id);
            if (t < 0) {
                continue;
            }
            synchronized (cpuByThread) {
                long[] seen = cpuByThread.get(id);
                if (seen == null) {
                    var info = threads.getThreadInfo(id);
                    if (info == null) {
                        continue;
                    }
                    cpuByThread.put(id, new long[] {baseline ? t : 0, t});
                    threadNames.put(id, info.getThreadName());
                } else {
                    seen[1] = t;
                }
            }
        }
    }

    /**
     * Waits, up to {@code maxSeconds}, until the machine has been quiet for a second: at most
     * {@code quietCores} busy (this process is idle meanwhile, so that is other processes' load).
     *
     * @return the seconds waited, or -1 when the machine never got quiet
     */
    static double awaitQuiet(double quietCores, int maxSeconds) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long[] before = machineTicks();
            Thread.sleep(1000);
            long[] after = machineTicks();
            if (before == null || after == null || after[1] == before[1]) {
                return 0;
            }
            double busy = (double) (after[0] - before[0]) / (after[1] - before[1])
                    * Runtime.getRuntime().availableProcessors();
            double waited = (System.nanoTime() - start) / 1e9;
            if (busy <= quietCores) {
                return waited - 1;
            }
            if (waited >= maxSeconds) {
                return -1;
            }
            Thread.sleep(2000);
        }
    }

    /** {busy, total} jiffies of all CPUs from {@code /proc/stat}, or null off Linux. */
    private static long[] machineTicks() {
        try {
            String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            long total = 0;
            // user nice system idle iowait irq softirq steal
            for (int i = 1; i <= 8 && i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
            return new long[] {busy, total};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Threads named {@code finetune4j-jsonl-7} and {@code finetune4j-jsonl-8} form one group. */
    private static String group(String name) {
        if (name == null) {
            return "?";
        }
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && end < name.length() && name.charAt(end - 1) == '-') {
            return name.substring(0, end) + "*";
        }
        return name;
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        maxAfterGc.accumulateAndGet(used, Math::max);
        gcCount.incrementAndGet();
        gcMillis.addAndGet(info.getGcInfo().getDuration());
    }

    private boolean isHeapPool(String name) {
        for (MemoryPoolMXBean pool : heapPools) {
            if (pool.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(gcListener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
