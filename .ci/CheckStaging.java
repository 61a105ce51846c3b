import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks what `./mvnw -Prelease deploy` staged (default: target/staging) against what a Maven Central
 * upload needs, less the signatures: for every published module a POM whose effective metadata (its
 * own, or inherited from a staged parent) has name, description, url, licence, developer and SCM;
 * for every jar module the jar, sources and javadoc; a .sha1 and .md5 beside each file; one version
 * for all. Prints one
 * line per module and exits 1 naming what is missing.
 *
 * <p>Run with: java .ci/CheckStaging.java [STAGING_DIR]
 */
public class CheckStaging {
  private static final String GROUP = "dev/shunt";
  private static final List<String> POM_MODULES = List.of("shunt-parent", "shunt-bom");
  private static final List<String> JAR_MODULES = List.of("shunt-core", "shunt-hazelcast", "shunt-workflow");
  private static final List<String> UNPUBLISHED = List.of("shunt-cli", "shunt-examples");
  private static final Set<String> VERSIONS = new TreeSet<>();
  private static final List<String> METADATA = List.of("name", "description", "url", "licenses", "developers", "scm");

  public static void main(String[] args) throws Exception {
    Path staging = Path.of(args.length > 0 ? args[0] : "target/staging");
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(staging.resolve(GROUP))) {
      System.err.println("check-staging: nothing staged under " + staging.resolve(GROUP)
          + "; run ./mvnw -B -Prelease deploy first");
      System.exit(1);
    }
    for (String module : POM_MODULES) {
      check(staging, module, false, problems);
    }
    for (String module : JAR_MODULES) {
      check(staging, module, true, problems);
    }
    for (String module : UNPUBLISHED) {
      if (Files.exists(staging.resolve(GROUP).resolve(module))) {
        problems.add(module + ": staged, but it is not meant to be published");
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> System.err.println("check-staging: " + problem));
      System.exit(1);
    }
    System.out.println("check-staging: " + (POM_MODULES.size() + JAR_MODULES.size()) + " modules complete in " + staging);
  }

  private static void check(Path staging, String module, boolean jar, List<String> problems) throws Exception {
    Optional<Path> versionDir = latestVersion(staging.resolve(GROUP).resolve(module));
    if (versionDir.isEmpty()) {
      problems.add(module + ": not staged");
      return;
    }
    String version = versionDir.get().getFileName().toString();
    if (!VERSIONS.isEmpty() && !VERSIONS.contains(version)) {
      problems.add(module + ": staged as " + version + ", the modules before it as " + VERSIONS
          + " (shunt-bom/pom.xml keeps its own version: keep it in step with pom.xml)");
    }
    VERSIONS.add(version);
    List<String> found = new ArrayList<>();
    Optional<Path> pom = file(versionDir.get(), module, "", "pom", problems);
    pom.ifPresent(p -> found.add("pom"));
    if (jar) {
      for (String classifier : List.of("", "sources", "javadoc")) {
        file(versionDir.get(), module, classifier, "jar", problems)
            .ifPresent(p -> found.add(classifier.isEmpty() ? "jar" : classifier));
      }
    }
    if (pom.isPresent()) {
      for (String element : METADATA) {
        if (effective(staging, pom.get(), element).isEmpty()) {
          problems.add(module + ": its POM, and the staged parents it inherits from, have no <" + element + ">");
        } else {
          found.add(element);
        }
      }
    }
    System.out.println(module + " " + versionDir.get().getFileName() + ": " + String.join(", ", found));
  }

  /** The newest file MODULE-VERSION[-CLASSIFIER].EXT (a SNAPSHOT is staged with timestamped names), checked for checksums. */
  private static Optional<Path> file(Path dir, String module, String classifier, String extension, List<String> problems)
      throws IOException {
    String suffix = (classifier.isEmpty() ? "" : "-" + classifier) + "." + extension;
    try (Stream<Path> files = Files.list(dir)) {
      Optional<Path> file = files.filter(f -> {
        String name = f.getFileName().toString();
        String middle = name.startsWith(module + "-") && name.endsWith(suffix)
            ? name.substring(module.length() + 1, name.length() - suffix.length()) : null;
        // The version part holds no classifier: shunt-core-0.1.0.jar, not shunt-core-0.1.0-sources.jar.
        return middle != null && !middle.matches(".*-(sources|javadoc|tests)$");
      }).max(Path::compareTo);
      if (file.isEmpty()) {
        problems.add(module + ": no " + (classifier.isEmpty() ? "" : classifier + " ") + extension + " in " + dir);
        return file;
      }
      for (String checksum : List.of("sha1", "md5")) {
        if (!Files.isRegularFile(Path.of(file.get() + "." + checksum))) {
          problems.add(module + ": " + file.get().getFileName() + " has no ." + checksum);
        }
      }
      return file;
    }
  }

  private static Optional<Path> latestVersion(Path moduleDir) throws IOException {
    if (!Files.isDirectory(moduleDir)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(moduleDir)) {
      return dirs.filter(Files::isDirectory).max(Path::compareTo);
    }
  }

  /** The text of a top-level element of this POM, or of the nearest staged parent POM that has it. */
  private static Optional<String> effective(Path staging, Path pom, String element) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    Document document = factory.newDocumentBuilder().parse(pom.toFile());
    for (Node node = document.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals(element) && !child.getTextContent().isBlank()) {
        return Optional.of(child.getTextContent().trim());
      }
    }
    for (Node node = document.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals("parent")) {
        String artifactId = child.getElementsByTagName("artifactId").item(0).getTextContent().trim();
        Optional<Path> parentDir = latestVersion(staging.resolve(GROUP).resolve(artifactId));
        if (parentDir.isEmpty()) {
          return Optional.empty();
        }
        List<String> ignored = new ArrayList<>();
        Optional<Path> parentPom = file(parentDir.get(), artifactId, "", "pom", ignored);
        return parentPom.isPresent() ? effective(staging, parentPom.get(), element) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
