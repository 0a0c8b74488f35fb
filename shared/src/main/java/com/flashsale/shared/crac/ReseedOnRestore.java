package com.flashsale.shared.crac;

import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

/** After a SnapStart restore: a freshly seeded {@link RestoreSafeRandom} (see there why). */
@Singleton
public class ReseedOnRestore implements OrderedResource {

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // nothing to close
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        RestoreSafeRandom.shared().reseed();
    }
}
