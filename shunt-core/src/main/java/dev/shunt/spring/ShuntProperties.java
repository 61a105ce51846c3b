package dev.shunt.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code shunt.*} properties of a Spring Boot app, read by {@link ShuntAutoConfiguration}:
 *
 * <pre>
 * shunt.store=file:/var/run/shunt        # a StatusStores.open spec; default memory:
 * shunt.service=checkout                 # default: spring.application.name
 * shunt.host=web-1                       # default: this machine's host name
 * shunt.health-path=/health              # what the load balancer checks
 * shunt.nacks-before-shutdown=3          # HAProxy's fall
 * shunt.healthcheck-timeout=15s
 * shunt.shutdown.nack-timeout=60s
 * shunt.shutdown.in-flight-timeout=30s
 * shunt.maintenance.allowed-paths=/assets/.*,/robots\.txt
 * shunt.readiness.bridge=false           # true: shunt and Spring's ReadinessState follow each other
 * </pre>
 *
 * <p>Every default loses no request: the drain runs at every shutdown, maintenance mode never
 * catches the health path nor the actuator's health endpoints. Spring binds it at startup;
 * not thread-safe, read once.
 */
@ConfigurationProperties("shunt")
public class ShuntProperties {
  private boolean enabled = true;
  private String store = "memory:";
  private String service;
  private String host;
  private String healthPath = "/health";
  private boolean passThrough;
  private int nacksBeforeShutdown = 3;
  private Duration healthcheckTimeout = Duration.ofSeconds(15);
  private String checkerHeader;
  private String checkerSecret;
  private final Shutdown shutdown = new Shutdown();
  private final Maintenance maintenance = new Maintenance();
  private final Readiness readiness = new Readiness();

  /**
   * Whether the integration is on at all. Default {@code true}.
   *
   * @return true when the integration is on
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Turns the integration on or off; see {@link #isEnabled()}.
   *
   * @param enabled false to turn it off
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The store, as a {@code StatusStores.open} spec: {@code memory:}, {@code file:/var/run/shunt},
   * or {@code hazelcast://…} with {@code shunt-hazelcast} on the class path. Default {@code
   * memory:} (shunts only through the {@code StatusStore} bean). A {@code StatusStore} bean of the
   * app's own replaces it.
   *
   * @return the store's spec
   */
  public String getStore() {
    return store;
  }

  /**
   * Sets the store; see {@link #getStore()}.
   *
   * @param store a {@code StatusStores.open} spec
   */
  public void setStore(String store) {
    this.store = store;
  }

  /**
   * The service name of this instance's key. Default: {@code spring.application.name}; one of them is required.
   *
   * @return the service name, or null to use {@code spring.application.name}
   */
  public String getService() {
    return service;
  }

  /**
   * Sets the service name; see {@link #getService()}.
   *
   * @param service the service name, or null for {@code spring.application.name}
   */
  public void setService(String service) {
    this.service = service;
  }

  /**
   * The host name of this instance's key. Default: this machine's host name.
   *
   * @return the host name, or null for this machine's
   */
  public String getHost() {
    return host;
  }

  /**
   * Sets the host name; see {@link #getHost()}.
   *
   * @param host the host name, or null for this machine's
   */
  public void setHost(String host) {
    this.host = host;
  }

  /**
   * The path the load balancer checks, answered by shunt. Default {@code /health}.
   *
   * @return the health path
   */
  public String getHealthPath() {
    return healthPath;
  }

  /**
   * Sets the health path; see {@link #getHealthPath()}.
   *
   * @param healthPath the path, starting with {@code /}
   */
  public void setHealthPath(String healthPath) {
    this.healthPath = healthPath;
  }

  /**
   * Whether a check that comes while in rotation goes on to the app's own handler of the health
   * path (e.g. {@code shunt.health-path=/actuator/health}: the actuator answers while in rotation,
   * shunt while shunted or shutting down). Default {@code false}.
   *
   * @return true when checks in rotation go on to the app's handler
   */
  public boolean isPassThrough() {
    return passThrough;
  }

  /**
   * Sets whether checks pass through; see {@link #isPassThrough()}.
   *
   * @param passThrough true to pass checks in rotation on
   */
  public void setPassThrough(boolean passThrough) {
    this.passThrough = passThrough;
  }

  /**
   * How many "down" answers each checker gets at shutdown before the server may stop: the load balancer's fall. Default 3.
   *
   * @return the number of "down" answers, at least 1
   */
  public int getNacksBeforeShutdown() {
    return nacksBeforeShutdown;
  }

  /**
   * Sets the NACKs each checker gets at shutdown; see {@link #getNacksBeforeShutdown()}.
   *
   * @param nacksBeforeShutdown the load balancer's fall, at least 1
   */
  public void setNacksBeforeShutdown(int nacksBeforeShutdown) {
    this.nacksBeforeShutdown = nacksBeforeShutdown;
  }

  /**
   * At shutdown, how long without a check before the drain goes on anyway. Default 15 s.
   *
   * @return the longest wait for the next check
   */
  public Duration getHealthcheckTimeout() {
    return healthcheckTimeout;
  }

  /**
   * Sets the health check timeout; see {@link #getHealthcheckTimeout()}.
   *
   * @param healthcheckTimeout positive
   */
  public void setHealthcheckTimeout(Duration healthcheckTimeout) {
    this.healthcheckTimeout = healthcheckTimeout;
  }

  /**
   * The header that names a checker (see docs/HEALTH.md, "Only load balancers are checkers"). Default: none.
   *
   * @return the header's name, or null for none
   */
  public String getCheckerHeader() {
    return checkerHeader;
  }

  /**
   * Sets the checker header; see {@link #getCheckerHeader()}.
   *
   * @param checkerHeader the header's name, or null for none
   */
  public void setCheckerHeader(String checkerHeader) {
    this.checkerHeader = checkerHeader;
  }

  /**
   * The secret a checker's header must end in, {@code :<secret>}. Default: none.
   *
   * @return the secret, or null for none
   */
  public String getCheckerSecret() {
    return checkerSecret;
  }

  /**
   * Sets the checker secret; see {@link #getCheckerSecret()}.
   *
   * @param checkerSecret the secret, or null for none
   */
  public void setCheckerSecret(String checkerSecret) {
    this.checkerSecret = checkerSecret;
  }

  /**
   * The drain at shutdown.
   *
   * @return the drain settings, never null
   */
  public Shutdown getShutdown() {
    return shutdown;
  }

  /**
   * Maintenance mode.
   *
   * @return the maintenance settings, never null
   */
  public Maintenance getMaintenance() {
    return maintenance;
  }

  /**
   * The bridge with Spring's {@code ReadinessState}.
   *
   * @return the readiness settings, never null
   */
  public Readiness getReadiness() {
    return readiness;
  }

  /** {@code shunt.shutdown.*}: the time limits of the drain, as {@code GracefulShutdown}'s. */
  public static class Shutdown {
    private boolean enabled = true;
    private Duration nackTimeout = Duration.ofSeconds(60);
    private Duration quietPeriod = Duration.ofMillis(100);
    private Duration inFlightTimeout = Duration.ofSeconds(30);

    /**
     * Whether the context's close drains first. Default {@code true}.
     *
     * @return true when the context's close drains first
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the drain at close on or off; see {@link #isEnabled()}.
     *
     * @param enabled false to close without draining
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The longest wait for the NACKs. Default 60 s.
     *
     * @return the longest wait for the NACKs
     */
    public Duration getNackTimeout() {
      return nackTimeout;
    }

    /**
     * Sets the NACK timeout; see {@link #getNackTimeout()}.
     *
     * @param nackTimeout positive
     */
    public void setNackTimeout(Duration nackTimeout) {
      this.nackTimeout = nackTimeout;
    }

    /**
     * How long no request may have begun before the server counts as quiet. Default 100 ms.
     *
     * @return the quiet period
     */
    public Duration getQuietPeriod() {
      return quietPeriod;
    }

    /**
     * Sets the quiet period; see {@link #getQuietPeriod()}.
     *
     * @param quietPeriod zero or more
     */
    public void setQuietPeriod(Duration quietPeriod) {
      this.quietPeriod = quietPeriod;
    }

    /**
     * The longest wait for requests in flight after the NACKs. Default 30 s.
     *
     * @return the longest wait for requests in flight
     */
    public Duration getInFlightTimeout() {
      return inFlightTimeout;
    }

    /**
     * Sets the in-flight timeout; see {@link #getInFlightTimeout()}.
     *
     * @param inFlightTimeout positive
     */
    public void setInFlightTimeout(Duration inFlightTimeout) {
      this.inFlightTimeout = inFlightTimeout;
    }
  }

  /** {@code shunt.maintenance.*}. */
  public static class Maintenance {
    private boolean enabled = true;
    private List<String> allowedPaths = new ArrayList<>();
    private List<String> trustedProxies = new ArrayList<>();
    private boolean exemptActuatorHealth = true;

    /**
     * Whether maintenance mode answers requests (while its flag is on). Default {@code true}.
     *
     * @return true when maintenance mode answers requests
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns maintenance mode on or off; see {@link #isEnabled()}.
     *
     * @param enabled false to never answer maintenance pages
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Regular expressions of paths always passed on, e.g. {@code /assets/.*}. Default: none.
     *
     * @return the regular expressions, empty for none
     */
    public List<String> getAllowedPaths() {
      return allowedPaths;
    }

    /**
     * Sets the paths always passed on; see {@link #getAllowedPaths()}.
     *
     * @param allowedPaths regular expressions matched against the whole path
     */
    public void setAllowedPaths(List<String> allowedPaths) {
      this.allowedPaths = allowedPaths;
    }

    /**
     * The proxies whose {@code X-Forwarded-For} is believed, addresses or CIDR blocks. Default: none.
     *
     * @return the addresses or CIDR blocks, empty for none
     */
    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    /**
     * Sets the trusted proxies; see {@link #getTrustedProxies()}.
     *
     * @param trustedProxies IP addresses or CIDR blocks
     */
    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    /**
     * Whether the actuator's health endpoint and its groups ({@code /actuator/health},
     * {@code /actuator/health/readiness}, {@code /liveness}, wherever
     * {@code management.endpoints.web.base-path} puts them) are passed on in maintenance, so a
     * probe never restarts or removes an instance for it. Default {@code true}.
     *
     * @return true when the actuator's health paths are passed on
     */
    public boolean isExemptActuatorHealth() {
      return exemptActuatorHealth;
    }

    /**
     * Sets whether the actuator's health paths are passed on; see {@link #isExemptActuatorHealth()}.
     *
     * @param exemptActuatorHealth false to answer them with the maintenance page too
     */
    public void setExemptActuatorHealth(boolean exemptActuatorHealth) {
      this.exemptActuatorHealth = exemptActuatorHealth;
    }
  }

  /** {@code shunt.readiness.*}. */
  public static class Readiness {
    private boolean bridge;
    private Duration interval = Duration.ofSeconds(1);

    /**
     * Whether shunt and Spring's {@code ReadinessState} follow each other: shunted or shutting
     * down publishes {@code REFUSING_TRAFFIC} (back in rotation: {@code ACCEPTING_TRAFFIC}), and
     * {@code REFUSING_TRAFFIC} published by anyone else makes the health path answer "down".
     * Default {@code false}.
     *
     * @return true when the bridge is on
     */
    public boolean isBridge() {
      return bridge;
    }

    /**
     * Turns the bridge on or off; see {@link #isBridge()}.
     *
     * @param bridge true to bridge shunt and {@code ReadinessState}
     */
    public void setBridge(boolean bridge) {
      this.bridge = bridge;
    }

    /**
     * How often the bridge reads the shunt state. Default 1 s.
     *
     * @return how often the bridge reads the shunt state
     */
    public Duration getInterval() {
      return interval;
    }

    /**
     * Sets the bridge's interval; see {@link #getInterval()}.
     *
     * @param interval positive
     */
    public void setInterval(Duration interval) {
      this.interval = interval;
    }
  }
}
