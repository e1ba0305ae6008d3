package dev.kapas.source.code;

import dev.kapas.model.Diagnostic;
import dev.kapas.model.SoftwarePackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Dependencies of the pom.xml files of a tree, with versions resolved the way Maven would within the
 * tree: {@code ${property}} from the pom's properties and its parents' (a parent found in the tree
 * by its coordinates), {@code ${project.version}}, and versions left out but given by a
 * {@code dependencyManagement} of the pom or its parents. What cannot be resolved within the tree
 * (a BOM or parent from a repository) is noted as not checked, never guessed.
 */
final class PomFiles {
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  private PomFiles() {}

  private record Dependency(String groupId, String artifactId, String version, String scope, int line) {}

  private static final class Pom {
    String file;
    String groupId = "";
    String artifactId = "";
    String version = "";
    String parentGroupId = "";
    String parentArtifactId = "";
    String parentVersion = "";
    final Map<String, String> properties = new HashMap<>();
    final List<Dependency> dependencies = new ArrayList<>();
    final List<Dependency> managed = new ArrayList<>();

    String key() {
      return (groupId.isEmpty() ? parentGroupId : groupId) + ":" + artifactId;
    }
  }

  static void read(Path root, Path shownAs, List<Path> files, List<SoftwarePackage> out, List<Diagnostic> errors,
      List<Diagnostic> notes) throws IOException {
    Map<String, Pom> byKey = new HashMap<>();
    List<Pom> poms = new ArrayList<>();
    for (Path f : files) {
      String shown = DependencyFiles.shown(root, shownAs, f);
      try (InputStream in = Files.newInputStream(f)) {
        Pom pom = parse(in, shown);
        poms.add(pom);
        byKey.put(pom.key(), pom);
      } catch (XMLStreamException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
        errors.add(new Diagnostic(shown, Math.max(line, 0), 0, "not well-formed XML: " + e.getMessage()
            .replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message: ", "")));
      }
    }
    for (Pom pom : poms) {
      for (Dependency d : pom.dependencies) {
        String name = d.groupId + ":" + d.artifactId;
        Optional<String> version = d.version.isEmpty() ? managedVersion(pom, d, byKey) : Optional.of(d.version);
        Optional<String> resolved = version.flatMap(v -> resolve(v, pom, byKey));
        if (d.groupId.contains("${") || resolved.isEmpty()) {
          notes.add(new Diagnostic(pom.file, d.line, 0, name + ": version "
              + (d.version.isEmpty() ? "not given here nor in a dependencyManagement in the tree" : "`" + d.version
                  + "` not resolved within the tree") + "; not checked"));
          continue;
        }
        out.add(new SoftwarePackage("Maven", name, resolved.get(), name, resolved.get(),
            DependencyFiles.purl("Maven", name, resolved.get()), pom.file, d.line, ""));
      }
    }
  }

  private static Optional<String> managedVersion(Pom pom, Dependency d, Map<String, Pom> byKey) {
    for (Pom p = pom; p != null; p = byKey.get(p.parentGroupId + ":" + p.parentArtifactId)) {
      for (Dependency m : p.managed) {
        if (m.groupId.equals(d.groupId) && m.artifactId.equals(d.artifactId) && !m.version.isEmpty()) {
          Pom owner = p;
          return resolve(m.version, owner, byKey);
        }
      }
      if (p.parentArtifactId.isEmpty()) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> resolve(String value, Pom pom, Map<String, Pom> byKey) {
    String v = value;
    for (int depth = 0; depth < 10 && v.contains("${"); depth++) {
      Matcher m = PROPERTY.matcher(v);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        Optional<String> p = property(m.group(1), pom, byKey);
        if (p.isEmpty()) {
          return Optional.empty();
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(p.get()));
      }
      m.appendTail(sb);
      v = sb.toString();
    }
    return v.contains("${") ? Optional.empty() : Optional.of(v.strip());
  }

  private static Optional<String> property(String name, Pom pom, Map<String, Pom> byKey) {
    if (name.equals("project.version") || name.equals("version") || name.equals("pom.version")) {
      return Optional.of(pom.version.isEmpty() ? pom.parentVersion : pom.version).filter(s -> !s.isEmpty());
    }
    if (name.equals("project.parent.version")) {
      return Optional.of(pom.parentVersion).filter(s -> !s.isEmpty());
    }
    if (name.equals("project.groupId")) {
      return Optional.of(pom.groupId.isEmpty() ? pom.parentGroupId : pom.groupId);
    }
    for (Pom p = pom; p != null; p = byKey.get(p.parentGroupId + ":" + p.parentArtifactId)) {
      if (p.properties.containsKey(name)) {
        return Optional.of(p.properties.get(name));
      }
      if (p.parentArtifactId.isEmpty()) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Pom parse(InputStream in, String file) throws XMLStreamException {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader r = f.createXMLStreamReader(in);
    Pom pom = new Pom();
    pom.file = file;
    List<String> path = new ArrayList<>();
    Map<String, String> dep = new HashMap<>();
    int depLine = 0;
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamReader.START_ELEMENT) {
        path.add(r.getLocalName());
        String p = String.join("/", path);
        if (p.endsWith("dependencies/dependency")) {
          dep.clear();
          depLine = r.getLocation().getLineNumber();
        }
        if (path.size() == 3 && p.startsWith("project/properties/")) {
          pom.properties.put(r.getLocalName(), r.getElementText().strip());
          path.remove(path.size() - 1);
        } else if (path.size() >= 2 && List.of("groupId", "artifactId", "version", "scope").contains(r.getLocalName())) {
          String text = r.getElementText().strip();
          String parent = path.get(path.size() - 2);
          path.remove(path.size() - 1);
          String where = String.join("/", path);
          switch (where) {
            case "project" -> set(pom, r.getLocalName(), text, false);
            case "project/parent" -> set(pom, r.getLocalName(), text, true);
            default -> {
              if (parent.equals("dependency")) {
                dep.put(r.getLocalName(), text);
              }
            }
          }
        }
      } else if (event == XMLStreamReader.END_ELEMENT) {
        String p = String.join("/", path);
        if (p.equals("project/dependencies/dependency") || p.equals("project/dependencyManagement/dependencies/dependency")
            || p.matches("project/profiles/profile/dependencies/dependency")) {
          Dependency d = new Dependency(dep.getOrDefault("groupId", ""), dep.getOrDefault("artifactId", ""),
              dep.getOrDefault("version", ""), dep.getOrDefault("scope", ""), depLine);
          if (p.contains("dependencyManagement")) {
            pom.managed.add(d);
          } else {
            pom.dependencies.add(d);
          }
        }
        path.remove(path.size() - 1);
      }
    }
    return pom;
  }

  private static void set(Pom pom, String field, String text, boolean parent) {
    switch (field) {
      case "groupId" -> {
        if (parent) {
          pom.parentGroupId = text;
        } else {
          pom.groupId = text;
        }
      }
      case "artifactId" -> {
        if (parent) {
          pom.parentArtifactId = text;
        } else {
          pom.artifactId = text;
        }
      }
      case "version" -> {
        if (parent) {
          pom.parentVersion = text;
        } else {
          pom.version = text;
        }
      }
      default -> { }
    }
  }
}
