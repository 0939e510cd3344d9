package dev.hypha.server;

import dev.hypha.server.api.ApiServer;
import dev.hypha.server.control.NodeLivenessController;
import dev.hypha.server.control.WorkloadController;
import dev.hypha.core.reputation.NodeEvent;
import dev.hypha.model.NodeState;
import dev.hypha.server.economy.EconomyRoutes;
import dev.hypha.server.economy.EconomyService;
import dev.hypha.server.economy.EconomySettings;
import dev.hypha.server.economy.SettlementController;
import dev.hypha.server.intent.IntentBook;
import dev.hypha.server.intent.IntentController;
import dev.hypha.server.intent.IntentRoutes;
import dev.hypha.server.intent.PlanSteeringScheduler;
import dev.hypha.spi.KvStore;
import dev.hypha.spi.Scheduler;
import dev.hypha.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Hypha server: the state store, the API, the controller loop and the economy.
 *
 * <p>Start with {@link #start(ServerConfig)}, stop with {@link #close()}. Everything it knows is in
 * the store, so a server killed at any point and started again picks up where it was.
 */
public final class HyphaServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HyphaServer.class);
    /** How long an agent may stay silent before its node is dead (without gossip). */
    public static final Duration LIVENESS_TTL = Duration.ofSeconds(10);
    /** How long a dead leader holds the lead before another server takes over. */
    public static final Duration LEADER_TTL = Duration.ofSeconds(10);

    private final ServerConfig config;
    private final StateStore store;
    private final ClusterSecrets secrets;
    private final ChangeNotifier notifier;
    private final InstanceIndex instanceIndex;
    private final ApiServer api;
    private final WorkloadController workloads;
    private final IntentController intents;
    private final NodeLivenessController liveness;
    private final EconomyService economy;
    private final SettlementController settlement;
    private final LeaderElection election;
    private final GossipMembership gossip;
    private final Thread reputationGossip;
    /** How often this server disseminates the reputation rows it changed. */
    static final Duration REPUTATION_GOSSIP_PERIOD = Duration.ofSeconds(10);
    private final Thread controllerLoop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private HyphaServer(ServerConfig config, EconomySettings economySettings, InstantSource clock) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + config.dataDir() + ": " + e.getMessage(), e);
        }
        KvStore kv = KvStores.open(config.store(), config.dataDir());
        this.store = new StateStore(kv);
        ChangeNotifier changes = null;
        InstanceIndex index = null;
        LeaderElection leader = null;
        GossipMembership members = null;
        try {
            this.secrets = ClusterSecrets.loadOrCreate(store, config.dataDir());
            changes = new ChangeNotifier(kv, StateStore.ROOT);
            index = new InstanceIndex(store);
            String serverId = serverId(config.dataDir());
            Scheduler scheduler = Schedulers.forProfile(config.schedulerProfile(), economySettings.weights(),
                    economySettings.creditPolicy());
            this.economy = new EconomyService(store, economySettings, serverId, clock);
            this.settlement = new SettlementController(economy, config.settleInterval(), clock);
            // Intent-owned workloads follow their intent's plan; every other workload is scheduled as before.
            this.workloads = new WorkloadController(new PlanSteeringScheduler(scheduler, new IntentBook(store)), clock,
                    economy, index);
            this.intents = new IntentController(scheduler, clock);
            members = config.gossipPort() > 0
                    ? GossipMembership.start(serverId, config.bind(), config.gossipPort(), config.seeds(),
                            secrets.gossipKey(), clock)
                    : null;
            GossipMembership gossipView = members;
            EconomyService economyView = economy;
            this.liveness = new NodeLivenessController(clock,
                    id -> gossipView == null ? java.util.Optional.empty() : gossipView.stateOf(id),
                    (id, state) -> {
                        // Suspicion and death come from probes the node did not answer; recovery from one it
                        // did. A graceful leave is neither.
                        if (state == NodeState.SUSPECT || state == NodeState.DEAD) {
                            economyView.reputation().record(id, new NodeEvent.ProbeFailed(), clock.instant());
                        } else if (state == NodeState.ALIVE) {
                            economyView.reputation().record(id, new NodeEvent.ProbeAcked(), clock.instant());
                        }
                    });
            leader = LeaderElection.start(kv, serverId, LEADER_TTL);
            LeaderElection election = leader;
            this.api = new ApiServer(store, secrets, changes, index, clock, () -> election.isLeader() ? "leader" : "follower",
                    LIVENESS_TTL, () -> gossipView == null ? java.util.List.of() : gossipView.seedsForAgents(),
                    java.util.List.of(new IntentRoutes(store, clock), new EconomyRoutes(economy)), economy)
                    .start(config.bind(), config.apiPort());
        } catch (RuntimeException e) {
            // Nothing half-started may outlive a failed start: the store client, its watches, the election, gossip.
            if (leader != null) leader.close();
            if (members != null) members.close();
            if (changes != null) changes.close();
            if (index != null) index.close();
            store.close();
            throw e;
        }
        this.notifier = changes;
        this.instanceIndex = index;
        this.election = leader;
        this.gossip = members;
        this.reputationGossip = gossip == null ? null : startReputationGossip(gossip, economy);
        this.controllerLoop = Thread.ofPlatform().name("hypha-controller").daemon(true).start(this::controlLoop);
        log.info("hypha server listening on {} (store {})", apiUrl(), config.store());
    }

    public static HyphaServer start(ServerConfig config) {
        return start(config, EconomySettings.defaults());
    }

    /** A server whose economy (prices, credit limits, weights, reputation) is {@code economy}. */
    public static HyphaServer start(ServerConfig config, EconomySettings economy) {
        return new HyphaServer(config, economy, InstantSource.system());
    }

    /**
     * Runs the controllers whenever the state changes, and at least once a second (leases expire
     * silently) or once per settlement period when that is shorter.
     */
    private void controlLoop() {
        long seen = -1;
        Duration tick = config.settleInterval().compareTo(Duration.ofSeconds(1)) < 0 ? config.settleInterval()
                : Duration.ofSeconds(1);
        while (running.get()) {
            try {
                long rev = notifier.revision();
                // Fenced: once this server's term ends, every write below fails and the pass stops.
                Optional<StateStore> fenced = election.fenced(store);
                if (fenced.isPresent()) {
                    liveness.checkOnce(fenced.get());
                    workloads.reconcileOnce(fenced.get());
                    intents.reconcileOnce(fenced.get());
                    settlement.settleOnce(fenced.get());
                }
                // Every server stores its own observations (one writer per key, so no fence needed).
                economy.flushReputation();
                seen = rev;
                notifier.awaitAfter(seen, tick);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (LeaderElection.LeadershipLostException e) {
                log.info("controller pass stopped: {}", e.getMessage());
            } catch (RuntimeException e) {
                if (!running.get()) return;
                log.warn("controller pass failed, retrying: {}", e.toString());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reputation observations travel between servers over gossip's broadcast channel (CRDT rows, merged). */
    private Thread startReputationGossip(GossipMembership members, EconomyService economy) {
        ReputationGossip rg = new ReputationGossip(economy.reputation(), b -> members.broadcast(ReputationGossip.CHANNEL, b));
        members.onBroadcast(ReputationGossip.CHANNEL, rg::receive);
        return Thread.ofVirtual().name("hypha-reputation-gossip").start(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(REPUTATION_GOSSIP_PERIOD);
                    rg.publish();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("reputation gossip round failed: {}", e.toString());
                }
            }
        });
    }

    /** A stable id for this server, kept in its data dir (so a restarted server is the same one). */
    private static String serverId(Path dataDir) {
        Path f = dataDir.resolve("server.id");
        try {
            if (Files.exists(f)) return Files.readString(f).trim();
            String id = "server-" + ClusterSecrets.random(6).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "x");
            Files.writeString(f, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + f + ": " + e.getMessage(), e);
        }
    }

    /** This server's gossip address, or null when gossip is off. */
    public String gossipAddress() {
        return gossip == null ? null : gossip.address();
    }

    public boolean isLeader() {
        return election.isLeader();
    }

    public URI apiUrl() {
        String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
        return URI.create("http://" + host + ":" + api.port());
    }

    public String joinToken() {
        return secrets.joinToken();
    }

    public String adminToken() {
        return secrets.adminToken();
    }

    public Path adminTokenFile() {
        return config.dataDir().resolve("admin.token");
    }

    public StateStore store() {
        return store;
    }

    /** The election this server takes part in (its term, its fenced view of the store). */
    public LeaderElection election() {
        return election;
    }

    /** What wakes the controllers and the agents' long-polls when the state changes. */
    public ChangeNotifier changes() {
        return notifier;
    }

    /** The economy: the current view, this server's reputation observations and the gossip seam. */
    public EconomyService economy() {
        return economy;
    }

    /** Blocks until {@link #close()} is called. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!running.getAndSet(false)) return;
        controllerLoop.interrupt();
        try {
            controllerLoop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the loop has stopped, so no pass of this term is still writing when another server takes over.
        election.close();
        api.close();
        if (reputationGossip != null) reputationGossip.interrupt();
        if (gossip != null) gossip.close();
        notifier.close();
        instanceIndex.close();
        store.close();
        stopped.countDown();
    }
}
