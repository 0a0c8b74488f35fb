package com.flashsale.shared.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurchaseTokenCodecTest {

    private static final TokenKey OLD = new TokenKey("k1", bytes('a'));
    private static final TokenKey CURRENT = new TokenKey("k2", bytes('b'));
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private final PurchaseTokenCodec codec = new PurchaseTokenCodec(CURRENT, Optional.of(OLD));

    private static byte[] bytes(char fill) {
        return String.valueOf(fill).repeat(32).getBytes(StandardCharsets.UTF_8);
    }

    private static String issue(TokenKey key, String user, String product, Instant expiry) {
        return new PurchaseTokenCodec(key, Optional.empty()).encode(new PurchaseToken(user, product, "nonce-1", expiry));
    }

    @Test
    void shouldAcceptAFreshTokenOfThisUserAndProduct() throws Exception {
        PurchaseToken token = codec.verify(issue(CURRENT, "alice", "p1", NOW.plusSeconds(60)), "alice", "p1", NOW);

        assertThat(token).isEqualTo(new PurchaseToken("alice", "p1", "nonce-1", NOW.plusSeconds(60)));
    }

    @Test
    void shouldStillAcceptTokensOfThePreviousKey_afterARotation() throws Exception {
        assertThat(codec.verify(issue(OLD, "alice", "p1", NOW.plusSeconds(60)), "alice", "p1", NOW).nonce())
                .isEqualTo("nonce-1");
    }

    @Test
    void shouldRefuseAForgedSignature() {
        String token = issue(CURRENT, "alice", "p1", NOW.plusSeconds(60));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[32]);

        assertThatThrownBy(() -> codec.verify(forged, "alice", "p1", NOW)).isInstanceOf(InvalidPurchaseTokenException.class);
    }

    @Test
    void shouldRefuseATokenSignedWithAnUnknownKey() {
        String token = issue(new TokenKey("k2", bytes('z')), "alice", "p1", NOW.plusSeconds(60));
        String otherKid = issue(new TokenKey("k9", bytes('b')), "alice", "p1", NOW.plusSeconds(60));

        assertThatThrownBy(() -> codec.verify(token, "alice", "p1", NOW)).hasMessage("bad signature");
        assertThatThrownBy(() -> codec.verify(otherKid, "alice", "p1", NOW)).hasMessage("unknown signing key");
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        String token = issue(CURRENT, "alice", "p1", NOW.plusSeconds(60));

        assertThatThrownBy(() -> codec.verify(token, "alice", "p1", NOW.plusSeconds(60))).hasMessage("expired");
    }

    @Test
    void shouldRefuseATokenOfAnotherUserOrProduct() {
        String token = issue(CURRENT, "alice", "p1", NOW.plusSeconds(60));

        assertThatThrownBy(() -> codec.verify(token, "bob", "p1", NOW)).isInstanceOf(InvalidPurchaseTokenException.class);
        assertThatThrownBy(() -> codec.verify(token, "alice", "p2", NOW)).isInstanceOf(InvalidPurchaseTokenException.class);
    }

    @Test
    void shouldRefuseGarbageAndTheNoneAlgorithm() {
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"k2\"}".getBytes())
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"alice\",\"pid\":\"p1\",\"jti\":\"n\",\"exp\":9999999999}".getBytes())
                + ".";

        for (String bad : new String[] {null, "", "abc", "a.b.c", "x".repeat(5000), unsigned}) {
            assertThatThrownBy(() -> codec.verify(bad, "alice", "p1", NOW)).isInstanceOf(InvalidPurchaseTokenException.class);
        }
    }

    @Test
    void shouldRefuseShortKeys_andNeverPrintTheSecret() {
        assertThatThrownBy(() -> new TokenKey("k", new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThat(TokenKey.parse("k3:" + "s".repeat(40)).toString()).isEqualTo("TokenKey[k3]").doesNotContain("sss");
    }
}
