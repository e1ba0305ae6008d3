package dev.kapas.rules;

import dev.kapas.engine.PssLevel;
import dev.kapas.engine.PssVersion;
import dev.kapas.engine.RuleContext;
import dev.kapas.model.ContainerView;
import dev.kapas.model.Field;
import dev.kapas.model.MapNode;
import dev.kapas.model.Node;
import dev.kapas.model.PodView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the Pod Security Standards checks share, version by version as the admission controller
 * applies them: the safe sysctls and SELinux types, the exemptions for Windows and
 * user-namespaced pods, the legacy annotations, and the "set on the pod or on every container"
 * requirements.
 */
public final class PodSecurity {
  public static final String BASELINE_DOC = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline";
  public static final String RESTRICTED_DOC = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted";

  private static final int WINDOWS_EXEMPT_SINCE = 25;
  private static final int USER_NAMESPACE_RELAXED_SINCE = 35;

  public static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
  public static final String SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";
  public static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
  /** Up to v1.18 the admission controller reads seccomp from the annotations, from v1.19 from the fields only. */
  public static final int SECCOMP_FIELDS_SINCE = 19;

  /** Part of an allow list that grows with the version: these names are allowed from that minor on. */
  private record Since(int minor, Set<String> names) {}

  private static final List<Since> SAFE_SYSCTLS = List.of(
      new Since(0, Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
          "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start")),
      new Since(27, Set.of("net.ipv4.ip_local_reserved_ports")),
      new Since(29, Set.of("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes")),
      new Since(32, Set.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem")),
      new Since(37, Set.of("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat")));

  private static final List<Since> SELINUX_TYPES = List.of(
      new Since(0, Set.of("", "container_t", "container_init_t", "container_kvm_t")),
      new Since(31, Set.of("container_engine_t")));

  /** Capabilities baseline lets containers add (case and spelling exact: no CAP_ prefix). */
  public static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN",
      "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
      "SETPCAP", "SETUID", "SYS_CHROOT");

  private PodSecurity() {}

  public static boolean safeSysctl(String name, PssVersion version) {
    return inSet(SAFE_SYSCTLS, name, version);
  }

  public static boolean allowedSeLinuxType(String type, PssVersion version) {
    return inSet(SELINUX_TYPES, type, version);
  }

  private static boolean inSet(List<Since> sets, String value, PssVersion version) {
    return sets.stream().anyMatch(s -> version.atLeast(s.minor()) && s.names().contains(value));
  }

  /**
   * Windows pods ({@code spec.os.name: windows}) are exempt from the Linux-only restricted
   * checks from v1.25 on. Baseline checks that a restricted one replaces at the restricted level
   * (added capabilities, unconfined seccomp) are exempt there too: pass
   * {@code replacedAtRestricted} for those.
   */
  public static boolean exemptWindows(PodView pod, RuleContext ctx, boolean replacedAtRestricted) {
    boolean applies = !replacedAtRestricted || ctx.pssLevel() == PssLevel.RESTRICTED;
    return applies && pod.isWindows() && ctx.pssVersion().atLeast(WINDOWS_EXEMPT_SINCE);
  }

  /**
   * Pods in a user namespace ({@code hostUsers: false}) may run as UID 0 and unmask /proc: from
   * v1.35 the runAsUser, runAsNonRoot and baseline procMount checks let them.
   */
  public static boolean userNamespaceRelaxed(PodView pod, PssVersion version) {
    return pod.usesUserNamespace() && version.atLeast(USER_NAMESPACE_RELAXED_SINCE);
  }

  /** A securityContext and how messages name its owner: {@code the pod} or a container's label. */
  public record Owner(String who, Field securityContext) {}

  /** The pod's securityContext, then each container's: where most PSS settings can be made. */
  public static List<Owner> securityContexts(PodView pod) {
    List<Owner> out = new ArrayList<>();
    out.add(new Owner("the pod", pod.securityContext()));
    for (ContainerView c : pod.containers()) {
      out.add(new Owner(c.label(), c.securityContext()));
    }
    return out;
  }

  /** The items of a list field, each with its own path and position; empty when not a list. */
  public static List<Field> items(Field list) {
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < list.node().items().size(); i++) {
      out.add(list.get(i));
    }
    return out;
  }

  /** Reports a container's procMount when it is set to anything but {@code Default}. */
  public static void reportUnmaskedProcMount(ContainerView container, RuleContext ctx) {
    set(container.securityContext().get("procMount")).filter(f -> !text(f).equals("Default"))
        .ifPresent(f -> ctx.fail(f, container.label() + " sets `procMount: " + text(f) + "`"));
  }

  /** The field, when it is set to something other than null. */
  public static Optional<Field> set(Field field) {
    return field.isPresent() && !field.node().isNull() ? Optional.of(field) : Optional.empty();
  }

  /** A scalar's text for messages; {@code ""} when empty or not a scalar. */
  public static String text(Field field) {
    return field.node().textOr("");
  }

  /**
   * Whether a seccompProfile or appArmorProfile confines the container: its type is
   * RuntimeDefault or Localhost (an empty type counts as not confining, as in the admission
   * controller).
   */
  public static boolean confiningProfile(Node profile) {
    String type = profile.get("type").textOr("");
    return type.equals("RuntimeDefault") || type.equals("Localhost");
  }

  public static boolean validSeccompAnnotation(String value) {
    return value.equals("runtime/default") || value.equals("docker/default") || value.startsWith("localhost/");
  }

  public static boolean allowedAppArmorAnnotation(String value) {
    return value.isEmpty() || value.equals("runtime/default") || value.startsWith("localhost/");
  }

  /** The pod's annotation {@code key}, as a field (missing when not there). */
  public static Field annotation(PodView pod, String key) {
    return pod.metadata().get("annotations").get(key);
  }

  /** One annotation of the pod, with where it was written. */
  public record Annotation(String key, Field field) {
    public String value() {
      return field.node().textOr("");
    }
  }

  /** The pod's annotations whose key starts with {@code prefix}. */
  public static List<Annotation> annotationsWithPrefix(PodView pod, String prefix) {
    Field annotations = pod.metadata().get("annotations");
    List<Annotation> out = new ArrayList<>();
    for (String k : annotations.node().asMap().map(MapNode::keys).orElse(List.of())) {
      if (k.startsWith(prefix)) {
        out.add(new Annotation(k, annotations.get(k)));
      }
    }
    return out;
  }

  /**
   * A securityContext setting that the pod may set for all its containers but each container may
   * override, and that restricted requires of every container (runAsNonRoot: true, a confining
   * seccomp profile).
   *
   * @param key the securityContext key
   * @param valid whether a set value is acceptable
   * @param pointAt which part of a bad value to point at (e.g. the profile's {@code type})
   * @param required how the message states the requirement, e.g. {@code runAsNonRoot: true}
   */
  public record PodOrEveryContainer(String key, Predicate<Node> valid, UnaryOperator<Field> pointAt,
      String required) {

    /**
     * Reports the pod if it sets a bad value, each container that sets a bad value, and each
     * container that sets nothing while the pod sets no good value either.
     */
    public void check(PodView pod, RuleContext ctx) {
      Optional<Field> podValue = set(pod.securityContext().get(key));
      boolean podGood = podValue.isPresent() && valid.test(podValue.get().node());
      podValue.filter(v -> !podGood).ifPresent(v -> ctx.fail(pointAt.apply(v),
          "the pod sets `securityContext." + key + "` to " + shown(v) + "; restricted requires `" + required + "`"));
      for (ContainerView c : pod.containers()) {
        Field own = c.securityContext().get(key);
        if (set(own).isPresent()) {
          if (!valid.test(own.node())) {
            ctx.fail(pointAt.apply(own), c.label() + " sets `securityContext." + key + "` to " + shown(own)
                + "; restricted requires `" + required + "`");
          }
        } else if (!podGood) {
          ctx.fail(own, c.label() + " does not set `" + required + "`, and the pod does not set it for all containers");
        }
      }
    }

    private static String shown(Field value) {
      Node n = value.node();
      if (n.asMap().isPresent()) {
        return "type `" + n.get("type").textOr("") + "`";
      }
      return "`" + n.textOr("") + "`";
    }
  }
}
