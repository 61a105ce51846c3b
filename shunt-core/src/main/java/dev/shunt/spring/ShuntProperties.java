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

  /** Whether the integration is on at all. Default {@code true}. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The store, as a {@code StatusStores.open} spec: {@code memory:}, {@code file:/var/run/shunt},
   * or {@code hazelcast://…} with {@code shunt-hazelcast} on the class path. Default {@code
   * memory:} (shunts only through the {@code StatusStore} bean). A {@code StatusStore} bean of the
   * app's own replaces it.
   */
  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  /** The service name of this instance's key. Default: {@code spring.application.name}; one of them is required. */
  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  /** The host name of this instance's key. Default: this machine's host name. */
  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  /** The path the load balancer checks, answered by shunt. Default {@code /health}. */
  public String getHealthPath() {
    return healthPath;
  }

  public void setHealthPath(String healthPath) {
    this.healthPath = healthPath;
  }

  /**
   * Whether a check that comes while in rotation goes on to the app's own handler of the health
   * path (e.g. {@code shunt.health-path=/actuator/health}: the actuator answers while in rotation,
   * shunt while shunted or shutting down). Default {@code false}.
   */
  public boolean isPassThrough() {
    return passThrough;
  }

  public void setPassThrough(boolean passThrough) {
    this.passThrough = passThrough;
  }

  /** How many "down" answers each checker gets at shutdown before the server may stop: the load balancer's fall. Default 3. */
  public int getNacksBeforeShutdown() {
    return nacksBeforeShutdown;
  }

  public void setNacksBeforeShutdown(int nacksBeforeShutdown) {
    this.nacksBeforeShutdown = nacksBeforeShutdown;
  }

  /** At shutdown, how long without a check before the drain goes on anyway. Default 15 s. */
  public Duration getHealthcheckTimeout() {
    return healthcheckTimeout;
  }

  public void setHealthcheckTimeout(Duration healthcheckTimeout) {
    this.healthcheckTimeout = healthcheckTimeout;
  }

  /** The header that names a checker (see docs/HEALTH.md, "Only load balancers are checkers"). Default: none. */
  public String getCheckerHeader() {
    return checkerHeader;
  }

  public void setCheckerHeader(String checkerHeader) {
    this.checkerHeader = checkerHeader;
  }

  /** The secret a checker's header must end in, {@code :<secret>}. Default: none. */
  public String getCheckerSecret() {
    return checkerSecret;
  }

  public void setCheckerSecret(String checkerSecret) {
    this.checkerSecret = checkerSecret;
  }

  /** The drain at shutdown. */
  public Shutdown getShutdown() {
    return shutdown;
  }

  /** Maintenance mode. */
  public Maintenance getMaintenance() {
    return maintenance;
  }

  /** The bridge with Spring's {@code ReadinessState}. */
  public Readiness getReadiness() {
    return readiness;
  }

  /** {@code shunt.shutdown.*}: the time limits of the drain, as {@code GracefulShutdown}'s. */
  public static class Shutdown {
    private boolean enabled = true;
    private Duration nackTimeout = Duration.ofSeconds(60);
    private Duration quietPeriod = Duration.ofMillis(100);
    private Duration inFlightTimeout = Duration.ofSeconds(30);

    /** Whether the context's close drains first. Default {@code true}. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The longest wait for the NACKs. Default 60 s. */
    public Duration getNackTimeout() {
      return nackTimeout;
    }

    public void setNackTimeout(Duration nackTimeout) {
      this.nackTimeout = nackTimeout;
    }

    /** How long no request may have begun before the server counts as quiet. Default 100 ms. */
    public Duration getQuietPeriod() {
      return quietPeriod;
    }

    public void setQuietPeriod(Duration quietPeriod) {
      this.quietPeriod = quietPeriod;
    }

    /** The longest wait for requests in flight after the NACKs. Default 30 s. */
    public Duration getInFlightTimeout() {
      return inFlightTimeout;
    }

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

    /** Whether maintenance mode answers requests (while its flag is on). Default {@code true}. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Regular expressions of paths always passed on, e.g. {@code /assets/.*}. Default: none. */
    public List<String> getAllowedPaths() {
      return allowedPaths;
    }

    public void setAllowedPaths(List<String> allowedPaths) {
      this.allowedPaths = allowedPaths;
    }

    /** The proxies whose {@code X-Forwarded-For} is believed, addresses or CIDR blocks. Default: none. */
    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    /**
     * Whether the actuator's health endpoint and its groups ({@code /actuator/health},
     * {@code /actuator/health/readiness}, {@code /liveness}, wherever
     * {@code management.endpoints.web.base-path} puts them) are passed on in maintenance, so a
     * probe never restarts or removes an instance for it. Default {@code true}.
     */
    public boolean isExemptActuatorHealth() {
      return exemptActuatorHealth;
    }

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
     */
    public boolean isBridge() {
      return bridge;
    }

    public void setBridge(boolean bridge) {
      this.bridge = bridge;
    }

    /** How often the bridge reads the shunt state. Default 1 s. */
    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }
  }
}
