package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.JobsEndedException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.eval.NonInferiorityRule;
import dev.finetune4j.eval.Scorer;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.spi.ProviderDescriptor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The quickstart's migration step: the live version moves, in one {@code migrations().run} call, to
 * the provider {@code doctor} would name (one that trains and has no known end of life), on its
 * emulator when the quickstart trains on one. A second run finds the finished migration and submits
 * nothing. Also decides whether the quickstart's provider still takes jobs at all.
 */
final class QuickstartMigration {

    private QuickstartMigration() {}

    /** The refusal a job to {@code provider} for {@code baseModel} would meet today, if any. */
    static Optional<JobsEndedException> jobsEnded(FinetuneCli.Session s, String provider, String baseModel) {
        try {
            s.ft().lifecycle().requireJobsOpen(provider, baseModel, baseModel);
            return Optional.empty();
        } catch (JobsEndedException e) {
            return Optional.of(e);
        }
    }

    /** {@code {"provider", "model", "date", "source", "message"}}. */
    static ObjectNode json(JobsEndedException e) {
        ObjectNode o = JsonDocs.object();
        o.put("provider", e.provider());
        o.put("model", e.model());
        o.put("date", e.date().toString());
        o.put("source", e.source());
        o.put("message", e.getMessage());
        return o;
    }

    /**
     * Whether the live version is what a finished migration promoted: an earlier run walked the
     * selection and migrated it already.
     */
    static Optional<Migration> promotedEarlier(FinetuneCli.Session s, Assistant a) {
        OptionalInt active = a.selection().activeModelVersion();
        return s.ft().migrations().list(a.name()).stream()
                .filter(m -> m.stage() == MigrationStage.DONE)
                .filter(m -> active.isPresent() && m.newVersion().equals(active))
                .reduce((x, y) -> y);
    }

    /**
     * Starts the emulator of the provider the walk migrates to, when the walk trains on an emulator
     * and its provider still takes jobs; null otherwise. Started before the walk, so that the router
     * can reach a version an earlier run migrated there.
     */
    static QuickstartBackend target(FinetuneCli.Session s, QuickstartBackend backend, String provider,
            boolean jobsOpen) {
        if (!backend.emulated() || !jobsOpen) {
            return null;
        }
        return QuickstartBackend.firstEmulated(LifecycleDocs.migrationTargets(provider, s.ft().lifecycle()))
                .flatMap(id -> QuickstartBackend.emulate(s, id)).orElse(null);
    }

    /**
     * Migrates the live version of {@code a} and prints each stage and the verdict.
     *
     * @param number the step's number in the walk
     * @return the migration as {@code migrate --json} shows it, or null when there was nothing to run
     * @throws CommandFailure with the provider exit code when the target's training fails
     */
    static ObjectNode run(FinetuneCli.Session s, Assistant a, String from, QuickstartBackend backend,
            QuickstartBackend there, Duration timeout, int number, PrintWriter out) {
        Optional<String> target = there != null ? Optional.of(there.provider())
                : LifecycleDocs.migrationTargets(from, s.ft().lifecycle()).stream().findFirst()
                        .map(ProviderDescriptor::id);
        String vn = "the live version";
        if (target.isEmpty()) {
            out.println(number + ". Migrate " + vn + " away from " + from + ": no other provider in this build trains "
                    + "without a known end of life; nothing to migrate to");
            return null;
        }
        String to = target.get();
        String toName = ProviderRegistry.displayName(to);
        if (!backend.emulated()) {
            out.println(number + ". Migrate " + vn + " to " + toName + ": not run, since it trains real models there "
                    + "and costs money; `" + LifecycleDocs.migrateCommand(a.name(), from, s.ft().lifecycle())
                    + " --estimate` says how much");
            return null;
        }
        if (there == null) {
            out.println(number + ". Migrate " + vn + " to " + toName + ": the testkit has no " + toName
                    + " emulator to run it on; `" + LifecycleDocs.migrateCommand(a.name(), from, s.ft().lifecycle())
                    + "` migrates for real");
            return null;
        }
        String model = there.baseModel().orElseThrow();
 out.println(number + ". Migrate " + vn + " from " + ProviderRegistry.displayName(from) + " to "
                + toName + " " + model + " in one call (an emulator at " + there.baseUrl() + "): record its "
                + "answers as the baseline, train the same data there, evaluate against the baseline, promote if "
                + "not worse by more than 2 points");
        List<String> finished = s.ft().migrations().list(a.name()).stream()
                .filter(m -> m.stage().finished()).map(Migration::id).toList();
        Scorer scorer = Scorers.jsonFields(0.01);
        int[] shown = {0};
        MigrationSpec spec = MigrationSpec.builder(a.name(), to, model).scorer(scorer)
                .rule(NonInferiorityRule.of(scorer.name())).await(timeout)
                .listener(m -> MigrateCommand.printSteps(out, m, shown)).build();
        Migration m = Assistants.attempt(() -> s.ft().migrations().run(spec));
        if (finished.contains(m.id())) {
            out.println("   an earlier run did this migration, " + m.id() + " (" + JsonDocs.lower(m.stage())
                    + "); nothing submitted:");
        }
        MigrateCommand.printSteps(out, m, shown);
        switch (m.stage()) {
            case DONE -> out.println("   live: " + a.selection().describe() + "; v" + m.sourceVersion()
                    + " stays the first fallback, then the base model");
            case REFUSED -> out.println("   not promoted: " + a.name() + " stays on v" + m.sourceVersion()
                    + "; v" + m.targetVersion() + " is kept for inspection");
            default -> throw new CommandFailure(ExitCodes.PROVIDER, "migration", "the migration " + m.id()
                    + " stopped at " + JsonDocs.lower(m.stage()) + ": run `finetune4j migrations " + a.name()
                    + "` to see why");
        }
        return MigrateCommand.json(m);
    }
}
