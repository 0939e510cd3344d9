package dev.hypha.gossip;

import java.net.InetSocketAddress;

/** Parses gossip addresses given as {@code HOST:PORT}. */
public final class GossipAddresses {
    private GossipAddresses() {}

    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("gossip address '" + hostPort + "' must be HOST:PORT");
        try {
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gossip address '" + hostPort + "' has no valid port");
        }
    }
}
