package dev.finetune4j.internal.job;

import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.TransportException;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.VersionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of a submission that costs money: creating the remote job, at most once.
 *
 * <p>Whoever advances an unfinished job — its submission, a {@code refresh()}, {@code resume()},
 * another process on the same store — first looks for it at the provider by its tag and adopts
 * what it finds. Only then does it claim the create in the job record with compare-and-set (the
 * claim names its holder and holds for {@link #CREATE_CLAIM}), send the request and record the
 * result, releasing the claim; a caller that finds a live claim of another leaves the job alone.
 * So of several callers advancing one job at once, only one sends its create request.
 */
final class JobCreation {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.JOBS);

    /**
     * How long a create claim holds when its holder never releases it (killed while creating):
     * longer than the default 10-minute deadline of the create call plus that of the look-up that
     * follows a lost answer. Until then nobody else sends the create; a job whose create did
     * arrive is found by its tag and adopted at once.
     */
    static final Duration CREATE_CLAIM = Duration.ofMinutes(20);

    private final JobService service;
    private final VersionStore store;

    JobCreation(JobService service) {
        this.service = service;
        this.store = service.store();
    }

    /**
     * Creates the remote job, or adopts the one a previous attempt created: the job is looked for
     * by its tag first; then the create is claimed, so that nobody else sends it at the same time
     * (when another holds the claim, the record is returned as it is). A create
     * whose outcome is unknown (the connection failed after the request may have arrived) is
     * followed by a look-up of our tag, never by a blind second create; when that look-up fails
     * too, {@link JobMayExistException} says so.
     */
    JobRecord create(JobRecord record, Provider provider) {
        boolean findable = JobService.has(provider, Capability.FIND_BY_TAG);
        Optional<RemoteJob> existing;
        try {
            existing = findable ? JobService.training(provider).findJobByTag(record.id) : Optional.empty();
        } catch (FineTuneException e) {
            if (record.createAttempts > 0) {
                throw new JobMayExistException(record.id, provider.id(), "an earlier attempt sent its create request "
                        + "without learning the outcome, and looking it up by its tag failed: " + e.getMessage(), e);
            }
            throw e;
        }
        if (existing.isPresent()) {
            LOG.info("job {} found at {} as {}; not creating another", record.id, provider.id(),
                    existing.get().remoteId());
            return adopt(record.id, existing.get());
        }
        String token = newClaimToken();
        Optional<JobRecord> claimed = claimCreate(record.id, token);
        if (claimed.isEmpty()) {
            return service.read(record.id);
        }
        JobRecord mine = claimed.get();
        JobRequest request = JobService.request(mine, mine.id, mine.upload);
        RemoteJob remote;
        try {
            remote = createOrFind(request, provider);
        } catch (RuntimeException e) {
            releaseCreate(mine.id, token);
            throw e;
        }
        return created(mine.id, remote, token);
    }

    /** Sends the create request; when its answer is lost, looks the job up by its tag instead. */
    private static RemoteJob createOrFind(JobRequest request, Provider provider) {
        try {
            return JobService.training(provider).createJob(request);
        } catch (TransportException e) {
            if (!e.mayHaveReachedServer() || !JobService.has(provider, Capability.FIND_BY_TAG)) {
                throw e;
            }
            Optional<RemoteJob> found;
            try {
                found = JobService.training(provider).findJobByTag(request.tag());
            } catch (FineTuneException lookup) {
                lookup.addSuppressed(e);
                throw new JobMayExistException(request.tag(), provider.id(), "the answer to its create request was lost ("
                        + e.getMessage() + "), and looking it up by its tag failed: " + lookup.getMessage(), lookup);
            }
            RemoteJob remote = found.orElseThrow(() -> new TransportException("creating job " + request.tag() + " at "
                    + provider.id() + " failed in transit and no job with its tag exists there; resume() will "
                    + "create it: " + e.getMessage(), e, provider.id(), false));
            LOG.info("job {}: create failed in transit but the job exists at {} as {}", request.tag(), provider.id(),
                    remote.remoteId());
            return remote;
        }
    }

    /**
     * Claims the sending of a job's create request, unless it exists remotely already or another
     * live claim holds; the claim counts one more create attempt.
     *
     * @return the record as claimed, or empty when the job is not this caller's to create now
     */
    private Optional<JobRecord> claimCreate(String jobId, String token) {
        for (int attempt = 1; ; attempt++) {
            Revision r = store.latest(service.key(jobId)).orElseThrow();
            JobRecord current = JobRecord.fromJson(r.value(), jobId);
            Instant now = service.clock().instant();
            if (current.step == JobRecord.Step.CREATED || current.status.isTerminal()) {
                return Optional.empty();
            }
            if (current.createClaim != null && current.createClaimUntil.isAfter(now)) {
                LOG.info("job {} is being created by another caller (claimed until {}); not sending its create",
                        jobId, current.createClaimUntil);
                return Optional.empty();
            }
            current.createClaim = token;
            current.createClaimUntil = now.plus(CREATE_CLAIM);
            current.createAttempts++;
            current.updatedAt = now;
            try {
                store.write(service.key(jobId), current.toJson(), r.number());
                return Optional.of(current);
            } catch (ConflictException e) {
                if (attempt >= JobService.MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private void releaseCreate(String jobId, String token) {
        service.update(jobId, r -> {
            if (token.equals(r.createClaim)) {
                r.createClaim = null;
                r.createClaimUntil = null;
            }
            return r;
        });
    }

    /** Records that a job found by its tag exists remotely as {@code remote}. */
    JobRecord adopt(String jobId, RemoteJob remote) {
        return created(jobId, remote, null);
    }

    /** Records that the job exists remotely as {@code remote}, releasing the create claim {@code token} (may be null). */
    private JobRecord created(String jobId, RemoteJob remote, String token) {
        return service.update(jobId, r -> {
            r.step = JobRecord.Step.CREATED;
            r.remoteId = remote.remoteId();
            if (token == null || token.equals(r.createClaim)) {
                r.createClaim = null;
                r.createClaimUntil = null;
            }
            JobService.apply(r, remote);
            return r;
        });
    }

    private static String newClaimToken() {
        return "claim-" + JobService.newJobId().substring(4);
    }
}
