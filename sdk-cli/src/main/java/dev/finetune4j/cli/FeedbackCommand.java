package dev.finetune4j.cli;

import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.Feedback;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j feedback CALL_ID --up|--down|--score N [--correction TEXT] [--note TEXT]}:
 * attaches feedback to a captured call. With {@code --json}, the capture document of
 * {@code captures show}.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {
            "Rate a captured chat call, optionally with the answer it should have given.",
            "The call id is what chat printed (call_id); the call must have been captured (chat --capture, or "
                + "Captures.enable in the application). Later feedback on the same call replaces earlier feedback; "
                + "the store keeps every revision."
        })
final class FeedbackCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "CALL_ID", description = "The call id, e.g. c0193a1b2c3d4....")
    String callId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Verdict verdict;

    /** Exactly one of thumbs up, thumbs down or a score. */
    static final class Verdict {
        @Option(names = "--up", description = "A thumbs up: curation may train on the answer.")
        boolean up;

        @Option(names = "--down", description = "A thumbs down: curation trains on it only through --correction.")
        boolean down;

        @Option(names = "--score", paramLabel = "0..1", description = "A score from 0 (worst) to 1 (best).")
        Double score;
    }

    @Option(names = "--correction", paramLabel = "TEXT",
            description = "The answer the assistant should have given; curation trains on it instead.")
    String correction;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note for reviewers (not trained on).")
    String note;

    @Option(names = "--tag", paramLabel = "NAME=VALUE",
            description = "A tag to select and label the call by, e.g. --tag topic=billing (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Feedback f;
        try {
            f = verdict.up ? Feedback.up() : verdict.down ? Feedback.down() : Feedback.score(verdict.score);
            if (correction != null) {
                f = f.withCorrection(correction);
            }
            if (note != null) {
                f = f.withNote(note);
            }
            for (Map.Entry<String, String> t : tags.entrySet()) {
                f = f.withTag(t.getKey(), t.getValue());
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Capture c;
            try {
                c = s.ft().captures().feedback(callId, f);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            if (cli.json()) {
                cli.printJson(CaptureDocs.capture(c));
            } else {
                cli.out().println("feedback stored on " + c.callId() + " (" + c.assistant() + "): "
                        + CaptureDocs.verdict(c.feedback().orElseThrow()));
            }
            return ExitCodes.OK;
        }
    }
}
