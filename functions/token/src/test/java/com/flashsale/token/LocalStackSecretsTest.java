package com.flashsale.token;

import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS side, emulated by LocalStack: the purchase-token keys come from a Secrets Manager secret
 * shaped as infra-terraform writes it. Needs Docker; without it JUnit reports this class skipped
 * ("Docker is not available"). The same path without Docker: result's SecretsConfigurationTest.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSecretsTest {

    private static final String CURRENT = "k2:" + "c".repeat(40);
    private static final String PREVIOUS = "k1:" + "p".repeat(40);

    @Container
    private static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
            .withServices(LocalStackContainer.Service.SECRETSMANAGER);

    @Test
    void shouldSignAndVerifyWithTheKeysOfTheSecret_whenTheArnIsConfigured() throws Exception {
        String arn;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            arn = secrets.createSecret(r -> r.name("flashsale/token-keys")
                    .secretString("{\"current\":\"" + CURRENT + "\",\"previous\":\"" + PREVIOUS + "\"}")).arn();
        }
        // the SDK in the function finds LocalStack the way it finds AWS: from its standard settings
        System.setProperty("aws.endpointUrl", LOCALSTACK.getEndpoint().toString());
        System.setProperty("aws.region", LOCALSTACK.getRegion());
        System.setProperty("aws.accessKeyId", LOCALSTACK.getAccessKey());
        System.setProperty("aws.secretAccessKey", LOCALSTACK.getSecretKey());

        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "flashsale.token.keys-secret-arn", arn, "redis.uri", "redis://127.0.0.1:1"))) {
            PurchaseTokenCodec codec = context.getBean(PurchaseTokenCodec.class);
            String signedWithPrevious = new PurchaseTokenCodec(TokenKey.parse(PREVIOUS), Optional.empty())
                    .encode(new PurchaseToken("u", "p", "n", Instant.now().plusSeconds(60)));

            assertThat(codec.verify(signedWithPrevious, "u", "p", Instant.now()).nonce()).isEqualTo("n");
            assertThat(codec.encode(new PurchaseToken("u", "p", "m", Instant.now().plusSeconds(60)))).isNotBlank();
        } finally {
            for (String property : new String[] {"aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey"}) {
                System.clearProperty(property);
            }
        }
    }
}
