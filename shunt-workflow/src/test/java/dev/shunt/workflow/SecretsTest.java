package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void masksEveryOccurrenceOfEveryValue() {
    Secrets secrets = Secrets.of("tok-123456", "pw-abcdef");

    assertThat(secrets.mask("token tok-123456, again tok-123456, password pw-abcdef"))
        .isEqualTo("token ****, again ****, password ****");
  }

  @Test
  void aSecretThatHoldsAnotherIsMaskedWhole() {
    Secrets secrets = Secrets.of("abc123", "xyz-abc123-xyz");

    assertThat(secrets.mask("value xyz-abc123-xyz")).isEqualTo("value ****");
  }

  @Test
  void masksThePasswordOfEveryUrlButKeepsTheUser() {
    assertThat(Secrets.none().mask("GET http://deploy:s3cret@web-1:8080/ready and https://a:b@c/x?y"))
        .isEqualTo("GET http://deploy:****@web-1:8080/ready and https://a:****@c/x?y");
  }

  @Test
  void leavesUrlsWithoutCredentialsAndMailAddressesAlone() {
    String text = "http://web-1:8080/health, ops@example.com, http://h:80/a@b, ssh deploy@web-1";

    assertThat(Secrets.none().mask(text)).isEqualTo(text);
  }

  @Test
  void masksTheUserPartOfAUrlWithoutPasswordWhichIsLikelyAToken() {
    assertThat(Secrets.none().mask("clone https://ghp_16C7e42F292c6912E7710c8@github.com/acme/app.git and"
        + " http://deploy@web-1/"))
        .isEqualTo("clone https://****@github.com/acme/app.git and http://****@web-1/");
  }

  @Test
  void emptyValuesAreIgnoredAndToStringShowsNoValue() {
    Secrets secrets = Secrets.of("", "tok-123456");

    assertThat(secrets.size()).isEqualTo(1);
    assertThat(secrets.mask("a b")).isEqualTo("a b");
    assertThat(secrets.toString()).isEqualTo("Secrets[1 value]").doesNotContain("tok-123456");
  }

  @Test
  void andCombinesTheValuesOfBoth() {
    Secrets both = Secrets.of("tok-123456").and(Secrets.of("pw-abcdef"));

    assertThat(both.mask("tok-123456 pw-abcdef")).isEqualTo("**** ****");
  }
}
