package com.flashsale.shared.secrets;

import com.flashsale.shared.config.RedisAuthConfiguration;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * ElastiCache AUTH. When {@code flashsale.redis.auth-secret-arn} is set
 * (env {@code REDIS_AUTH_SECRET_ARN}), the token of that secret (plain text, or JSON with
 * {@code authToken}, {@code password} or {@code token}) is the password of every Redis URI.
 */
@Singleton
@Requires(beans = SecretSource.class)
@Requires(property = "flashsale.redis.auth-secret-arn", pattern = ".+")
public class RedisAuthCredentials implements BeanCreatedEventListener<AbstractRedisConfiguration> {

    private static final String[] TOKEN_FIELDS = {"authToken", "password", "token"};

    private final SecretSource secrets;
    private final String secretArn;

    public RedisAuthCredentials(SecretSource secrets, RedisAuthConfiguration configuration) {
        this.secrets = secrets;
        this.secretArn = configuration.authSecretArn();
    }

    @Override
    public AbstractRedisConfiguration onCreated(BeanCreatedEvent<AbstractRedisConfiguration> event) {
        AbstractRedisConfiguration redis = event.getBean();
        char[] token = token().toCharArray();
        redis.setPassword(token);
        redis.getUri().ifPresent(uri -> uri.setPassword(token));
        if (redis.getUris() != null) {
            for (RedisURI uri : redis.getUris()) {
                uri.setPassword(token);
            }
        }
        return redis;
    }

    private String token() {
        String secret = secrets.string(secretArn).trim();
        if (!secret.startsWith("{")) {
            return secret;
        }
        Map<String, Object> fields = secrets.json(secretArn);
        for (String field : TOKEN_FIELDS) {
            if (fields.get(field) != null) {
                return fields.get(field).toString();
            }
        }
        throw new IllegalStateException("the secret " + secretArn + " has no authToken");
    }
}
