package com.flashsale.shared.secrets;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * RDS IAM authentication: the password is a SigV4-presigned {@code connect} request for the user
 * (service {@code rds-db}, valid 15 minutes), signed with the function role's credentials, as the
 * SDK's {@code RdsUtilities.generateAuthenticationToken} makes it (without the 10 MB RDS client).
 * Only new connections use it; a token is reused for 10 minutes.
 */
final class IamAuthToken implements DatabasePassword {

    private static final Duration VALIDITY = Duration.ofMinutes(15);
    private static final Duration REUSE = Duration.ofMinutes(10);

    private final String host;
    private final int port;
    private final String user;
    private final Clock clock;
    private volatile Token token;

    IamAuthToken(String jdbcUrl, String user, Clock clock) {
        // jdbc:postgresql://host:port/db?...
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : 5432;
        this.user = user;
        this.clock = clock;
    }

    @Override
    public String current() {
        Token known = token;
        return known != null && known.madeAt().plus(REUSE).isAfter(clock.instant()) ? known.value() : refreshed();
    }

    @Override
    public String refreshed() {
        Token made = new Token(sign(), clock.instant());
        token = made;
        return made.value();
    }

    private String sign() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET).protocol("https").host(host).port(port).encodedPath("/")
                .putRawQueryParameter("Action", "connect").putRawQueryParameter("DBUser", user).build();
        AwsCredentialsIdentity credentials = DefaultCredentialsProvider.builder().build().resolveCredentials();
        String region = new DefaultAwsRegionProviderChain().getRegion().id();
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "rds-db")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, VALIDITY)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        // the token is the presigned URL without its scheme
        return signed.request().getUri().toString().substring("https://".length());
    }

    private record Token(String value, Instant madeAt) {
    }
}
