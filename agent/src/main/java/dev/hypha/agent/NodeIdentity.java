package dev.hypha.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** The node's default id: the host name, lowercased and made a valid Hypha name. */
public final class NodeIdentity {
    private NodeIdentity() {}

    public static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        return sanitize(host);
    }

    /** "My_Host.example" → "my-host-example"; never empty, starts with a letter, at most 63 characters. */
    public static String sanitize(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-")
                .replaceAll("^-|-$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) s = "node-" + s;
        if (s.length() > 63) s = s.substring(0, 63).replaceAll("-$", "");
        return s;
    }
}
