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
     * Tracker options: immutable, built with {@link #builder()} or changed with the {@code with*}
     * methods and {@link #toBuilder()}. A final class rather than a record so that an option can be
     * added without breaking callers.
     *
     * <p>{@code minInterval} is the shortest wait between two polls of one job, {@code maxInterval}
     * the longest; {@code lease} is how long a job stays claimed by this instance without renewal (at
     * least {@code maxInterval}); {@code autoActivate} whether a newly registered model version is
     * activated at once (off by default); {@code listener} who hears about changes;
     * {@code instanceId} this instance's name in lease records.
     *
     * <p>Thread-safe. {@code equals} compares every option (the listener by identity).
     */
    final class Options {

        private static final JobListener NO_LISTENER = new JobListener() { };

        private final Duration minInterval;
        private final Duration maxInterval;
        private final Duration lease;
        private final boolean autoActivate;
        private final JobListener listener;
        private final String instanceId;

        private Options(Builder b) {
            this.minInterval = Objects.requireNonNull(b.minInterval, "minInterval");
            this.maxInterval = Objects.requireNonNull(b.maxInterval, "maxInterval");
            this.lease = Objects.requireNonNull(b.lease, "lease");
            this.autoActivate = b.autoActivate;
            this.listener = Objects.requireNonNull(b.listener, "listener");
            this.instanceId = b.instanceId != null ? b.instanceId
                    : "instance-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            if (minInterval.isNegative() || minInterval.isZero() || maxInterval.compareTo(minInterval) < 0) {
                throw new IllegalArgumentException("need 0 < minInterval <= maxInterval, were " + minInterval
                        + " and " + maxInterval);
            }
            if (lease.compareTo(maxInterval) < 0) {
                throw new IllegalArgumentException("lease " + lease + " must be at least maxInterval " + maxInterval);
            }
            if (instanceId.isBlank()) {
                throw new IllegalArgumentException("instanceId must not be blank");
            }
        }

        /**
         * Defaults: 10 s to 2 min between polls, a 5-minute lease, no auto-activation, no listener,
         * a random instance id.
         */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder holding the {@linkplain #defaults() defaults} (the instance id is drawn at {@code build()}). */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding these options, instance id included, to change some of them. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** The shortest wait between two polls of one job. */
        public Duration minInterval() {
            return minInterval;
        }

        /** The longest wait between two polls of one job. */
        public Duration maxInterval() {
            return maxInterval;
        }

        /** How long a job stays claimed by this instance without renewal. */
        public Duration lease() {
            return lease;
        }

        /** Whether a newly registered model version is activated at once. */
        public boolean autoActivate() {
            return autoActivate;
        }

        /** Who hears about changes (a no-op by default). */
        public JobListener listener() {
            return listener;
        }

        /** This instance's name in lease records. */
        public String instanceId() {
            return instanceId;
        }

        /** These options with another listener. */
        public Options withListener(JobListener l) {
            return toBuilder().listener(l).build();
        }

        /** These options with auto-activation on or off. */
        public Options withAutoActivate(boolean on) {
            return toBuilder().autoActivate(on).build();
        }

        /** These options with other intervals; the lease grows to {@code max} when shorter. */
        public Options withIntervals(Duration min, Duration max) {
            Objects.requireNonNull(max, "maxInterval");
            return toBuilder().intervals(min, max).lease(lease.compareTo(max) < 0 ? max : lease).build();
        }

        /** These options with another instance id. */
        public Options withInstanceId(String id) {
            return toBuilder().instanceId(id).build();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options x && minInterval.equals(x.minInterval) && maxInterval.equals(x.maxInterval)
                    && lease.equals(x.lease) && autoActivate == x.autoActivate && listener == x.listener
                    && instanceId.equals(x.instanceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(minInterval, maxInterval, lease, autoActivate, System.identityHashCode(listener),
                    instanceId);
        }

        @Override
        public String toString() {
            return "JobTracker.Options[minInterval=" + minInterval + ", maxInterval=" + maxInterval + ", lease="
                    + lease + ", autoActivate=" + autoActivate + ", listener="
                    + (listener == NO_LISTENER ? "none" : "set") + ", instanceId=" + instanceId + "]";
        }

        /**
         * Builds {@link Options}; starts from the defaults. Not thread-safe; {@link #build()} checks
         * the values.
         */
        public static final class Builder {

            private Duration minInterval = Duration.ofSeconds(10);
            private Duration maxInterval = Duration.ofMinutes(2);
            private Duration lease = Duration.ofMinutes(5);
            private boolean autoActivate;
            private JobListener listener = NO_LISTENER;
            private String instanceId;

            private Builder() {
            }

            private Builder(Options o) {
                minInterval = o.minInterval;
                maxInterval = o.maxInterval;
                lease = o.lease;
                autoActivate = o.autoActivate;
                listener = o.listener;
                instanceId = o.instanceId;
            }

            /** The shortest and longest wait between two polls of one job (10 s, 2 min). */
            public Builder intervals(Duration min, Duration max) {
                this.minInterval = Objects.requireNonNull(min, "minInterval");
                this.maxInterval = Objects.requireNonNull(max, "maxInterval");
                return this;
            }

            /** How long a job stays claimed without renewal (5 min); at least the longest interval. */
            public Builder lease(Duration lease) {
                this.lease = Objects.requireNonNull(lease, "lease");
                return this;
            }

            /** Whether a newly registered model version is activated at once (off). */
            public Builder autoActivate(boolean on) {
                this.autoActivate = on;
                return this;
            }

            /** Who hears about changes (no one). */
            public Builder listener(JobListener listener) {
                this.listener = Objects.requireNonNull(listener, "listener");
                return this;
            }

            /** This instance's name in lease records (a random {@code instance-xxxxxxxx}). */
            public Builder instanceId(String id) {
                this.instanceId = Objects.requireNonNull(id, "instanceId");
                return this;
            }

            /**
             * The options.
             *
             * @throws IllegalArgumentException unless {@code 0 < minInterval <= maxInterval <= lease}
             *     and the instance id is not blank
             */
            public Options build() {
                return new Options(this);
            }
        }
    }
}
