package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store verify} and what every command does on a damaged file store: each kind of record the
 * library writes (an assistant's selection, a model version, a dataset manifest, a job record) with
 * single bits flipped, an examples blob with one byte changed.
 */
class StoreVerifyCommandTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    Path store;
    Emulated cli;

    @BeforeEach
    void setUp() {
        store = dir.resolve("store");
        cli = new Emulated(store, openai, null).assistantWithSample(dir);
        cli.train();
        cli.ok("activate", "voice-parser", "1");
    }

    private Path records(String collection) {
        return store.resolve("tenants/default/records").resolve(collection);
    }

    /** The latest revision file of the only record of a collection (or of the named record). */
    private Path latestRevision(String collection, String id) throws IOException {
        Path dir = id != null ? records(collection).resolve(id) : onlyChild(records(collection));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".rev")).sorted().reduce((x, y) -> y).orElseThrow();
        }
    }

    private static Path onlyChild(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static void flip(Path file, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(bit / 8);
            int b = f.read();
            f.seek(bit / 8);
            f.write(b ^ (1 << (bit % 8)));
        }
    }

    @Test
    void verify_onAnIntactStore_exits0_andJsonListsNoIssues() {
        Cli.Result human = cli.run("store", "verify");
        Cli.Result json = cli.run("store", "verify", "--json");

        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stdout()).startsWith("store " + store + ": ").contains("no damage found; nothing was changed");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode doc = json.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("store", "repair", "clean", "revisions", "blobs", "blob_bytes",
                "damaged", "issues", "notes");
        assertThat(doc.get("store").asText()).isEqualTo(store.toAbsolutePath().toString());
        assertThat(doc.get("clean").asBoolean()).isTrue();
        assertThat(doc.get("damaged").asInt()).isZero();
        assertThat(doc.get("issues")).isEmpty();
        assertThat(doc.get("revisions").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(doc.get("blobs").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void bitFlipsInEachKindOfRecord_makeItsCommandsExit1NamingTheFile_andVerifyListsIt() throws Exception {
        Random random = new Random(22);
        List<Object[]> kinds = List.of(
                new Object[] {latestRevision("assistants", "voice-parser"), new String[] {"timeline", "voice-parser"}},
                new Object[] {latestRevision("model-versions", null), new String[] {"versions", "voice-parser"}},
                new Object[] {latestRevision("datasets", "voice-parser~main"),
                    new String[] {"dataset", "export", "voice-parser/main", "--to", "openai"}},
                new Object[] {latestRevision("jobs", null), new String[] {"jobs"}});
        for (Object[] kind : kinds) {
            Path file = (Path) kind[0];
            String[] command = (String[]) kind[1];
            byte[] original = Files.readAllBytes(file);
            for (int i = 0; i < 8; i++) {
                flip(file, random.nextInt(original.length * 8));

                Cli.Result r = cli.run(command);

                assertThat(r.exitCode()).as("%s after a flip in %s: %s", String.join(" ", command), file, r)
                        .isEqualTo(1);
                assertThat(r.stderr()).contains(file.toString()).contains("is damaged");
                assertThat(r.stdout()).isEmpty();
                if (i == 0) {
                    Cli.Result verify = cli.run("store", "verify", "--json");
                    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
                    JsonNode issue = verify.json().get("issues").get(0);
                    assertThat(issue.get("kind").asText()).isEqualTo("revision_damaged");
                    assertThat(issue.get("location").asText()).isEqualTo(file.toString());
                    assertThat(issue.get("damage").asBoolean()).isTrue();
                    assertThat(issue.get("repair").asText()).isEqualTo("not_possible");
                    assertThat(verify.json().get("damaged").asInt()).isEqualTo(1);
                }
                Files.write(file, original);
            }
        }
        assertThat(cli.run("store", "verify").exitCode()).isZero();
    }

    @Test
    void manifestCountEditedFrom57To56_exportExits1AndWritesNothing() throws Exception {
        Path manifest = latestRevision("datasets", "voice-parser~main");
        Files.writeString(manifest, Files.readString(manifest).replace("\"count\":57", "\"count\":56"));

        Cli.Result r = cli.run("dataset", "export", "voice-parser/main", "--to", "openai");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains(manifest.toString()).contains("checksum does not match");
    }

    @Test
    void byteFlipInTheExamplesBlob_exportExits1WithTheBlobsPath_writesNoLine_andVerifyExits1() throws Exception {
        Path blobs = store.resolve("tenants/default/blobs");
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).contains("weight")) {
                    segments.add(p);
                }
            }
        }
        assertThat(segments).hasSize(1);
        Path segment = segments.get(0);
        String text = Files.readString(segment, java.nio.charset.StandardCharsets.ISO_8859_1);
        // "weight":225 -> 224, as in the issue
        assertThat(text).contains("weight\\\":225");
        int at = text.indexOf("weight\\\":225") + "weight\\\":22".length();
        flip(segment, at * 8);

        Cli.Result export = cli.run("dataset", "export", "voice-parser/main", "--to", "openai");
        Cli.Result verify = cli.run("store", "verify");

        assertThat(export.exitCode()).as(export.toString()).isEqualTo(1);
        assertThat(export.stdout()).isEmpty();
        assertThat(export.stderr()).contains(segment.toString()).doesNotContain("lossless");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.stdout()).contains("DAMAGED  blob_damaged  " + segment)
                .contains("1 damaged item(s), 1 to restore from a backup; nothing was changed");
    }

    @Test
    void openingTheStore_removesTheStagingOfAKilledProcess_andRepairRefreshesAStaleHeadHint() throws Exception {
        Path abandoned = store.resolve("tmp/0f0f0f0f-dead-owner");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve("owner.lock"), "");
        Files.writeString(abandoned.resolve("segment-1.jsonl"), "{\"user data\":1}");
        Path head = records("assistants").resolve("voice-parser/head");
        String latest = Files.readString(head);
        Files.writeString(head, "1");

        Cli.Result found = cli.run("store", "verify");
        Cli.Result repaired = cli.run("store", "verify", "--repair", "--json");

        assertThat(abandoned).doesNotExist();
        assertThat(found.exitCode()).as(found.toString()).isZero();
        assertThat(found.stdout()).contains("repairable  stale_head_hint  " + head)
                .contains("the head hint says 1; the latest revision is " + latest)
                .contains("no damage found; 1 item(s) `store verify --repair` would mend; nothing was changed");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.json().get("repair").asBoolean()).isTrue();
        assertThat(repaired.json().get("issues")).singleElement().satisfies(i -> {
            assertThat(i.get("kind").asText()).isEqualTo("stale_head_hint");
            assertThat(i.get("damage").asBoolean()).isFalse();
            assertThat(i.get("repair").asText()).isEqualTo("done");
        });
        assertThat(head).hasContent(latest);
        assertThat(cli.run("store", "verify", "--json").json().get("issues")).isEmpty();
    }
}
