package io.barcast.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets and signatures of the Standard Webhooks specification (standardwebhooks.com): a secret is
 * {@code whsec_} and the base64 of 32 random bytes; a signature is {@code v1,} and the base64 of
 * HMAC-SHA256 over {@code {msg id}.{unix seconds}.{body}}, keyed with the secret's decoded bytes.
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header's value for one attempt. */
    public static String sign(String secret, String messageId, long unixSeconds, String body) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest =
                    mac.doFinal(
                            (messageId + "." + unixSeconds + "." + body)
                                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
