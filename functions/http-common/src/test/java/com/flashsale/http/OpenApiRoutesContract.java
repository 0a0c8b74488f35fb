package com.flashsale.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document generated from a function's controllers has exactly API.md's routes of
 * that function. Each function's test names the function.
 */
public abstract class OpenApiRoutesContract {

    protected abstract String function();

    @Test
    void shouldDocumentExactlyTheApiMdRoutes_whenControllersCompiled() {
        assertThat(ApiRoutes.openApi(function())).isEqualTo(ApiRoutes.of(function()));
    }

    @Test
    void shouldCommitTheSameRoutesAsApiMd_whenSharedIsBesideTheRepository() {
        ApiRoutes.fromApiMd().ifPresentOrElse(
                routes -> assertThat(ApiRoutes.ROUTES.keySet()).as("API.md routes").containsExactlyInAnyOrderElementsOf(routes),
                () -> System.out.println("../shared/API.md not found: checked against the committed routes only"));
    }
}
