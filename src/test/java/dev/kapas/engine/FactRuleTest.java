package dev.kapas.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kapas.inventory.Inventory;
import dev.kapas.model.Fact;
import dev.kapas.model.Finding;
import dev.kapas.model.Location;
import dev.kapas.model.ObjectRef;
import dev.kapas.model.Origin;
import dev.kapas.model.Severity;
import dev.kapas.model.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fact rules see only facts of their type, report about the current fact, and every fact they
 * saw counts as evaluated after the objects (scores and JUnit count passes from that).
 */
class FactRuleTest {

  record Port(String host, int port, boolean open) implements Fact {
    @Override
    public ObjectRef ref() {
      return new ObjectRef("", "Port", "", host + ":" + port);
    }

    @Override
    public Origin origin() {
      return new Origin(host + ":" + port, 0, 0, 0);
    }
  }

  record FileMode(String path, int mode) implements Fact {
    @Override
    public ObjectRef ref() {
      return new ObjectRef("", "File", "", path);
    }

    @Override
    public Origin origin() {
      return new Origin(path, 0, 0, 0);
    }
  }

  static final class OpenPort implements FactRule<Port> {
    @Override
    public RuleSpec spec() {
      return RuleSpec.rule("cloud.test-open-port").title("open port").severity(Severity.HIGH)
          .input(Input.PROBE).why("An open port is reachable.").fix("Close it.").build();
    }

    @Override
    public Class<Port> type() {
      return Port.class;
    }

    @Override
    public void check(Port fact, RuleContext ctx) {
      if (fact.open()) {
        ctx.fail(new Location(fact.host() + ":" + fact.port(), 0, 0, "tcp"), "port " + fact.port() + " is open");
      }
    }
  }

  @Test
  void factRuleChecksFactsOfItsTypeOnly() {
    Inventory inventory = new Inventory(List.of(),
        List.of(new Port("127.0.0.1", 2379, true), new FileMode("/etc/kubernetes/admin.conf", 0644),
            new Port("127.0.0.1", 6443, false)),
        List.of(), List.of());
    Evaluation evaluation = new Engine(List.of(new OpenPort()), Engine.Settings.defaults()).run(inventory);

    assertThat(evaluation.findings()).extracting(Finding::message).containsExactly("port 2379 is open");
    Finding finding = evaluation.findings().get(0);
    assertThat(finding.object().display()).isEqualTo("Port/127.0.0.1:2379");
    assertThat(finding.location().file()).isEqualTo("127.0.0.1:2379");
    assertThat(finding.severity()).isEqualTo(Severity.HIGH);
    assertThat(evaluation.evaluatedCount("cloud.test-open-port")).isEqualTo(2);
    assertThat(evaluation.evaluatedSubjects("cloud.test-open-port")).extracting(Subject::key)
        .containsExactly(new Port("127.0.0.1", 2379, true).key(), new Port("127.0.0.1", 6443, false).key());
  }
}
