package dev.finetune4j;

/**
 * The SLF4J logger names the library logs under: stable, documented, independent of the classes
 * that happen to do the work (those live in {@code internal} packages and may move). Configure
 * levels by these names, e.g. {@code <logger name="dev.finetune4j.jobs" level="DEBUG"/>}.
 *
 * <p>What is logged where: at INFO only facts an operator wants once (a job recorded, created,
 * found again, registered as a model version; a repository created); per-poll status changes at
 * DEBUG (use a {@link dev.finetune4j.job.JobListener} to act on them); at WARN what needs a look
 * (a store upgraded, a fallback taken, a damaged cache entry).
 */
public final class LoggerNames {

    /** Every logger of the library starts with this. */
    public static final String ROOT = "dev.finetune4j";

    /** Fine-tune jobs: recording, uploads, creation, status changes (DEBUG), registration. */
    public static final String JOBS = ROOT + ".jobs";

    /** The stores: format upgrades, schema migrations, the provider cache. */
    public static final String STORE = ROOT + ".store";

    /** The chat router: fallbacks, breakers, shadow calls. */
    public static final String CHAT = ROOT + ".chat";

    /** Provider HTTP: retries and their reasons. */
    public static final String HTTP = ROOT + ".http";

    /** Framework adapters (LangChain4j, Spring AI). */
    public static final String ADAPTERS = ROOT + ".adapters";

    /** The testkit's emulators. */
    public static final String TESTKIT = ROOT + ".testkit";

    private static final String PROVIDERS = ROOT + ".providers";

    private LoggerNames() {}

    /**
     * The logger of one provider module, {@code dev.finetune4j.providers.<id>} (e.g.
     * {@code dev.finetune4j.providers.huggingface}); {@code dev.finetune4j.providers} for
     * provider discovery.
     */
    public static String provider(String providerId) {
        return providerId == null ? PROVIDERS : PROVIDERS + "." + providerId;
    }
}
