package dev.finetune4j.cli;

import dev.finetune4j.FineTuneException;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Polls a job on the calling thread until a condition holds or a deadline passes, drawing one
 * progress line (status, step, latest training loss, elapsed time) on a terminal. The interval
 * starts short and grows by half while nothing changes, back to short after a change; an emulator
 * on this machine is polled every tenth of a second, a real provider every 1 to 30 seconds.
 */
final class JobWaiter {

    private final Terminal terminal;
    private final Duration first;
    private final Duration max;

    /**
     * @param terminal where the progress line goes (nothing is drawn when it is disabled)
     * @param local whether the provider runs on this machine (an emulator)
     */
    JobWaiter(Terminal terminal, boolean local) {
        this.terminal = terminal;
        this.first = local ? Duration.ofMillis(100) : Duration.ofSeconds(1);
        this.max = local ? Duration.ofMillis(500) : Duration.ofSeconds(30);
    }

    /** Waits until the job is settled (terminal, and registered when it succeeded) or {@code timeout} passed. */
    FineTuneJob untilSettled(FineTuneJob job, Duration timeout, String label) {
        return until(job, timeout, label, Jobs::settled);
    }

    /**
     * Waits until {@code done} holds for the job or {@code timeout} has passed; returns the job as
     * last read. An interrupt ends the wait early.
     */
    FineTuneJob until(FineTuneJob job, Duration timeout, String label, Predicate<FineTuneJob> done) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration wait = first;
        String last = null;
        Progress progress = new Progress();
        try {
            while (true) {
                job.refresh();
                if (terminal.enabled()) {
                    progress.read(job);
                    terminal.update(progress.line(label, job, System.nanoTime() - start));
                }
                if (done.test(job)) {
                    return job;
                }
                String seen = job.status() + "/" + job.rawStatus();
                wait = seen.equals(last) ? min(max, Duration.ofMillis(wait.toMillis() * 3 / 2)) : first;
                last = seen;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return job;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return job;
                }
            }
        } finally {
            terminal.done();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What the progress line knows: the latest step and training loss seen in events or metrics. */
    private static final class Progress {
        Double loss;
        long step;
        long totalSteps;

        void read(FineTuneJob job) {
            if (job.remoteId().isEmpty() || job.status() == JobStatus.PENDING) {
                return;
            }
            try {
                boolean fromEvents = false;
                List<JobEvent> events = job.newEvents();
                for (JobEvent e : events) {
                    Double l = e.metrics().get("train_loss");
                    if (l != null) {
                        loss = l;
                        fromEvents = true;
                    }
                    Double s = e.metrics().get("step");
                    if (s != null) {
                        step = s.longValue();
                    }
                    Double t = e.metrics().get("total_steps");
                    if (t != null) {
                        totalSteps = t.longValue();
                    }
                }
                if ((!fromEvents && job.status() == JobStatus.RUNNING)
                        || (job.status() == JobStatus.SUCCEEDED && loss == null)) {
                    List<MetricPoint> points = job.metrics();
                    if (!points.isEmpty()) {
                        MetricPoint p = points.get(points.size() - 1);
                        Double l = p.values().get("train_loss");
                        if (l != null) {
                            loss = l;
                        }
                        step = Math.max(step, p.step());
                    }
                }
            } catch (FineTuneException | UnsupportedOperationException | IllegalStateException e) {
                // Progress is decoration: a provider without events or metrics still trains.
            }
        }

        String line(String label, FineTuneJob job, long elapsedNanos) {
            double fraction = switch (job.status()) {
                case PENDING -> 0.02;
                case VALIDATING -> 0.05;
                case QUEUED -> 0.1;
                case RUNNING, PAUSED, UNKNOWN -> totalSteps > 0 ? 0.1 + 0.85 * Math.min(1.0, (double) step / totalSteps)
                        : 0.5;
                case SUCCEEDED, FAILED, CANCELLED -> 1.0;
            };
            StringBuilder sb = new StringBuilder("   ").append(label).append("  ").append(Terminal.bar(fraction, 24))
                    .append("  ").append(Jobs.status(job));
            if (totalSteps > 0) {
                sb.append("  step ").append(step).append('/').append(totalSteps);
            } else if (step > 0) {
                sb.append("  step ").append(step);
            }
            if (loss != null) {
                sb.append(String.format(Locale.ROOT, "  loss %.4f", loss));
            }
            long s = elapsedNanos / 1_000_000_000L;
            sb.append(String.format(Locale.ROOT, "  %d:%02d", s / 60, s % 60));
            return sb.toString();
        }
    }
}
