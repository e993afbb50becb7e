package dev.finetune4j.hostit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.hostit.Poms.Dependency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * README.md's "Use it in your project" says how to depend on finetune4j; the host app that
 * maven-invoker-plugin builds must depend exactly that way, and the BOM and the module POMs must
 * publish what the section lists. Any of them changed alone fails here.
 */
class ReadmeCoordinatesTest {

    private static final String SECTION = "## Use it in your project";

    private static String section;
    private static Element readmeXml;
    private static Element bom;

    @BeforeAll
    static void read() throws IOException {
        String readme = Files.readString(Poms.root().resolve("README.md"));
        int start = readme.indexOf("\n" + SECTION + "\n");
        assertThat(start).as("README.md has a section '%s'", SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        section = readme.substring(start, end < 0 ? readme.length() : end);
        readmeXml = Poms.parse(codeBlock("xml"));
        bom = Poms.parse(Poms.root().resolve("bom/pom.xml"));
    }

    @Test
    void theReadmeImportsTheBomAtTheVersionBeingBuilt() {
        assertThat(Poms.dependencies(readmeXml, "dependencyManagement/dependencies")).containsExactly(
                new Dependency("dev.finetune4j", "finetune4j-bom", Poms.projectVersion(), "pom", "import"));
        assertThat(Poms.text(bom, "groupId") + ":" + Poms.text(bom, "artifactId") + ":" + Poms.text(bom, "version"))
                .isEqualTo("dev.finetune4j:finetune4j-bom:" + Poms.projectVersion());
    }

    @Test
    void theHostAppDependsExactlyAsTheReadmeSays() throws IOException {
        String pom = Files.readString(Poms.root().resolve("host-it/src/it/host-app/pom.xml"))
                .replace("@project.version@", Poms.projectVersion());
        Element hostApp = Poms.parse(pom);
        assertThat(Poms.child(hostApp, "parent")).as("the host app has no parent: it is an application's own project").isNull();
        assertThat(Poms.dependencies(hostApp, "dependencyManagement/dependencies"))
                .isEqualTo(Poms.dependencies(readmeXml, "dependencyManagement/dependencies"));
        List<Dependency> finetune4j = Poms.dependencies(hostApp, "dependencies").stream()
                .filter(d -> d.groupId().equals("dev.finetune4j")).toList();
        assertThat(finetune4j).isEqualTo(Poms.dependencies(readmeXml, "dependencies"));
        assertThat(finetune4j).allSatisfy(d -> assertThat(d.version()).as("%s: the BOM gives the version", d.ga()).isNull());
    }

    @Test
    void theGradleSnippetNamesTheSameArtifacts() {
        String gradle = codeBlock("kotlin");
        Matcher platform = Pattern.compile("implementation\\(platform\\(\"([^\"]+)\"\\)\\)").matcher(gradle);
        assertThat(platform.find()).as("a platform(...) import of the BOM in:\n%s", gradle).isTrue();
        assertThat(platform.group(1)).isEqualTo("dev.finetune4j:finetune4j-bom:" + Poms.projectVersion());

        Map<String, String> gradleDeps = new LinkedHashMap<>();
        Matcher dep = Pattern.compile("(\\w+)\\(\"(dev\\.finetune4j:[^\"]+)\"\\)").matcher(gradle);
        while (dep.find()) {
            if (!dep.group(1).equals("platform")) {
                gradleDeps.put(dep.group(2), dep.group(1));
            }
        }
        Map<String, String> mavenDeps = new LinkedHashMap<>();
        for (Dependency d : Poms.dependencies(readmeXml, "dependencies")) {
            mavenDeps.put(d.ga(), switch (d.scope() == null ? "compile" : d.scope()) {
                case "compile" -> "implementation";
                case "runtime" -> "runtimeOnly";
                case "test" -> "testImplementation";
                default -> throw new AssertionError("no Gradle configuration for scope " + d.scope());
            });
        }
        assertThat(gradleDeps).containsExactlyEntriesOf(mavenDeps);
    }

    @Test
    void theBomManagesExactlyThePublishedModules_andTheReadmeTableListsThem() throws IOException {
        Set<String> managed = new LinkedHashSet<>();
        for (Dependency d : Poms.dependencies(bom, "dependencyManagement/dependencies")) {
            assertThat(d.version()).as(d.ga()).isEqualTo("${project.version}");
            if (d.type() == null) {
                managed.add(d.artifactId());
            }
        }
        Set<String> excluded = new LinkedHashSet<>();
        Element release = Poms.children(Poms.child(bom, "profiles"), "profile").stream()
                .filter(p -> "release".equals(Poms.text(p, "id"))).findFirst().orElseThrow();
        for (Element plugin : Poms.children(Poms.child(Poms.child(release, "build"), "plugins"), "plugin")) {
            if ("central-publishing-maven-plugin".equals(Poms.text(plugin, "artifactId"))) {
                Poms.children(Poms.child(Poms.child(plugin, "configuration"), "excludeArtifacts"), "artifact")
                        .forEach(a -> excluded.add(a.getTextContent().strip()));
            }
        }
        assertThat(excluded).isNotEmpty();

        Set<String> jarModules = new LinkedHashSet<>();
        Map<String, String[]> table = tableRows();
        for (Map.Entry<String, Element> module : Poms.modules().entrySet()) {
            Element pom = module.getValue();
            String artifactId = Poms.text(pom, "artifactId");
            assertThat(artifactId).as("artifact id of %s: say what it is", module.getKey()).startsWith("finetune4j-");
            if (!"pom".equals(Poms.text(pom, "packaging")) && !excluded.contains(artifactId)) {
                jarModules.add(artifactId);
                String[] row = table.get(artifactId);
                assertThat(row).as("README's table lists %s", artifactId).isNotNull();
                assertThat(row[1]).as("module name of %s", artifactId)
                        .isEqualTo(Poms.text(Poms.child(pom, "properties"), "automatic.module.name"));
                assertThat(row[2]).as("directory of %s", artifactId).isEqualTo(module.getKey());
            }
        }
        assertThat(managed).as("published modules (all but %s) vs the BOM", excluded)
                .containsExactlyInAnyOrderElementsOf(jarModules);
        Set<String> listed = new LinkedHashSet<>(table.keySet());
        listed.remove("finetune4j-bom");
        assertThat(listed).as("README's table").containsExactlyInAnyOrderElementsOf(jarModules);
    }

    @Test
    void noDocumentNamesAnOldArtifactId() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Poms.root().resolve("README.md"));
        try (Stream<Path> files = Files.walk(Poms.root().resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        Pattern old = Pattern.compile("<artifactId>sdk-|dev\\.finetune4j:sdk-");
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(old.matcher(lines.get(i)).find())
                        .as("%s:%d names an artifact by its old id: %s", doc, i + 1, lines.get(i)).isFalse();
            }
        }
    }

    /** Artifact id to {what, module name, directory}, from the section's table. */
    private static Map<String, String[]> tableRows() {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `(finetune4j-[a-z0-9-]+)` \\| (.+?) \\| `?([^|`]+)`? \\| `([^`]+)` \\|$",
                Pattern.MULTILINE);
        Matcher m = row.matcher(section);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2), m.group(3).strip(), m.group(4)});
        }
        assertThat(rows).as("rows of the artifact table in:\n%s", section).isNotEmpty();
        return rows;
    }

    private static String codeBlock(String language) {
        String fence = "```" + language + "\n";
        int start = section.indexOf(fence);
        assertThat(start).as("a ```%s block in README's %s", language, SECTION).isNotNegative();
        int end = section.indexOf("\n```", start + fence.length());
        return section.substring(start + fence.length(), end);
    }
}
