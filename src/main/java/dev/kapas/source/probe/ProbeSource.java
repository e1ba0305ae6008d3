package dev.kapas.source.probe;

import dev.kapas.model.Diagnostic;
import dev.kapas.source.Progress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes every port of every named host with at most {@code concurrency} connections in flight
 * (a fixed pool of platform threads: Java 17 has no virtual threads, and blocking connects with
 * a timeout are simplest to bound). Facts come back in host, then port order, whatever the timing.
 */
public final class ProbeSource {
  private final Duration timeout;
  private final int concurrency;

  private final List<X509Certificate> trusted;

  public ProbeSource(Duration timeout, int concurrency) {
    this(timeout, concurrency, List.of());
  }

  /** {@code trusted}: CA certificates the user trusts besides the JDK's default ones ({@code --cacert}). */
  public ProbeSource(Duration timeout, int concurrency, List<X509Certificate> trusted) {
    this.timeout = timeout;
    this.concurrency = concurrency;
    this.trusted = List.copyOf(trusted);
  }

  /**
   * The hosts and ports to probe, checked against the cap before anything is sent.
   *
   * @param hosts the hosts in the order named (CIDR blocks written out), each once
   * @param ports the ports, ascending
   * @param addresses the address each host name resolved to (literals are not in it)
   * @param errors targets that are not hosts, addresses or CIDR blocks, and names that do not
   *     resolve: each an input error, the other targets are still probed
   */
  public record Plan(List<String> hosts, List<Integer> ports, Map<String, InetAddress> addresses,
      List<Diagnostic> errors) {
    public Plan {
      hosts = List.copyOf(hosts);
      ports = List.copyOf(ports);
      addresses = Map.copyOf(addresses);
      errors = List.copyOf(errors);
    }

    public long connections() {
      return (long) hosts.size() * ports.size();
    }

    /**
     * Expands the targets, refusing (with the numbers) a plan of more than {@code cap} host:port
     * pairs before a single address is listed: a mistyped /8 must not become 16 million probes.
     * A bad target or a name that does not resolve is an error of the plan, not a refusal.
     *
     * @throws Targets.BadTarget when the plan is over the cap
     */
    public static Plan of(List<String> targets, List<Integer> ports, long cap) throws Targets.BadTarget {
      List<Diagnostic> errors = new ArrayList<>();
      List<String> good = new ArrayList<>();
      BigInteger total = BigInteger.ZERO;
      for (String t : targets) {
        try {
          total = total.add(Targets.count(t).multiply(BigInteger.valueOf(ports.size())));
          good.add(t);
        } catch (Targets.BadTarget e) {
          errors.add(Diagnostic.ofFile(t, e.getMessage()));
        }
      }
      if (total.compareTo(BigInteger.valueOf(cap)) > 0) {
        throw new Targets.BadTarget(String.format(
            "%s host:port pairs (%s x %d ports) is more than the cap of %,d connections; narrow the targets or "
                + "--ports, or raise --max-connections", String.format("%,d", total), String.join(" ", good),
            ports.size(), cap));
      }
      LinkedHashSet<String> hosts = new LinkedHashSet<>();
      for (String t : good) {
        hosts.addAll(Targets.expand(t));
      }
      Map<String, InetAddress> addresses = new LinkedHashMap<>();
      for (var it = hosts.iterator(); it.hasNext(); ) {
        String host = it.next();
        if (!Targets.isIpLiteral(host)) {
          try {
            addresses.put(host, InetAddress.getByName(host));
          } catch (UnknownHostException e) {
            errors.add(Diagnostic.ofFile(host, "the host name does not resolve; not probed"));
            it.remove();
          }
        }
      }
      return new Plan(new ArrayList<>(hosts), ports, addresses, errors);
    }
  }

  public List<PortFact> run(Plan plan, Progress progress) {
    Wire wire = new Wire(timeout, plan.addresses(), trusted);
    PortProber prober = new PortProber(wire);
    progress.start("probing", (int) plan.connections());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "kapas-probe-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), daemons);
    try {
      List<Future<PortFact>> pending = new ArrayList<>();
      for (String host : plan.hosts()) {
        for (int port : plan.ports()) {
          pending.add(pool.submit(() -> {
            try {
              return prober.probe(host, port);
            } finally {
              progress.advance();
            }
          }));
        }
      }
      List<PortFact> facts = new ArrayList<>(pending.size());
      for (Future<PortFact> f : pending) {
        facts.add(f.get());
      }
      return facts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("probe interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("probe failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      progress.done();
    }
  }
}
