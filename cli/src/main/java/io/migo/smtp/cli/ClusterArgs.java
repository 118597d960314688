package io.migo.smtp.cli;

import io.migo.smtp.cluster.ClusterOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;

/** How {@code worker} and {@code bulk --cluster} join a migo cluster: TCP/IP discovery, never multicast. */
final class ClusterArgs {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--cluster-host", order = 90, paramLabel = "HOST", defaultValue = ClusterOptions.DEFAULT_HOST,
    description = "Address this cluster member binds to and announces, and its event bus too (default: "
      + "${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--cluster-port", order = 91, paramLabel = "PORT", defaultValue = "" + ClusterOptions.DEFAULT_PORT,
    description = "Port of this member's Hazelcast (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--cluster-members", order = 92, paramLabel = "HOST:PORT", split = ",",
    description = "Members to join, comma-separated (this member's own address may be among them).")
  List<String> members = List.of();

  @Option(names = "--cluster-name", order = 93, paramLabel = "NAME", defaultValue = ClusterOptions.DEFAULT_NAME,
    description = "The cluster's name; members of another name do not join (default: ${DEFAULT-VALUE}).")
  String name;

  ClusterOptions options() {
    try {
      return new ClusterOptions().setHost(host).setPort(port).setMembers(members).setClusterName(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), "--cluster-port/--cluster-members: " + e.getMessage());
    }
  }
}
