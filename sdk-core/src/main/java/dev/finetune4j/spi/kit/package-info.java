/**
 * The provider kit: what a provider module needs to talk to its service, and nothing else. A
 * provider written outside this repository depends on {@code finetune4j-core} and uses this
 * package and the public packages ({@code dev.finetune4j}, {@code dev.finetune4j.spi}, {@code
 * dev.finetune4j.http}, {@code dev.finetune4j.chat}, {@code dev.finetune4j.dataset}, …); never a
 * package named {@code internal}, which may change in any release.
 *
 * <h2>What it holds</h2>
 *
 * <ul>
 *   <li>{@link dev.finetune4j.spi.kit.ProviderHttp}: the HTTP call with retries (and which calls
 *       may be repeated, {@link dev.finetune4j.spi.kit.RetrySafety}), per-attempt timeouts and a
 *       per-call deadline, {@linkplain dev.finetune4j.spi.kit.Authentication authentication} (a
 *       bearer key, a key in a named header, a token the host application supplies), the rule that
 *       the credential never leaves the base URL's origin, and the mapping of error answers to the
 *       {@link dev.finetune4j.ProviderException} tree with the credential redacted;
 *   <li>request building ({@link dev.finetune4j.spi.kit.ApiRequest}, {@link
 *       dev.finetune4j.spi.kit.Multipart} streamed from disk) and answers ({@link
 *       dev.finetune4j.spi.kit.JsonResponse}, {@link dev.finetune4j.spi.kit.RawResponse}, {@link
 *       dev.finetune4j.spi.kit.SseReader} with {@link dev.finetune4j.spi.kit.SseEvent});
 *   <li>error mapping a provider uses itself ({@link dev.finetune4j.spi.kit.ProviderErrors}, {@link
 *       dev.finetune4j.spi.kit.ErrorParser});
 *   <li>the shared JSON mapper ({@link dev.finetune4j.spi.kit.ProviderJson});
 *   <li>{@link dev.finetune4j.spi.kit.OpenAiCompatibleChat}: chat completions, plain and streamed,
 *       for any server that speaks the OpenAI protocol, configured by the provider (path, field
 *       names, quirks, a check before each call), with the same errors and end-of-stream rule for
 *       every provider.
 * </ul>
 *
 * <h2>The JSON model</h2>
 *
 * The kit's JSON model is Jackson 2 ({@code com.fasterxml.jackson.databind.JsonNode}, {@code
 * ObjectMapper}): answers are handed over as Jackson trees and bodies may be given as trees. This
 * is part of the kit's contract (and the reason Jackson types appear here, while the host-facing
 * API never shows them). A move to another JSON library would be a breaking change, announced as
 * below.
 *
 * <h2>Stability promise</h2>
 *
 * Covered: every public type of this package, its public methods and constants, the behaviour
 * their documentation states (what is retried, what is sent where, which exception a failure
 * becomes, the wire form {@code OpenAiCompatibleChat} writes for each option), and the exception
 * types of {@code dev.finetune4j} it throws. Not covered: log lines, the wording of exception
 * messages, {@code toString()} forms, and anything in a package named {@code internal}.
 *
 * <p>Within a major version, changes are additive: new types, new methods (on interfaces, only
 * with a default), new builder options whose default keeps today's behaviour, new constants. A
 * breaking change (removing or renaming something, changing a signature, a default or a
 * documented behaviour) happens only in a new major version; it is announced at least one minor
 * release before, by deprecating what will change ({@code @Deprecated} with {@code forRemoval}
 * and a Javadoc note naming the replacement) and by a "Provider kit" entry in the release notes.
 *
 * <p>Everything here is thread-safe unless its documentation says otherwise (builders and
 * readers are not).
 */
package dev.finetune4j.spi.kit;
