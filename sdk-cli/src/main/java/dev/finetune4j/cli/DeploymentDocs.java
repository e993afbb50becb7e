package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingCost;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the deployment commands share: a deployment as JSON and as a table row, and waiting on the
 * calling thread until one serves (polled like {@link JobWaiter}: an emulator every tenth of a
 * second, a real provider every 5 to 60 seconds).
 */
final class DeploymentDocs {

    private DeploymentDocs() {}

    /**
     * {@code {"id", "assistant", "model_version", "provider", "provider_model_id", "remote_id", "state",
     * "raw_state", "address": {"base_url", "model"}, "price_per_hour", "cost_per_hour_now", "billed_hours",
     * "spend", "error", "created_at", "ready_at", "deleted_at", "reused"}}.
     */
    static ObjectNode json(Deployment d) {
        ObjectNode o = JsonDocs.object();
        o.put("id", d.id());
        o.put("assistant", d.assistant());
        o.put("model_version", d.modelVersion());
        o.put("provider", d.provider());
        o.put("provider_model_id", d.providerModelId());
        o.put("remote_id", d.remoteId().orElse(null));
        o.put("state", d.state().name().toLowerCase(Locale.ROOT));
        o.put("raw_state", d.rawState());
        o.put("spec", d.spec().toString());
        if (d.address().isPresent()) {
            ObjectNode a = o.putObject("address");
            a.put("base_url", d.address().get().baseUrl().map(Object::toString).orElse(null));
            a.put("model", d.address().get().model().orElse(null));
        } else {
            o.putNull("address");
        }
        Jobs.putMoney(o, "price_per_hour", d.pricePerHour().orElse(null));
        Jobs.putMoney(o, "cost_per_hour_now", d.costPerHourNow().orElse(null));
        o.put("billed_hours", hours(d.billedTime()));
        Jobs.putMoney(o, "spend", d.spend().orElse(null));
        o.put("error", d.error().orElse(null));
        o.put("created_at", d.createdAt().toString());
        o.put("ready_at", d.readyAt().map(Object::toString).orElse(null));
        o.put("deleted_at", d.deletedAt().map(Object::toString).orElse(null));
        o.put("reused", d.reused());
        return o;
    }

    /** {@code {"assistant", "per_hour", "billed", "unpriced"}}. */
    static ObjectNode json(ServingCost c) {
        ObjectNode o = JsonDocs.object();
        o.put("assistant", c.assistant());
        Jobs.putMoney(o, "per_hour", c.perHour());
        c.billed().forEach(o.putArray("billed")::add);
        c.unpriced().forEach(o.putArray("unpriced")::add);
        return o;
    }

    /** Replica-hours, to four decimals. */
    static double hours(Duration billed) {
        return Math.round(billed.toMillis() / 360.0) / 10_000.0;
    }

    /** One line: {@code ftd-... of parser v1 at huggingface: ready at URL model NAME}. */
    static String describe(Deployment d) {
        return d.id() + " of " + d.assistant() + " v" + d.modelVersion() + " at " + d.provider()
                + d.remoteId().map(r -> " (" + r + ")").orElse("") + ": " + state(d)
                + (d.state() == DeploymentState.DELETED ? "" : d.address().map(a -> " at " + a).orElse(""))
                + d.pricePerHour().map(p -> ", " + p + "/h per replica").orElse("")
                + d.error().map(e -> "; " + e).orElse("");
    }

    /** The state, with the provider's own when it says more. */
    static String state(Deployment d) {
        String s = d.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return d.rawState().equalsIgnoreCase(d.state().name()) ? s : s + " (" + d.rawState() + ")";
    }

    /** A table of deployments with what they cost. */
    static void print(PrintWriter out, List<Deployment> deployments) {
        TextTable table = new TextTable("id", "assistant", "model", "provider", "state", "address", "price/h",
                "billed h", "spend");
        for (Deployment d : deployments) {
            table.row(d.id(), d.assistant(), "v" + d.modelVersion(), d.provider(), state(d),
                    d.address().map(Object::toString).orElse("-"),
                    d.pricePerHour().map(Object::toString).orElse("-"),
                    String.format(Locale.ROOT, "%.2f", hours(d.billedTime())),
                    d.spend().map(Object::toString).orElse("-"));
        }
        table.print(out, "  ");
        for (Deployment d : deployments) {
            d.error().ifPresent(e -> out.println("  " + d.id() + ": " + e));
        }
    }

    /**
     * Refreshes until the deployment is ready, failed or deleted, or {@code timeout} has passed;
     * returns it as last read. An interrupt ends the wait early.
     *
     * @param local whether the provider runs on this machine (an emulator)
     */
    static Deployment await(Deployment d, Duration timeout, boolean local) {
        Duration first = local ? Duration.ofMillis(100) : Duration.ofSeconds(5);
        Duration max = local ? Duration.ofMillis(500) : Duration.ofSeconds(60);
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration wait = first;
        String last = null;
        while (true) {
            d.refresh();
            if (d.state() == DeploymentState.READY || d.state().isTerminal()) {
                return d;
            }
            String seen = d.state() + "/" + d.rawState();
            wait = seen.equals(last) ? (wait.multipliedBy(3).dividedBy(2).compareTo(max) < 0
                    ? wait.multipliedBy(3).dividedBy(2) : max) : first;
            last = seen;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return d;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return d;
            }
        }
    }
}
