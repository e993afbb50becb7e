package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import java.util.List;

/** What every provider emulation offers its public facade besides serving HTTP. Thread-safe. */
public interface EmulatedApi extends EmulatorServer.Handler {

    FaultPlan faults();

    /** The next job created fails after it started running, with this code and message. */
    void failNextJob(String code, String message);

    /** The next upload is refused with a 400 and this message. */
    void rejectNextUpload(String message);

    /**
     * Deletes a fine-tuned model as its owner would.
     *
     * @throws IllegalArgumentException when no such fine-tuned model exists
     */
    void deleteModel(String id);

    /**
     * Moves one job one status on, as one poll would.
     *
     * @throws IllegalArgumentException when there is no such job
     */
    void advance(String jobId);

    /** Runs every job that can move without the client's help to its end. */
    void finishAll();

    List<EmulatedJob> jobSnapshots();

    List<EmulatedFile> fileSnapshots();

    /** The ids of the models chat accepts now. */
    List<String> modelIds();

    /** Forgets all state and scripted faults. */
    void reset();
}
