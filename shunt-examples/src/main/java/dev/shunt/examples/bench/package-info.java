/**
 * The benchmark harness: each benchmark measures one thing shunt promises, against a baseline
 * measured in the same run, and prints the figures, the ratio, and the goal with PASS or MISS.
 * Run one with {@code ./mvnw -q -DskipTests package exec:exec -pl shunt-examples -am -Dbench=NAME}
 * ({@code health}, {@code propagation}, {@code drain}, {@code rollout}, {@code engine}, {@code gate} or
 * {@code all}); see
 * {@code docs/BENCHMARKS.md}. Not part of the test suite: the figures depend on the machine.
 */
package dev.shunt.examples.bench;
