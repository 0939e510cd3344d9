package dev.hypha.gossip;

import dev.hypha.core.membership.Delivery;
import dev.hypha.core.membership.MalformedMessageException;
import dev.hypha.core.membership.MemberChange;
import dev.hypha.core.membership.Packet;
import dev.hypha.core.membership.Ready;
import dev.hypha.core.membership.StateExchange;
import dev.hypha.core.membership.Stream;
import dev.hypha.core.membership.SwimCodec;
import dev.hypha.core.membership.SwimConfig;
import dev.hypha.core.membership.SwimEvent;
import dev.hypha.core.membership.SwimNode;
import dev.hypha.spi.ClusterMembership;
import dev.hypha.spi.MemberInfo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership over real sockets: the core's {@link SwimNode} driven by UDP datagrams
 * (probes and gossip) and TCP connections (joins and push-pull), every byte sealed by a
 * {@link Keyring}.
 *
 * <p>One driver thread owns the node: it takes received packets, exchanges and local requests from
 * a queue, ticks the node when its timers are due, and carries out each {@link Ready}. A receiver
 * thread reads datagrams, an acceptor thread takes connections, and virtual threads run the TCP
 * exchanges. A datagram or frame that no installed key authenticates is dropped and counted
 * ({@link #rejectedPackets()}) without being parsed; one that authenticates but does not decode is
 * counted as malformed ({@link #malformedPackets()}).
 *
 * <p>UDP and TCP share one port. Thread-safe; listeners run on the driver thread, one event at a
 * time, and must not block.
 */
public final class SwimMembership implements ClusterMembership {
    private static final Logger log = LoggerFactory.getLogger(SwimMembership.class);
    /** Largest TCP frame accepted: a full state of about 100,000 members. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    private static final int BIND_ATTEMPTS = 10;
    private static final CopyOnWriteArrayList<Consumer<byte[]>> NO_LISTENERS = new CopyOnWriteArrayList<>();

    private final String nodeId;
    private final SwimConfig config;
    private final Keyring keyring;
    private final InstantSource clock;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final String address;
    private final List<String> seeds;
    private final SwimNode node;
    private final LinkedBlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<Consumer<MemberInfo>> changeListeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<byte[]>>> broadcastListeners =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, InetSocketAddress> resolved = new ConcurrentHashMap<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Thread driver;
    private final Thread receiver;
    private final Thread acceptor;
    private volatile List<MemberInfo> snapshot;
    private volatile boolean closed;
    private CompletableFuture<Void> leaving;

    /** What the driver thread is asked to do. */
    private sealed interface Command {
        record Received(Packet packet) implements Command {}

        record ExchangeIn(StateExchange exchange, CompletableFuture<StateExchange> reply) implements Command {}

        record ExchangeReply(StateExchange exchange) implements Command {}

        record ExchangeFailed(Stream stream, String reason) implements Command {}

        record Local(Runnable action, CompletableFuture<Void> done) implements Command {}
    }

    private SwimMembership(String nodeId, DatagramSocket udp, ServerSocket tcp, String address, List<String> seeds,
            Map<String, String> metadata, Keyring keyring, SwimConfig config, InstantSource clock) {
        this.nodeId = nodeId;
        this.udp = udp;
        this.tcp = tcp;
        this.address = address;
        this.seeds = seeds;
        this.keyring = keyring;
        this.config = config;
        this.clock = clock;
        this.node = new SwimNode(nodeId, address, metadata, config, Keyring.OVERHEAD,
                new SplittableRandom(new SecureRandom().nextLong()), clock.instant());
        this.snapshot = node.members();
        this.driver = Thread.ofPlatform().name("swim-driver-" + nodeId).daemon().unstarted(this::drive);
        this.receiver = Thread.ofPlatform().name("swim-udp-" + nodeId).daemon().unstarted(this::receive);
        this.acceptor = Thread.ofPlatform().name("swim-tcp-" + nodeId).daemon().unstarted(this::accept);
    }

    /**
     * Binds UDP and TCP on {@code bind} (port 0 picks a free port, the same for both), starts the
     * threads and joins the group through {@code seeds} (none: it starts a new group and waits to be
     * joined). Members advertise the bind address, or this host's address when binding all interfaces.
     *
     * @throws IOException when the sockets cannot be bound
     */
    public static SwimMembership start(String nodeId, InetSocketAddress bind, List<InetSocketAddress> seeds,
            Map<String, String> metadata, Keyring keyring, SwimConfig config, InstantSource clock) throws IOException {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(keyring, "keyring");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        DatagramSocket udp = null;
        ServerSocket tcp = null;
        for (int attempt = 0; tcp == null; attempt++) {
            udp = new DatagramSocket(bind);
            try {
                tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(bind.getAddress(), udp.getLocalPort()));
            } catch (BindException e) {
                udp.close();
                tcp = null;
                if (bind.getPort() != 0 || attempt + 1 >= BIND_ATTEMPTS) {
                    throw new BindException("cannot bind TCP on " + bind.getAddress() + ":" + udp.getLocalPort()
                            + " next to UDP: " + e.getMessage());
                }
            }
        }
        InetAddress advertised = bind.getAddress().isAnyLocalAddress() ? InetAddress.getLocalHost() : bind.getAddress();
        String address = format(advertised, udp.getLocalPort());
        List<String> seedAddresses = seeds.stream().map(s -> format(s.getAddress(), s.getPort())).toList();
        SwimMembership membership = new SwimMembership(nodeId, udp, tcp, address, seedAddresses, metadata, keyring,
                config, clock);
        membership.driver.start();
        membership.receiver.start();
        membership.acceptor.start();
        return membership;
    }

    // ---- ClusterMembership ----------------------------------------------------------------------

    @Override
    public String localId() {
        return nodeId;
    }

    @Override
    public List<MemberInfo> members() {
        return snapshot;
    }

    @Override
    public void onChange(Consumer<MemberInfo> listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the payload does not fit in one packet
     */
    @Override
    public void broadcast(String channel, byte[] payload) {
        byte[] copy = payload.clone();
        onDriver(() -> process(node.broadcast(channel, copy, clock.instant())));
    }

    @Override
    public void onBroadcast(String channel, Consumer<byte[]> listener) {
        broadcastListeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>())
                .add(Objects.requireNonNull(listener, "listener"));
    }

    /** Publishes new metadata to the group (with a higher incarnation). */
    public void updateMetadata(Map<String, String> metadata) {
        Map<String, String> copy = Map.copyOf(metadata);
        onDriver(() -> process(node.updateMetadata(copy, clock.instant())));
    }

    @Override
    public void leave(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onDriver(() -> {
            process(node.leave(clock.instant()));
            leaving = done;
            checkLeave();
        });
        if (Thread.currentThread() == driver) return;
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: the leave was not fully gossiped within {}", nodeId, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("leave failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Stops at once, without a leave: the others will find this member dead. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("{}: closing the TCP listener: {}", nodeId, e.toString());
        }
        for (Socket s : openSockets) closeQuietly(s);
        driver.interrupt();
        for (Thread t : List.of(driver, receiver, acceptor)) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- more views -----------------------------------------------------------------------------

    /** The port UDP and TCP are bound to. */
    public int port() {
        return udp.getLocalPort();
    }

    /** The address other members use for this one ("host:port"). */
    public String address() {
        return address;
    }

    /** Datagrams and frames dropped because no installed key authenticated them. */
    public long rejectedPackets() {
        return rejected.get();
    }

    /** Datagrams and frames that authenticated but were not valid SWIM messages. */
    public long malformedPackets() {
        return malformed.get();
    }

    public Keyring keyring() {
        return keyring;
    }

    // ---- the driver thread ----------------------------------------------------------------------

    private void drive() {
        try {
            process(node.join(seeds, clock.instant()));
            while (!closed) {
                long wait = node.nextTickAt().toEpochMilli() - clock.millis();
                Command command = wait > 0 ? inbox.poll(wait, TimeUnit.MILLISECONDS) : inbox.poll();
                Instant now = clock.instant();
                if (command != null) handle(command, now);
                if (!now.isBefore(node.nextTickAt())) process(node.tick(now));
                checkLeave();
            }
        } catch (InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) log.error("{}: the membership driver stopped: {}", nodeId, e.toString(), e);
        }
    }

    private void handle(Command command, Instant now) {
        switch (command) {
            case Command.Received r -> process(node.step(r.packet(), now));
            case Command.ExchangeIn in -> {
                Ready ready = node.step(in.exchange(), now);
                StateExchange reply = null;
                for (Stream s : ready.streams()) {
                    if (reply == null && s.exchange().kind().isReply()
                            && s.destination().equals(in.exchange().fromAddress())) {
                        reply = s.exchange();
                    }
                }
                if (reply != null) {
                    in.reply().complete(reply);
                } else {
                    in.reply().completeExceptionally(new IllegalStateException("no reply to " + in.exchange().kind()));
                }
                process(ready, reply);
            }
            case Command.ExchangeReply r -> process(node.step(r.exchange(), now));
            case Command.ExchangeFailed f -> {
                log.debug("{}: {} with {} failed: {}", nodeId, f.stream().exchange().kind(), f.stream().destination(),
                        f.reason());
                process(node.streamFailed(f.stream(), now));
            }
            case Command.Local l -> {
                try {
                    l.action().run();
                    l.done().complete(null);
                } catch (RuntimeException e) {
                    l.done().completeExceptionally(e);
                }
            }
        }
    }

    private void process(Ready ready) {
        process(ready, null);
    }

    /** Carries out a Ready; {@code answered} is a reply already handed to its connection. */
    private void process(Ready ready, StateExchange answered) {
        for (Packet p : ready.packets()) sendDatagram(p);
        for (Stream s : ready.streams()) {
            if (s.exchange() == answered) continue;
            if (s.exchange().kind().isReply()) {
                log.debug("{}: dropping a {} with no open connection to {}", nodeId, s.exchange().kind(), s.destination());
                continue;
            }
            Thread.ofVirtual().name("swim-exchange-" + nodeId).start(() -> exchange(s));
        }
        for (SwimEvent event : ready.events()) logEvent(event);
        if (!ready.changes().isEmpty() || !ready.events().isEmpty()) {
            snapshot = node.members();
        }
        if (!ready.changes().isEmpty()) {
            for (MemberChange change : ready.changes()) {
                for (Consumer<MemberInfo> listener : changeListeners) {
                    try {
                        listener.accept(change.member());
                    } catch (RuntimeException e) {
                        log.warn("{}: a membership listener failed on {}: {}", nodeId, change.member().id(), e.toString());
                    }
                }
            }
        }
        for (Delivery d : ready.deliveries()) {
            for (Consumer<byte[]> listener : broadcastListeners.getOrDefault(d.channel(), NO_LISTENERS)) {
                try {
                    listener.accept(d.payload());
                } catch (RuntimeException e) {
                    log.warn("{}: a broadcast listener on '{}' failed: {}", nodeId, d.channel(), e.toString());
                }
            }
        }
    }

    private void checkLeave() {
        if (leaving != null && node.leaveDisseminated()) {
            leaving.complete(null);
            leaving = null;
        }
    }

    /** Runs {@code action} on the driver thread and waits for it (at once when already there). */
    private void onDriver(Runnable action) {
        if (Thread.currentThread() == driver) {
            action.run();
            return;
        }
        if (closed) throw new IllegalStateException("membership of " + nodeId + " is closed");
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new Command.Local(action, done));
        try {
            done.get(config.streamTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the membership driver of " + nodeId + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the membership driver", e);
        }
    }

    private void logEvent(SwimEvent event) {
        switch (event) {
            case SwimEvent.JoinCompleted j -> log.info("{}: joined through {} ({} members)", nodeId, j.seed(), j.members());
            case SwimEvent.JoinFailed j -> log.warn("{}: could not join through {}", nodeId, j.seed());
            case SwimEvent.Refuted r -> log.info("{}: refuted a suspicion, now at incarnation {}", nodeId, r.incarnation());
            case SwimEvent.AddressConflict c -> log.warn("{}: {} is claimed from {} but lives at {}", nodeId, c.member(),
                    c.claimedAddress(), c.knownAddress());
            case SwimEvent.HealthChanged h -> log.debug("{}: local health score {}", nodeId, h.score());
        }
    }

    // ---- UDP ------------------------------------------------------------------------------------

    private void sendDatagram(Packet packet) {
        try {
            byte[] sealed = keyring.seal(SwimCodec.encode(packet));
            udp.send(new DatagramPacket(sealed, sealed.length, resolve(packet.destination())));
        } catch (IOException | IllegalArgumentException e) {
            if (!closed) log.debug("{}: cannot send to {}: {}", nodeId, packet.destination(), e.toString());
        }
    }

    private void receive() {
        byte[] buffer = new byte[65_536];
        while (!closed) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(datagram);
            } catch (IOException e) {
                if (!closed) log.warn("{}: receiving datagrams failed: {}", nodeId, e.toString());
                return;
            }
            byte[] sealed = Arrays.copyOfRange(buffer, datagram.getOffset(),
                    datagram.getOffset() + datagram.getLength());
            byte[] plain = openOrCount(sealed, "datagram from " + datagram.getSocketAddress());
            if (plain == null) continue;
            try {
                inbox.add(new Command.Received(SwimCodec.decodePacket(plain, address)));
            } catch (MalformedMessageException e) {
                malformed.incrementAndGet();
                log.debug("{}: malformed datagram from {}: {}", nodeId, datagram.getSocketAddress(), e.getMessage());
            }
        }
    }

    // ---- TCP ------------------------------------------------------------------------------------

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!closed) log.warn("{}: accepting connections failed: {}", nodeId, e.toString());
                return;
            }
            Thread.ofVirtual().name("swim-serve-" + nodeId).start(() -> serve(socket));
        }
    }

    /** Answers one incoming exchange: read a sealed request, let the driver merge it, write its reply. */
    private void serve(Socket socket) {
        openSockets.add(socket);
        try (socket) {
            int timeout = (int) config.streamTimeout().toMillis();
            socket.setSoTimeout(timeout);
            byte[] plain = openOrCount(readFrame(socket), "frame from " + socket.getRemoteSocketAddress());
            if (plain == null) return;
            StateExchange request;
            try {
                request = SwimCodec.decodeExchange(plain);
            } catch (MalformedMessageException e) {
                malformed.incrementAndGet();
                log.debug("{}: malformed exchange from {}: {}", nodeId, socket.getRemoteSocketAddress(), e.getMessage());
                return;
            }
            if (request.kind().isReply()) {
                malformed.incrementAndGet();
                return;
            }
            CompletableFuture<StateExchange> reply = new CompletableFuture<>();
            inbox.add(new Command.ExchangeIn(request, reply));
            StateExchange answer = reply.get(timeout, TimeUnit.MILLISECONDS);
            writeFrame(socket, keyring.seal(SwimCodec.encode(answer)));
        } catch (IOException | TimeoutException | ExecutionException e) {
            if (!closed) log.debug("{}: serving {} failed: {}", nodeId, socket.getRemoteSocketAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openSockets.remove(socket);
        }
    }

    /** Carries one outgoing exchange: connect, write the request, read and hand back the reply. */
    private void exchange(Stream stream) {
        int timeout = (int) config.streamTimeout().toMillis();
        Socket socket = new Socket();
        openSockets.add(socket);
        try (socket) {
            socket.connect(resolve(stream.destination()), timeout);
            socket.setSoTimeout(timeout);
            writeFrame(socket, keyring.seal(SwimCodec.encode(stream.exchange())));
            byte[] plain = openOrCount(readFrame(socket), "reply from " + stream.destination());
            if (plain == null) {
                inbox.add(new Command.ExchangeFailed(stream, "the reply did not authenticate"));
                return;
            }
            inbox.add(new Command.ExchangeReply(SwimCodec.decodeExchange(plain)));
        } catch (MalformedMessageException e) {
            malformed.incrementAndGet();
            inbox.add(new Command.ExchangeFailed(stream, "malformed reply: " + e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            if (!closed) inbox.add(new Command.ExchangeFailed(stream, e.toString()));
        } finally {
            openSockets.remove(socket);
        }
    }

    private static byte[] readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the connection closed before a frame arrived");
        }
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new IOException("frame of " + length + " bytes is outside 0.." + MAX_FRAME_BYTES);
        }
        return in.readNBytes(length);
    }

    private static void writeFrame(Socket socket, byte[] frame) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    /** Opens a sealed packet or frame; counts and returns null when no key authenticates it. */
    private byte[] openOrCount(byte[] sealed, String what) {
        try {
            return keyring.open(sealed);
        } catch (RejectedPacketException e) {
            rejected.incrementAndGet();
            log.debug("{}: rejected {}: {}", nodeId, what, e.getMessage());
            return null;
        }
    }

    // ---- addresses ------------------------------------------------------------------------------

    private InetSocketAddress resolve(String hostPort) {
        return resolved.computeIfAbsent(hostPort, SwimMembership::parse);
    }

    /** Parses "host:port" or "[v6]:port". */
    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("address must be host:port, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port of '" + hostPort + "' is not a number");
        }
        return new InetSocketAddress(host, port);
    }

    static String format(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("{}: closing a connection: {}", nodeId, e.toString());
        }
    }

    @Override
    public String toString() {
        return "SwimMembership[" + nodeId + " at " + address + "]";
    }
}
