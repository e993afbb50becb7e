package dev.finetune4j.lifecycle;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lifecycle events that apply to one model on one day, soonest first: the {@link LifecycleTable}'s
 * and those the provider reported at run time for a model version. Answered by {@link Lifecycle}.
 *
 * @param provider the provider id
 * @param modelId the provider's model id (fine-tuned or base)
 * @param baseModel the base model it was trained from (the id itself for a base model)
 * @param today the day the answer was computed for (from the injected clock, UTC)
 * @param events the events that apply; kept sorted {@link LifecycleEvent#SOONEST_FIRST}
 */
public record ModelLifecycle(String provider, String modelId, String baseModel, LocalDate today,
        List<LifecycleEvent> events) {

    /** Checks and copies. */
    public ModelLifecycle {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(today, "today");
        List<LifecycleEvent> sorted = new java.util.ArrayList<>(events);
        sorted.sort(LifecycleEvent.SOONEST_FIRST);
        events = List.copyOf(sorted);
    }

    /** Whether any event applies (a dated one or "deprecated, no date"). */
    public boolean affected() {
        return !events.isEmpty();
    }

    /** The earliest dated event after which the model stops answering (shutdown or deployment retirement). */
    public Optional<LifecycleEvent> shutdown() {
        return events.stream().filter(e -> e.kind().stopsServing() && e.date().isPresent()).findFirst();
    }

    /** Days from {@link #today()} to the {@link #shutdown()} (0 on the day, negative once passed). */
    public Optional<Long> daysLeft() {
        return shutdown().flatMap(e -> e.daysLeft(today));
    }

    /** The earliest dated event after which the provider takes no new jobs for the model. */
    public Optional<LifecycleEvent> jobsEnd() {
        return events.stream().filter(e -> e.kind() == LifecycleKind.JOBS_END && e.date().isPresent()).findFirst();
    }

    /**
     * The event that closes new jobs on {@link #today()}: a job cutoff, or a shutdown of the fine-tunes
     * (scope {@link ModelScope#ALL} or {@link ModelScope#FINE_TUNED}), whose date is reached — a
     * fine-tune that would be gone trains nothing. A shutdown of the base model alone does not close
     * jobs (Azure retires base models for chat while it still trains on them), and a date said "no
     * earlier than" closes nothing: the end may come later, so the provider decides.
     */
    public Optional<LifecycleEvent> jobsClosedBy() {
        return events.stream()
                .filter(e -> (e.kind() == LifecycleKind.JOBS_END
                        || e.kind() == LifecycleKind.MODEL_SHUTDOWN && e.scope() != ModelScope.BASE)
                        && e.reached(today) && !e.noEarlierThan())
                .findFirst();
    }

    /**
     * The most pressing fact in a few words, e.g. {@code shuts down 2027-01-14 (in 41 days)}, {@code
     * shut down 2027-01-14 (3 days ago)}, {@code no new jobs from 2027-01-06 (in 33 days)}, {@code
     * deprecated, no date}; empty when no event applies. Secondary sources end in {@code ,
     * secondary source}.
     */
    public String summary() {
        Optional<LifecycleEvent> pick = shutdown().or(this::jobsEnd).or(() -> events.stream().findFirst());
        if (pick.isEmpty()) {
            return "";
        }
        LifecycleEvent e = pick.get();
        String quality = e.sourceQuality() == SourceQuality.SECONDARY ? ", secondary source" : "";
        if (e.date().isEmpty()) {
            return words(e.kind(), false) + ", no date" + quality;
        }
        long days = e.daysLeft(today).orElseThrow();
        boolean past = days < 0 || days == 0 && e.kind() != LifecycleKind.DEPRECATED;
        String when = days == 0 ? "today" : days > 0 ? "in " + days + (days == 1 ? " day" : " days")
                : -days + (days == -1 ? " day ago" : " days ago");
        return words(e.kind(), past) + (e.noEarlierThan() ? " no earlier than " : " ") + e.date().get()
                + " (" + when + quality + ")";
    }

    private static String words(LifecycleKind kind, boolean past) {
        return switch (kind) {
            case JOBS_END -> past ? "no new jobs since" : "no new jobs from";
            case MODEL_SHUTDOWN -> past ? "shut down" : "shuts down";
            case DEPLOYMENTS_RETIRE -> past ? "deployments retired" : "deployments retire";
            case DEPRECATED -> "deprecated";
        };
    }
}
