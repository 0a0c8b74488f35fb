package com.flashsale.http;

import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Map;

/**
 * ElastiCache AUTH: when {@code flashsale.redis.auth-secret-arn} is set (env REDIS_AUTH_SECRET_ARN),
 * the token from that Secrets Manager secret (plain text, or JSON with {@code authToken},
 * {@code password} or {@code token}) becomes the password of every Redis URI, standalone or cluster.
 */
@Singleton
@Requires(property = "flashsale.redis.auth-secret-arn", pattern = ".+")
public class RedisAuthSecret implements BeanCreatedEventListener<AbstractRedisConfiguration> {

    private final SecretValues secrets;
    private final JsonMapper json;
    private final String secretArn;

    public RedisAuthSecret(SecretValues secrets, JsonMapper json,
                           @Value("${flashsale.redis.auth-secret-arn}") String secretArn) {
        this.secrets = secrets;
        this.json = json;
        this.secretArn = secretArn;
    }

    @Override
    public AbstractRedisConfiguration onCreated(BeanCreatedEvent<AbstractRedisConfiguration> event) {
        AbstractRedisConfiguration configuration = event.getBean();
        char[] token = authToken(secrets.string(secretArn)).toCharArray();
        configuration.setPassword(token);
        configuration.getUri().ifPresent(uri -> uri.setPassword(token));
        if (configuration.getUris() != null) {
            for (RedisURI uri : configuration.getUris()) {
                uri.setPassword(token);
            }
        }
        return configuration;
    }

    @SuppressWarnings("unchecked")
    private String authToken(String secret) {
        String trimmed = secret.trim();
        if (trimmed.startsWith("{")) {
            try {
                Map<String, Object> fields = json.readValue(trimmed, Map.class);
                for (String name : new String[] {"authToken", "password", "token"}) {
                    if (fields.get(name) != null) {
                        return fields.get(name).toString();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the secret " + secretArn + " is not readable JSON");
            }
            throw new IllegalStateException("the secret " + secretArn + " has no authToken");
        }
        return trimmed;
    }
}
