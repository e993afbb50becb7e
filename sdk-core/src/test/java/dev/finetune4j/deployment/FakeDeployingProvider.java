package dev.finetune4j.deployment;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.cost.Money;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteDeployment;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider whose trained models need a deployment: deployments advance one state per read
 * (pending, initializing, running), are served at {@code http://deployer.test/NAME/v1} under the
 * model name {@code served-NAME}, cost $2 an hour per replica, can be scaled to zero (woken by a
 * call that may wait at least {@link #coldStart}, else answered 503), deleted behind our back, or
 * made to lose the answer to a create or to kill the process right after it.
 */
final class FakeDeployingProvider implements Provider, ChatService, DeploymentService {

    static final Money PRICE = new Money(new BigDecimal("2.00"), "USD");

    /** What a process killed right after the provider created the deployment throws: not caught by the library. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("process killed");
        }
    }

    final class Remote {
        final String name;
        final DeploymentRequest request;
        String state = "pending";

        Remote(String name, DeploymentRequest request) {
            this.name = name;
            this.request = request;
        }
    }

    private final ProviderDescriptor descriptor = ProviderDescriptor.builder("deployer")
            .capabilities(Capabilities.of(Capability.CHAT, Capability.DEPLOY, Capability.PAUSE_DEPLOYMENT))
            .trainedModelsNeedDeployment(true)
            .build();

    final Map<String, Remote> remotes = new LinkedHashMap<>();
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<ChatCall> calls = new CopyOnWriteArrayList<>();
    final List<String> verified = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    /** Runs inside {@link #deploy}, before anything is created: lets a test look at the store then. */
    Runnable onDeploy = () -> { };
    boolean loseNextCreateAnswer;
    boolean killAfterNextCreate;
    Duration coldStart = Duration.ofSeconds(30);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public synchronized RemoteDeployment deploy(DeploymentRequest request) {
        onDeploy.run();
        Remote r = new Remote(request.tag(), request);
        remotes.put(r.name, r);
        created.add(r.name);
        if (killAfterNextCreate) {
            killAfterNextCreate = false;
            throw new Killed();
        }
        if (loseNextCreateAnswer) {
            loseNextCreateAnswer = false;
            throw new TransportException("read timed out", null, "deployer", true);
        }
        return snapshot(r);
    }

    @Override
    public synchronized RemoteDeployment get(String remoteId) {
        Remote r = remotes.get(remoteId);
        if (r == null) {
            return RemoteDeployment.builder(remoteId, DeploymentState.DELETED, "not found").build();
        }
        r.state = switch (r.state) {
            case "pending" -> "initializing";
            case "initializing" -> "running";
            default -> r.state;
        };
        return snapshot(r);
    }

    @Override
    public synchronized Optional<RemoteDeployment> findByTag(String tag) {
        Remote r = remotes.get(tag);
        return r == null ? Optional.empty() : Optional.of(snapshot(r));
    }

    @Override
    public synchronized List<RemoteDeployment> list() {
        List<RemoteDeployment> out = new ArrayList<>();
        remotes.values().forEach(r -> out.add(snapshot(r)));
        return out;
    }

    @Override
    public void verifyServing(RemoteDeployment deployment, DeploymentRequest request) {
        verified.add(deployment.remoteId());
    }

    @Override
    public synchronized RemoteDeployment scale(String remoteId, int minReplicas, int maxReplicas) {
        return snapshot(remotes.get(remoteId));
    }

    @Override
    public synchronized RemoteDeployment scaleToZero(String remoteId) {
        Remote r = remotes.get(remoteId);
        r.state = "scaledToZero";
        return snapshot(r);
    }

    @Override
    public synchronized void undeploy(String remoteId) {
        remotes.remove(remoteId);
        deleted.add(remoteId);
    }

    /** Deletes a deployment behind the library's back. */
    synchronized void deleteBehindTheBack(String name) {
        remotes.remove(name);
    }

    synchronized void scaleToZeroBehindTheBack(String name) {
        remotes.get(name).state = "scaledToZero";
    }

    synchronized String state(String name) {
        return remotes.get(name).state;
    }

    static URI url(String name) {
        return URI.create("http://deployer.test/" + name + "/v1");
    }

    private RemoteDeployment snapshot(Remote r) {
        DeploymentState state = switch (r.state) {
            case "pending" -> DeploymentState.PENDING;
            case "initializing" -> DeploymentState.INITIALIZING;
            case "running" -> DeploymentState.READY;
            case "scaledToZero" -> DeploymentState.SCALED_TO_ZERO;
            default -> DeploymentState.UNKNOWN;
        };
        RemoteDeployment.Builder b = RemoteDeployment.builder(r.name, state, r.state).tag(r.name).pricePerHour(PRICE);
        if (!r.state.equals("pending")) {
            b.address(ServingAddress.of(url(r.name), "served-" + r.name));
        }
        return b.build();
    }

    // ---- chat: the base model at the provider's own endpoint, deployments at their URLs ----------

    private synchronized String answerer(ChatCall call) {
        calls.add(call);
        if (call.servingUrl().isEmpty()) {
            return call.model();
        }
        String path = call.servingUrl().get().getPath();
        String name = path.substring(1, path.indexOf('/', 1));
        Remote r = remotes.get(name);
        if (r == null) {
            throw new NotFoundException("deployer returned 404: no endpoint " + name,
                    ProviderError.builder("deployer", 404)
                            .errorCode("not_found").requestId("req_1").rawBody("{}").build());
        }
        if (r.state.equals("scaledToZero")) {
            if (call.wakeUpTimeout().map(w -> w.compareTo(coldStart) >= 0).orElse(false)) {
                r.state = "running";
            } else {
                r.state = "initializing";
                throw new ServerException("deployer returned 503: waking up", "deployer", 503, null, "req_2", "{}",
                        true);
            }
        }
        return call.model();
    }

    @Override
    public ChatResult chat(ChatCall call) {
        String model = answerer(call);
        return new ChatResult("answer from " + model, List.of(), "stop", new Usage(10, 5), model, "req");
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        listener.onComplete(chat(call));
    }

    @Override
    public void close() {
        // nothing held
    }
}
