package dev.finetune4j.job;

import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentState;
import java.util.List;

/**
 * Hears what a {@link JobTracker} sees: jobs and deployments. Called on the tracker's thread; keep it quick and do not
 * throw (an exception is logged and ignored). Every method has an empty default.
 */
public interface JobListener {

    /** A job's status changed. */
    default void onStatus(FineTuneJob job, JobStatus from, JobStatus to) {}

    /** New provider events arrived, oldest first. */
    default void onEvents(FineTuneJob job, List<JobEvent> events) {}

    /** A job succeeded and its model version was registered (and activated, when the tracker auto-activates). */
    default void onModelVersion(FineTuneJob job, int modelVersion, boolean activated) {}

    /** Polling a job failed; the tracker tries again later. */
    default void onError(FineTuneJob job, RuntimeException error) {}

    /** A deployment's state changed (pending to ready, ready to scaled to zero, deleted behind our back, ...). */
    default void onDeployment(Deployment deployment, DeploymentState from, DeploymentState to) {}

    /** Polling a deployment failed; the tracker tries again later. */
    default void onDeploymentError(Deployment deployment, RuntimeException error) {}
}
