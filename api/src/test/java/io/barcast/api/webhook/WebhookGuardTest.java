package io.barcast.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forgery guard: what a webhook URL may point at. Names resolve through a table of the test's
 * own (no network), except {@code localhost}, which the machine's resolver answers.
 */
class WebhookGuardTest {

    private static final Map<String, String> NAMES =
            Map.of(
                    "hooks.example.com", "93.184.216.34",
                    "intranet.example.com", "10.0.0.5",
                    "cgnat.example.com", "100.64.1.2",
                    "ula.example.com", "fd00:ec2::254",
                    "mixed.example.com", "93.184.216.34,192.168.1.1");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equals("localhost")) {
            return InetAddress.getAllByName(host);
        }
        String addresses = NAMES.get(host);
        if (addresses == null) {
            if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        String[] parts = addresses.split(",");
        InetAddress[] resolved = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            resolved[i] = InetAddress.getByName(parts[i]);
        }
        return resolved;
    }

    private final WebhookGuard guard = new WebhookGuard(List.of(), WebhookGuardTest::resolve);

    @Test
    void refusesInternalAddresses() {
        refused("http://169.254.169.254/latest/meta-data/", "link-local");
        refused("http://localhost:8090/", "loopback");
        refused("http://127.0.0.1:8090/", "loopback");
        refused("http://[::1]/", "loopback");
        refused("http://0.0.0.0/", "any-local");
        refused("http://10.1.2.3/", "private");
        refused("http://172.16.0.1/", "private");
        refused("http://192.168.0.1/", "private");
        refused("http://[fe80::1]/", "link-local");
        refused("http://224.0.0.1/", "multicast");
        refused("http://[::ffff:10.0.0.1]/", "private");
        refused("http://[64:ff9b::a00:1]/", "private");
        refused("http://2130706433/", "loopback");
        refused("http://metadata.google.internal/computeMetadata/v1/", "metadata");
    }

    @Test
    void refusesNamesThatResolveInside() {
        refused("https://intranet.example.com/hook", "private");
        refused("https://cgnat.example.com/hook", "carrier-grade");
        refused("https://ula.example.com/hook", "unique local");
        // one internal address among public ones is enough to refuse
        refused("https://mixed.example.com/hook", "private");
        refused("https://nowhere.example.com/hook", "does not resolve");
    }

    @Test
    void refusesOtherSchemesAndUserInfo() {
        refused("ftp://hooks.example.com/x", "http");
        refused("file:///etc/passwd", "http");
        refused("hooks.example.com/x", "http");
        refused("https://user:pw@hooks.example.com/x", "user name");
        refused("https://user@hooks.example.com/x", "user name");
        refused("https://hooks.example.com/" + "x".repeat(2_100), "longer");
        refused("http:///nohost", "no host");
    }

    @Test
    void allowsPublicAddressesAndTheAllowlist() throws Exception {
        assertThat(guard.check("https://hooks.example.com/hook?t=1").getHost())
                .isEqualTo("hooks.example.com");
        assertThat(guard.check("http://93.184.216.34:8080/x").getPort()).isEqualTo(8080);
        assertThat(guard.check("https://[2606:2800:220:1:248:1893:25c8:1946]/x")).isNotNull();
        WebhookGuard allowing =
                new WebhookGuard(
                        List.of("127.0.0.1", "Intranet.Example.com"), WebhookGuardTest::resolve);
        assertThat(allowing.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
        assertThat(allowing.check("https://intranet.example.com/hook")).isNotNull();
        // the allowlist names hosts, not everything internal
        assertThatThrownBy(() -> allowing.check("http://localhost:9000/"))
                .isInstanceOf(WebhookGuard.Refused.class);
    }

    private void refused(String url, String why) {
        assertThatThrownBy(() -> guard.check(url))
                .as(url)
                .isInstanceOf(WebhookGuard.Refused.class)
                .hasMessageContaining(why);
    }
}
