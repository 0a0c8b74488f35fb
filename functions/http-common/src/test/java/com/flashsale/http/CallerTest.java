package com.flashsale.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    @ParameterizedTest
    @ValueSource(strings = {"flashsale/admin", "openid flashsale/admin", "[openid flashsale/admin]", "[flashsale/admin]",
            "openid,flashsale/admin"})
    void shouldSeeAdminScope_whenGatewayPassesItInAnyShape(String scope) {
        assertThat(Caller.hasAdminScope(scope)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "openid", "flashsale/administrator", "xflashsale/admin", "flashsale/admin2"})
    void shouldNotSeeAdminScope_whenOnlySimilar(String scope) {
        assertThat(Caller.hasAdminScope(scope)).isFalse();
    }

    @Test
    void shouldTakeIdentityFromClaimsAndAddressFromContext_whenPresent() {
        Caller caller = Caller.user(Events.user("u-42").from("198.51.100.7").event());

        assertThat(caller).isEqualTo(new Caller("u-42", false, "198.51.100.7"));
    }

    @Test
    void shouldRefuseWithUnauthorized_whenNoClaims() {
        assertThatThrownBy(() -> Caller.user(Events.anonymous().event()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHORIZED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"u\u0000nul", "\u0000", "tab\tuser", "line\nbreak", "del\u007F", "c1\u0085",
            "lone\uD800surrogate", "trailing\uDC00", "high-at-end\uD83D", " ", ""})
    void shouldRefuseWithUnauthorized_whenSubHoldsWhatTheStoresCannotKeep(String sub) {
        assertThatThrownBy(() -> Caller.user(Events.user(sub).event()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHORIZED"));
    }

    @Test
    void shouldRefuseWithUnauthorized_whenSubAbsurdlyLong() {
        assertThatThrownBy(() -> Caller.user(Events.user("u".repeat(Caller.MAX_USER_ID_LENGTH + 1)).event()))
                .isInstanceOf(ApiException.class);
        assertThat(Caller.user(Events.user("u".repeat(Caller.MAX_USER_ID_LENGTH)).event()).userId())
                .hasSize(Caller.MAX_USER_ID_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth0|5f7c8ec7c33c6c004bbafe82", "ユーザー", "emoji\uD83D\uDE00user", "a b", "u@example.com"})
    void shouldAccept_whenSubIsPrintableUnicode(String sub) {
        assertThat(Caller.user(Events.user(sub).event()).userId()).isEqualTo(sub);
    }

    @Test
    void shouldRefuseWithForbidden_whenAdminRouteWithoutScope() {
        assertThatThrownBy(() -> Caller.admin(Events.user("u-1").event()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("FORBIDDEN"));
        assertThat(Caller.admin(Events.admin().event()).admin()).isTrue();
    }
}
