package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.tokens.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prompt set, prompt activate, prompt deactivate, prompts. */
class PromptCommandsTest {

    static final String PROMPT = "You are a voice command parser for workout logging. Reply with JSON only.";

    @TempDir
    Path dir;

    Path store;
    Path promptFile;

    @BeforeEach
    void setUp() throws Exception {
        store = dir.resolve("store");
        promptFile = dir.resolve("parser.txt");
        Files.writeString(promptFile, PROMPT + "\n\n");
        ok(cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", "gpt-4o-mini-2024-07-18"));
    }

    private Cli.Result cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void promptSet_json_createsAVersionThatIsNotActive() {
        Cli.Result r = ok(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--note", "strict JSON",
                "--json"));

        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("assistant", "created", "prompt", "few_shot_source");
        assertThat(doc.get("created").asBoolean()).isTrue();
        assertThat(doc.get("few_shot_source").isNull()).isTrue();
        JsonNode p = doc.get("prompt");
        assertThat(Cli.fieldNames(p)).containsExactly("number", "note", "created_at", "few_shot",
                "system_prompt_chars", "active");
        assertThat(p.get("number").asInt()).isEqualTo(1);
        assertThat(p.get("note").asText()).isEqualTo("strict JSON");
        assertThat(p.get("few_shot").asInt()).isZero();
        // the trailing line breaks of the file are not part of the prompt
        assertThat(p.get("system_prompt_chars").asInt()).isEqualTo(PROMPT.length());
        assertThat(p.get("active").asBoolean()).isFalse();
    }

    @Test
    void promptSet_fewShot_takesTheFirstTrainingExamplesOfTheDatasetVersion() {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(cli("dataset", "append", "voice-parser/main", sample.toString()));
        ok(cli("dataset", "append", "voice-parser/main", Cli.sample(dir, Samples.SECOND_BATCH).toString()));

        Cli.Result r = ok(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot", "3",
                "--dataset", "main@1", "--json"));
        Cli.Result again = ok(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot", "3",
                "--dataset", "voice-parser/main@1", "--json"));
        Cli.Result latest = ok(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot",
                "3", "--json"));

        assertThat(r.json().get("prompt").get("few_shot").asInt()).isEqualTo(3);
        assertThat(r.json().get("few_shot_source").asText()).isEqualTo("voice-parser/main@1");
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(again.json().get("prompt").get("number").asInt()).isEqualTo(1);
        assertThat(latest.json().get("few_shot_source").asText()).isEqualTo("voice-parser/main@2");
        try (VersionStore vs = VersionStores.file(store);
                FineTuning ft = FineTuning.builder().store(vs).build()) {
            Dataset ds = ft.dataset("voice-parser/main");
            List<String> expected;
            try (Stream<Example> train = ds.examples(ds.version("1"), Split.TRAIN)) {
                expected = train.limit(3).map(Example::id).toList();
            }
            PromptVersion p = ft.assistant("voice-parser").promptVersion(1).orElseThrow();
            assertThat(p.fewShot()).extracting(Example::id).containsExactlyElementsOf(expected);
            assertThat(p.systemPrompt()).isEqualTo(PROMPT);
        }
    }

    @Test
    void promptSet_fewShotFrom_picksTheLibrarysDiverseExamples_withinTheTokenBudget() {
        ok(cli("dataset", "append", "voice-parser/main", Cli.sample(dir, Samples.FIRST_BATCH).toString()));

        Cli.Result r = ok(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot-from",
                "main@1", "--k", "4", "--few-shot-tokens", "400", "--json"));

        assertThat(r.json().get("prompt").get("few_shot").asInt()).isEqualTo(4);
        assertThat(r.json().get("few_shot_source").asText()).isEqualTo("voice-parser/main@1");
        try (VersionStore vs = VersionStores.file(store);
                FineTuning ft = FineTuning.builder().store(vs).build()) {
            Dataset ds = ft.dataset("voice-parser/main");
            TokenCounter counter = TokenCounter.forModel("gpt-4o-mini-2024-07-18");
            List<Example> expected = ds.diverseExamples(ds.version("1"), 4, 400, counter);
            PromptVersion p = ft.assistant("voice-parser").promptVersion(1).orElseThrow();
            assertThat(p.fewShot()).extracting(Example::id)
                    .containsExactlyElementsOf(expected.stream().map(Example::id).toList());
            assertThat(p.fewShot().stream().mapToInt(counter::count).sum()).isLessThanOrEqualTo(400);
        }
        assertThat(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot-from", "main",
                "--few-shot", "2").exitCode()).isEqualTo(2);
        assertThat(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--k", "2").exitCode())
                .isEqualTo(2);
        Cli.Result tooSmall = cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot-from",
                "main", "--few-shot-tokens", "1");
        assertThat(tooSmall.exitCode()).isEqualTo(1);
        assertThat(tooSmall.stderr()).contains("fits in 1 tokens");
    }

    @Test
    void promptSet_moreFewShotExamplesThanTheTrainingSplitHas_exits1() {
        ok(cli("dataset", "append", "voice-parser/main", Cli.sample(dir, Samples.SECOND_BATCH).toString()));

        Cli.Result r = cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot", "500");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("voice-parser/main@1 has", "training examples; --few-shot asks for 500");
        assertThat(cli("prompts", "voice-parser", "--json").json().get("prompts")).isEmpty();
    }

    @Test
    void promptSet_badOptions_areUsageErrors() {
        assertThat(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--dataset", "main")
                .exitCode()).isEqualTo(2);
        assertThat(cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot", "-1")
                .exitCode()).isEqualTo(2);
        Cli.Result noDataset = cli("prompt", "set", "voice-parser", "--file", promptFile.toString(), "--few-shot", "2");
        assertThat(noDataset.exitCode()).isEqualTo(2);
        assertThat(noDataset.stderr()).contains("--few-shot needs --dataset", "has no dataset");
    }

    @Test
    void promptSet_emptyOrMissingFile_exits1() throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, " \n");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(cli("prompt", "set", "voice-parser", "--file", empty.toString()).stderr()).contains("is empty");
        assertThat(cli("prompt", "set", "voice-parser", "--file", latin1.toString()).stderr())
                .contains("is not UTF-8 text");
        assertThat(cli("prompt", "set", "voice-parser", "--file", dir.resolve("nope.txt").toString()).exitCode())
                .isEqualTo(1);
    }

    @Test
    void promptActivate_thenPrompts_marksTheActiveOne() throws Exception {
        Path friendly = dir.resolve("friendly.txt");
        Files.writeString(friendly, "You are a friendly coach.");
        cli("prompt", "set", "voice-parser", "--file", promptFile.toString());
        cli("prompt", "set", "voice-parser", "--file", friendly.toString(), "--note", "friendly");

        Cli.Result activated = ok(cli("prompt", "activate", "voice-parser", "2", "--actor", "alice", "--json"));
        Cli.Result json = ok(cli("prompts", "voice-parser", "--json"));
        Cli.Result human = ok(cli("prompts", "voice-parser"));

        assertThat(activated.json().get("selection").get("active_prompt_version").asInt()).isEqualTo(2);
        assertThat(Cli.fieldNames(json.json())).containsExactly("assistant", "prompts");
        assertThat(json.json().get("prompts")).hasSize(2);
        assertThat(json.json().get("prompts").get(0).get("active").asBoolean()).isFalse();
        assertThat(json.json().get("prompts").get(1).get("active").asBoolean()).isTrue();
        assertThat(human.stdoutLines().get(0)).isEqualTo("voice-parser: 2 prompt versions; prompt v2 is active");
        assertThat(human.stdoutLines().get(3)).startsWith("  *  2").contains("friendly", "You are a friendly coach.");
        assertThat(human.stdoutLines().get(2)).contains("parser.txt", "You are a voice command parser for workout lo...");
    }

    @Test
    void promptActivate_unknownVersion_exits1_andDeactivateRemovesThePrompt() {
        cli("prompt", "set", "voice-parser", "--file", promptFile.toString());
        cli("prompt", "activate", "voice-parser", "1");

        Cli.Result unknown = cli("prompt", "activate", "voice-parser", "7");
        Cli.Result off = ok(cli("prompt", "deactivate", "voice-parser", "--json"));

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("has no prompt version 7");
        assertThat(off.json().get("selection").get("active_prompt_version").isNull()).isTrue();
        JsonNode entries = cli("timeline", "voice-parser", "--json").json().get("entries");
        assertThat(entries).extracting(e -> e.get("action").asText())
                .containsExactly("configure", "activate_prompt", "deactivate_prompt");
    }
}
