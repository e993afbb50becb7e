/**
 * Chat: requests and answers, usage, and the router that sends them to an assistant's live version.
 */
package dev.finetune4j.chat;
