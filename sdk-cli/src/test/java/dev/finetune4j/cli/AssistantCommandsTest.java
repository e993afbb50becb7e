package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelMetrics;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.cost.Money;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** assistant create, assistants, models import, versions, activate ... delete, timeline. */
class AssistantCommandsTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String ID1 = "ft:gpt-4o-mini-2024-07-18:acme:vp:7p4lURel";
    static final String ID2 = "ft:gpt-4o-mini-2024-07-18:acme:vp:96olL566";
    static final String[] SELECTION_FIELDS = {"active_model_version", "active_prompt_version",
        "candidate_model_version", "candidate_share", "base_model", "provider", "revision", "fallbacks"};

    @TempDir
    Path dir;

    Path store;

    @BeforeEach
    void setUp() {
        store = dir.resolve("store");
    }

    private Cli.Result cli(String... args) {
        return cliWithEnv(Map.of(), args);
    }

    private Cli.Result cliWithEnv(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.runWithEnv(env, all);
    }

    /** voice-parser with v1 and v2 imported, nothing active. */
    private void twoVersions() {
        ok(cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE));
        ok(cli("models", "import", "voice-parser", "--provider", "openai", "--model-id", ID1, "--base", BASE,
                "--note", "57 English examples"));
        ok(cli("models", "import", "voice-parser", "--provider", "openai", "--model-id", ID2, "--base", BASE));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    // ---- assistant create, assistants, models import ----

    @Test
    void assistantCreate_twice_createsOnceAndSaysSo() {
        Cli.Result first = cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE, "--json");
        Cli.Result again = cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);

        ok(first);
        assertThat(Cli.fieldNames(first.json())).containsExactly("assistant", "selection", "created");
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(first.json().get("selection").get("revision").asLong()).isEqualTo(1);
        ok(again);
        assertThat(again.stdoutLines().get(0)).isEqualTo("assistant voice-parser already exists with openai and "
                + BASE + "; nothing changed");
    }

    @Test
    void assistantCreate_withAnotherBaseModel_exits1AndNamesTheExistingOne() {
        cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);

        Cli.Result r = cli("assistant", "create", "voice-parser", "--provider", "mistral", "--model", "open-mistral-7b");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("finetune4j: assistant 'voice-parser' exists with provider openai");
    }

    @Test
    void assistantCreate_malformedNameOrProvider_exits2() {
        assertThat(cli("assistant", "create", "a/b", "--provider", "openai", "--model", BASE).exitCode()).isEqualTo(2);
        assertThat(cli("assistant", "create", "ab", "--provider", "nosuch", "--model", BASE).exitCode()).isEqualTo(2);
        assertThat(cli("assistant", "create", "ab", "--provider", "openai").exitCode()).isEqualTo(2);
    }

    @Test
    void assistants_json_listsEveryAssistantWithItsSelection() {
        cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);
        cli("assistant", "create", "avatar-42", "--provider", "mistral", "--model", "open-mistral-7b");

        Cli.Result r = ok(cli("assistants", "--json"));

        JsonNode list = r.json().get("assistants");
        assertThat(list).hasSize(2);
        assertThat(Cli.fieldNames(list.get(0))).containsExactly("name", "selection", "lifecycle");
        assertThat(list.get(0).get("name").asText()).isEqualTo("avatar-42");
        assertThat(list.get(0).get("selection").get("provider").asText()).isEqualTo("mistral");
        assertThat(ok(cli("assistants")).stdout()).contains("2 assistants", "voice-parser", "avatar-42");
    }

    @Test
    void modelsImport_json_isTheNewVersionAndImportingAgainCreatesNothing() {
        cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);

        Cli.Result first = ok(cli("models", "import", "voice-parser", "--provider", "openai", "--model-id", ID1,
                "--base", BASE, "--json"));
        Cli.Result again = ok(cli("models", "import", "voice-parser", "--provider", "openai", "--model-id", ID1,
                "--base", BASE, "--json"));

        assertThat(Cli.fieldNames(first.json())).containsExactly("assistant", "created", "version");
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(first.json().get("version").get("number").asInt()).isEqualTo(1);
        assertThat(first.json().get("version").get("state").asText()).isEqualTo("ready");
        assertThat(first.json().get("version").get("active").asBoolean()).isFalse();
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(again.json().get("version").get("number").asInt()).isEqualTo(1);
    }

    @Test
    void unknownAssistant_exits1WithTheCommandThatCreatesIt() {
        Cli.Result r = cli("versions", "nobody", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("not_found");
        assertThat(r.stderr()).contains("assistant 'nobody' does not exist", "finetune4j assistant create nobody");
    }

    // ---- versions ----

    @Test
    void versions_json_hasStableFieldsWithLineageMetricsAndCost() {
        twoVersions();
        try (VersionStore vs = VersionStores.file(store);
                FineTuning ft = FineTuning.builder().store(vs).build()) {
            Assistant a = ft.assistant("voice-parser");
            a.register(ModelVersionSpec.builder("openai", "ft:gpt-4o-mini-2024-07-18:acme:vp:trained", BASE)
                    .trainedOn(new TrainedOn("voice-parser/main", "dv-4f6b81960e1ee5f7fed6", 2, 62, 0.1))
                    .jobId("ftjob-abc123")
                    .metrics(new ModelMetrics(Map.of(ModelMetrics.TRAIN_LOSS, 0.41, ModelMetrics.VALIDATION_LOSS, 0.52)))
                    .cost(Money.usd("0.90"))
                    .note("trained on v2")
                    .build());
        }
        cli("activate", "voice-parser", "1");
        cli("candidate", "voice-parser", "3", "--share", "10");

        Cli.Result r = ok(cli("versions", "voice-parser", "--json"));

        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("assistant", "versions");
        JsonNode versions = doc.get("versions");
        assertThat(versions).hasSize(3);
        assertThat(Cli.fieldNames(versions.get(0))).containsExactly("number", "provider", "provider_model_id",
                "base_model", "state", "active", "candidate", "dataset_version", "job_id", "created_at", "metrics",
                "cost", "note", "migrated_from", "lifecycle");
        JsonNode v1 = versions.get(0);
        assertThat(v1.get("active").asBoolean()).isTrue();
        assertThat(v1.get("candidate").asBoolean()).isFalse();
        assertThat(v1.get("provider_model_id").asText()).isEqualTo(ID1);
        assertThat(v1.get("dataset_version").isNull()).isTrue();
        assertThat(v1.get("job_id").isNull()).isTrue();
        assertThat(v1.get("metrics").size()).isZero();
        assertThat(v1.get("cost").isNull()).isTrue();
        assertThat(v1.get("note").asText()).isEqualTo("57 English examples");
        assertThat(v1.get("migrated_from").isNull()).isTrue();
        assertThat(versions.get(1).get("active").asBoolean()).isFalse();
        JsonNode v3 = versions.get(2);
        assertThat(v3.get("candidate").asBoolean()).isTrue();
        assertThat(v3.get("dataset_version").asText()).isEqualTo("voice-parser/main@2");
        assertThat(v3.get("job_id").asText()).isEqualTo("ftjob-abc123");
        assertThat(v3.get("metrics").get("train_loss").isNumber()).isTrue();
        assertThat(v3.get("metrics").get("train_loss").asDouble()).isEqualTo(0.41);
        assertThat(Cli.fieldNames(v3.get("cost"))).containsExactly("amount", "currency");
        assertThat(v3.get("cost").get("amount").decimalValue()).isEqualByComparingTo("0.90");
        assertThat(v3.get("cost").get("currency").asText()).isEqualTo("USD");
        assertThat(v3.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void versions_human_isATableWithTheActiveOneMarked() {
        twoVersions();
        cli("activate", "voice-parser", "2");

        Cli.Result r = ok(cli("versions", "voice-parser"));

        assertThat(r.stdoutLines().get(0)).isEqualTo("voice-parser: 2 model versions; live: model v2, no prompt "
                + "(revision 2)");
        assertThat(r.stdoutLines().get(1)).contains("v", "state", "provider model id", "base model", "trained on");
        assertThat(r.stdoutLines().get(2)).startsWith("     1  ready").contains(ID1, "57 English examples");
        assertThat(r.stdoutLines().get(3)).startsWith("  *  2  ready").contains(ID2);
        assertThat(r.stdoutLines()).last().isEqualTo("  (* active)");
    }

    @Test
    void versions_ofAnAssistantWithoutVersions_saysHowToImportOne() {
        cli("assistant", "create", "voice-parser", "--provider", "openai", "--model", BASE);

        assertThat(ok(cli("versions", "voice-parser")).stdout()).contains("0 model versions", "models import");
        assertThat(ok(cli("versions", "voice-parser", "--json")).json().get("versions")).isEmpty();
    }

    // ---- selection changes ----

    @Test
    void activate_json_printsTheSelectionAndActivatingAgainChangesNothing() {
        twoVersions();

        Cli.Result r = ok(cli("activate", "voice-parser", "v1", "--json"));
        Cli.Result again = ok(cli("activate", "voice-parser", "1", "--json"));

        assertThat(Cli.fieldNames(r.json())).containsExactly("assistant", "selection", "changed");
        JsonNode sel = r.json().get("selection");
        assertThat(Cli.fieldNames(sel)).containsExactly(SELECTION_FIELDS);
        assertThat(sel.get("active_model_version").asInt()).isEqualTo(1);
        assertThat(sel.get("fallbacks")).as("the default chain: the base model alone").isEmpty();
        assertThat(sel.get("active_prompt_version").isNull()).isTrue();
        assertThat(sel.get("candidate_model_version").isNull()).isTrue();
        assertThat(sel.get("candidate_share").asInt()).isZero();
        assertThat(sel.get("base_model").asText()).isEqualTo(BASE);
        assertThat(sel.get("provider").asText()).isEqualTo("openai");
        assertThat(sel.get("revision").asLong()).isEqualTo(2);
        assertThat(r.json().get("changed").asBoolean()).isTrue();
        assertThat(again.json().get("changed").asBoolean()).isFalse();
        assertThat(again.json().get("selection").get("revision").asLong()).isEqualTo(2);
    }

    @Test
    void activate_human_saysWhatChangedFromWhat() {
        twoVersions();
        cli("activate", "voice-parser", "1");

        Cli.Result r = ok(cli("activate", "voice-parser", "2", "--actor", "bob", "--reason", "more languages"));

        assertThat(r.stdoutLines()).containsExactly(
                "activated model v2 of voice-parser",
                "  now: model v2, no prompt (revision 3, by bob: more languages)",
                "  was: model v1, no prompt (revision 2)");
    }

    @Test
    void activate_unknownVersion_exits1() {
        twoVersions();

        Cli.Result r = cli("activate", "voice-parser", "9", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("not_found");
        assertThat(r.stderr()).isEqualTo("finetune4j: assistant 'voice-parser' has no model version 9\n");
    }

    @Test
    void activate_malformedVersion_exits2() {
        twoVersions();

        Cli.Result r = cli("activate", "voice-parser", "latest");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("'latest' is not a version number");
    }

    @Test
    void activate_deletedVersion_exits1AndChangesNothing() {
        twoVersions();
        ok(cli("delete", "voice-parser", "2"));

        Cli.Result r = cli("activate", "voice-parser", "2", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("invalid_state");
        assertThat(r.stderr()).contains("model version 2 of 'voice-parser' is DELETED");
        assertThat(cli("versions", "voice-parser", "--json").json().get("versions").get(1).get("state").asText())
                .isEqualTo("deleted");
    }

    @Test
    void rollback_withNothingToRollBackTo_exits1() {
        twoVersions();

        Cli.Result r = cli("rollback", "voice-parser");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("finetune4j: assistant 'voice-parser' has nothing to roll back to");
    }

    @Test
    void rollback_afterTwoActivations_restoresTheFirstAndRecordsWhoAndWhy() {
        twoVersions();
        cli("activate", "voice-parser", "1");
        cli("activate", "voice-parser", "2");

        Cli.Result r = ok(cli("rollback", "voice-parser", "--actor", "alice", "--reason", "v2 mixes languages",
                "--json"));

        assertThat(r.json().get("selection").get("active_model_version").asInt()).isEqualTo(1);
        JsonNode last = cli("timeline", "voice-parser", "--json").json().get("entries").get(3);
        assertThat(last.get("action").asText()).isEqualTo("rollback");
        assertThat(last.get("actor").asText()).isEqualTo("alice");
        assertThat(last.get("reason").asText()).isEqualTo("v2 mixes languages");
        assertThat(last.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void actor_defaultsToTheUserVariable_elseCli() {
        twoVersions();
        cliWithEnv(Map.of("USER", "carol"), "activate", "voice-parser", "1");
        cli("activate", "voice-parser", "2");

        JsonNode entries = cli("timeline", "voice-parser", "--json").json().get("entries");

        assertThat(entries.get(1).get("actor").asText()).isEqualTo("carol");
        assertThat(entries.get(1).get("reason").asText()).isEmpty();
        assertThat(entries.get(2).get("actor").asText()).isEqualTo("cli");
        assertThat(cli("activate", "voice-parser", "1", "--actor", " ").exitCode()).isEqualTo(2);
    }

    @Test
    void deactivate_goesBackToTheBaseModel() {
        twoVersions();
        cli("activate", "voice-parser", "1");

        Cli.Result r = ok(cli("deactivate", "voice-parser", "--json"));
        Cli.Result again = ok(cli("deactivate", "voice-parser"));

        assertThat(r.json().get("selection").get("active_model_version").isNull()).isTrue();
        assertThat(again.stdoutLines().get(0)).isEqualTo("voice-parser already runs on its base model " + BASE
                + "; nothing changed");
    }

    @Test
    void candidate_share_clear_promote() {
        twoVersions();
        cli("activate", "voice-parser", "1");

        JsonNode set = ok(cli("candidate", "voice-parser", "2", "--share", "10", "--json")).json().get("selection");
        JsonNode cleared = ok(cli("candidate", "voice-parser", "--clear", "--json")).json().get("selection");
        cli("candidate", "voice-parser", "2", "--share", "25");
        JsonNode promoted = ok(cli("candidate", "voice-parser", "--promote", "--json")).json().get("selection");

        assertThat(set.get("candidate_model_version").asInt()).isEqualTo(2);
        assertThat(set.get("candidate_share").asInt()).isEqualTo(10);
        assertThat(cleared.get("candidate_model_version").isNull()).isTrue();
        assertThat(cleared.get("candidate_share").asInt()).isZero();
        assertThat(promoted.get("active_model_version").asInt()).isEqualTo(2);
        assertThat(promoted.get("candidate_model_version").isNull()).isTrue();
    }

    @Test
    void candidate_badCombinations_areUsageErrors() {
        twoVersions();

        assertThat(cli("candidate", "voice-parser", "2").exitCode()).isEqualTo(2);
        assertThat(cli("candidate", "voice-parser", "--share", "10").exitCode()).isEqualTo(2);
        assertThat(cli("candidate", "voice-parser", "2", "--share", "0").exitCode()).isEqualTo(2);
        assertThat(cli("candidate", "voice-parser", "2", "--share", "101").exitCode()).isEqualTo(2);
        assertThat(cli("candidate", "voice-parser", "2", "--clear").exitCode()).isEqualTo(2);
        assertThat(cli("candidate", "voice-parser", "--clear", "--promote").exitCode()).isEqualTo(2);
    }

    @Test
    void candidate_theActiveVersionOrNoneToPromote_exits1() {
        twoVersions();
        cli("activate", "voice-parser", "1");

        Cli.Result active = cli("candidate", "voice-parser", "1", "--share", "10");
        Cli.Result promote = cli("candidate", "voice-parser", "--promote");

        assertThat(active.exitCode()).isEqualTo(1);
        assertThat(active.stderr()).contains("already active");
        assertThat(promote.exitCode()).isEqualTo(1);
        assertThat(promote.stderr()).contains("has no candidate to promote");
    }

    @Test
    void delete_json_printsTheSelectionAfterAndTheDeletedVersion() {
        twoVersions();
        cli("activate", "voice-parser", "2");

        Cli.Result r = ok(cli("delete", "voice-parser", "2", "--reason", "give up on v2", "--json"));
        Cli.Result again = ok(cli("delete", "voice-parser", "2", "--json"));

        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("assistant", "selection", "changed", "deleted",
                "provider_model");
        assertThat(doc.get("provider_model").get("asked").asBoolean()).isFalse();
        assertThat(doc.get("provider_model").get("deleted").asBoolean()).isFalse();
        assertThat(doc.get("selection").get("active_model_version").isNull()).isTrue();
        assertThat(doc.get("deleted").get("number").asInt()).isEqualTo(2);
        assertThat(doc.get("deleted").get("state").asText()).isEqualTo("deleted");
        assertThat(doc.get("deleted").get("provider_model_id").asText()).isEqualTo(ID2);
        assertThat(again.json().get("changed").asBoolean()).isFalse();
    }

    @Test
    void delete_human_saysTheProvidersCopyIsUntouched() {
        twoVersions();

        Cli.Result r = ok(cli("delete", "voice-parser", "1"));

        assertThat(r.stdoutLines().get(0)).isEqualTo("deleted model v1 of voice-parser (" + ID1 + ")");
        assertThat(r.stdout()).contains("openai still has its copy of " + ID1 + " (--provider-model deletes it)");
    }

    @Test
    void delete_providerModel_withoutAKey_exits1NamingItAndDeletesNothing() {
        twoVersions();

        Cli.Result r = cli("delete", "voice-parser", "2", "--provider-model", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("provider_config");
        assertThat(r.stderr()).contains("provider openai is not configured", "OPENAI_API_KEY");
        assertThat(cli("versions", "voice-parser", "--json").json().get("versions").get(1).get("state").asText())
                .isEqualTo("ready");
        assertThat(cli("timeline", "voice-parser", "--json").json().get("entries")).hasSize(1);
    }

    // ---- timeline ----

    @Test
    void timeline_json_hasStableFieldsWithTheSelectionBeforeAndAfter() {
        twoVersions();
        cli("activate", "voice-parser", "1", "--actor", "alice", "--reason", "first fine-tune");

        Cli.Result r = ok(cli("timeline", "voice-parser", "--json"));

        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("assistant", "entries");
        JsonNode entries = doc.get("entries");
        assertThat(entries).hasSize(2);
        JsonNode created = entries.get(0);
        assertThat(Cli.fieldNames(created)).containsExactly("at", "actor", "reason", "action", "version", "before",
                "after");
        assertThat(created.get("action").asText()).isEqualTo("configure");
        assertThat(created.get("version").isNull()).isTrue();
        JsonNode activated = entries.get(1);
        assertThat(activated.get("action").asText()).isEqualTo("activate");
        assertThat(activated.get("version").asInt()).isEqualTo(1);
        assertThat(activated.get("actor").asText()).isEqualTo("alice");
        assertThat(activated.get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(Cli.fieldNames(activated.get("before"))).containsExactly(SELECTION_FIELDS);
        assertThat(Cli.fieldNames(activated.get("after"))).containsExactly(SELECTION_FIELDS);
        assertThat(activated.get("before").get("active_model_version").isNull()).isTrue();
        assertThat(activated.get("after").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(activated.get("after").get("revision").asLong()).isEqualTo(2);
    }

    @Test
    void timeline_human_isOneRowPerChange() {
        twoVersions();
        cli("activate", "voice-parser", "1", "--actor", "alice", "--reason", "first fine-tune");
        cli("activate", "voice-parser", "2", "--actor", "bob");
        cli("rollback", "voice-parser", "--actor", "alice", "--reason", "v2 mixes languages");

        Cli.Result r = ok(cli("timeline", "voice-parser"));

        assertThat(r.stdoutLines()).hasSize(6);
        assertThat(r.stdoutLines().get(0)).isEqualTo("voice-parser: 4 selection changes, oldest first");
        assertThat(r.stdoutLines().get(2)).contains("system", "configure", "base model " + BASE, "created");
        assertThat(r.stdoutLines().get(3)).contains("alice", "activate", "v1", "model v1, no prompt",
                "first fine-tune");
        assertThat(r.stdoutLines().get(5)).contains("alice", "rollback", "to rev 2", "v2 mixes languages");
    }

    // ---- conflicts ----

    @Test
    void conflict_exits4AndSaysToRunAgain() {
        // A lost compare-and-set cannot be provoked deterministically through a separate CLI run; the
        // mapping every command shares is checked instead.
        Failure f = Failure.of(new ConflictException("assistant 'voice-parser' changed at revision 5", 4, 5));

        assertThat(f.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(f.type()).isEqualTo("conflict");
        assertThat(f.message()).contains("run the command again");
    }
}
