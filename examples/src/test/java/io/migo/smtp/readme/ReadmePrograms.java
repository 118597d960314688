package io.migo.smtp.readme;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The complete Java programs in the README (a {@code java} code block with a {@code public static void main}), and
 * their compilation with {@code javax.tools} against the test class path: exactly what a reader gets by copying
 * a block into a project with the README's POM.
 */
final class ReadmePrograms {

  /** One program: its public class (in the default package, as a reader would paste it) and its source. */
  record Program(String className, String source) {
    @Override
    public String toString() {
      return className;
    }
  }

  private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\R(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("^public (?:final )?class (\\w+)", Pattern.MULTILINE);

  private ReadmePrograms() {
  }

  /** The README at the root of the repository; examples/pom.xml says where, Maven's working directory is examples/. */
  static Path readme() {
    Path readme = Path.of(System.getProperty("migo.readme", "../README.md"));
    if (!Files.isReadable(readme)) {
      throw new AssertionError("README not found at " + readme.toAbsolutePath());
    }
    return readme;
  }

  static List<Program> programs() throws IOException {
    String markdown = Files.readString(readme(), StandardCharsets.UTF_8);
    List<Program> programs = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(markdown);
    while (block.find()) {
      String source = block.group(1);
      if (!source.contains("public static void main(")) {
        continue;
      }
      Matcher name = PUBLIC_CLASS.matcher(source);
      if (!name.find()) {
        throw new AssertionError("a README program without a public class:\n" + source);
      }
      programs.add(new Program(name.group(1), source));
    }
    return programs;
  }

  /** The class path the tests run with: surefire and failsafe put the real one in this property. */
  static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /**
   * Compiles {@code program} into {@code classes} for Java 17, as {@code maven.compiler.release} 17 would; fails with
   * the compiler's messages when it does not compile.
   */
  static void compile(Program program, Path classes) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new AssertionError("no Java compiler in this runtime (a JRE, not a JDK?)");
    }
    Files.createDirectories(classes);
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + program.className() + ".java"),
      JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return program.source();
      }
    };
    List<String> options = List.of("--release", "17", "-classpath", testClassPath(), "-d", classes.toString(),
      "-proc:none");
    boolean compiled = compiler.getTask(null, null, diagnostics, options, null, List.of(file)).call();
    if (!compiled) {
      String messages = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
      throw new AssertionError("the README's " + program.className() + " does not compile:\n" + messages);
    }
  }
}
