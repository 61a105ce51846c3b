package dev.shunt.examples;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SpringAppMain} in a JVM of its own (128 MB heap) on {@code 127.0.0.1:port}, with shunt's
 * flag-file store in {@code flags}, service {@code demo}, host {@code 127.0.0.1:port}, the
 * actuator's health endpoint with its probes and details exposed, and {@code properties} on top.
 */
final class SpringApp implements AutoCloseable {
  static final String SERVICE = "demo";
  private static final Duration START_LIMIT = Duration.ofSeconds(90);
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final ChildJvm jvm;
  private final int port;

  private SpringApp(ChildJvm jvm, int port) {
    this.jvm = jvm;
    this.port = port;
  }

  /** Starts it; returns at once (see {@link #awaitStarted()}). */
  static SpringApp start(Path directory, Path flags, int port, String... properties) {
    List<String> args = new ArrayList<>(List.of(
        "--server.address=127.0.0.1", "--server.port=" + port, "--spring.main.banner-mode=off",
        "--management.endpoints.web.exposure.include=health", "--management.endpoint.health.probes.enabled=true",
        "--management.endpoint.health.show-details=always", "--shunt.store=file:" + flags,
        "--shunt.service=" + SERVICE, "--shunt.host=" + host(port)));
    args.addAll(List.of(properties));
    return new SpringApp(ChildJvm.start(directory, "spring-app-" + port, SpringAppMain.class.getName(),
        List.of("-Xmx128m", "-XX:+UseSerialGC"), args), port);
  }

  static String host(int port) {
    return "127.0.0.1:" + port;
  }

  String host() {
    return host(port);
  }

  /** Waits until it answers {@code /}; fails the test, saying what it printed, if it does not within 90 s. */
  SpringApp awaitStarted() throws InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        fail("the Spring app exited while starting:\n" + jvm.output());
      }
      if (status("/") == 200) {
        return this;
      }
      Thread.sleep(100);
    }
    return fail("the Spring app did not start within " + START_LIMIT + ":\n" + jvm.output());
  }

  /** The status of a GET of {@code path}, or -1 when it cannot be reached. */
  int status(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + path))
          .timeout(Duration.ofSeconds(5)).build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of a GET of {@code path}. */
  String body(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + path)).timeout(Duration.ofSeconds(5)).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  ChildJvm jvm() {
    return jvm;
  }

  @Override
  public void close() {
    jvm.close();
  }
}
