package com.flashsale.shared.secrets;

import com.flashsale.shared.config.RedisAuthConfiguration;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/**
 * ElastiCache AUTH. When {@code flashsale.redis.auth-secret-arn} is set
 * (env {@code REDIS_AUTH_SECRET_ARN}), the token of that secret (plain text, or JSON with
 * {@code authToken}, {@code password} or {@code token}) authenticates every Redis URI. Lettuce asks
 * for it at every (re)connection, so a rotated token (ElastiCache's ROTATE keeps both valid until
 * SET) is read within {@link #MAX_AGE}, and at once after a SnapStart restore ({@link SecretCache}).
 */
@Singleton
@Requires(beans = SecretSource.class)
@Requires(property = "flashsale.redis.auth-secret-arn", pattern = ".+")
public class RedisAuthCredentials implements BeanCreatedEventListener<AbstractRedisConfiguration> {

    private static final String[] TOKEN_FIELDS = {"authToken", "password", "token"};
    /**
     * How old a token read may be at a (re)connection: a rotation's SET may follow the secret's
     * update after this long (only handshakes read it, so a short age costs few reads).
     */
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final SecretCache secrets;
    private final String secretArn;

    public RedisAuthCredentials(SecretCache secrets, RedisAuthConfiguration configuration) {
        this.secrets = secrets;
        this.secretArn = configuration.authSecretArn();
    }

    @Override
    public AbstractRedisConfiguration onCreated(BeanCreatedEvent<AbstractRedisConfiguration> event) {
        AbstractRedisConfiguration redis = event.getBean();
        RedisCredentialsProvider provider = new Provider();
        redis.setPassword(token().toCharArray());
        redis.getUri().ifPresent(uri -> uri.setCredentialsProvider(provider));
        if (redis.getUris() != null) {
            for (RedisURI uri : redis.getUris()) {
                uri.setCredentialsProvider(provider);
            }
        }
        return redis;
    }

    private String token() {
        String secret = secrets.string(secretArn, MAX_AGE).trim();
        if (!secret.startsWith("{")) {
            return secret;
        }
        Map<String, Object> fields = secrets.json(secretArn, MAX_AGE);
        for (String field : TOKEN_FIELDS) {
            if (fields.get(field) != null) {
                return fields.get(field).toString();
            }
        }
        throw new IllegalStateException("the secret " + secretArn + " has no authToken");
    }

    /** The token of the moment, for each connection handshake. */
    private final class Provider implements RedisCredentialsProvider.ImmediateRedisCredentialsProvider {

        @Override
        public RedisCredentials resolveCredentialsNow() {
            return RedisCredentials.just(null, token());
        }
    }
}
