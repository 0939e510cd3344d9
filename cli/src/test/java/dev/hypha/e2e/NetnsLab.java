package dev.hypha.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small network of Linux network namespaces for end-to-end tests: a {@code hub} namespace holding
 * a bridge and hosts {@code h1 … hN}, each wired to the bridge by a veth pair, so separate
 * processes talk over real links that a test can cut, heal and make lossy.
 *
 * <p>The hub owns {@code 10.200.0.1/24} on its bridge, host {@code hI} owns {@code 10.200.0.(10+I)}.
 * Those addresses exist only inside the namespaces made here: everything that talks to them must
 * run inside one of them ({@link #command}), never in the root namespace, where such traffic would
 * leave the machine. Names carry a random suffix so runs never share namespaces; {@link #close()}
 * deletes every namespace this lab made, and {@link #create} first deletes stale ones left by a
 * killed run (same prefix, no process inside). There is no netem in the test kernel, so loss comes
 * from an nftables rule that drops a random share of incoming UDP.
 */
final class NetnsLab implements AutoCloseable {
    static final String PREFIX = "hyphanet-";
    static final String HUB_ADDRESS = "10.200.0.1";
    private static final String BRIDGE = "br0";
    private static final String HOST_IF = "eth0";
    private static final String LOSS_TABLE = "hyphaloss";

    private final String runId;
    private final int hosts;
    private final List<String> made = new ArrayList<>();

    private NetnsLab(String runId, int hosts) {
        this.runId = runId;
        this.hosts = hosts;
    }

    /**
     * Makes the hub and {@code hosts} hosts, all links up.
     *
     * @throws IllegalStateException when this process may not create namespaces (not root, or no
     *                               {@code ip netns} in this container), with the reason
     */
    static NetnsLab create(int hosts) throws IOException, InterruptedException {
        if (hosts < 1 || hosts > 200) throw new IllegalArgumentException("hosts must be 1..200, got " + hosts);
        removeStale();
        NetnsLab lab = new NetnsLab(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2), hosts);
        try {
            lab.build();
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                lab.close();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void build() throws IOException, InterruptedException {
        String hub = hub();
        addNamespace(hub);
        run(hub, "ip", "link", "add", BRIDGE, "type", "bridge");
        run(hub, "ip", "addr", "add", HUB_ADDRESS + "/24", "dev", BRIDGE);
        run(hub, "ip", "link", "set", BRIDGE, "up");
        for (int i = 1; i <= hosts; i++) {
            String host = host(i);
            addNamespace(host);
            // Both ends are created inside their namespaces: no interface ever appears in the root one.
            run(host, "ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", hubSide(host), "netns", hub);
            run(host, "ip", "addr", "add", address(i) + "/24", "dev", HOST_IF);
            run(host, "ip", "link", "set", HOST_IF, "up");
            run(hub, "ip", "link", "set", hubSide(host), "master", BRIDGE);
            run(hub, "ip", "link", "set", hubSide(host), "up");
        }
    }

    private void addNamespace(String name) throws IOException, InterruptedException {
        Result r;
        try {
            r = exec(List.of("ip", "netns", "add", name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `ip netns add` (" + e.getMessage() + "); this test needs iproute2", e);
        }
        if (r.exit != 0) {
            throw new IllegalStateException("cannot create network namespace " + name + " (`ip netns add` exited "
                    + r.exit + ": " + r.output.strip() + "); this test needs root and a kernel that allows network namespaces");
        }
        made.add(name);
        run(name, "ip", "link", "set", "lo", "up");
    }

    String hub() {
        return PREFIX + runId + "-hub";
    }

    /** The namespace of host {@code i} (1-based). */
    String host(int i) {
        if (i < 1 || i > hosts) throw new IllegalArgumentException("no host " + i + " in a lab of " + hosts);
        return PREFIX + runId + "-h" + i;
    }

    /** The address of host {@code i} (1-based), valid only inside the lab's namespaces. */
    String address(int i) {
        host(i);
        return "10.200.0." + (10 + i);
    }

    /** Every namespace of the lab: the hub first, then the hosts. */
    List<String> namespaces() {
        List<String> all = new ArrayList<>(List.of(hub()));
        for (int i = 1; i <= hosts; i++) all.add(host(i));
        return all;
    }

    private static String hubSide(String host) {
        return "v" + host.substring(host.lastIndexOf("-h") + 2);
    }

    /** Cuts host {@code i}'s link: its end of the bridge goes down, so nothing passes either way. */
    void cut(int i) throws IOException, InterruptedException {
        run(hub(), "ip", "link", "set", hubSide(host(i)), "down");
    }

    /** Heals host {@code i}'s link. */
    void heal(int i) throws IOException, InterruptedException {
        run(hub(), "ip", "link", "set", hubSide(host(i)), "up");
    }

    /**
     * Drops {@code percent} % of the UDP packets arriving in {@code namespace}, chosen at random, and
     * counts what arrives and what is dropped ({@link #udpLoss}).
     */
    void dropUdp(String namespace, int percent) throws IOException, InterruptedException {
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0..100, got " + percent);
        run(namespace, "nft", "add", "table", "inet", LOSS_TABLE);
        run(namespace, "nft", "add", "chain", "inet", LOSS_TABLE, "input", "{ type filter hook input priority 0; }");
        run(namespace, "nft", "add", "rule", "inet", LOSS_TABLE, "input", "meta", "l4proto", "udp", "counter");
        run(namespace, "nft", "add", "rule", "inet", LOSS_TABLE, "input",
                "meta", "l4proto", "udp", "numgen", "random", "mod", "100", "<", String.valueOf(percent), "counter", "drop");
    }

    /** UDP packets that arrived in a namespace since {@link #dropUdp}, and how many of them were dropped. */
    record UdpLoss(long arrived, long dropped) {
        @Override
        public String toString() {
            return dropped + "/" + arrived;
        }
    }

    /** What the loss rules of {@code namespace} have counted. */
    UdpLoss udpLoss(String namespace) throws IOException, InterruptedException {
        String table = run(namespace, "nft", "list", "table", "inet", LOSS_TABLE);
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(table);
        List<Long> counters = new ArrayList<>();
        while (m.find()) counters.add(Long.parseLong(m.group(1)));
        if (counters.size() != 2) throw new IOException("expected two counters in the loss table of " + namespace + ":\n" + table);
        return new UdpLoss(counters.get(0), counters.get(1));
    }

    /** A command line that runs {@code command} inside {@code namespace}. */
    static List<String> command(String namespace, List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        out.addAll(command);
        return out;
    }

    /**
     * Starts a JVM running {@code mainClass} with the test class path inside {@code namespace}, as a
     * user would start a role: stdin from /dev/null, stdout and stderr appended to {@code log}.
     * {@code ip netns exec} execs the JVM in place, so the returned process is the JVM itself.
     */
    static Process startJava(String namespace, Path log, String mainClass, List<String> args) throws IOException {
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(javaCommand(namespace, mainClass, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The command line of a JVM running {@code mainClass} with the test class path inside {@code namespace}. */
    static List<String> javaCommand(String namespace, String mainClass, List<String> args) {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass));
        java.addAll(args);
        return command(namespace, java);
    }

    /** Runs a short command inside {@code namespace} and returns its output; fails when it fails. */
    static String run(String namespace, String... command) throws IOException, InterruptedException {
        List<String> cmd = command(namespace, List.of(command));
        Result r = exec(cmd);
        if (r.exit != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.exit + ": " + r.output.strip());
        return r.output;
    }

    private record Result(int exit, String output) {}

    private static Result exec(List<String> cmd) throws IOException, InterruptedException {
        File out = File.createTempFile("netns", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    /** Deletes namespaces of earlier runs (same prefix) that no process lives in any more. */
    private static void removeStale() throws IOException, InterruptedException {
        Result list = exec(List.of("ip", "netns", "list"));
        if (list.exit != 0) return; // create() reports the real reason when it tries to add one
        for (String line : list.output.lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            if (!name.startsWith(PREFIX)) continue;
            Result pids = exec(List.of("ip", "netns", "pids", name));
            if (pids.exit == 0 && pids.output.isBlank()) exec(List.of("ip", "netns", "delete", name));
        }
    }

    /** Deletes every namespace this lab made (with its links and rules); the processes must be gone. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<String> failed = new ArrayList<>();
        for (String ns : made.reversed()) {
            Result r = exec(List.of("ip", "netns", "delete", ns));
            if (r.exit != 0) failed.add(ns + ": " + r.output.strip());
        }
        made.clear();
        if (!failed.isEmpty()) throw new IOException("could not delete network namespaces " + failed);
    }
}
