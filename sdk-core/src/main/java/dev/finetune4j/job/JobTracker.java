package dev.finetune4j.job;

import java.time.Duration;
import java.util.Objects;

/**
 * Polls every unfinished job of a tenant in the background, registers model versions as jobs
 * succeed, follows the tenant's deployments (pending to ready or failed, scaled to zero, deleted
 * behind our back; reconciling unfinished deploys and undeploys as {@code Deployments.resume()}
 * does), and tells a {@link JobListener}. Intervals adapt: a job or deployment is polled every
 * {@link Options#minInterval()} after a change, then less often while nothing changes, up to
 * {@link Options#maxInterval()}; a provider's rate limit pushes the next poll out.
 *
 * <p>Several application instances sharing one store can each run a tracker: a job or a
 * deployment is polled by one instance at a time, through a lease record that expires when its
 * holder stops renewing it.
 * Start one with {@code FineTuning.jobs().track(options)}; {@link #close()} stops the thread.
 */
public interface JobTracker extends AutoCloseable {

    /**
     * Polls every due job once, on the calling thread (what the background thread does each tick).
     *
     * @return how many jobs were polled
     */
    int pollOnce();

    /** Stops polling and waits for the background thread to end. */
    @Override
    void close();

    /**
     * Tracker options. Immutable.
     *
     * @param minInterval the shortest wait between two polls of one job
     * @param maxInterval the longest wait
     * @param lease how long a job stays claimed by this instance without renewal
     * @param autoActivate whether a newly registered model version is activated at once (off by default)
     * @param listener who hears about changes
     * @param instanceId this instance's name in lease records
     */
    record Options(Duration minInterval, Duration maxInterval, Duration lease, boolean autoActivate,
            JobListener listener, String instanceId) {

        /** Checks the values. */
        public Options {
            Objects.requireNonNull(minInterval, "minInterval");
            Objects.requireNonNull(maxInterval, "maxInterval");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(instanceId, "instanceId");
            if (minInterval.isNegative() || minInterval.isZero() || maxInterval.compareTo(minInterval) < 0) {
                throw new IllegalArgumentException("need 0 < minInterval <= maxInterval, were " + minInterval
                        + " and " + maxInterval);
            }
            if (lease.compareTo(maxInterval) < 0) {
                throw new IllegalArgumentException("lease " + lease + " must be at least maxInterval " + maxInterval);
            }
        }

        /**
         * Defaults: 10 s to 2 min between polls, a 5-minute lease, no auto-activation, no listener,
         * a random instance id.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMinutes(5), false,
                    new JobListener() { }, "instance-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        }

        /** These options with another listener. */
        public Options withListener(JobListener l) {
            return new Options(minInterval, maxInterval, lease, autoActivate, l, instanceId);
        }

        /** These options with auto-activation on or off. */
        public Options withAutoActivate(boolean on) {
            return new Options(minInterval, maxInterval, lease, on, listener, instanceId);
        }

        /** These options with other intervals. */
        public Options withIntervals(Duration min, Duration max) {
            return new Options(min, max, lease.compareTo(max) < 0 ? max : lease, autoActivate, listener, instanceId);
        }

        /** These options with another instance id. */
        public Options withInstanceId(String id) {
            return new Options(minInterval, maxInterval, lease, autoActivate, listener, id);
        }
    }
}
