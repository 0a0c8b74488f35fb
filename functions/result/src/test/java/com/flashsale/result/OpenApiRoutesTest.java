package com.flashsale.result;

import com.flashsale.http.ApiRoutes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document generated from the controllers has exactly API.md's routes of this function. */
class OpenApiRoutesTest {

    @Test
    void shouldDocumentExactlyTheApiMdRoutes_whenControllersCompiled() {
        assertThat(ApiRoutes.openApi("result")).isEqualTo(ApiRoutes.of("result"));
    }

    @Test
    void shouldCommitTheSameRoutesAsApiMd_whenSharedIsBesideTheRepository() {
        ApiRoutes.fromApiMd().ifPresentOrElse(
                routes -> assertThat(ApiRoutes.ROUTES.keySet()).as("API.md routes").containsExactlyInAnyOrderElementsOf(routes),
                () -> System.out.println("../shared/API.md not found: checked against the committed routes only"));
    }
}
