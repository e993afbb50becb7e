package dev.finetune4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The internal services take a {@link FineTuningContext}; none reaches back to the public front object. */
class InternalDependenciesTest {

    /** How a compiled class names {@code dev.finetune4j.FineTuning} (or a nested type of it) in its constant pool. */
    private static final byte[] FRONT_OBJECT = "dev/finetune4j/FineTuning".getBytes(StandardCharsets.UTF_8);

    @Test
    void noInternalClass_referencesFineTuning() throws IOException, URISyntaxException {
        Path classes = Path.of(FineTuningContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path internal = classes.resolve("dev/finetune4j/internal");

        List<String> offenders;
        List<Path> scanned;
        try (Stream<Path> files = Files.walk(internal)) {
            scanned = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        offenders = scanned.stream().filter(InternalDependenciesTest::referencesFrontObject)
                .map(f -> internal.relativize(f).toString()).toList();

        assertThat(scanned).as("compiled internal classes").hasSizeGreaterThan(50);
        assertThat(offenders).isEmpty();
    }

    private static boolean referencesFrontObject(Path classFile) {
        try {
            byte[] bytes = Files.readAllBytes(classFile);
            for (int i = 0; i + FRONT_OBJECT.length <= bytes.length; i++) {
                if (matchesAt(bytes, i) && !continuesAsAnotherName(bytes, i + FRONT_OBJECT.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean matchesAt(byte[] bytes, int at) {
        for (int j = 0; j < FRONT_OBJECT.length; j++) {
            if (bytes[at + j] != FRONT_OBJECT[j]) {
                return false;
            }
        }
        return true;
    }

    /** {@code dev/finetune4j/FineTuneException} does not match; {@code FineTuningX} would be another class. */
    private static boolean continuesAsAnotherName(byte[] bytes, int end) {
        if (end >= bytes.length) {
            return false;
        }
        int next = bytes[end];
        return Character.isLetterOrDigit(next) || next == '_';
    }
}
