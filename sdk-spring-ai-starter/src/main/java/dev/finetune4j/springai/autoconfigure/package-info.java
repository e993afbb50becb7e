/**
 * Spring Boot auto-configuration of finetune4j: {@code FineTuning} from {@code finetune4j.*}
 * properties, a router and a Spring AI chat model per configured assistant, the job tracker as a
 * lifecycle bean when enabled, and an Actuator health indicator when Actuator is present.
 */
package dev.finetune4j.springai.autoconfigure;
