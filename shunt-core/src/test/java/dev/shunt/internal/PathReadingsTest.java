package dev.shunt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathReadingsTest {
  @Test
  void plainPathHasOneReadingItself() {
    assertThat(PathReadings.of("/assets/app.css")).containsExactly("/assets/app.css");
  }

  @Test
  void encodedCharactersAreDecodedAsUtf8() {
    assertThat(PathReadings.of("/assets/caf%C3%A9%20menu.css")).containsExactly("/assets/café menu.css");
  }

  @Test
  void dotSegmentsAreReadAsSentAndResolved() {
    assertThat(PathReadings.of("/assets/../admin")).containsExactly("/assets/../admin", "/admin");
    assertThat(PathReadings.of("/assets/./app.css")).containsExactly("/assets/./app.css", "/assets/app.css");
  }

  @Test
  void encodedDotSegmentsAreDecodedBeforeTheyAreResolved() {
    assertThat(PathReadings.of("/assets/%2e%2e/admin")).containsExactly("/assets/../admin", "/admin");
    assertThat(PathReadings.of("/assets/%2E./admin")).containsExactly("/assets/../admin", "/admin");
  }

  @Test
  void duplicateSlashesAreCollapsedWhenResolved() {
    assertThat(PathReadings.of("/assets//app.css")).containsExactly("/assets//app.css", "/assets/app.css");
    assertThat(PathReadings.of("//admin")).containsExactly("//admin", "/admin");
  }

  @Test
  void pathParametersAreDroppedWhenResolvedSoADotDotWithParametersStillGoesUp() {
    assertThat(PathReadings.of("/assets/..;/admin")).containsExactly("/assets/..;/admin", "/admin");
    assertThat(PathReadings.of("/assets/app.css;v=2")).containsExactly("/assets/app.css;v=2", "/assets/app.css");
  }

  @Test
  void resolvingNeverClimbsAboveTheRoot() {
    assertThat(PathReadings.of("/../../admin")).containsExactly("/../../admin", "/admin");
  }

  @Test
  void aPathEndingInADirectoryKeepsItsTrailingSlash() {
    assertThat(PathReadings.of("/assets/")).containsExactly("/assets/");
    assertThat(PathReadings.of("/assets/img/..")).containsExactly("/assets/img/..", "/assets/");
    assertThat(PathReadings.of("/")).containsExactly("/");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",                          // no path
      "assets/app.css",            // not absolute
      "/assets/%zz",               // not hex
      "/assets/%2",                // cut short
      "/assets/%C3",               // not UTF-8
      "/assets/%2fadmin",          // an encoded slash
      "/assets/..%2F..%2Fadmin",
      "/assets/%5c..%5cadmin",     // an encoded backslash
      "/assets\\..\\admin",        // a backslash
      "/assets/%252e%252e/admin",  // encoded twice
      "/assets/%00.css",           // a control character
      "/assets/app.css;v=%zz",     // a malformed parameter
  })
  void pathThatCannotBeReadSafelyHasNoReading(String path) {
    assertThat(PathReadings.of(path)).isEmpty();
    assertThat(PathReadings.every(path, reading -> true)).isFalse();
  }

  @Test
  void everyHoldsOnlyWhenEachReadingPasses() {
    assertThat(PathReadings.every("/assets/app.css", path -> path.startsWith("/assets/"))).isTrue();
    assertThat(PathReadings.every("/assets/../admin", path -> path.startsWith("/assets/"))).isFalse();
    assertThat(PathReadings.every("/admin/../assets/app.css", path -> path.startsWith("/assets/"))).isFalse();
  }
}
