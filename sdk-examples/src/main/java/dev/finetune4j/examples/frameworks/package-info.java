/**
 * Examples of finetune4j inside LangChain4j and Spring AI applications; the only examples that
 * use those frameworks.
 */
package dev.finetune4j.examples.frameworks;
