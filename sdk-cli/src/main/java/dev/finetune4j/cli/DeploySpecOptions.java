package dev.finetune4j.cli;

import dev.finetune4j.deployment.DeploymentSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --hardware}, {@code --region}, {@code --min}, {@code --max}, {@code --scale-to-zero-after}, {@code --deploy-option}. */
final class DeploySpecOptions {

    @Option(names = "--hardware", paramLabel = "SKU",
            description = "The hardware, as the provider names it (Hugging Face: nvidia-l4-x1, nvidia-a10g-x1, ...; "
                    + "default: the provider's).")
    String hardware;

    @Option(names = "--region", paramLabel = "REGION", description = "The region (default: the provider's).")
    String region;

    @Option(names = "--min", paramLabel = "N", defaultValue = "0",
            description = "The fewest replicas; 0 lets it scale to zero when idle (default: ${DEFAULT-VALUE}).")
    int min;

    @Option(names = "--max", paramLabel = "N", defaultValue = "1",
            description = "The most replicas (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--scale-to-zero-after", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Idle time before it scales to zero, with --min 0: 15m, 1h ... (default: 15m).")
    Duration scaleToZeroAfter;

    @Option(names = "--deploy-option", paramLabel = "NAME=VALUE",
            description = "A provider-specific option (Hugging Face: vendor, image, max_lora_rank); repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    /** The spec; a bad combination is a usage error. */
    DeploymentSpec spec(CommandSpec command, boolean again) {
        try {
            DeploymentSpec.Builder b = DeploymentSpec.builder().replicas(min, max).again(again);
            if (hardware != null) {
                b.hardware(hardware);
            }
            if (region != null) {
                b.region(region);
            }
            if (scaleToZeroAfter != null) {
                b.scaleToZeroAfter(scaleToZeroAfter);
            }
            options.forEach(b::option);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }
}
