package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j candidate ASSISTANT VERSION --share PCT}, {@code --clear}, {@code --promote}:
 * the version that receives a share of traffic next to the active one.
 */
@Command(name = "candidate", mixinStandardHelpOptions = true,
        description = {
            "Set, clear or promote the candidate, a version on a share of traffic.",
            "The candidate receives a share of traffic (sticky per subject) next to the active version. Prints the "
                + "selection after the change.",
            "  VERSION --share PCT  send PCT %% (1-100) of traffic to VERSION",
            "  --clear              remove the candidate",
            "  --promote            make the candidate the active version"
        })
final class CandidateCommand extends SelectionChangeCommand {

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version for --share: 2 or v2.")
    Integer version;

    @Option(names = "--share", paramLabel = "PCT", description = "The candidate's share of traffic, 1 to 100 (%%).")
    Integer share;

    @Option(names = "--clear", description = "Remove the candidate.")
    boolean clear;

    @Option(names = "--promote", description = "Make the candidate the active version and clear the candidate.")
    boolean promote;

    @Override
    void checkUsage() {
        int modes = (share != null ? 1 : 0) + (clear ? 1 : 0) + (promote ? 1 : 0);
        if (modes != 1) {
            throw usage("give exactly one of VERSION --share PCT, --clear or --promote");
        }
        if (share != null && version == null) {
            throw usage("--share needs the VERSION to send traffic to, e.g. `candidate " + assistant + " 2 --share 10`");
        }
        if (share == null && version != null) {
            throw usage("VERSION goes with --share; --clear and --promote act on the current candidate");
        }
        if (share != null && (share < 1 || share > 100)) {
            throw usage("--share must be 1 to 100 (percent of traffic), was " + share);
        }
    }

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        if (clear) {
            return a.clearCandidate(change);
        }
        if (promote) {
            return a.promoteCandidate(change);
        }
        return a.setCandidate(version, share, change);
    }

    @Override
    String done(Selection before, Selection after) {
        if (clear) {
            return "cleared candidate v" + before.candidateModelVersion().getAsInt() + " of " + assistant;
        }
        if (promote) {
            return "promoted candidate v" + after.activeModelVersion().getAsInt() + " of " + assistant
                    + " to the active version";
        }
        return "model v" + version + " of " + assistant + " is the candidate for " + share + " % of traffic";
    }

    @Override
    String unchanged(Selection after) {
        if (clear) {
            return assistant + " has no candidate; nothing changed";
        }
        return "model v" + version + " is already the candidate of " + assistant + " at " + share
                + " %; nothing changed";
    }
}
