/** How Spring AI's types become the router's and back; not part of the contract, free to change. */
package dev.finetune4j.springai.internal;
