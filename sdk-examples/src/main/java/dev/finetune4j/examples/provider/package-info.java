/**
 * A provider written outside finetune4j, as a third party writes one: Acme AI, a fictional service
 * that speaks the OpenAI protocol. {@link dev.finetune4j.examples.provider.AcmeProviderFactory}
 * describes it and creates {@link dev.finetune4j.examples.provider.AcmeProvider}; the module's
 * {@code META-INF/services} registers the factory, and nothing else in finetune4j names it. Its
 * tests run the published provider contract on an emulator of it.
 */
package dev.finetune4j.examples.provider;
