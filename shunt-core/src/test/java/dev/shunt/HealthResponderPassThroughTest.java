package dev.shunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shunt.HealthResponder.PassedCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthResponder#answerOrPassThrough} and {@link PassedCheck}, called as an adapter
 * calls them; the adapters are tested in real servers (HttpServerHealthPassThroughTest,
 * ShuntFilterPassThroughTest).
 */
class HealthResponderPassThroughTest {
  private static final InstanceKey KEY = InstanceKey.of("checkout", "web-1");
  private static final RequestInfo CHECK = new RequestInfo("GET", "/health", "10.0.0.1");

  private final StatusStore store = StatusStore.inMemory();
  private final HealthResponder passingThrough =
      HealthResponder.builder().store(store).key(KEY).passThrough(true).build();
  private final List<HealthAnswer> sent = new ArrayList<>();

  private Optional<PassedCheck> check(HealthResponder responder, RequestInfo check) throws IOException {
    return responder.answerOrPassThrough(check, sent::add);
  }

  @Test
  void passThroughIsOffByDefault() {
    assertThat(HealthResponder.builder().store(store).key(KEY).build().passesThrough()).isFalse();
  }

  @Test
  void passThroughWithHealthyIfFailsAtBuildNamingBoth() {
    HealthResponder.Builder builder = passingThrough.toBuilder().healthyIf(() -> true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set healthyIf or passThrough, not both: with passThrough the app's own handler"
            + " of the health path decides while in rotation");
  }

  @Test
  void passThroughWithSickIfFailsAtBuildNamingBoth() {
    HealthResponder.Builder builder = passingThrough.toBuilder().sickIf(() -> false);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("set sickIf or passThrough, not both");
  }

  @Test
  void toBuilderKeepsPassThrough() {
    assertThat(passingThrough.toBuilder().build().passesThrough()).isTrue();
  }

  @Test
  void inRotationTheCheckIsPassedOnUnanswered() throws IOException {
    Optional<PassedCheck> passed = check(passingThrough, CHECK);

    assertThat(passed).isPresent();
    assertThat(sent).isEmpty();
    assertThat(store.reports(KEY)).isEmpty();
  }

  @Test
  void headAndOptionsChecksArePassedOnToo() throws IOException {
    assertThat(check(passingThrough, new RequestInfo("HEAD", "/health", "10.0.0.1"))).isPresent();
    assertThat(check(passingThrough, new RequestInfo("OPTIONS", "/health", "10.0.0.1"))).isPresent();
  }

  @Test
  void otherMethodsAreAnswered405() throws IOException {
    Optional<PassedCheck> passed = check(passingThrough, new RequestInfo("POST", "/health", "10.0.0.1"));

    assertThat(passed).isEmpty();
    assertThat(sent).extracting(HealthAnswer::status).containsExactly(405);
  }

  @Test
  void whileShuntedTheResponderAnswersItself() throws IOException {
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));

    Optional<PassedCheck> passed = check(passingThrough, CHECK);

    assertThat(passed).isEmpty();
    assertThat(sent).extracting(HealthAnswer::status).containsExactly(503);
  }

  @Test
  void whileShuttingDownTheResponderAnswersItself() throws IOException {
    passingThrough.startShutdown();

    Optional<PassedCheck> passed = check(passingThrough, CHECK);

    assertThat(passed).isEmpty();
    assertThat(sent).extracting(HealthAnswer::body).containsExactly("shutting down\n");
  }

  @Test
  void withoutPassThroughTheResponderAnswersInRotation() throws IOException {
    HealthResponder answering = passingThrough.toBuilder().passThrough(false).build();

    Optional<PassedCheck> passed = check(answering, CHECK);

    assertThat(passed).isEmpty();
    assertThat(sent).extracting(HealthAnswer::status).containsExactly(200);
  }

  @Test
  void anAppAnswerFrom200To399IsRecordedAsUpAndAnyOtherAsDown() throws IOException {
    for (int status : new int[] {200, 204, 302, 399}) {
      check(passingThrough, CHECK).orElseThrow().appAnswered(status);
      assertThat(store.reports(KEY)).as("status %d", status).extracting(CheckerReport::nacked).containsExactly(false);
    }
    for (int status : new int[] {199, 400, 404, 500, 503}) {
      check(passingThrough, CHECK).orElseThrow().appAnswered(status);
      assertThat(store.reports(KEY)).as("status %d", status).extracting(CheckerReport::nacked).containsExactly(true);
    }
  }

  @Test
  void anAppThatFailedIsRecordedAsDownForItsChecker() throws IOException {
    check(passingThrough, CHECK).orElseThrow().appFailed();

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.checker()).isEqualTo("10.0.0.1");
      assertThat(report.nacked()).isTrue();
      assertThat(report.consecutive()).isEqualTo(1);
    });
  }

  @Test
  void aPassedCheckIsRecordedOnlyOnce() throws IOException {
    PassedCheck passed = check(passingThrough, CHECK).orElseThrow();

    passed.appAnswered(200);
    passed.appFailed();
    passed.appAnswered(200);

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.nacked()).isFalse();
      assertThat(report.consecutive()).isEqualTo(1);
    });
  }

  @Test
  void appAnswersAndTheRespondersOwnCountTogetherPerChecker() throws IOException {
    check(passingThrough, CHECK).orElseThrow().appAnswered(503);
    store.shunt(KEY, ShuntRequest.of("deploy 42", "alice"));
    check(passingThrough, CHECK);

    assertThat(store.reports(KEY)).singleElement().satisfies(report -> {
      assertThat(report.nacked()).isTrue();
      assertThat(report.consecutive()).isEqualTo(2);
    });
  }

  @Test
  void theFirstRecordedCheckRegistersTheInstance() throws IOException {
    check(passingThrough, CHECK).orElseThrow().appAnswered(200);

    assertThat(store.hosts(KEY.service())).contains(KEY.host());
  }
}
