package com.flashsale.shared.secrets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The RDS IAM token is the presigned connect request RDS Proxy expects (checked offline: shape, not AWS). */
class IamAuthTokenTest {

    private static final Map<String, String> AWS = Map.of("aws.region", "eu-west-1",
            "aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    @BeforeEach
    void credentials() {
        AWS.forEach(System::setProperty);
    }

    @AfterEach
    void clear() {
        AWS.keySet().forEach(System::clearProperty);
    }

    @Test
    void shouldPresignAConnectRequestForTheUser_whenAskedForAPassword() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T03:00:00Z"), ZoneOffset.UTC);
        IamAuthToken token = new IamAuthToken(
                "jdbc:postgresql://flashsale.proxy-abc.eu-west-1.rds.amazonaws.com:5432/flashsale?sslmode=verify-full",
                "flashsale", clock);

        String password = token.current();

        assertThat(password).startsWith("flashsale.proxy-abc.eu-west-1.rds.amazonaws.com:5432/?")
                .contains("Action=connect", "DBUser=flashsale", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                        "X-Amz-Credential=AKIDEXAMPLE%2F20261206%2Feu-west-1%2Frds-db%2Faws4_request",
                        "X-Amz-Date=20261206T030000Z", "X-Amz-Expires=900", "X-Amz-Signature=");
        assertThat(token.current()).isEqualTo(password);
    }
}
