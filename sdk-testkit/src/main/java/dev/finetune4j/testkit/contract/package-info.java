/**
 * Published contract suites: abstract JUnit 5 test classes that a module extends in its test
 * sources to show it keeps the contract the core relies on. {@link
 * dev.finetune4j.testkit.contract.ProviderContract} is the provider's, run against the provider's
 * emulator. The version store's suites ship in {@code sdk-core}'s test jar ({@code
 * dev.finetune4j.store.VersionStoreContract} and the dataset and assistant suites); see {@code
 * docs/testing.md}.
 */
package dev.finetune4j.testkit.contract;
