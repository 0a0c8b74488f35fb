package com.flashsale.shared.secrets;

import java.util.Map;

/** Reads a secret by its ARN. Values are never logged. */
public interface SecretSource {

    /** The secret's string as stored. */
    String string(String secretArn);

    /** The secret's string read as a JSON object. */
    Map<String, Object> json(String secretArn);
}
