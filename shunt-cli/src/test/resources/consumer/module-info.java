// A user's module: it names shunt-workflow only. dev.shunt and jdk.httpserver come with it (requires
// transitive); dev.shunt.hazelcast joins through its StatusStoreProvider (service binding).
module consumer {
  requires dev.shunt.workflow;
}
