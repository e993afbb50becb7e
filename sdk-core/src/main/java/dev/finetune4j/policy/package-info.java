/**
 * Training policy: the minimum-example rule, per-model token limits and retrain advice.
 */
package dev.finetune4j.policy;
