package com.flashsale.shared.db;

import java.util.Map;

/** Reads a JSON secret by its ARN. Values are never logged. */
public interface SecretSource {

    Map<String, Object> json(String secretArn);
}
