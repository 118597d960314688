package io.migo.smtp.readme;

import io.migo.smtp.readme.ReadmePrograms.Program;
import io.migo.smtp.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof that {@code io.migo:migo-smtp-core} is usable from Maven Central alone: the README's consumer project (its
 * {@code pom.xml}, which depends on migo-smtp-core only, and its {@code SendMail} program) is written to a fresh
 * directory and built and run by the README's own command, {@code mvn compile exec:java -Dexec.mainClass=SendMail},
 * with a local repository that holds nothing but the io.migo artifacts this build just made (installed into it with
 * {@code install:install-file}) and what Maven Central serves. The build must succeed without an {@code is invalid}
 * POM warning, nothing of Mutiny may reach that repository, and the program's messages must arrive through the real
 * Postfix (submission port, STARTTLS required, the test CA, the host name verified).
 *
 * <p>It needs Maven Central, as every build of this repository does. Maven's downloads make it the slowest test
 * (about a minute); no bound here depends on speed except the generous one against a hang.
 */
class ConsumerProjectIT {

  private static final Pattern XML_BLOCK = Pattern.compile("^```xml\\R(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);
  /** Against a hang only: a first build against an empty repository downloads ~60 artifacts from Central. */
  private static final long RUN_LIMIT_MINUTES = 10;

  private static TestServers servers;

  @BeforeAll
  static void requireServers() {
    servers = TestServers.require();
  }

  @Test
  void buildsFromCentralAloneAndSendsThroughPostfix() throws Exception {
    Path work = Path.of(System.getProperty("migo.consumerProof", "target/consumer-proof")).toAbsolutePath();
    deleteRecursively(work);
    Path repository = Files.createDirectories(work.resolve("repository"));
    Path project = Files.createDirectories(work.resolve("send-mail"));
    writeReadmeProject(project);

    installFreshArtifacts(repository, work);

    String recipient = "consumer-" + UUID.randomUUID() + "@example.test";
    Run run = maven(project, repository, Map.of(
        "SMTP_HOST", servers.get("hostname"),
        "SMTP_PORT", servers.get("postfix.submission.port"),
        "SMTP_USER", servers.user(),
        "SMTP_PASSWORD", servers.password(),
        "SMTP_CA", servers.get("ca.pem"),
        "MAIL_TO", recipient),
      work.resolve("consumer-build.log"),
      "-B", "compile", "exec:java", "-Dexec.mainClass=SendMail");

    assertThat(run.exitCode()).as("the consumer's build and run (log: %s)", run.log()).isZero();
    assertThat(run.output()).as("warnings of the consumer's build").doesNotContain("is invalid")
      .doesNotContain("[WARNING] The POM for");
    long accepted = run.output().lines().filter(line -> line.startsWith("accepted")).count();
    assertThat(accepted).as("messages SendMail saw accepted (log: %s)", run.log()).isEqualTo(2);
    assertThat(ReadmeProgramsIT.awaitDelivered(Path.of(servers.get("postfix.maildir")), recipient, accepted))
      .hasSize(2);
    assertThat(repository.resolve("io/smallrye/reactive/smallrye-mutiny-vertx-core"))
      .as("a consumer of migo-smtp-core gets no Mutiny bindings").doesNotExist();
    assertThat(repository.resolve("io/migo/migo-smtp-core/" + version()))
      .as("migo-smtp-core as installed by this test").isDirectory();
  }

  /** The README's consumer pom.xml and its SendMail program, as a reader copies them. */
  private static void writeReadmeProject(Path project) throws IOException {
    String markdown = Files.readString(ReadmePrograms.readme(), StandardCharsets.UTF_8);
    String pom = null;
    Matcher block = XML_BLOCK.matcher(markdown);
    while (block.find()) {
      if (block.group(1).contains("<artifactId>migo-smtp-core</artifactId>") && block.group(1).contains("<project")) {
        pom = block.group(1);
        break;
      }
    }
    assertThat(pom).as("the README's consumer pom.xml").isNotNull();
    assertThat(pom).as("the README's consumer depends on migo-smtp-core only")
      .doesNotContain("migo-smtp-mutiny").doesNotContain("smallrye");
    Program sendMail = ReadmePrograms.programs().stream().filter(p -> p.className().equals("SendMail")).findFirst()
      .orElseThrow(() -> new AssertionError("the README has no SendMail program"));
    Files.writeString(project.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
    Path sources = Files.createDirectories(project.resolve("src/main/java"));
    Files.writeString(sources.resolve("SendMail.java"), sendMail.source(), StandardCharsets.UTF_8);
  }

  /**
   * The parent POM and migo-smtp-core (jar and POM) of this build, installed as {@code mvn install} would, into a
   * repository that has nothing else.
   */
  private static void installFreshArtifacts(Path repository, Path work) throws Exception {
    Path root = Path.of(System.getProperty("migo.root", "..")).toAbsolutePath().normalize();
    Path coreJar = root.resolve("core/target/migo-smtp-core-" + version() + ".jar");
    assertThat(coreJar).as("core's jar (built before this module)").isRegularFile();
    install(repository, work, root.resolve("pom.xml"), root.resolve("pom.xml"), "install-parent.log");
    install(repository, work, coreJar, root.resolve("core/pom.xml"), "install-core.log");
  }

  private static void install(Path repository, Path work, Path file, Path pom, String logName) throws Exception {
    Run run = maven(work, repository, Map.of(), work.resolve(logName), "-B",
      "org.apache.maven.plugins:maven-install-plugin:3.1.2:install-file", "-Dfile=" + file, "-DpomFile=" + pom);
    assertThat(run.exitCode()).as("installing %s (log: %s)", file, run.log()).isZero();
  }

  private record Run(int exitCode, String output, Path log) {
  }

  private static Run maven(Path dir, Path repository, Map<String, String> environment, Path log, String... goals)
    throws Exception {
    List<String> command = new ArrayList<>();
    command.add(mavenExecutable());
    command.add("-Dmaven.repo.local=" + repository);
    command.addAll(List.of(goals));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
      .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    // The outer build's settings for Maven itself (MAVEN_OPTS, e.g. a proxy) stay; its project does not leak in.
    builder.environment().remove("MAVEN_PROJECTBASEDIR");
    Process process = builder.start();
    if (!process.waitFor(RUN_LIMIT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("Maven did not finish within " + RUN_LIMIT_MINUTES + " minutes: " + log);
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
  }

  /** The Maven that runs this build (examples/pom.xml passes its home), else {@code mvn} from the PATH. */
  private static String mavenExecutable() {
    String home = System.getProperty("migo.mavenHome");
    if (home != null && !home.isBlank()) {
      Path mvn = Path.of(home, "bin", File.separatorChar == '\\' ? "mvn.cmd" : "mvn");
      if (Files.isExecutable(mvn)) {
        return mvn.toString();
      }
    }
    return "mvn";
  }

  private static String version() {
    String version = System.getProperty("migo.version");
    assertThat(version).as("migo.version (set by examples/pom.xml)").isNotBlank();
    return version;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
