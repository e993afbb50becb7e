/**
 * Dataset file formats: export to other providers' formats and import from them.
 */
package dev.finetune4j.format;
