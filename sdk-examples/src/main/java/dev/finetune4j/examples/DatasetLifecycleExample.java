package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.tokens.TokenCounter;
import dev.finetune4j.tokens.TokenStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The dataset half of the lifecycle, as the README shows it: import a JSONL file, append new
 * examples as a new version, count tokens and cost, ask whether to retrain, and export the training
 * split for another provider.
 *
 * <p>Run: {@code mvn -q -pl sdk-examples -am package -DskipTests} then
 * {@code java -cp "sdk-examples/target/classes:$(cat sdk-examples/target/classpath.txt)"
 * dev.finetune4j.examples.DatasetLifecycleExample FILE.jsonl} — or read its test.
 */
public final class DatasetLifecycleExample {

    private DatasetLifecycleExample() {}

    /** Runs the lifecycle on {@code file} with the store in {@code storeDir}; returns what it printed. */
    public static String run(Path file, Path storeDir, Path exportTo) throws IOException {
        StringBuilder out = new StringBuilder();
        try (FineTuning ft = FineTuning.builder().store(VersionStores.file(storeDir)).build()) {
            Dataset dataset = ft.dataset("voice-parser/main");

            // 1. Import: validated line by line, duplicates skipped, bad lines reported, good lines kept.
            AppendResult v1 = dataset.importJsonl(file, ImportOptions.defaults(), "initial import");
            out.append(v1.report().summary()).append('\n');
            v1.report().errors().forEach(issue -> out.append("  ").append(issue).append('\n'));

            // 2. Append: v2 = v1 + the new examples, without copying v1.
            AppendResult v2 = dataset.append(List.of(
                    Example.of(Message.system("You are a voice command parser for workout logging."),
                            Message.user("deadlift 315 for 5"),
                            Message.assistant("{\"exercise_name\":\"Deadlift\",\"weight\":315,\"reps\":5}"))),
                    "+1 deadlift example");
            DatasetVersion current = v2.version().orElseThrow();
            out.append("version ").append(current.number()).append(": ").append(current.examples())
                    .append(" examples, ").append(current.added()).append(" added\n");

            // 3. Tokens and cost of the training split, with the real tokenizer.
            TokenCounter counter = TokenCounter.forModel("gpt-4o-mini-2024-07-18");
            TokenStats.Accumulator stats = TokenStats.accumulator(counter);
            try (Stream<Example> train = dataset.examples(current, Split.TRAIN)) {
                train.forEach(stats::add);
            }
            CostEstimate cost = PriceTable.defaults().estimate("openai", "gpt-4o-mini-2024-07-18", stats.build());
            out.append(cost.billedTokens()).append(" billed tokens over ").append(cost.epochs())
                    .append(" epochs: ").append(cost.cost()).append('\n');

            // 4. Enough new data to retrain?
            RetrainAdvice advice = dataset.retrainAdvice(v1.version().orElseThrow(), current,
                    TrainingPolicy.defaults(), false);
            out.append(advice.reason()).append('\n');

            // 5. Export the training split for Hugging Face TRL.
            ConversionReport report;
            try (OutputStream os = Files.newOutputStream(exportTo);
                    DatasetWriter writer = DatasetWriter.open(DatasetFormat.HF_MESSAGES, os);
                    Stream<Example> train = dataset.examples(current, Split.TRAIN)) {
                train.forEach(writer::write);
                report = writer.report();
            }
            out.append("exported ").append(report.examplesWritten()).append(" examples to ")
                    .append(DatasetFormat.HF_MESSAGES.id()).append('\n');
        }
        return out.toString();
    }

    /** Command-line entry: {@code FILE [STORE_DIR]}. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Path store = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("finetune4j-example");
        System.out.print(run(file, store, store.resolve("train-hf.jsonl")));
    }
}
