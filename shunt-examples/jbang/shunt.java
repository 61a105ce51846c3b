///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.shunt:shunt-bom:0.1.0-SNAPSHOT@pom
//DEPS dev.shunt:shunt-workflow
//DEPS dev.shunt:shunt-hazelcast

// The shunt command line, runnable without a build: status, shunt, unshunt, wait-for-http,
// maintenance on|off, roll and lock show|release, on flag files, or on a Hazelcast cluster with
// --store hazelcast://...
//
//   jbang shunt.java --help
//   jbang shunt.java --store file:/var/run/shunt --service checkout shunt web-1 --reason deploy --ttl 15m
//   jbang shunt.java --store hazelcast://10.0.0.1:5701?cluster=shunt --service checkout status --json

import dev.shunt.workflow.cli.ShuntCli;

class shunt {
  public static void main(String[] args) {
    ShuntCli.main(args);
  }
}
