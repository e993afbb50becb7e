package dev.finetune4j.assistant;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an assistant's timeline: a change of its selection, or the deployment of one of its
 * model versions; when, by whom, why, what, and the selection before and after (the same for a
 * deployment). The timeline replays to the current selection.
 *
 * @param at when the change was stored
 * @param actor who made it
 * @param reason why (may be empty)
 * @param action what kind of change
 * @param version the model or prompt version the action names, 0 when none
 * @param before the selection before
 * @param after the selection after
 */
public record TimelineEntry(Instant at, String actor, String reason, Action action, int version, Selection before,
        Selection after) {

    /**
     * The kinds of entry: selection changes, and the deployments of model versions (which change
     * nothing in the selection). An open set: code that switches over it needs a {@code default}
     * branch.
     */
    public enum Action {
        /** The assistant was created (or its base model changed). */
        CONFIGURE,
        /** A model version became active. */
        ACTIVATE,
        /** Back to the base model. */
        DEACTIVATE,
        /** Undo of the previous change. */
        ROLLBACK,
        /** A prompt version became active. */
        ACTIVATE_PROMPT,
        /** The prompt was removed. */
        DEACTIVATE_PROMPT,
        /** A candidate was set or its share changed. */
        SET_CANDIDATE,
        /** The candidate was removed. */
        CLEAR_CANDIDATE,
        /** The candidate became the active version. */
        PROMOTE_CANDIDATE,
        /** A model version was retired (and taken out of the selection). */
        RETIRE,
        /** A retired model version was made usable again. */
        UNRETIRE,
        /** A model version was deleted (and taken out of the selection). */
        DELETE,
        /** The fallback chain was set. */
        SET_FALLBACKS,
        /** A step of a migration (the selection is unchanged unless the step says so). */
        MIGRATE,
        /** A model version was deployed (the reason names the deployment); the selection is unchanged. */
        DEPLOY,
        /** A deployment of a model version was deleted (the reason names it); the selection is unchanged. */
        UNDEPLOY
    }

    /** Checks the parts. */
    public TimelineEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }
}
