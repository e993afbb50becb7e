package dev.finetune4j.testkit;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands emulators to test methods and constructors as parameters:
 * one emulator of each type per test class, with default settings, started when first asked
 * for, reset before each test and stopped after the class.
 *
 * <pre>{@code
 * @ExtendWith(EmulatorExtension.class)
 * class MyTest {
 *     @Test
 *     void trains(OpenAiEmulator openai, MistralEmulator mistral, HuggingFaceEmulator hf) { ... }
 * }
 * }</pre>
 *
 * For other settings register an emulator built with its builder instead
 * ({@code @RegisterExtension static OpenAiEmulator openai = OpenAiEmulator.builder()...build();}).
 */
public final class EmulatorExtension implements ParameterResolver, BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatorExtension.class);

    /** Created by JUnit. */
    public EmulatorExtension() {}

    /** Closes an emulator when its class's store is closed. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final EmulatorBase<?> emulator;

        Holder(EmulatorBase<?> emulator) {
            this.emulator = emulator;
        }

        @Override
        public void close() {
            emulator.close();
        }
    }

    /** Each emulator type this extension resolves, and how it starts one with default settings. */
    private static final Map<Class<?>, Supplier<EmulatorBase<?>>> TYPES = Map.of(
            OpenAiEmulator.class, OpenAiEmulator::start,
            MistralEmulator.class, MistralEmulator::start,
            HuggingFaceEmulator.class, HuggingFaceEmulator::start);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return TYPES.containsKey(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return classStore(extensionContext).getOrComputeIfAbsent(type, k -> new Holder(TYPES.get(type).get()),
                Holder.class).emulator;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Class<?> type : TYPES.keySet()) {
            Holder h = classStore(context).get(type, Holder.class);
            if (h != null) {
                h.emulator.reset();
            }
        }
    }

    private static ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c.getStore(NAMESPACE);
    }
}
