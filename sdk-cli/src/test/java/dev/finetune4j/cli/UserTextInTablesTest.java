package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text users typed (notes, reasons, actors) is shown in tables, never obeyed by the terminal. */
class UserTextInTablesTest {

    /** A newline that forges a second row, then an ANSI colour, a bidi override and a C1 control. */
    static final String HOSTILE = "ok\n  9  dv-forged000000000000  2026-01-01 00:00:00Z  999  +999  -0  forged"
            + "\u001b[31mred\u001b[0m \u202eevil\u202c \u009b";

    @TempDir
    Path dir;

    private Cli.Result cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = dir.resolve("store").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        Cli.Result r = Cli.run(all);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static void assertNoControlCharacters(String text) {
        assertThat(text.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e)))).as(text).isEmpty();
    }

    @Test
    void datasetLog_noteWithNewlineAndEscapes_staysOneRowShownEscaped() {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        cli("dataset", "append", "voice-parser/main", sample.toString(), "--note", HOSTILE);

        Cli.Result r = cli("dataset", "log", "voice-parser/main");

        assertThat(r.stdoutLines()).hasSize(3);
        assertThat(r.stdoutLines().get(2)).contains("+57", "ok\\n  9  dv-forged", "forged\\u001b[31mred\\u001b[0m",
                "\\u202eevil\\u202c \\u009b");
        assertNoControlCharacters(r.stdout());
        // the JSON document keeps the note as it was given
        assertThat(cli("dataset", "log", "voice-parser/main", "--json").json().get("versions").get(0)
                .get("note").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void timeline_reasonAndActorWithNewlineAndEscapes_stayInTheirRow() {
        cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", AssistantCommandsTest.BASE);
        cli("models", "import", "voice-parser", "--provider", "openai", "--model-id", AssistantCommandsTest.ID1,
                "--base", AssistantCommandsTest.BASE, "--note", HOSTILE);
        Cli.Result activated = cli("activate", "voice-parser", "1", "--actor", "mallory\u001b[2J",
                "--reason", HOSTILE);

        Cli.Result timeline = cli("timeline", "voice-parser");
        Cli.Result versions = cli("versions", "voice-parser");

        assertThat(timeline.stdoutLines()).hasSize(4);
        assertThat(timeline.stdoutLines().get(3)).contains("mallory\\u001b[2J", "activate", "ok\\n  9  dv-forged");
        assertNoControlCharacters(timeline.stdout());
        assertThat(versions.stdout()).contains("ok\\n  9  dv-forged");
        assertNoControlCharacters(versions.stdout());
        assertNoControlCharacters(activated.stdout());
    }
}
