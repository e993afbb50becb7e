/**
 * The versioned store SPI: append-only revision chains written with compare-and-set, content-addressed blobs, and the shipped stores.
 */
package dev.finetune4j.store;
