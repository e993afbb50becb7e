/**
 * WireMock-based emulators of the providers' HTTP APIs for offline tests. Arrives with the testkit issue.
 */
package dev.finetune4j.testkit;
