package io.barcast.jobs.local;

import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.PipelineOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the servers of the local stack listen ({@code bind-address}), and the address the stack's
 * own clients use to reach them: the bind address itself, or the loopback address when it is a
 * wildcard such as {@code 0.0.0.0}.
 *
 * @param host the IP address servers bind to
 * @param wildcard whether {@code host} stands for every interface
 * @param loopback whether {@code host} is a loopback address, closed to other machines
 */
public record BindAddress(String host, boolean wildcard, boolean loopback) {

    /** The loopback address: closed to other machines. */
    public static final BindAddress LOOPBACK = new BindAddress("127.0.0.1", false, true);

    /** The {@code bind-address} of the settings. */
    public static BindAddress of(BarcastConfig config) {
        try {
            return parse(config.get(PipelineOptions.BIND_ADDRESS));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(PipelineOptions.BIND_ADDRESS.key(), e.getMessage());
        }
    }

    /** An IP address or a host name of this machine. */
    public static BindAddress parse(String hostOrAddress) {
        String trimmed = hostOrAddress.trim();
        try {
            InetAddress address = InetAddress.getByName(trimmed);
            return new BindAddress(
                    address.getHostAddress(),
                    address.isAnyLocalAddress(),
                    address.isLoopbackAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + trimmed + "'", e);
        }
    }

    /** The host clients on this machine connect to. */
    public String connectHost() {
        return wildcard ? LOOPBACK.host : host;
    }

    /** An HTTP address of a server on this address, for people to open. */
    public String url(int port, String path) {
        return "http://" + inUrl(connectHost()) + ":" + port + path;
    }

    /** How far a server on this address can be reached, for the start-up summary. */
    public String reach() {
        if (loopback) {
            return "this machine only";
        }
        return wildcard
                ? "open to the network: listening on all interfaces"
                : "open to the network: listening on " + host;
    }

    /** {@code host:port}, IPv6 addresses in brackets. */
    public static String hostAndPort(String host, int port) {
        return inUrl(host) + ":" + port;
    }

    private static String inUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
