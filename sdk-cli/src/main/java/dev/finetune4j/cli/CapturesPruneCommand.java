package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.capture.PruneResult;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code captures prune ASSISTANT --older-than 90d}: deletes old captures with their feedback. With
 * {@code --json}: {@code {"assistant","before","segments","captures","feedback","bytes"}}.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {
            "Delete an assistant's captured calls older than a period, with the feedback on them.",
            "Whole segments go (a segment once its newest call is older than the period); an interrupted prune "
                + "is finished by the next one. Dataset versions already curated are not touched."
        })
final class CapturesPruneCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--older-than", paramLabel = "DURATION", required = true,
            converter = Converters.DurationConverter.class,
            description = "How old a captured call must be to go: 90d, 12h, P90D.")
    Duration olderThan;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            String name = Assistants.open(s, assistant, spec).name();
            Instant before = cli.clock().instant().minus(olderThan);
            PruneResult r = s.ft().captures().prune(name, olderThan);
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", name);
                doc.put("before", before.toString());
                doc.put("segments", r.segments());
                doc.put("captures", r.captures());
                doc.put("feedback", r.feedback());
                doc.put("bytes", r.bytes());
                cli.printJson(doc);
            } else {
                cli.out().println(name + ": " + Reports.count(r.captures(), "captured call") + " before "
                        + Assistants.time(before) + " deleted (" + Reports.count(r.segments(), "segment") + ", "
                        + Reports.count(r.feedback(), "feedback record") + ", " + r.bytes() + " bytes)");
            }
            return ExitCodes.OK;
        }
    }
}
