package io.barcast.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signatures as the Standard Webhooks libraries make them, and secrets of the right shape. */
class WebhookSignatureTest {

    @Test
    void signsAsTheStandardWebhooksReferenceDoes() {
        // the test vector of the specification's reference libraries
        assertThat(
                        WebhookSignature.sign(
                                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                1614265330,
                                "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void secretsAreWhsecAndThirtyTwoRandomBytes() {
        String one = WebhookSignature.newSecret();
        String two = WebhookSignature.newSecret();
        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(32);
    }
}
