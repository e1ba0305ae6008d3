package dev.kapas.model;

/**
 * A fact as an object uses it: an image as a container of a workload runs it. Fact rules of the
 * used fact's type judge {@link #used()}, and their findings are about the object, at the field
 * that names the fact (the container's {@code image:}); a fact some use stands for is judged only
 * through its uses. The object's {@code kapas.dev/ignore} and exceptions apply, as to its own
 * findings.
 */
public interface FactInUse extends Fact {
  /** The fact the object uses. */
  Fact used();

  /** The object that uses it. */
  KubeObject user();

  /** The field of {@link #user()} that names the fact. */
  Field where();

  /** Said after the rule's message: which part of the object uses the fact (`container `app``). */
  String context();

  @Override
  default ObjectRef ref() {
    return user().ref();
  }

  @Override
  default Origin origin() {
    return user().origin();
  }

  @Override
  default String derivedFrom() {
    return user().key();
  }
}
