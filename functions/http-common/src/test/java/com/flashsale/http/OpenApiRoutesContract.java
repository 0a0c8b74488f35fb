package com.flashsale.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document generated from a function's controllers has exactly the manifest's routes
 * of that function, and the manifest has exactly docs/api.md's. Each function's test names the function.
 */
public abstract class OpenApiRoutesContract {

    protected abstract String function();

    @Test
    void shouldDocumentExactlyTheManifestRoutes_whenControllersCompiled() {
        assertThat(ApiRoutes.openApi(function())).isEqualTo(ApiRoutes.of(function()));
    }

    @Test
    void shouldListTheSameRoutesAsTheApiDocument() {
        assertThat(ApiRoutes.ROUTES.keySet()).as("docs/api.md routes").containsExactlyInAnyOrderElementsOf(ApiRoutes.fromApiMd());
    }
}
