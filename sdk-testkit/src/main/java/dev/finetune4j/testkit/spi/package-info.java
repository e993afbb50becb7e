/**
 * How a provider's emulator describes itself to tools: found with {@link java.util.ServiceLoader}
 * ({@link dev.finetune4j.testkit.spi.EmulatorFactory}), started on its own port or below a path of
 * a shared {@link dev.finetune4j.testkit.EmulatorHost} ({@link dev.finetune4j.testkit.spi.EmulatorOptions}),
 * and, once running, saying where it listens and what a client must set to use it
 * ({@link dev.finetune4j.testkit.spi.RunningEmulator}). {@code Emulators.startAll}, the CLI's
 * {@code emulator} command and its {@code quickstart} find emulators this way, so a provider module
 * that ships an emulator needs no change to them.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.finetune4j.testkit.spi.EmulatorFactory}.
 */
package dev.finetune4j.testkit.spi;
