package dev.shunt.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemcachedFlushStepBuilderTest {

  private static MemcachedFlushStep.Builder minimal() {
    return MemcachedFlushStep.builder().servers("{host}:11211");
  }

  @Test
  void defaultsAreNamedFlushCacheWithoutDelay() {
    MemcachedFlushStep step = minimal().build();

    assertThat(step.name()).isEqualTo("flush-cache");
    assertThat(step).hasToString("flush-cache(memcached [{host}:11211])");
  }

  @Test
  void delayShowsInTheDescription() {
    assertThat(minimal().name("flush-sessions").delay(Duration.ofSeconds(5)).build())
        .hasToString("flush-sessions(memcached [{host}:11211], delay=PT5S)");
  }

  @Test
  void serversAreCopied() {
    String[] servers = {"cache-1"};
    MemcachedFlushStep step = MemcachedFlushStep.builder().servers(servers).build();
    servers[0] = "cache-2";

    assertThat(step).hasToString("flush-cache(memcached [cache-1])");
  }

  @Test
  void rejectsMissingServers() {
    assertThatIllegalArgumentException().isThrownBy(() -> MemcachedFlushStep.builder().build())
        .withMessage("servers must name at least one server and no null, was null");
  }

  @Test
  void rejectsNoServers() {
    assertThatIllegalArgumentException().isThrownBy(() -> MemcachedFlushStep.builder().servers(List.of()).build())
        .withMessage("servers must name at least one server and no null, was []");
  }

  @Test
  void rejectsANullServer() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MemcachedFlushStep.builder().servers(Arrays.asList("cache-1", null)).build())
        .withMessage("servers must name at least one server and no null, was [cache-1, null]");
  }

  @Test
  void rejectsABlankServer() {
    assertThatIllegalArgumentException().isThrownBy(() -> MemcachedFlushStep.builder().servers(" ").build())
        .withMessage("servers must not hold a blank server, was [ ]");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> MemcachedFlushStep.builder().servers("{host}:99999").build())
        .withMessage("servers must be host or host:port each, was [{host}:99999]: host 'host.example:99999' names"
            + " port '99999', which is not from 1 to 65535");
  }

  @Test
  void rejectsAFractionOfASecondAsDelay() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().delay(Duration.ofMillis(1500)).build())
        .withMessage("delay must be zero or whole seconds up to PT720H (memcached counts in seconds and reads more"
            + " as a date), was PT1.5S");
  }

  @Test
  void rejectsANegativeDelay() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().delay(Duration.ofSeconds(-1)).build())
        .withMessageEndingWith("was PT-1S");
  }

  @Test
  void rejectsADelayMemcachedWouldReadAsADate() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().delay(Duration.ofDays(30).plusSeconds(1)).build())
        .withMessageEndingWith("was PT720H1S");
  }

  @Test
  void acceptsThirtyDaysOfDelay() {
    assertThat(minimal().delay(Duration.ofDays(30)).build()).hasToString("flush-cache(memcached [{host}:11211], delay=PT720H)");
  }

  @Test
  void rejectsZeroConnectTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().connectTimeout(Duration.ZERO).build())
        .withMessage("connectTimeout must be a positive duration, was PT0S");
  }

  @Test
  void rejectsMissingReadTimeout() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().readTimeout(null).build())
        .withMessage("readTimeout must be a positive duration, was null");
  }

  @Test
  void rejectsABlankName() {
    assertThatIllegalArgumentException().isThrownBy(() -> minimal().name(" ").build())
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void serversMayBeAnImmutableList() {
    assertThat(MemcachedFlushStep.builder().servers(List.of("cache-1:11211", "cache-2")).build().toString())
        .isEqualTo("flush-cache(memcached [cache-1:11211, cache-2])");
  }

  private static Arguments bad(String call, ThrowingCallable setter, String message) {
    return Arguments.of(call, setter, message);
  }

  /** Each setter's bad values, on a fresh builder, with the message that names the field, the value and the rule. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("name(\" \")", () -> MemcachedFlushStep.builder().name(" "), "name must not be blank, was ' '"),
        bad("servers((List) null)", () -> MemcachedFlushStep.builder().servers((List<String>) null),
            "servers must name at least one server and no null, was null"),
        bad("servers((String[]) null)", () -> MemcachedFlushStep.builder().servers((String[]) null),
            "servers must name at least one server and no null, was null"),
        bad("servers([])", () -> MemcachedFlushStep.builder().servers(List.of()),
            "servers must name at least one server and no null, was []"),
        bad("servers(a null server)", () -> MemcachedFlushStep.builder().servers(Arrays.asList("cache-1", null)),
            "servers must name at least one server and no null, was [cache-1, null]"),
        bad("servers(\" \")", () -> MemcachedFlushStep.builder().servers(" "), "servers must not hold a blank server, was [ ]"),
        bad("servers(\"{host}:99999\")", () -> MemcachedFlushStep.builder().servers("{host}:99999"),
            "servers must be host or host:port each, was [{host}:99999]: host 'host.example:99999' names"
                + " port '99999', which is not from 1 to 65535"),
        bad("delay(1.5 s)", () -> MemcachedFlushStep.builder().delay(Duration.ofMillis(1500)),
            "delay must be zero or whole seconds up to PT720H (memcached counts in seconds and reads more as a date),"
                + " was PT1.5S"),
        bad("delay(-1 s)", () -> MemcachedFlushStep.builder().delay(Duration.ofSeconds(-1)),
            "delay must be zero or whole seconds up to PT720H (memcached counts in seconds and reads more as a date),"
                + " was PT-1S"),
        bad("delay(null)", () -> MemcachedFlushStep.builder().delay(null),
            "delay must be zero or whole seconds up to PT720H (memcached counts in seconds and reads more as a date),"
                + " was null"),
        bad("connectTimeout(0)", () -> MemcachedFlushStep.builder().connectTimeout(Duration.ZERO),
            "connectTimeout must be a positive duration, was PT0S"),
        bad("readTimeout(null)", () -> MemcachedFlushStep.builder().readTimeout(null), "readTimeout must be a positive duration, was null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void setterRejectsABadValueAsItIsGiven(String call, ThrowingCallable setter, String message) {
    assertThatIllegalArgumentException().isThrownBy(setter).withMessage(message);
  }
}
