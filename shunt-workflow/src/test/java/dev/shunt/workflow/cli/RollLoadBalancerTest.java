package dev.shunt.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shunt.workflow.cli.CliFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shunt roll --lb …}: where the load balancers' take-out and put-back go among the steps,
 * alone ({@code --drain lb}) or beside the health-check shunt, and the usage errors. Behind a real
 * HAProxy: {@code ShuntCliLoadBalancerBehindHaproxyTest} in shunt-examples.
 */
class RollLoadBalancerTest {
  private static final String READY_URL = "http://127.0.0.1:8080/";

  @TempDir
  Path flags;

  private CliFixture cli;

  @BeforeEach
  void start() {
    cli = CliFixture.on(CliFixture.Store.FLAG_FILES, flags);
  }

  private Result plan(String... options) {
    return cli.runOnService(Stream.concat(Stream.of("roll", "--plan", "--restart", "systemctl restart app",
        "--ready-url", READY_URL, "web-1,web-2"), Stream.of(options)).toArray(String[]::new));
  }

  private static Stream<String> stepNames(Result result) {
    return result.out().lines().filter(line -> line.matches("\\s+\\d+\\. .*")).map(line -> line.strip().split(" ")[1]);
  }

  @Test
  void drainLbTakesOutAndPutsBackWithNoHealthCheckShunt() {
    Result result = plan("--drain", "lb", "--lb", "haproxy:tcp://127.0.0.1:9", "--lb-backend", "web");

    assertThat(stepNames(result)).containsExactly("lb-take-out", "restart", "ready", "lb-put-back");
    assertThat(result.out()).contains("loadBalancers=[haproxy tcp:127.0.0.1:9 server {host}]");
  }

  @Test
  void lbBesideTheShuntPutsBackAfterTheUnshuntOnEveryLoadBalancer() {
    Result result = plan("--lb", "haproxy:/run/haproxy/a.sock", "--lb", "haproxy:127.0.0.1:9", "--lb-server", "app-{index}");

    assertThat(stepNames(result)).containsExactly("shunt", "drain", "lb-take-out", "restart", "ready", "unshunt",
        "lb-put-back", "rotation");
    assertThat(result.out()).contains("loadBalancers=[haproxy unix:/run/haproxy/a.sock server app-{index},"
        + " haproxy tcp:127.0.0.1:9 server app-{index}]");
  }

  @Test
  void unreachableLoadBalancerIsAPreflightErrorForEveryHost() {
    Result result = plan("--drain", "lb", "--lb", "haproxy:" + flags.resolve("no-such.sock"));

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err().lines().filter(line -> line.startsWith("shunt: pre-flight: ERROR"))).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains(" [lb-take-out]: haproxy unix:" + flags.resolve("no-such.sock")
            + " cannot be asked about server checkout/web-"));
  }

  @Test
  void drainLbWithoutAnyLbIsAUsageError() {
    Result result = plan("--drain", "lb");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --drain lb needs at least one --lb: the load balancers to take the"
        + " hosts out of\n");
  }

  @Test
  void lbOptionWithoutAnyLbIsAUsageError() {
    Result result = plan("--lb-server", "app-{index}");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --lb-server goes with --lb\n");
  }

  @Test
  void healthCheckDrainOptionWithDrainLbIsAUsageError() {
    Result result = plan("--drain", "lb", "--lb", "haproxy:127.0.0.1:9", "--drain-timeout", "5s");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --drain-timeout goes with the health-check drain, not --drain lb"
        + " (see --lb-timeout)\n");
  }

  @Test
  void unknownLoadBalancerIsAUsageError() {
    Result result = plan("--lb", "f5:10.0.0.1");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--lb' (KIND:ADDRESS): 'f5:10.0.0.1': 'f5' is not a load"
        + " balancer shunt drives; one of haproxy:UNIXSOCKET, haproxy:tcp://HOST:PORT, varnish:INSTANCE,"
        + " nginx:UPSTREAMFILE, caddy:http://HOST:PORT\n");
  }

  @Test
  void varnishNginxAndCaddyGoBesideTheShunt() {
    Result result = plan("--fall", "1", "--rise", "1", "--lb", "varnish:/var/lib/varnish/web", "--lb",
        "nginx:/etc/nginx/upstream-web.conf", "--lb", "caddy:localhost:2019", "--lb-server", "{host}:8080");

    assertThat(stepNames(result)).containsExactly("shunt", "drain", "lb-take-out", "restart", "ready", "unshunt",
        "lb-put-back", "rotation");
    assertThat(result.out()).contains("varnish -n /var/lib/varnish/web server {host}:8080")
        .contains("nginx /etc/nginx/upstream-web.conf server {host}:8080")
        .contains("caddy http://localhost:2019/ server {host}:8080");
  }

  @Test
  void nginxTakesItsPidFileAndConfigurationAfterTheUpstreamFile() throws Exception {
    Path upstream = Files.writeString(flags.resolve("upstream-web.conf"), "server web-1;\nserver web-2;\n");
    Path pid = flags.resolve("run/nginx.pid");

    Result result = plan("--drain", "lb", "--lb", "nginx:" + upstream + ",config=" + flags.resolve("nginx.conf")
        + ",pid=" + pid);

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err().lines().filter(line -> line.startsWith("shunt: pre-flight: ERROR"))).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains(" [lb-take-out]: nginx " + upstream + ": cannot read nginx's pid"
            + " file " + pid + " ("));
  }

  @Test
  void nginxWithAnUnknownOptionIsAUsageErrorListingTheOptions() {
    Result result = plan("--drain", "lb", "--lb", "nginx:/etc/nginx/upstream-web.conf,conf=/etc/nginx/other.conf");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: Invalid value for option '--lb' (KIND:ADDRESS):"
        + " 'nginx:/etc/nginx/upstream-web.conf,conf=/etc/nginx/other.conf': unknown option 'conf'; nginx takes"
        + " config=PATH (nginx -c; default /etc/nginx/nginx.conf), pid=PATH (the master's pid file; default"
        + " /run/nginx.pid), prefix=PATH (nginx -p; default none), nginx=PATH (the executable; default nginx on the"
        + " PATH)\n");
  }

  @Test
  void nginxOptionGivenTwiceOrWithoutAPathIsAUsageError() {
    assertThat(plan("--lb", "nginx:/u.conf,pid=/a.pid,pid=/b.pid").err()).startsWith("shunt: Invalid value for option"
        + " '--lb' (KIND:ADDRESS): 'nginx:/u.conf,pid=/a.pid,pid=/b.pid': option 'pid' is given twice\n");
    assertThat(plan("--lb", "nginx:/u.conf,config=").err()).startsWith("shunt: Invalid value for option '--lb'"
        + " (KIND:ADDRESS): 'nginx:/u.conf,config=': config must be a path, was empty\n");
    assertThat(plan("--lb", "nginx:/u.conf,reload").err()).contains("'nginx:/u.conf,reload': 'reload' is not an"
        + " option=PATH; nginx takes config=PATH");
  }

  @Test
  void caddyWithDrainLbIsAUsageError() {
    Result result = plan("--drain", "lb", "--lb", "caddy:http://127.0.0.1:2019");

    assertThat(result.exit()).isEqualTo(ShuntCli.USAGE);
    assertThat(result.err()).startsWith("shunt: --lb caddy:http://127.0.0.1:2019 cannot take a host out by itself"
        + " (Caddy 2.6 takes it out through its health check): give it with the health-check drain (--drain checkers"
        + " --fall 1 --rise 1), not --drain lb\n");
  }
}
