package dev.shunt.workflow.internal;

import dev.shunt.workflow.HostReport;
import dev.shunt.workflow.RollbackReport;
import dev.shunt.workflow.RolloutReport;
import dev.shunt.workflow.StepReport;

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
}
