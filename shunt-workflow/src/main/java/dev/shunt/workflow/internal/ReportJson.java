package dev.shunt.workflow.internal;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;
import dev.shunt.workflow.gate.GateVerdict;

/** {@link RolloutReport#toJson()}. */
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
    json.name("hosts").beginArray();
    report.hosts().forEach(host -> host(json, host));
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
            .member("bakedMillis", gate.baked().toMillis());
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
        .member("note", host.note())
        .name("steps").beginArray();
    for (StepReport step : host.steps()) {
      json.beginObject()
          .member("step", step.step())
          .member("result", step.result().name())
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
}
