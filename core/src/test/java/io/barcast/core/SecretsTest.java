package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksEveryPasswordParameterOfAUrlAndNothingElse() {
        assertThat(
                        Secrets.maskUrlPasswords(
                                "jdbc:postgresql://db/x?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=***&ssl=true");
        assertThat(Secrets.maskUrlPasswords("jdbc:x://h;Password=p1;user=u and ?password=p2 left"))
                .isEqualTo("jdbc:x://h;Password=***;user=u and ?password=*** left");
        assertThat(Secrets.maskUrlPasswords("jdbc:postgresql://db/x?user=a"))
                .isEqualTo("jdbc:postgresql://db/x?user=a");
        assertThat(Secrets.maskUrlPasswords(null)).isNull();
    }

    @Test
    void masksEveryOccurrenceOfAGivenSecret() {
        assertThat(Secrets.mask("key k3y, again k3y", "k3y")).isEqualTo("key ***, again ***");
        assertThat(Secrets.mask("nothing to hide", "")).isEqualTo("nothing to hide");
        assertThat(Secrets.mask("nothing to hide", null)).isEqualTo("nothing to hide");
        assertThat(Secrets.mask(null, "k3y")).isNull();
    }
}
