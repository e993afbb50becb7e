/**
 * What the Together AI API looks like to the emulator: its routes, JSON shapes, statuses, error
 * bodies and rules, on the shared emulator base. Not part of the testkit's contract.
 */
package dev.finetune4j.testkit.internal.together;
