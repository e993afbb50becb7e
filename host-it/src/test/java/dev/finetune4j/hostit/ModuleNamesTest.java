package dev.finetune4j.hostit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.hostit.Poms.Dependency;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every published jar carries the {@code Automatic-Module-Name} its POM declares, and no two share
 * one: on the module path an application {@code requires} that name, so it is part of the API.
 * Runs in the integration-test phase, when the jars of the modules this one depends on are built.
 */
class ModuleNamesTest {

    @Test
    void everyPublishedJarNamesItsModule() throws IOException {
        String version = Poms.projectVersion();
        Pattern jarName = Pattern.compile("(finetune4j-[a-z0-9-]+)-" + Pattern.quote(version) + "\\.jar");
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            Matcher m = jarName.matcher(path.getFileName().toString());
            if (m.matches() && Files.isRegularFile(path)) {
                jars.put(m.group(1), path);
            }
        }
        Set<String> published = new LinkedHashSet<>();
        for (Dependency d : Poms.dependencies(Poms.parse(Poms.root().resolve("bom/pom.xml")),
                "dependencyManagement/dependencies")) {
            if (d.type() == null) {
                published.add(d.artifactId());
            }
        }
        assertThat(jars.keySet()).as("published jars on the class path (host-it depends on each)")
                .containsExactlyInAnyOrderElementsOf(published);

        Map<String, String> declared = new LinkedHashMap<>();
        for (var module : Poms.modules().entrySet()) {
            declared.put(Poms.text(module.getValue(), "artifactId"),
                    Poms.text(Poms.child(module.getValue(), "properties"), "automatic.module.name"));
        }
        Set<String> names = new LinkedHashSet<>();
        for (var jar : jars.entrySet()) {
            String name;
            try (JarFile file = new JarFile(jar.getValue().toFile())) {
                name = file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
            }
            assertThat(name).as("Automatic-Module-Name of %s", jar.getValue()).isEqualTo(declared.get(jar.getKey()));
            assertThat(ModuleDescriptor.newAutomaticModule(name).build().name()).isEqualTo(name);   // a legal module name
            assertThat(names.add(name)).as("%s is also another jar's module name", name).isTrue();
        }
    }
}
