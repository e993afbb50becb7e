/**
 * finetune4j: own the whole life of your fine-tuned LLMs from a Java application. Start at
 * {@link dev.finetune4j.FineTuning}.
 *
 * <h2>Exceptions</h2>
 *
 * Every exception the library throws on purpose is an unchecked {@link
 * dev.finetune4j.FineTuneException}; {@link dev.finetune4j.FineTuneException#isRetryable()} says
 * whether the same call may succeed later. Messages never contain API keys or tokens.
 *
 * <pre>
 * FineTuneException
 * ├── ValidationException, InsufficientExamplesException   input the user must fix
 * ├── NotFoundException                                   something named is missing: a local record,
 * │                                                       version or blob, or (providerError() present)
 * │                                                       a provider's 404, also how a deleted
 * │                                                       fine-tuned model shows up
 * ├── ConflictException                                   a compare-and-set write lost (retryable)
 * ├── StoreException                                      the store could not be read or written
 * ├── TransportException                                  no answer from a provider (retryable;
 * │                                                       mayHaveReachedServer() says whether the
 * │                                                       provider may have acted on the request)
 * └── ProviderException                                   a provider answered with an error: provider,
 *     │                                                   status, error code, request id, raw body
 *     ├── AuthenticationException     401, 403
 *     ├── RateLimitedException        429 (retryable; carries the requested wait)
 *     ├── InvalidRequestException     400, 413, 422
 *     └── ServerException             5xx (retryable)
 * </pre>
 *
 * Any other provider status (408 and 409, both retryable; an unexpected redirect; a 2xx body that
 * is not JSON; an error event inside a stream) is a plain {@link dev.finetune4j.ProviderException}.
 * A provider's 404 is a {@link dev.finetune4j.NotFoundException}, not a {@code ProviderException}:
 * {@link dev.finetune4j.NotFoundException#providerError()} tells a provider's 404 (present: the
 * provider, status, error code, request id and raw body) from a missing local record (empty), and
 * {@code catch (ProviderException e)} does not catch a 404.
 */
package dev.finetune4j;
