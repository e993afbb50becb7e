package dev.finetune4j.testkit;

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
 *     void trains(OpenAiEmulator openai) { ... }
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
        final OpenAiEmulator openai;

        Holder(OpenAiEmulator openai) {
            this.openai = openai;
        }

        @Override
        public void close() {
            openai.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == OpenAiEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return classStore(extensionContext)
                .getOrComputeIfAbsent(OpenAiEmulator.class, k -> new Holder(OpenAiEmulator.start()), Holder.class)
                .openai;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Holder h = classStore(context).get(OpenAiEmulator.class, Holder.class);
        if (h != null) {
            h.openai.reset();
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
