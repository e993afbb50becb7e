/**
 * Assistants and what they own: model versions with their lineage, prompt versions, the live
 * selection and its timeline.
 */
package dev.finetune4j.assistant;
