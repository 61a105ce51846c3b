package dev.shunt.workflow.internal;

import dev.shunt.ShuntStatus;
import dev.shunt.StepDescription;
import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.gate.GateVerdict;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link RolloutReport#toJson()} and {@link RolloutReport#fromJson(String)}. */
public final class ReportJson {
  private ReportJson() {}

  public static String write(RolloutReport report) {
    JsonWriter json = new JsonWriter().beginObject()
        .member("rolloutId", report.rolloutId())
        .member("service", report.service())
        .member("outcome", report.outcome().name())
        .member("haltReason", report.haltReason())
        .member("start", report.start().toString())
        .member("end", report.end().toString())
        .member("elapsedMillis", report.elapsed().toMillis());
    json.name("lockToken");
    if (report.lockToken() == 0) {
      json.value((String) null);
    } else {
      json.value(report.lockToken());
    }
    json.name("warnings").beginArray();
    report.warnings().forEach(json::value);
    json.endArray();
    json.name("hosts").beginArray();
    report.hosts().forEach(host -> host(json, host));
    json.endArray();
    json.name("samples").beginArray();
    for (RolloutReport.Sample sample : report.samples()) {
      json.beginObject()
          .member("at", sample.at().toString())
          .member("series", sample.series())
          .member("value", sample.value())
          .endObject();
    }
    json.endArray();
    if (report.rollback().isPresent()) {
      RollbackReport rollback = report.rollback().get();
      json.name("rollback").beginObject()
          .member("outcome", rollback.outcome().name())
          .member("reason", rollback.reason())
          .name("hosts").beginArray();
      rollback.hosts().forEach(host -> host(json, host));
      json.endArray().name("notRolledBack").beginArray();
      rollback.notRolledBack().forEach(json::value);
      json.endArray().endObject();
    }
    if (!report.gates().isEmpty()) {
      json.name("gates").beginArray();
      for (GateVerdict gate : report.gates()) {
        json.beginObject()
            .member("batch", gate.batch().number())
            .member("canary", gate.batch().canary())
            .member("result", gate.result().name())
            .member("reason", gate.reason())
            .member("start", gate.start().toString())
            .member("bakedMillis", gate.baked().toMillis())
            .name("hosts").beginArray();
        gate.batch().hosts().forEach(json::value);
        json.endArray();
        json.name("candidate");
        sample(json, gate.candidate());
        json.name("baseline");
        if (gate.baseline().isPresent()) {
          sample(json, gate.baseline().get());
        } else {
          json.value((String) null);
        }
        json.endObject();
      }
      json.endArray();
    }
    return json.endObject().toString();
  }

  private static void host(JsonWriter json, HostReport host) {
    json.beginObject()
        .member("host", host.host())
        .member("batch", host.batch())
        .member("outcome", host.outcome().name())
        .member("elapsedMillis", host.elapsed().toMillis())
        .member("shuntedAfter", host.statusAfter().shunted())
        .member("shuntedUntil", host.statusAfter().shunted()
            ? host.statusAfter().expiry().map(Object::toString).orElse(null) : null)
        .member("note", host.note());
    if (!host.leftOut().isEmpty()) {
      json.name("leftOut").beginArray();
      host.leftOut().forEach(json::value);
      json.endArray();
    }
    json.name("steps").beginArray();
    for (StepReport step : host.steps()) {
      json.beginObject()
          .member("step", step.step())
          .member("kind", step.kind().name())
          .member("result", step.result().name())
          .member("start", step.start().toString())
          .member("elapsedMillis", step.elapsed().toMillis())
          .member("attempts", step.attempts())
          .member("outcome", step.outcome())
          .endObject();
    }
    json.endArray().endObject();
  }

  private static void sample(JsonWriter json, GateVerdict.Sample sample) {
    json.beginObject().member("side", sample.side()).name("hosts").beginArray();
    sample.hosts().forEach(json::value);
    json.endArray()
        .member("requests", sample.requests())
        .member("errors", sample.errors());
    json.name("latencyMicros");
    if (sample.latency().isPresent()) {
      json.value(sample.latency().get().toNanos() / 1000);
    } else {
      json.value((String) null);
    }
    json.endObject();
  }

  /**
   * Reads what {@link #write} wrote. A host's status after the rollout comes back as far as the
   * report says it: shunted (with its expiry, since the rollout's end) or in rotation; reason and
   * owner are not in the report. Steps without a start (a report from before they had one) are laid end to end
   * from the end of the batch before. Gate verdicts and the rollback read back too; a latency to the microsecond.
   */
  public static RolloutReport read(String text) {
    Map<String, Object> root = object(JsonReader.read(text), "the report");
    Instant start = instant(root, "start", "the report");
    Instant end = instant(root, "end", "the report");
    List<HostReport> hosts = new ArrayList<>();
    // Where a host without recorded step starts begins: after the batch before, in a report from before starts.
    Instant batchStart = start;
    Instant batchEnd = start;
    int lastBatch = -1;
    List<Object> hostList = list(root, "hosts", "the report");
    for (int i = 0; i < hostList.size(); i++) {
      String where = "hosts[" + i + "]";
      Map<String, Object> host = object(hostList.get(i), where);
      int batch = (int) number(host, "batch", where);
      if (batch != lastBatch) {
        lastBatch = batch;
        batchStart = batchEnd;
      }
      HostReport report = host(host, where, batchStart, end);
      for (StepReport step : report.steps()) {
        if (step.end().isAfter(batchEnd)) {
          batchEnd = step.end();
        }
      }
      hosts.add(report);
    }
    List<String> warnings = new ArrayList<>();
    if (root.get("warnings") != null) {
      List<Object> list = list(root, "warnings", "the report");
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String warning)) {
          throw new IllegalArgumentException("warnings[" + i + "] must be a string");
        }
        warnings.add(warning);
      }
    }
    List<RolloutReport.Sample> samples = new ArrayList<>();
    if (root.get("samples") != null) {
      List<Object> list = list(root, "samples", "the report");
      for (int i = 0; i < list.size(); i++) {
        String where = "samples[" + i + "]";
        Map<String, Object> sample = object(list.get(i), where);
        if (!(sample.get("value") instanceof Number value)) {
          throw new IllegalArgumentException(where + ".value must be a number, was " + sample.get("value"));
        }
        samples.add(new RolloutReport.Sample(instant(sample, "at", where), string(sample, "series", where),
            value.doubleValue()));
      }
    }
    List<GateVerdict> gates = new ArrayList<>();
    if (root.get("gates") != null) {
      List<Object> list = list(root, "gates", "the report");
      for (int i = 0; i < list.size(); i++) {
        gates.add(gate(object(list.get(i), "gates[" + i + "]"), "gates[" + i + "]", hosts));
      }
    }
    RollbackReport rollback = null;
    if (root.get("rollback") != null) {
      Map<String, Object> back = object(root.get("rollback"), "rollback");
      List<HostReport> backHosts = new ArrayList<>();
      List<Object> list = list(back, "hosts", "rollback");
      for (int i = 0; i < list.size(); i++) {
        String where = "rollback.hosts[" + i + "]";
        backHosts.add(host(object(list.get(i), where), where, end, end));
      }
      rollback = new RollbackReport(constant(RollbackReport.Outcome.class, back, "outcome", "rollback"), backHosts,
          strings(back, "notRolledBack", "rollback"), string(back, "reason", "rollback"));
    }
    Object token = root.get("lockToken");
    return new RolloutReport(string(root, "rolloutId", "the report"), string(root, "service", "the report"),
        constant(RolloutReport.Outcome.class, root, "outcome", "the report"),
        string(root, "haltReason", "the report"), start, end,
        token == null ? 0 : number(root, "lockToken", "the report"), hosts, warnings, samples, gates,
        Optional.ofNullable(rollback));
  }

  /** A host as {@link #host(JsonWriter, HostReport)} wrote it; steps without a start are laid end to end from {@code from}. */
  private static HostReport host(Map<String, Object> host, String where, Instant from, Instant end) {
    List<StepReport> steps = new ArrayList<>();
    Instant next = from;
    List<Object> stepList = list(host, "steps", where);
    for (int j = 0; j < stepList.size(); j++) {
      String stepWhere = where + ".steps[" + j + "]";
      Map<String, Object> step = object(stepList.get(j), stepWhere);
      Duration elapsed = Duration.ofMillis(number(step, "elapsedMillis", stepWhere));
      Instant stepStart = step.containsKey("start") ? instant(step, "start", stepWhere) : next;
      StepDescription.Kind kind = step.containsKey("kind")
          ? constant(StepDescription.Kind.class, step, "kind", stepWhere) : StepDescription.Kind.OTHER;
      StepReport report = new StepReport(string(step, "step", stepWhere),
          constant(StepReport.Result.class, step, "result", stepWhere), elapsed, string(step, "outcome", stepWhere),
          (int) number(step, "attempts", stepWhere), kind, stepStart);
      steps.add(report);
      next = report.end();
    }
    ShuntStatus after = ShuntStatus.inRotation();
    if (Boolean.TRUE.equals(host.get("shuntedAfter"))) {
      Object until = host.get("shuntedUntil");
      // The report keeps neither reason, owner nor since: the host was shunted when the rollout ended.
      after = new ShuntStatus(true, "", "", end, until == null ? null : instant(host, "shuntedUntil", where));
    }
    List<String> leftOut = host.get("leftOut") == null ? List.of() : strings(host, "leftOut", where);
    return new HostReport(string(host, "host", where), (int) number(host, "batch", where),
        constant(HostReport.Outcome.class, host, "outcome", where), steps,
        Duration.ofMillis(number(host, "elapsedMillis", where)), after, string(host, "note", where), leftOut);
  }

  /**
   * A gate's verdict. A report from before a verdict had its batch's hosts and its start reads
   * with the hosts of that batch from the report's hosts, and a start at the end of its batch's last step.
   */
  private static GateVerdict gate(Map<String, Object> gate, String where, List<HostReport> hosts) {
    int number = (int) number(gate, "batch", where);
    if (!(gate.get("canary") instanceof Boolean canary)) {
      throw new IllegalArgumentException(where + ".canary must be true or false, was " + gate.get("canary"));
    }
    List<String> batchHosts = gate.get("hosts") != null ? strings(gate, "hosts", where)
        : hosts.stream().filter(host -> host.batch() == number).map(HostReport::host).toList();
    Instant start;
    if (gate.get("start") != null) {
      start = instant(gate, "start", where);
    } else {
      start = hosts.stream().filter(host -> host.batch() == number).flatMap(host -> host.steps().stream())
          .map(StepReport::end).max(Instant::compareTo).orElseThrow(() -> new IllegalArgumentException(
              where + ".start is missing, and no host of batch " + number + " has a step to place it after"));
    }
    Optional<GateVerdict.Sample> baseline = gate.get("baseline") == null ? Optional.empty()
        : Optional.of(sample(object(gate.get("baseline"), where + ".baseline"), where + ".baseline"));
    return new GateVerdict(new Batch(number, batchHosts, canary),
        constant(GateVerdict.Result.class, gate, "result", where), string(gate, "reason", where),
        sample(object(gate.get("candidate"), where + ".candidate"), where + ".candidate"), baseline, start,
        Duration.ofMillis(number(gate, "bakedMillis", where)));
  }

  private static GateVerdict.Sample sample(Map<String, Object> sample, String where) {
    Optional<Duration> latency = sample.get("latencyMicros") == null ? Optional.empty()
        : Optional.of(Duration.ofNanos(number(sample, "latencyMicros", where) * 1000));
    return new GateVerdict.Sample(string(sample, "side", where), strings(sample, "hosts", where),
        number(sample, "requests", where), number(sample, "errors", where), latency);
  }

  private static List<String> strings(Map<String, Object> object, String name, String where) {
    List<Object> list = list(object, name, where);
    List<String> strings = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String text)) {
        throw new IllegalArgumentException(where + "." + name + "[" + i + "] must be a string, was " + list.get(i));
      }
      strings.add(text);
    }
    return strings;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException(where + " must be a JSON object");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> object, String name, String where) {
    if (object.get(name) instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new IllegalArgumentException(where + "." + name + " must be an array, was " + object.get(name));
  }

  private static String string(Map<String, Object> object, String name, String where) {
    if (object.get(name) instanceof String value) {
      return value;
    }
    throw new IllegalArgumentException(where + "." + name + " must be a string, was " + object.get(name));
  }

  private static long number(Map<String, Object> object, String name, String where) {
    if (object.get(name) instanceof Long value) {
      return value;
    }
    throw new IllegalArgumentException(where + "." + name + " must be a whole number, was " + object.get(name));
  }

  private static Instant instant(Map<String, Object> object, String name, String where) {
    String value = string(object, name, where);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + "." + name + " must be an ISO-8601 instant, was " + value);
    }
  }

  private static <E extends Enum<E>> E constant(Class<E> type, Map<String, Object> object, String name, String where) {
    String value = string(object, name, where);
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + name + " must be one of " + java.util.Arrays.toString(
          type.getEnumConstants()) + ", was " + value);
    }
  }
}
