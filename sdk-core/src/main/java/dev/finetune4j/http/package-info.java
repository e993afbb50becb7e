/**
 * Options shared by every provider's HTTP calls: {@link dev.finetune4j.http.RetryOptions} (how
 * failed calls are repeated and how long one call may take in all), {@link
 * dev.finetune4j.http.ApiKey} (a secret that never shows in a message, log line or {@code
 * toString()}) and {@link dev.finetune4j.http.Sleeper} (how retry waits pass, so tests never
 * sleep for real).
 *
 * <p>The failures a call can end in are the {@code dev.finetune4j.ProviderException} tree (the
 * provider answered with an error) and {@code dev.finetune4j.TransportException} (no usable
 * answer arrived).
 */
package dev.finetune4j.http;
