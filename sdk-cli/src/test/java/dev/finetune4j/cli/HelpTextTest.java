package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written: picocli treats descriptions as format strings, so a bare
 * {@code %} (say "95 % interval") makes it print a {@code [picocli WARN]} line and show the text
 * raw.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelp_printsNoPicocliWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new FinetuneCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), Map.of())),
                commands);
        assertThat(commands).hasSizeGreaterThan(30);

        // picocli's tracer writes its warnings to System.err, not to the command line's err writer
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder usage = new StringBuilder();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine c : commands) {
                usage.append(c.getUsageMessage());
            }
        } finally {
            System.setErr(original);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        // the eval text shows its percent sign as written, not a raw "%%"
        assertThat(usage.toString().replaceAll("\\s+", " ")).contains("95 % paired-bootstrap interval")
                .doesNotContain("%%");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
