package dev.finetune4j.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutWatchdogTest {

    private final TimeoutWatchdog watchdog = new TimeoutWatchdog(Duration.ofMillis(5), Duration.ofMillis(100));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aWaitPastItsTimeout_isInterrupted_andStopTakesTheInterruptBack() {
        TimeoutWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(50));
        boolean interrupted = false;
        try {
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }

        assertThat(interrupted).isTrue();
        assertThat(watch.stop()).isTrue();
        assertThat(watch.stop()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aWatchStoppedInTime_neverInterrupts() throws Exception {
        TimeoutWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(50));

        assertThat(watch.stop()).isFalse();
        // well past the deadline: nothing may arrive any more
        Thread.sleep(200);

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void someoneElsesInterrupt_isNotTakenForATimeout_norSwallowed() {
        TimeoutWatchdog.Watch watch = watchdog.watch(Duration.ofSeconds(30));
        Thread.currentThread().interrupt();

        assertThat(watch.stop()).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void theThreadEndsWhenIdle_andComesBackForTheNextWatch() throws Exception {
        watchdog.watch(Duration.ofSeconds(30)).stop();
        assertThat(watchdog.running()).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watchdog.running() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(watchdog.running()).isFalse();

        TimeoutWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(20));
        assertThat(watchdog.running()).isTrue();
        boolean interrupted = false;
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        assertThat(interrupted).isTrue();
        assertThat(watch.stop()).isTrue();
    }

    @Test
    void manyShortWatches_onManyThreads_fireExactlyWhenTheirTimeIsUp() throws Exception {
        AtomicInteger spurious = new AtomicInteger();
        AtomicInteger fired = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    boolean expire = (i + id) % 100 == 0;
                    TimeoutWatchdog.Watch w = watchdog.watch(Duration.ofMillis(expire ? 1 : 60_000));
                    if (expire) {
                        try {
                            Thread.sleep(5_000);
                        } catch (InterruptedException e) {
                            // the timeout
                        }
                    }
                    boolean timedOut = w.stop();
                    if (timedOut) {
                        fired.incrementAndGet();
                    }
                    if (timedOut != expire || Thread.currentThread().isInterrupted()) {
                        spurious.incrementAndGet();
                    }
                }
            });
            worker.start();
            threads.add(worker);
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(spurious).hasValue(0);
        assertThat(fired).hasValue(8 * 20);
    }
}
