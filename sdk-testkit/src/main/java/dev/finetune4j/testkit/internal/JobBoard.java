package dev.finetune4j.testkit.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * An emulation's jobs and the state machine they share: each moves created → accepted → started
 * → finished ({@link JobRun}) one status per poll, per step of the emulator's clock, or when a test
 * says so ({@link Progression}); a provider says what each transition means (validation, start,
 * the steps reported, success, failure) in the hooks. Scripted failures wait here for the next
 * job. Guarded by the emulation's lock.
 *
 * @param <J> the provider's job
 * @param <A> the provider's emulation
 */
public abstract class JobBoard<J extends JobRun, A extends Emulation<J, ?>> {

    private final Map<String, J> jobs = new LinkedHashMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    protected final A api;
    protected final Settings settings;

    protected JobBoard(A api) {
        this.api = api;
        this.settings = api.settings();
    }

    /** The job was accepted: validates it; false when it failed instead (it is terminal then). */
    protected abstract boolean accept(J job);

    /** The job started (again, after a pause). */
    protected abstract void start(J job);

    /** Steps {@code job.stepsReported + 1 .. upTo} of the running stretch happened. */
    protected void report(J job, int upTo) {}

    protected abstract void succeed(J job);

    /** The running stretch ended with the scripted failure. */
    protected abstract void fail(J job, Failure failure);

    /** Whether a change the client asked for (a cancellation) completes on the next poll instead of a move. */
    protected boolean pending(J job) {
        return false;
    }

    /** Completes the pending change. */
    protected void settle(J job) {}

    public final void add(J job) {
        jobs.put(job.id, job);
    }

    /** Forgets a job (a provider whose API deletes jobs). */
    protected final void remove(String id) {
        jobs.remove(id);
    }

    /** The jobs, oldest first. */
    public final Collection<J> all() {
        return Collections.unmodifiableCollection(jobs.values());
    }

    /** The provider's error for an unknown job id. */
    protected abstract ApiError unknownJob(String id);

    /** The job the call's {@code {id}} names, else the provider's not-found error. */
    protected J job(HttpCall call) {
        J job = jobs.get(call.param("id"));
        if (job == null) {
            throw unknownJob(call.param("id"));
        }
        return job;
    }

    /**
     * Adds {@code POST} and {@code GET} of {@code path} (create, list) and {@code GET path/{id}}: the
     * job, after the read moved it ({@link #read}), as {@code json} writes it.
     */
    protected final void collection(Routes routes, String path, Routes.Handler create, Routes.Handler list,
                                    Function<J, Reply> json) {
        routes.post(path, create).get(path, list).get(path + "/{id}", call -> {
            J job = job(call);
            read(job);
            return json.apply(job);
        });
    }

    public final void scriptFailure(Failure failure) {
        failures.add(failure);
    }

    /** The failure scripted for the job being created, or null. */
    protected final Failure nextFailure() {
        return failures.poll();
    }

    public final void clear() {
        jobs.clear();
        failures.clear();
    }

    /** A client read the job: under {@link Progression.Mode#ON_POLL} it moves one status. */
    public final void read(J job) {
        if (settings.progression().mode() == Progression.Mode.ON_POLL) {
            poll(job);
        }
    }

    /**
     * Moves one job one status on, as one poll would.
     *
     * @throws IllegalArgumentException when there is no such job
     */
    public final void advance(String id) {
        J job = jobs.get(id);
        if (job == null) {
            throw new IllegalArgumentException("no job '" + id + "' in the emulator; known: " + jobs.keySet());
        }
        poll(job);
    }

    private void poll(J job) {
        if (pending(job)) {
            settle(job);
        } else {
            moveTo(job, Progression.nextPollPosition(job.position));
        }
    }

    /** Runs every job that needs nothing more from the client to its end. */
    public final void finishAll() {
        jobs.values().forEach(job -> {
            if (pending(job)) {
                settle(job);
            } else {
                moveTo(job, 3);
            }
        });
    }

    /** Moves time-driven jobs to where the clock says they are; a pending change completes after one step. */
    public final void syncTimed() {
        if (settings.progression().mode() != Progression.Mode.TIMED) {
            return;
        }
        for (J job : jobs.values()) {
            double steps = (double) Duration.between(job.timedSince, settings.clock().now()).toMillis()
                    / settings.progression().step().toMillis();
            if (!pending(job)) {
                moveTo(job, Math.min(3, job.timedBase + steps));
            } else if (steps >= 1) {
                settle(job);
            }
        }
    }

    /** When a time-driven job that nothing holds will finish, in Unix seconds; empty otherwise. */
    public final OptionalLong expectedEnd(J job) {
        if (settings.progression().mode() != Progression.Mode.TIMED || job.terminal() || job.held() || job.position < 1) {
            return OptionalLong.empty();
        }
        long stepSeconds = Math.max(1, settings.progression().step().toSeconds());
        return OptionalLong.of(job.timedSince.getEpochSecond() + (long) Math.ceil((3 - job.timedBase) * stepSeconds));
    }

    /** Timed progress counts from now and where the job is (after a start, a resume, a cancellation). */
    protected final void restartClock(J job) {
        job.timedBase = job.position;
        job.timedSince = settings.clock().now();
    }

    /** Puts a resumed job back at "accepted"; it starts again on its next move. */
    protected final void requeue(J job) {
        job.position = 1;
        restartClock(job);
    }

    /** Applies every transition between the job's position and {@code target} (0..3). */
    private void moveTo(J job, double target) {
        if (job.terminal() || job.held()) {
            return;
        }
        if (job.position < 1 && target >= 1) {
            job.position = 1;
            if (!accept(job) || job.held()) {
                restartClock(job);
                return;
            }
        }
        if (job.position < 2 && target >= 2) {
            job.position = 2;
            start(job);
        }
        if (job.position < 2 || job.terminal()) {
            return;
        }
        job.position = Math.max(job.position, Math.min(3, target));
        int upTo = (int) Math.floor(Math.min(1, Math.max(0, target - 2)) * job.totalSteps);
        // a job that will fail gets half way
        upTo = job.scripted != null ? Math.min(upTo, job.totalSteps / 2) : upTo;
        report(job, upTo);
        job.stepsReported = Math.max(job.stepsReported, upTo);
        if (target >= 3) {
            job.position = 3;
            if (job.scripted != null) {
                fail(job, job.scripted);
            } else {
                succeed(job);
            }
        }
    }
}
