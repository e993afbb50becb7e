package dev.finetune4j.springai.autoconfigure;

import dev.finetune4j.FineTuning;
import dev.finetune4j.job.JobTracker;
import org.springframework.context.SmartLifecycle;

/**
 * The background job tracker as a Spring lifecycle bean: started with the context, stopped (its
 * thread ended) before the context closes {@code FineTuning}. Created only when {@code
 * finetune4j.jobs.tracker.enabled=true}.
 */
public final class JobTrackerLifecycle implements SmartLifecycle {

    private final FineTuning ft;
    private final JobTracker.Options options;
    private JobTracker tracker;

    /** A lifecycle that will track {@code ft}'s jobs with {@code options}. */
    public JobTrackerLifecycle(FineTuning ft, JobTracker.Options options) {
        this.ft = ft;
        this.options = options;
    }

    @Override
    public synchronized void start() {
        if (tracker == null) {
            tracker = ft.jobs().track(options);
        }
    }

    /** Stops polling and waits for the tracker's thread to end. */
    @Override
    public synchronized void stop() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return tracker != null;
    }
}
