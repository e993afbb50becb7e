/**
 * Learning from production: capture routed chat calls (opt-in per assistant, redacted by the host
 * application before anything is written), attach feedback to them, and curate them into dataset
 * versions. Obtain the {@link dev.finetune4j.capture.Captures} of a tenant from
 * {@code FineTuning.captures()}.
 */
package dev.finetune4j.capture;
