/**
 * Provider and model end-of-life facts: dated, sourced {@link dev.finetune4j.lifecycle.LifecycleEvent}s
 * (new jobs end, model shutdown, deployments retire, deprecated), merged into a {@link
 * dev.finetune4j.lifecycle.LifecycleTable} from what the provider modules ship, what the host app says
 * and what providers report at run time; and {@link dev.finetune4j.lifecycle.Lifecycle}, which answers
 * per assistant and model version which events apply and how many days are left.
 */
package dev.finetune4j.lifecycle;
