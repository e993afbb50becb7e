/** The Mistral emulator's routes and state; not part of the contract, free to change. */
package dev.finetune4j.testkit.internal.mistral;
