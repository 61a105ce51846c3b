/**
 * Gates that halt a rollout when the new version misbehaves: a {@link dev.shunt.workflow.gate.MetricsGate}
 * watches, after each batch and for a bake time, the error rate and latency of the hosts just rolled
 * against those not yet rolled (or the same hosts before their restart), and halts the rollout when
 * a threshold is crossed on a large enough sample. The numbers come from a
 * {@link dev.shunt.workflow.gate.MetricsSource}: HAProxy's own per-server counters
 * ({@link dev.shunt.workflow.gate.HaproxyMetricsSource}), the application's Prometheus endpoint
 * ({@link dev.shunt.workflow.gate.PrometheusMetricsSource}), or an implementation of your own.
 * Each verdict is a {@link dev.shunt.workflow.gate.GateVerdict} in the rollout's report.
 */
package dev.shunt.workflow.gate;
