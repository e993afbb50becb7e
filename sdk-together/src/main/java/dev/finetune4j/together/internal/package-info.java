/**
 * Implementation of the Together AI provider: its file check, uploads, wire formats and downloads.
 * Not part of the contract; may change in any release.
 */
package dev.finetune4j.together.internal;
