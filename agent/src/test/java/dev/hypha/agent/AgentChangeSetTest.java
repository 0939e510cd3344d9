package dev.hypha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hypha.model.AgentProtocol;
import dev.hypha.model.Instance;
import dev.hypha.model.InstanceStatusReport;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.Workload;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's side of the change-set protocol, against a fake control plane: it asks for changes
 * since its last answer and applies them (new instances start, removed ones stop), it reports an
 * instance only when what it observed changed and every instance again each full-report period,
 * and a server that forgot the node gets everything again. Fake time moves one second per pass.
 */
class AgentChangeSetTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final FakeRuntime runtime = new FakeRuntime(clock, 0, 7);
    private FakeControlPlane plane;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        if (plane != null) plane.close();
    }

    private static Instance instance(String id) {
        WorkloadSpec spec = new WorkloadSpec(id.substring(0, id.indexOf('-')), "busybox", List.of("sleep", "3600"), 1,
                new Resources(100, 64, 0), RestartPolicy.ALWAYS, null, null, null, null);
        return Instance.assign(id, Workload.create(spec, T0, null), "n1", T0);
    }

    private void start(FakeControlPlane.Answers answers) throws IOException {
        start(answers, true);
    }

    private void start(FakeControlPlane.Answers answers, boolean sync) throws IOException {
        plane = new FakeControlPlane(answers, () -> clock.advance(Duration.ofSeconds(1)), sync);
        agent = Agent.start(config(), runtime, clock);
    }

    /** The agent of node n1, talking to {@link #plane}. */
    private AgentConfig config() {
        return new AgentConfig(List.of(plane.url()), "token", "n1", null, dir, null, List.of(), "fake",
                new Resources(4000, 8192, 0), "default", 0.1, 200, null, 0);
    }

    /**
     * What a server's index does, for one node: every change gets the next revision, and an
     * answer holds what changed after the revision asked from (everything when asked from -1).
     */
    private static final class ScriptedNode implements FakeControlPlane.Answers {
        private final Map<String, Instance> assigned = new TreeMap<>();
        private final Map<String, Long> changedAt = new TreeMap<>();
        private final Map<String, Long> removedAt = new TreeMap<>();
        private long revision = 10;

        synchronized void assign(Instance i) {
            assigned.put(i.id(), i);
            changedAt.put(i.id(), ++revision);
            removedAt.remove(i.id());
        }

        synchronized void unassign(String id) {
            assigned.remove(id);
            changedAt.remove(id);
            removedAt.put(id, ++revision);
        }

        @Override
        public synchronized AgentProtocol.Assignments answer(long after, boolean deltaAsked) {
            if (!deltaAsked || after < 0) return new AgentProtocol.Assignments(revision, List.copyOf(assigned.values()));
            List<Instance> changed = new ArrayList<>();
            changedAt.forEach((id, rev) -> {
                if (rev > after) changed.add(assigned.get(id));
            });
            List<String> removed = new ArrayList<>();
            removedAt.forEach((id, rev) -> {
                if (rev > after) removed.add(id);
            });
            return new AgentProtocol.Assignments(revision, changed, true, removed);
        }
    }

    @Test
    void theAgentAsksForChangesAndAppliesThem() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        start(node);
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("web-1")));

        node.assign(instance("api-1"));
        node.unassign("web-1");

        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("api-1")));
        List<FakeControlPlane.Request> requests = plane.requests();
        assertThat(requests).allSatisfy(r -> assertThat(r.deltaAsked()).isTrue());
        assertThat(requests.getFirst().after()).as("the first request asks for everything").isEqualTo(-1);
        assertThat(requests.subList(1, requests.size())).as("later ones ask from the last answer's revision")
                .allSatisfy(r -> assertThat(r.after()).isGreaterThanOrEqualTo(10));
    }

    @Test
    void onlyChangedInstancesAreReportedAndEveryOneAgainEachFullReportPeriod() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        node.assign(instance("api-1"));
        start(node);
        int passes = (int) Agent.FULL_REPORT_PERIOD.toSeconds() + 5;
        await().atMost(PATIENCE).until(() -> plane.statusReports().size() >= passes);

        List<AgentProtocol.StatusReport> reports = plane.statusReports();
        assertThat(ids(reports.getFirst())).as("the first report is a full one").containsExactly("api-1", "web-1");
        // Between full reports only changes travel: the starts, and a health sample every ten seconds.
        long empty = reports.subList(1, (int) Agent.FULL_REPORT_PERIOD.toSeconds()).stream()
                .filter(r -> r.instances().isEmpty()).count();
        assertThat(empty).isGreaterThanOrEqualTo(Agent.FULL_REPORT_PERIOD.toSeconds() - 10);
        assertThat(reports.subList((int) Agent.FULL_REPORT_PERIOD.toSeconds() - 1, reports.size()))
                .as("a full report once the period has passed")
                .anySatisfy(r -> assertThat(ids(r)).containsExactly("api-1", "web-1"));
        for (String id : List.of("web-1", "api-1")) {
            List<InstanceStatusReport> history = plane.history(id);
            assertThat(history).as("reports of %s", id).hasSizeLessThan(reports.size() / 2);
        }
    }

    @Test
    void aServerThatForgotTheNodeGetsEverythingAgain() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        node.assign(instance("api-1"));
        start(node);
        await().atMost(PATIENCE).until(() -> plane.statusReports().size() >= 5);

        plane.forgetTheNode();
        int before = plane.statusReports().size();
        int requestsBefore = plane.requests().size();

        await().atMost(PATIENCE).until(() -> plane.statusReports().size() > before
                && plane.statusReports().subList(before, plane.statusReports().size()).stream()
                        .anyMatch(r -> ids(r).equals(List.of("api-1", "web-1"))));
        assertThat(plane.requests().subList(requestsBefore, plane.requests().size()))
                .as("after registering again the agent asks for everything")
                .anySatisfy(r -> assertThat(r.after()).isEqualTo(-1));
    }

    @Test
    void eachPassIsOneRequestThatReportsAndWaits() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        start(node);
        await().atMost(PATIENCE).until(() -> plane.statusReports().size() >= 5);

        List<FakeControlPlane.Request> requests = plane.requests();
        assertThat(requests.getFirst().synced()).as("nothing to report before the first pass").isFalse();
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> assertThat(r.synced()).isTrue());
        assertThat(plane.separateStatusReports()).isZero();
        assertThat(ids(plane.statusReports().getFirst())).containsExactly("web-1");
    }

    @Test
    void aServerWithoutTheSyncEndpointGetsReportsAndRequestsSeparately() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        start(node, false);
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("web-1")));

        node.assign(instance("api-1"));
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("api-1", "web-1"))
                && plane.history("api-1").stream().anyMatch(r -> r.state() == dev.hypha.model.InstanceState.RUNNING));
        assertThat(plane.refusedSyncs()).as("offered once, then again only after a full-report period")
                .isBetween(1, 2);
        assertThat(plane.separateStatusReports()).isPositive();
        assertThat(plane.requests()).allSatisfy(r -> {
            assertThat(r.synced()).isFalse();
            assertThat(r.deltaAsked()).isTrue();
        });
    }

    @Test
    void aContainerThatStopsPromptlyIsReportedStoppedByThePassThatStopsIt() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        start(node);
        await().atMost(PATIENCE).until(() -> plane.history("web-1").stream()
                .anyMatch(r -> r.state() == dev.hypha.model.InstanceState.RUNNING));

        runtime.stopTakes(Duration.ofMillis(40)); // it exits on TERM, after a moment's shutdown
        node.assign(instance("web-1").withDesired(dev.hypha.model.DesiredState.STOP, "deleted"));

        await().atMost(PATIENCE).until(() -> plane.history("web-1").stream()
                .anyMatch(r -> r.state() == dev.hypha.model.InstanceState.STOPPED));
        assertThat(plane.history("web-1")).extracting(InstanceStatusReport::state)
                .as("no report in between says it is still stopping")
                .doesNotContain(dev.hypha.model.InstanceState.STOPPING);
        assertThat(runtime.runningIds()).isEmpty();
    }

    @Test
    void aSteadyInstanceIsStillWatched() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        node.assign(instance("api-1"));
        start(node);
        await().atMost(PATIENCE).until(() -> plane.history("web-1").stream()
                .anyMatch(r -> r.state() == dev.hypha.model.InstanceState.RUNNING));
        int settled = plane.statusReports().size();
        await().atMost(PATIENCE).until(() -> plane.statusReports().size() >= settled + 3); // passes with nothing new

        int beforeCrash = plane.statusReports().size();
        runtime.exit("web-1", 3, false);

        await().atMost(PATIENCE).until(() -> plane.history("web-1").stream()
                .anyMatch(r -> r.restarts() == 1 && r.state() == dev.hypha.model.InstanceState.RUNNING));
        List<AgentProtocol.StatusReport> after = plane.statusReports();
        int seenIn = -1;
        for (int k = beforeCrash; k < after.size() && seenIn < 0; k++) {
            if (after.get(k).instances().stream().anyMatch(r -> r.id().equals("web-1") && r.exitCode() != null
                    && r.exitCode() == 3)) {
                seenIn = k - beforeCrash;
            }
        }
        // The pass under way when it crashed may have listed it still running; the one after it must not.
        assertThat(seenIn).as("reports after the crash until it was seen (health samples come every ten)")
                .isBetween(0, 1);
        assertThat(plane.history("api-1")).as("the other instance, undisturbed, reported once and then only in full reports")
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(dev.hypha.model.InstanceState.RUNNING));
    }

    /** The fake runtime, counting how often the agent lists every container. */
    private static final class CountingRuntime implements dev.hypha.spi.ContainerRuntime {
        private final FakeRuntime inner;
        final java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();

        CountingRuntime(FakeRuntime inner) {
            this.inner = inner;
        }

        @Override public String name() { return inner.name(); }
        @Override public void create(dev.hypha.spi.ContainerSpec spec) { inner.create(spec); }
        @Override public void start(String id) { inner.start(id); }
        @Override public void run(dev.hypha.spi.ContainerSpec spec) { inner.run(spec); }
        @Override public java.util.Optional<dev.hypha.spi.ContainerStatus> state(String id) { return inner.state(id); }
        @Override public java.util.Optional<dev.hypha.spi.ContainerStats> stats(String id) { return inner.stats(id); }
        @Override public void kill(String id, Duration grace) { inner.kill(id, grace); }
        @Override public void delete(String id) { inner.delete(id); }

        @Override
        public List<dev.hypha.spi.ContainerStatus> list() {
            lists.incrementAndGet();
            return inner.list();
        }
    }

    @Test
    void aChangeSetIsHandledAloneAndEveryContainerLookedAtOncePerRelistPeriod() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        CountingRuntime counting = new CountingRuntime(runtime);
        plane = new FakeControlPlane(node, () -> {}, true); // the clock stands still unless the test moves it
        agent = Agent.start(config(), counting, clock);
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("web-1")));
        int listed = counting.lists.get();

        node.assign(instance("api-1"));
        node.assign(instance("db-1"));
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("api-1", "db-1", "web-1")));
        node.unassign("api-1");
        await().atMost(PATIENCE).until(() -> runtime.runningIds().equals(List.of("db-1", "web-1")));
        assertThat(counting.lists.get()).as("change sets handled without listing every container").isEqualTo(listed);

        runtime.exit("web-1", 3, false);
        clock.advance(Agent.RELIST_PERIOD);
        await().atMost(PATIENCE).until(() -> plane.history("web-1").stream()
                .anyMatch(r -> r.exitCode() != null && r.exitCode() == 3));
        assertThat(counting.lists.get()).as("a relist once the period passed found the exit").isGreaterThan(listed);
    }

    @Test
    void logsOfInstancesThatLeftAreDeletedAndTheOthersKept() throws IOException {
        ScriptedNode node = new ScriptedNode();
        node.assign(instance("web-1"));
        node.assign(instance("api-1"));
        start(node);
        Path logs = dir.resolve("logs");
        await().atMost(PATIENCE).until(() -> Files.exists(logs.resolve("web-1.log"))
                && Files.exists(logs.resolve("api-1.log")));
        Files.writeString(logs.resolve("old-1.log"), "left from before a restart\n");
        Files.writeString(logs.resolve("notes.txt"), "not a container's log\n");

        node.unassign("web-1");

        await().atMost(PATIENCE).until(() -> !Files.exists(logs.resolve("old-1.log")));
        assertThat(logs.resolve("api-1.log")).as("an assigned instance's log").exists();
        assertThat(logs.resolve("notes.txt")).as("a file that is no log").exists();
    }

    private static List<String> ids(AgentProtocol.StatusReport r) {
        return r.instances().stream().map(InstanceStatusReport::id).sorted().toList();
    }
}
