package dev.kapas.build;

import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Compile-time rule discovery: finds every concrete class under {@code dev.kapas.rules} that
 * implements {@code dev.kapas.engine.Rule} and generates {@code dev.kapas.rules.RuleIndex}, which
 * instantiates them all. Adding a rule is adding its class: no registry to edit, and no
 * reflection or classpath scanning at run time. The build compiles this class first (see
 * pom.xml) and runs it over the rest of the sources.
 */
@SupportedAnnotationTypes("*")
public final class RuleIndexProcessor extends AbstractProcessor {
  private static final String RULE = "dev.kapas.engine.Rule";
  private static final String PACKAGE = "dev.kapas.rules";
  private boolean written;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (written || round.processingOver()) {
      return false;
    }
    TypeElement ruleType = processingEnv.getElementUtils().getTypeElement(RULE);
    if (ruleType == null) {
      return false;
    }
    TypeMirror rule = processingEnv.getTypeUtils().erasure(ruleType.asType());
    Set<String> found = new TreeSet<>();
    for (TypeElement type : ElementFilter.typesIn(round.getRootElements())) {
      String name = type.getQualifiedName().toString();
      if (!name.startsWith(PACKAGE + ".") || type.getKind() != ElementKind.CLASS
          || type.getModifiers().contains(Modifier.ABSTRACT)
          || !processingEnv.getTypeUtils().isAssignable(type.asType(), rule)) {
        continue;
      }
      if (usable(type)) {
        found.add(name);
      }
    }
    if (found.isEmpty()) {
      return false;
    }
    write(found);
    written = true;
    return false;
  }

  private boolean usable(TypeElement type) {
    boolean ok = type.getModifiers().contains(Modifier.PUBLIC)
        && type.getModifiers().contains(Modifier.FINAL);
    boolean noArgs = false;
    for (ExecutableElement ctor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      noArgs |= ctor.getParameters().isEmpty() && ctor.getModifiers().contains(Modifier.PUBLIC);
    }
    if (!ok || !noArgs) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "a rule must be a public final class with a public no-argument constructor", type);
    }
    return ok && noArgs;
  }

  private void write(Set<String> classes) {
    StringBuilder src = new StringBuilder();
    src.append("package ").append(PACKAGE).append(";\n\n")
        .append("/** Every rule class, generated at compile time by RuleIndexProcessor. */\n")
        .append("@javax.annotation.processing.Generated(\"dev.kapas.build.RuleIndexProcessor\")\n")
        .append("public final class RuleIndex {\n")
        .append("  private RuleIndex() {}\n\n")
        .append("  public static java.util.List<dev.kapas.engine.Rule> all() {\n")
        .append("    return java.util.List.of(");
    String sep = "\n        ";
    for (String c : classes) {
      src.append(sep).append("new ").append(c).append("()");
      sep = ",\n        ";
    }
    src.append(");\n  }\n}\n");
    Element[] origins = new Element[0];
    try (Writer w = processingEnv.getFiler().createSourceFile(PACKAGE + ".RuleIndex", origins).openWriter()) {
      w.write(src.toString());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write RuleIndex: " + e);
    }
  }
}
