/** The emulators' implementation; not part of the contract, free to change. */
package dev.finetune4j.testkit.internal;
