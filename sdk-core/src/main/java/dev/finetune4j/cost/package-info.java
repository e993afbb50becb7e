/**
 * Cost estimates: dated list prices per provider and model, OpenAI's auto-epochs heuristic, billed tokens.
 */
package dev.finetune4j.cost;
