package dev.shunt.workflow;

import static dev.shunt.workflow.CommandStepSecretsTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.JournalEntry;
import dev.shunt.ShuntRequest;
import dev.shunt.StatusStore;
import dev.shunt.StepContext;
import dev.shunt.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rollout masks its steps' secrets, and URL passwords, in everything it writes. */
class RolloutSecretsTest {
  private final StatusStore store = StatusStore.inMemory();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  /** A restart that prints the token, then fails with it in its stderr. */
  private static CommandStep leakyRestart() {
    return CommandStep.builder().name("restart").command("sh", "-c", "echo \"using $TOKEN\"; echo \"refused $TOKEN\" >&2;"
        + " exit 3").secretEnv("TOKEN", TOKEN).timeout(Duration.ofSeconds(10)).build();
  }

  private Rollout.Builder rollout() {
    return Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store)
        .listener(RolloutListener.console(new PrintStream(console, true, StandardCharsets.UTF_8)));
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aFailedCommandShowsNoSecretOnTheConsoleInTheReportOrInTheJournal() {
    RolloutReport report = rollout().step(ShuntStep.shunt(ShuntRequest.of("deploy", "ci")))
        .step(leakyRestart()).build().run();

    assertThat(report.succeeded()).isFalse();
    assertThat(console()).contains("using ****", "refused ****").doesNotContain(TOKEN);
    assertThat(report.hosts().get(0).failedStep().orElseThrow().outcome())
        .contains("exited with status 3: refused ****");
    assertThat(report.summary()).contains("refused ****").doesNotContain(TOKEN);
    assertThat(report.toJson()).contains("refused ****").doesNotContain(TOKEN);
    assertThat(report.toHtml()).contains("refused ****").doesNotContain(TOKEN);
    List<JournalEntry> journal = store.journal("checkout");
    assertThat(journal).last().extracting(JournalEntry::detail).asString().contains("refused ****");
    assertThat(journal).extracting(JournalEntry::detail).noneMatch(detail -> detail.contains(TOKEN));
  }

  @Test
  void aStepOfYourOwnThatUsesSecretsHasThemMaskedInItsLogAndItsException() {
    class TokenStep implements dev.shunt.Step, UsesSecrets {
      @Override
      public void run(StepContext context) {
        context.log("calling the API with " + TOKEN);
        throw new StepFailedException("the API refused token " + TOKEN);
      }

      @Override
      public String name() {
        return "api";
      }

      @Override
      public Secrets secrets() {
        return Secrets.of(TOKEN);
      }
    }

    RolloutReport report = rollout().step(new TokenStep(),
        StepOptions.none().withRetry(RetryPolicy.builder().maxAttempts(2).retryOn(e -> true)
            .initialWait(Duration.ofMillis(1)).build())).build().run();

    assertThat(console()).contains("calling the API with ****", "the API refused token ****").doesNotContain(TOKEN);
    assertThat(report.toJson()).contains("the API refused token ****").doesNotContain(TOKEN);
  }

  @Test
  void thePlanNamesTheSecretVariableButShowsNoValue() {
    CommandStep restart = CommandStep.builder().name("restart").command("deploy", "--token", TOKEN)
        .secretEnv("TOKEN", TOKEN).build();

    String plan = rollout().step(restart).build().plan().toText();

    assertThat(plan).contains("command=[deploy, --token, ****]", "secretEnv=[TOKEN]").doesNotContain(TOKEN);
  }

  @Test
  void aReadinessUrlsPasswordIsMaskedInThePlanTheConsoleAndTheReport() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    AwaitHttpStep ready = AwaitHttpStep.builder().url("http://deploy:pa55-w0rd@127.0.0.1:" + closed + "/ready")
        .maxAttempts(1).build();
    Rollout rollout = Rollout.builder().service("checkout").hosts(List.of("127.0.0.1")).store(store)
        .listener(RolloutListener.console(new PrintStream(console, true, StandardCharsets.UTF_8))).step(ready).build();

    String plan = rollout.plan().toText();
    RolloutReport report = rollout.run();

    assertThat(plan).contains("http://deploy:****@127.0.0.1:" + closed + "/ready").doesNotContain("pa55-w0rd");
    assertThat(report.succeeded()).isFalse();
    assertThat(report.toJson()).contains("http://deploy:****@127.0.0.1").doesNotContain("pa55-w0rd");
    assertThat(console()).contains("http://deploy:****@127.0.0.1").doesNotContain("pa55-w0rd");
    assertThat(ready.toString()).doesNotContain("pa55-w0rd");
  }

  @Test
  void aReadinessUrlsTokenUserIsMaskedInThePlanTheConsoleTheReportAndTheJournal() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    AwaitHttpStep ready = AwaitHttpStep.builder().url("https://" + TOKEN + "@127.0.0.1:" + closed + "/ready")
        .maxAttempts(1).build();
    Rollout rollout = Rollout.builder().service("checkout").hosts(List.of("127.0.0.1")).store(store)
        .listener(RolloutListener.console(new PrintStream(console, true, StandardCharsets.UTF_8))).step(ready).build();

    String plan = rollout.plan().toText();
    RolloutReport report = rollout.run();

    assertThat(plan).contains("https://****@127.0.0.1:" + closed + "/ready").doesNotContain(TOKEN);
    assertThat(report.succeeded()).isFalse();
    assertThat(report.toJson()).contains("https://****@127.0.0.1").doesNotContain(TOKEN);
    assertThat(console()).contains("https://****@127.0.0.1").doesNotContain(TOKEN);
    assertThat(store.journal("checkout")).extracting(JournalEntry::detail).isNotEmpty()
        .noneMatch(detail -> detail.contains(TOKEN));
    assertThat(ready.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aLoggedErrorShowsNoSecretInItsMessageItsCausesOrItsStackTrace() {
    RolloutListener throwing = new RolloutListener() {
      @Override
      public void hostStarted(String host) {
        IllegalStateException error = new IllegalStateException("cannot post to https://" + TOKEN + "@hooks.example/x",
            new java.io.IOException("refused " + TOKEN));
        error.addSuppressed(new IllegalArgumentException("--token " + TOKEN));
        throw error;
      }
    };
    java.util.logging.Logger julLogger = java.util.logging.Logger.getLogger("dev.shunt.workflow.internal.SerialListener");
    java.io.StringWriter logged = new java.io.StringWriter();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        logged.append(record.getMessage()).append('\n');
        if (record.getThrown() != null) {
          record.getThrown().printStackTrace(new java.io.PrintWriter(logged, true));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    julLogger.addHandler(handler);
    julLogger.setUseParentHandlers(false);
    try {
      Rollout.builder().service("checkout").hosts(List.of("web-1")).store(store).listener(throwing)
          .step(CommandStep.builder().name("restart").command("true").secretEnv("TOKEN", TOKEN).build()).build().run();
    } finally {
      julLogger.removeHandler(handler);
      julLogger.setUseParentHandlers(true);
    }

    assertThat(logged.toString())
        .contains("the rollout listener threw on hostStarted",
            "java.lang.IllegalStateException: cannot post to https://****@hooks.example/x",
            "Caused by: java.io.IOException: refused ****",
            "Suppressed: java.lang.IllegalArgumentException: --token ****",
            "at dev.shunt.workflow.RolloutSecretsTest")
        .doesNotContain(TOKEN);
  }
}
