/**
 * shunt's rolling restarts: {@link dev.shunt.workflow.Rollout} and the steps it composes (shunt,
 * drain, SSH and local commands, HTTP readiness, memcached, unshunt), and the {@code shunt} command
 * line ({@code dev.shunt.workflow.cli}, not API: run it with {@code java -jar shunt.jar} or {@code
 * --module dev.shunt.workflow/dev.shunt.workflow.cli.ShuntCli}).
 *
 * <p>OkHttp, JSch, resilience4j and picocli are used inside and appear in no public signature, so
 * a consumer reads none of them.
 */
// okio and resilience4j are automatic modules; each jar names its module in its manifest
// (Automatic-Module-Name), so the names are stable.
@SuppressWarnings("requires-automatic")
module dev.shunt.workflow {
  requires transitive dev.shunt;
  requires okhttp3;
  requires okio;
  requires com.jcraft.jsch;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires info.picocli;
  requires java.logging;
  // Optional: only dev.shunt.workflow.micrometer needs it.
  requires static micrometer.core;

  exports dev.shunt.workflow;
  exports dev.shunt.workflow.gate;
  exports dev.shunt.workflow.lb;
  exports dev.shunt.workflow.micrometer;

  // picocli reads the commands' annotated fields and creates the commands by reflection.
  opens dev.shunt.workflow.cli to info.picocli;
}
