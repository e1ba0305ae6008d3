package dev.kapas.engine;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.Field;
import dev.kapas.model.KubeObject;
import dev.kapas.model.Location;
import dev.kapas.model.Severity;
import java.util.List;

/**
 * What a rule may see besides its input, and where it reports. Rules stay pure: no I/O, no
 * globals; everything they depend on comes through here.
 */
public interface RuleContext {

  /** The whole inventory, for rules that look up related objects (a pod's ServiceAccount). */
  Inventory inventory();

  /** The Pod Security Standards version being evaluated ({@code --pss-version}). */
  PssVersion pssVersion();

  /**
   * The PSS level being evaluated: {@link PssLevel#RESTRICTED} when the restricted profile is
   * asked for (some baseline checks are then replaced by their restricted counterparts, which
   * exempt Windows pods), else {@link PssLevel#BASELINE}.
   */
  PssLevel pssLevel();

  /** A parameter from the config file ({@code rules.<id>.<name>}); empty when not set. */
  List<String> param(String name);

  /** Reports a finding about the current object at {@code at} (its path and position). */
  void fail(Field at, String message);

  /**
   * Reports that the rule could not be evaluated on {@code object} (a custom rule's expression
   * failed at run time): a finding of status {@code error}, so the object is not silently passed.
   */
  void error(KubeObject object, Field at, String message);

  /** Reports a finding about {@code object}; for inventory rules. */
  void fail(KubeObject object, Field at, String message);

  /**
   * As {@link #fail(KubeObject, Field, String)}, at another severity than the rule's: for rules
   * whose {@code why} says when a finding weighs less (or more) than the rule's default.
   */
  void fail(KubeObject object, Field at, Severity severity, String message);

  /** Reports a finding about the current fact ({@link FactRule}) at {@code at}. */
  void fail(Location at, String message);

  /** Records that an inventory rule evaluated {@code object}, whether or not it failed. */
  void evaluated(KubeObject object);
}
