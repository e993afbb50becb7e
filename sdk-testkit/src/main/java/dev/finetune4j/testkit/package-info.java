/**
 * Stateful emulators of the providers' HTTP APIs, on WireMock, for tests and demos without the
 * internet.
 *
 * <ul>
 *   <li>{@link dev.finetune4j.testkit.OpenAiEmulator}: files, uploads, fine-tuning jobs (events,
 *       metrics, checkpoints, cancel/pause/resume), models, chat completions — as a JUnit 5
 *       extension or a plain object;
 *   <li>{@link dev.finetune4j.testkit.MistralEmulator}: files, fine-tuning jobs with the
 *       {@code auto_start=false} cost preview and {@code /start}, checkpoints, models, chat;
 *   <li>{@link dev.finetune4j.testkit.HuggingFaceEmulator}: Hub repositories (preupload, NDJSON
 *       commits, LFS), Jobs with logs, and a vLLM-style server where trained adapters answer;
 *   <li>{@link dev.finetune4j.testkit.EmulatorExtension}: hands emulators to test methods as
 *       parameters;
 *   <li>{@link dev.finetune4j.testkit.Emulators}: every emulator on the class path on one port
 *       ({@link dev.finetune4j.testkit.EmulatorHost}), for the CLI's {@code emulator} command.
 * </ul>
 *
 * Tools find emulators through {@link dev.finetune4j.testkit.spi}, so a provider module can ship
 * its own.
 *
 * Implementation lives in {@code dev.finetune4j.testkit.internal}, which is not part of the
 * contract.
 */
package dev.finetune4j.testkit;
