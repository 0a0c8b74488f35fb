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

    @Test
    void shouldRefuseWithForbidden_whenAdminRouteWithoutScope() {
        assertThatThrownBy(() -> Caller.admin(Events.user("u-1").event()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("FORBIDDEN"));
        assertThat(Caller.admin(Events.admin().event()).admin()).isTrue();
    }
}
