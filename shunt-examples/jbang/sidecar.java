///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.shunt:shunt-bom:0.1.0-SNAPSHOT@pom
//DEPS dev.shunt:shunt-core

// A health server for an application in any language: answers the load balancer's health checks
// (and, with --agent, HAProxy's agent checks) for one instance from flag files, so the
// application itself needs no change. Stop it before the application: on SIGTERM it answers
// "down" until the load balancer has taken the instance out, then exits.
//
//   jbang sidecar.java --flags /var/run/shunt --service legacy --listen 0.0.0.0:8081 --agent 0.0.0.0:8082
//   touch /var/run/shunt/legacy/$(hostname).shunt     # health answers 503, the agent "drain"
//
// Options: --host NAME (default: this host's name), --path /health, --shunted-status 503,
// --nacks 3, --healthcheck-timeout 15.

import dev.shunt.sidecar.Sidecar;

class sidecar {
  public static void main(String[] args) {
    Sidecar.main(args);
  }
}
