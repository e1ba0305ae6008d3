package dev.kapas.rules.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.rules.code.SecretDetector.Kind;
import dev.kapas.rules.code.SecretDetector.Match;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The detector on its own: every format, the name and value heuristics, the redaction. */
class SecretDetectorTest {

  // All fake: real formats padded with EXAMPLE/FAKE, as the vendors' own docs do.
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      AWS_ACCESS_KEY_ID  | AKIAIOSFODNN7EXAMPLE
      AWS_ACCESS_KEY_ID  | ASIAIOSFODNN7EXAMPLE
      GITHUB_TOKEN       | ghp_FAKE0EXAMPLE0FAKE0EXAMPLE0FAKE0EXAMP
      GITHUB_TOKEN       | ghs_FAKE0EXAMPLE0FAKE0EXAMPLE0FAKE0EXAMP
      GITHUB_TOKEN       | github_pat_11FAKEEXAMPLE0000000000_FAKEexampleFAKEexampleFAKEexample00
      GITLAB_TOKEN       | glpat-FAKEexample0FAKEexam
      SLACK_TOKEN        | xoxb-000000000000-FAKEexampleFAKEexampleFA
      SLACK_WEBHOOK      | https://hooks.slack.com/services/T00000000/B00000000/FAKEexampleFAKEexample00
      STRIPE_KEY         | sk_live_FAKEexample0FAKEexample0
      STRIPE_KEY         | rk_live_FAKEexample0FAKEexample0
      GOOGLE_API_KEY     | AIzaSyFAKE-EXAMPLE_SyFAKE-EXAMPLE_SyFAK
      NPM_TOKEN          | npm_FAKE0EXAMPLE0FAKE0EXAMPLE0FAKE0EXAMP
      DOCKER_HUB_TOKEN   | dckr_pat_FAKEexampleFAKEexampleFAKEex
      SENDGRID_KEY       | SG.FAKEexampleFAKEexample.FAKEexampleFAKEexampleFAKEexampleFAKEexampl
      VAULT_TOKEN        | hvs.FAKEexampleFAKEexampleFAKEexample
      JWT                | eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJleGFtcGxlIn0.FAKEsignatureEXAMPLEonly000
      URL_CREDENTIALS    | amqp://shop:FakeRabbitPassw0rd@mq.example.com:5672/
      URL_CREDENTIALS    | redis://:FakeRedisPassw0rd@cache:6379
      """)
  void findsTokenFormatsAnywhereInAValue(Kind kind, String token) {
    List<Match> found = SecretDetector.inValue("SETTING", "prefix " + token + " suffix");
    assertThat(found).extracting(Match::kind).containsExactly(kind);
    assertThat(found.get(0).hint()).doesNotContain(token.substring(Math.min(5, token.length() / 4 + 1)));
  }

  @Test
  void findsPemPrivateKeysWithABody() {
    String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQFAKEEXAMPLEFAKEEXAMPLE\n-----END OPENSSH PRIVATE KEY-----\n";
    assertThat(SecretDetector.inText(pem)).extracting(Match::kind).containsExactly(Kind.PRIVATE_KEY);
    assertThat(SecretDetector.inText("put your -----BEGIN PRIVATE KEY----- here")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DB_PASSWORD", "dbPassword", "db.password", "ADMIN_PASS", "passwd", "MYSQL_PWD",
      "CLIENT_SECRET", "clientSecret", "GITHUB_TOKEN", "api_key", "apiKey", "APIKEY", "AWS_SECRET_ACCESS_KEY",
      "private-key", "SIGNING_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "--db-password", "_authToken"})
  void secretLikeNames(String name) {
    assertThat(SecretDetector.isSecretName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "KEY", "PASSWORD_FILE", "SECRET_NAME", "TOKEN_URL", "TOKEN_TTL", "PASSWORD_MIN_LENGTH",
      "PRIVATE_KEY_PATH", "CLIENT_ID", "BYPASS", "KEY_ID", "monkey", "LOG_LEVEL", "SECRET_KEY_REF",
      "existingSecret", "auth.existingSecret", "USE_TOKEN"})
  void ordinaryNames(String name) {
    assertThat(SecretDetector.isSecretName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Fake-Exampl3-Passw0rd!", "S3cr3tP@ssw0rdFake", "9f86d081884c7d659a2feaa0c55ad015",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
  void highEntropyValuesUnderSecretNames(String value) {
    assertThat(SecretDetector.inValue("DB_PASSWORD", value)).extracting(Match::kind)
        .containsExactly(Kind.HIGH_ENTROPY);
    assertThat(SecretDetector.inValue("LOG_FORMAT", value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "changeme", "change-me", "CHANGE_ME", "changeit", "password", "xxxxxxxxxx",
      "********", "<password>", "${DB_PASSWORD}", "$(DB_PASSWORD)", "{{ .Values.password }}", "$DB_PASSWORD",
      "your-password-here", "REPLACE_ME_LATER", "aaaaaaaaaaaaaaaa", "12345678", "/run/secrets/db",
      "https://vault.example.com/v1/secret", "vault:secret/data/db#password", "basic-auth", "shop/db-creds",
      "db-password.txt", "true", "correct horse battery staple", "ENC[AES256_GCM,data:abc,type:str]",
      "{cipher}AQA6FakeExampleCipherText0", "ENC(FakeJasyptExample0==)"})
  void placeholdersAndReferencesAreNotSecrets(String value) {
    assertThat(SecretDetector.inValue("DB_PASSWORD", value)).isEmpty();
  }

  @Test
  void assignmentsInFilesAreFoundWithTheirLine() {
    String file = """
        # settings
        db.host = db
        db.password = Fake-Exampl3-Passw0rd!
        "apiKey": "FAKEexample9q7Zx3Lw0pKm",
        db.password.file=/etc/db/password
        connection=Server=db;User Id=shop;Password=FakeConn3ctionPw;
        """;
    assertThat(SecretDetector.inText(file))
        .extracting(m -> m.name() + "@" + m.line())
        .containsExactly("db.password@2", "apiKey@3", "Password@5");
  }

  @Test
  void theSameSecretHasTheSameFingerprint() {
    long a = SecretDetector.inValue("X", "AKIAIOSFODNN7EXAMPLE").get(0).fingerprint();
    long b = SecretDetector.inText("{\"value\":\"AKIAIOSFODNN7EXAMPLE\"}").get(0).fingerprint();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void aMatchPrintsNoMoreThanThePublicPrefix() {
    Match aws = SecretDetector.inValue("K", "AKIAIOSFODNN7EXAMPLE").get(0);
    assertThat(aws.describe()).isEqualTo("AWS access key ID (AKIA…, 20 chars)");
    Match password = SecretDetector.inValue("DB_PASSWORD", "Fake-Exampl3-Passw0rd!").get(0);
    assertThat(password.describe()).isEqualTo("high-entropy value (22 chars)");
    Match url = SecretDetector.inValue("DSN", "mysql://shop:FakeMysqlPassw0rd@db:3306/shop").get(0);
    assertThat(url.describe()).isEqualTo("URL with embedded password (mysql://…@db)").doesNotContain("shop:");
  }

  @Test
  void hugeValuesAreCutNotRefused() {
    String big = "x".repeat(SecretDetector.MAX_TEXT + 10) + " AKIAIOSFODNN7EXAMPLE";
    assertThat(SecretDetector.inText(big)).isEmpty();
    String line = "a".repeat(100_000) + "\npassword=Fake-Exampl3-Passw0rd!";
    assertThat(SecretDetector.inText(line)).hasSize(1);
  }
}
