// A user's module that reaches for shunt's implementation packages: javac must refuse it.
module sneaky {
  requires dev.shunt.workflow;
  requires dev.shunt.hazelcast;
}
