package dev.shunt.micrometer;

import dev.shunt.HealthObserver;
import dev.shunt.HealthResponder;
import dev.shunt.HealthResponder.ShutdownOutcome;
import dev.shunt.HealthState;
import dev.shunt.InFlightRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Micrometer meters for a {@link HealthResponder}: what it tells the load balancers, how its
 * shutdown ended, and the requests in flight. Every meter is tagged {@code service} and
 * {@code host} from the responder's {@link HealthResponder#key() key}, plus the tags given here.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What it counts</th></tr>
 *   <tr><td>{@value #ANSWERS}</td><td>counter</td><td>{@code check} ({@code http}, {@code agent}),
 *       {@code state} ({@code in_rotation}, {@code shunted}, {@code shutting_down}, {@code sick}),
 *       {@code answer} ({@code up}, {@code down})</td>
 *       <td>health checks answered. The NACKs of a shutdown are those with
 *       {@code state=shutting_down}; a check passed through to the application is
 *       {@code state=in_rotation} with the application's verdict as {@code answer}; an agent's
 *       {@code drain} is {@code answer=down}</td></tr>
 *   <tr><td>{@value #SHUTDOWNS}</td><td>counter</td><td>{@code outcome}
 *       ({@code all_checkers_nacked}, {@code checks_timed_out})</td>
 *       <td>shutdowns completed; {@code checks_timed_out} means no load balancer was heard
 *       during the shutdown, often because the server had stopped before its NACKs went out</td></tr>
 *   <tr><td>{@value #STATE}</td><td>gauge</td><td>{@code state}</td>
 *       <td>1 for the state of the last check answered, 0 for the others (all 0 before the first
 *       check): what the load balancers were last told, read without touching the store</td></tr>
 *   <tr><td>{@value #IN_FLIGHT}</td><td>gauge</td><td></td>
 *       <td>{@linkplain HealthResponder#inFlight() application requests in flight}; NaN while
 *       nothing counts them (no adapter in front of the application)</td></tr>
 * </table>
 *
 * <pre>{@code
 * new HealthResponderMetrics(health).bindTo(registry);
 * // Spring Boot binds every MeterBinder bean to its registry:
 * @Bean MeterBinder shuntHealthMetrics(HealthResponder health) { return new HealthResponderMetrics(health); }
 * }</pre>
 *
 * <p>Binding adds a {@link HealthObserver} to the responder; binding again to the same registry
 * does nothing, so no answer is counted twice. This class needs {@code io.micrometer:micrometer-core}
 * on the class path, which shunt-core does not bring: the application does (Spring Boot's
 * actuator does). Immutable and thread-safe.
 */
public final class HealthResponderMetrics implements MeterBinder {
  /** Health checks answered: a counter tagged {@code check}, {@code state} and {@code answer}. */
  public static final String ANSWERS = "shunt.health.answers";
  /** Shutdowns completed: a counter tagged {@code outcome}. */
  public static final String SHUTDOWNS = "shunt.health.shutdowns";
  /** The state of the last check answered: a gauge per {@code state}, 1 or 0. */
  public static final String STATE = "shunt.health.state";
  /** Application requests in flight: a gauge. */
  public static final String IN_FLIGHT = "shunt.requests.in.flight";

  private static final HealthObserver.Check[] CHECKS = HealthObserver.Check.values();
  private static final HealthState[] STATES = HealthState.values();

  private final HealthResponder responder;
  private final Tags tags;
  private final Set<MeterRegistry> bound = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * Meters for {@code responder}, tagged {@code service} and {@code host}.
   *
   * @param responder the responder to measure; not null
   */
  public HealthResponderMetrics(HealthResponder responder) {
    this(responder, Tags.empty());
  }

  /**
   * Meters for {@code responder}, tagged {@code service}, {@code host} and {@code tags}.
   *
   * @param responder the responder to measure; not null
   * @param tags more tags for every meter
   */
  public HealthResponderMetrics(HealthResponder responder, Iterable<Tag> tags) {
    this.responder = Objects.requireNonNull(responder, "responder");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"))
        .and("service", responder.key().service(), "host", responder.key().host());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (!bound.add(Objects.requireNonNull(registry, "registry"))) {
      return;
    }
    Counting counting = new Counting(registry);
    for (HealthState state : STATES) {
      counting.answers(HealthObserver.Check.HTTP, state, state.isNack());
      Gauge.builder(STATE, counting.last, last -> last.get() == state ? 1 : 0)
          .description("1 for the state of the last health check answered, 0 for the others")
          .tags(tags).tag("state", tagValue(state))
          .strongReference(true)
          .register(registry);
    }
    for (ShutdownOutcome outcome : ShutdownOutcome.values()) {
      counting.shutdowns(outcome);
    }
    Gauge.builder(IN_FLIGHT, responder.inFlight(), HealthResponderMetrics::inFlight)
        .description("Application requests in flight; NaN while nothing counts them")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    responder.addObserver(counting);
  }

  private static double inFlight(InFlightRequests requests) {
    return requests.isCounted() ? requests.current() : Double.NaN;
  }

  /** An enum constant as a tag value: {@code SHUTTING_DOWN} → {@code shutting_down}. */
  private static String tagValue(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "HealthResponderMetrics{" + responder.key() + "}";
  }

  /** Counts one registry's meters; the counters are registered at the first answer that needs them. */
  private final class Counting implements HealthObserver {
    private final MeterRegistry registry;
    private final AtomicReferenceArray<Counter> answers = new AtomicReferenceArray<>(CHECKS.length * STATES.length * 2);
    private final Map<ShutdownOutcome, Counter> shutdowns = new EnumMap<>(ShutdownOutcome.class);
    final AtomicReference<HealthState> last = new AtomicReference<>();

    Counting(MeterRegistry registry) {
      this.registry = registry;
    }

    Counter answers(Check check, HealthState state, boolean nack) {
      int slot = (check.ordinal() * STATES.length + state.ordinal()) * 2 + (nack ? 1 : 0);
      Counter counter = answers.get(slot);
      if (counter == null) {
        // Registering is idempotent: two threads that race here get the same counter.
        counter = Counter.builder(ANSWERS)
            .description("Health checks answered, by the kind of check, the state and the answer")
            .tags(tags).tag("check", tagValue(check)).tag("state", tagValue(state)).tag("answer", nack ? "down" : "up")
            .register(registry);
        answers.set(slot, counter);
      }
      return counter;
    }

    synchronized Counter shutdowns(ShutdownOutcome outcome) {
      return shutdowns.computeIfAbsent(outcome, o -> Counter.builder(SHUTDOWNS)
          .description("Shutdowns completed, by why they completed")
          .tags(tags).tag("outcome", tagValue(o))
          .register(registry));
    }

    @Override
    public void answered(Check check, HealthState state, boolean nack) {
      answers(check, state, nack).increment();
      last.set(state);
    }

    @Override
    public void shutdownCompleted(ShutdownOutcome outcome) {
      shutdowns(outcome).increment();
    }

    @Override
    public String toString() {
      return HealthResponderMetrics.this.toString();
    }
  }
}
