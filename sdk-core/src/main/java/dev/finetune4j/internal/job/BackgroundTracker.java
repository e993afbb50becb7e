package dev.finetune4j.internal.job;

import dev.finetune4j.ConflictException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.JobTracker;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobTracker}: a single daemon thread ticking once a second over the due jobs and
 * deployments (one lease record per job or deployment id, in the same collection: the ids differ).
 */
final class BackgroundTracker implements JobTracker {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.JOBS);
    static final String LEASES = "job-leases";

    private final JobService service;
    private final Options options;
    private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
    private final Map<String, Duration> interval = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    BackgroundTracker(JobService service, Options options, boolean start) {
        this.service = service;
        this.options = options;
        if (start) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "finetune4j-job-tracker");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        } else {
            scheduler = null;
        }
    }

    private void tick() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            LOG.warn("job tracker pass failed; trying again next tick", e);
        }
    }

    @Override
    public int pollOnce() {
        Instant now = service.clock().instant();
        int polled = 0;
        for (FineTuneJob job : service.active()) {
            if (nextPoll.getOrDefault(job.id(), Instant.MIN).isAfter(now) || !claim(job.id(), now)) {
                continue;
            }
            polled++;
            poll(job, now);
        }
        for (Deployment d : service.deployments().active()) {
            if (nextPoll.getOrDefault(d.id(), Instant.MIN).isAfter(now) || !claim(d.id(), now)) {
                continue;
            }
            polled++;
            poll(d, now);
        }
        return polled;
    }

    /** Refreshes a deployment: quickly while it changes, then less often up to the longest interval. */
    private void poll(Deployment deployment, Instant now) {
        DeploymentState before = deployment.state();
        Duration current = interval.getOrDefault(deployment.id(), options.minInterval());
        try {
            deployment.refresh();
            boolean changed = deployment.state() != before;
            if (changed) {
                notify(() -> options.listener().onDeployment(deployment, before, deployment.state()));
            }
            Duration next = changed ? options.minInterval()
                    : min(options.maxInterval(), Duration.ofMillis(current.toMillis() * 3 / 2));
            interval.put(deployment.id(), next);
            nextPoll.put(deployment.id(), now.plus(next));
        } catch (RuntimeException e) {
            Duration wait = e instanceof RateLimitedException r ? r.retryAfter()
                    .filter(d -> d.compareTo(options.maxInterval()) > 0).orElse(options.maxInterval())
                    : options.maxInterval();
            nextPoll.put(deployment.id(), now.plus(wait));
            LOG.warn("polling deployment {} failed: {}", deployment.id(), e.getMessage());
            notify(() -> options.listener().onDeploymentError(deployment, e));
        }
    }

    private void poll(FineTuneJob job, Instant now) {
        JobStatus before = job.status();
        Duration current = interval.getOrDefault(job.id(), options.minInterval());
        try {
            job.refresh();
            if (job.remoteId().isPresent()) {
                List<JobEvent> events = job.newEvents();
                if (!events.isEmpty()) {
                    notify(() -> options.listener().onEvents(job, events));
                }
            }
            boolean changed = job.status() != before;
            if (changed) {
                notify(() -> options.listener().onStatus(job, before, job.status()));
            }
            if (job.modelVersion().isPresent() && job.status() == JobStatus.SUCCEEDED) {
                boolean activated = false;
                if (options.autoActivate()) {
                    service.activate(job.assistant(), job.modelVersion().getAsInt(), job.id());
                    activated = true;
                }
                boolean was = activated;
                notify(() -> options.listener().onModelVersion(job, job.modelVersion().getAsInt(), was));
            }
            Duration next = changed ? options.minInterval()
                    : min(options.maxInterval(), Duration.ofMillis(current.toMillis() * 3 / 2));
            interval.put(job.id(), next);
            nextPoll.put(job.id(), now.plus(next));
        } catch (RateLimitedException e) {
            Duration wait = e.retryAfter().map(d -> d.compareTo(options.maxInterval()) > 0 ? d : options.maxInterval())
                    .orElse(options.maxInterval());
            nextPoll.put(job.id(), now.plus(wait));
            notify(() -> options.listener().onError(job, e));
        } catch (RuntimeException e) {
            nextPoll.put(job.id(), now.plus(options.maxInterval()));
            LOG.warn("polling job {} failed: {}", job.id(), e.getMessage());
            notify(() -> options.listener().onError(job, e));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("a job listener threw; ignored", e);
        }
    }

    /** Claims or renews the lease on a job; false when another live instance holds it. */
    private boolean claim(String jobId, Instant now) {
        StoreKey key = new StoreKey(service.tenant(), LEASES, jobId);
        Optional<Revision> current = service.store().latest(key);
        if (current.isPresent()) {
            String[] parts = current.get().value().split("\\|", 2);
            String holder = parts[0];
            Instant until = Instant.parse(parts[1]);
            if (!holder.equals(options.instanceId()) && until.isAfter(now)) {
                return false;
            }
        }
        try {
            service.store().write(key, options.instanceId() + "|" + now.plus(options.lease()),
                    current.map(Revision::number).orElse(0L));
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The actor recorded when the tracker activates a version. */
    static Change autoActivation(String jobId) {
        return Change.by("finetune4j-tracker", "auto-activate policy: job " + jobId + " succeeded");
    }
}
