package io.barcast.api.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps webhooks from reaching what the API's own network can reach but a caller should not
 * (server-side request forgery): only {@code http}/{@code https} URLs without user info, whose host
 * resolves only to public addresses. Loopback, private (RFC 1918, CGNAT 100.64/10, IPv6 ULA
 * fc00::/7), link-local, any-local, multicast and cloud metadata addresses are refused unless the
 * host is in {@code api.webhooks.allowed-hosts}. Checked when a webhook is saved and again before
 * every attempt, since what a name resolves to may change.
 */
public final class WebhookGuard {

    /** Resolves a host name to its addresses; tests give names of their own. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why a URL is refused, in words a caller can act on (never holding secrets). */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    static final int MAX_URL_LENGTH = 2_000;

    private static final Set<String> METADATA_NAMES =
            Set.of("metadata.google.internal", "metadata", "instance-data");

    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public WebhookGuard(List<String> allowedHosts, Resolver resolver) {
        this.allowedHosts =
                allowedHosts.stream().map(WebhookGuard::normalHost).collect(Collectors.toSet());
        this.resolver = resolver;
    }

    public WebhookGuard(List<String> allowedHosts) {
        this(allowedHosts, InetAddress::getAllByName);
    }

    /** {@code url} parsed, when the API may send to it now; {@link Refused} saying why not. */
    public URI check(String url) throws Refused {
        if (url == null || url.isBlank()) {
            throw new Refused("url is missing");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new Refused("url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("url must not hold a user name or password");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("url has no host (or one that is not a valid host name)");
        }
        String host = normalHost(uri.getHost());
        if (allowedHosts.contains(host)) {
            return uri;
        }
        if (METADATA_NAMES.contains(host)) {
            throw new Refused("url points at a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("url's host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused("url's host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = internalKind(address);
            if (kind != null) {
                throw new Refused(
                        "url's host "
                                + host
                                + " is "
                                + kind
                                + " ("
                                + address.getHostAddress()
                                + "); only public addresses, or hosts in"
                                + " api.webhooks.allowed-hosts");
            }
        }
        return uri;
    }

    /** What kind of internal address {@code address} is, or null for a public one. */
    static String internalKind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an any-local address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            // 169.254.169.254 and fe80::/10: the metadata services among them
            return "a link-local or metadata address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff) {
                return "a reserved address";
            }
            if (first == 100 && (second & 0xc0) == 64) {
                return "a private (carrier-grade NAT) address";
            }
            return null;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                // fc00::/7, fd00:ec2::254 (the EC2 metadata service) among them
                return "a private (unique local) address";
            }
            if (embedsIpv4(b)) {
                try {
                    byte[] v4 = {b[12], b[13], b[14], b[15]};
                    return internalKind(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    return "an address that cannot be read";
                }
            }
        }
        return null;
    }

    /** ::a.b.c.d, ::ffff:a.b.c.d (when not already an IPv4 address) and NAT64 64:ff9b::/96. */
    private static boolean embedsIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix
                && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return true;
        }
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = b[i] == 0;
        }
        return nat64;
    }

    private static String normalHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }
}
