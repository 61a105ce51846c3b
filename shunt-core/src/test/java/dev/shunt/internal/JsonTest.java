package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JSON string literals the responders write: safe to embed, readable where nothing needs escaping. */
class JsonTest {

  @Test
  void plainTextIsQuotedAsItIs() {
    assertThat(Json.quote("deploy 42")).isEqualTo("\"deploy 42\"");
  }

  @Test
  void emptyTextIsAnEmptyLiteral() {
    assertThat(Json.quote("")).isEqualTo("\"\"");
  }

  @Test
  void quoteIsEscaped() {
    assertThat(Json.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
  }

  @Test
  void backslashIsEscaped() {
    assertThat(Json.quote("C:\\deploy")).isEqualTo("\"C:\\\\deploy\"");
  }

  @Test
  void newlineCarriageReturnAndTabAreEscapedShort() {
    assertThat(Json.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
  }

  @Test
  void otherControlCharactersAreEscapedAsUnicode() {
    assertThat(Json.quote("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
  }

  @Test
  void htmlSignificantCharactersAreEscapedAsUnicode() {
    assertThat(Json.quote("<b>&")).isEqualTo("\"\\u003cb\\u003e\\u0026\"");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscapedAsUnicode() {
    assertThat(Json.quote("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void nonAsciiTextIsKeptAsItIs() {
    assertThat(Json.quote("Zürich ✓ \uD83D\uDE80")).isEqualTo("\"Zürich ✓ \uD83D\uDE80\"");
  }
}
