package dev.kapas.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ObjectRef's hand-written equals and hashCode (written out for start-up) behave as the record's
 * generated ones did: equal by every component, and the same hash, so hash orders stay as they were.
 */
class ObjectRefTest {
  /** What the record's generated methods compute, for comparison. */
  private record Generated(String apiVersion, String kind, String namespace, String name) {}

  @Test
  void equalsAndHashCodeAreTheRecordsOwn() {
    List<String[]> cases = List.of(new String[] {"apps/v1", "Deployment", "shop", "web"},
        new String[] {"v1", "Namespace", "", "shop"}, new String[] {null, "Pod", null, "p"},
        new String[] {"v1", "Secret", "a", null});
    for (String[] c : cases) {
      ObjectRef ref = new ObjectRef(c[0], c[1], c[2], c[3]);
      assertThat(ref.hashCode()).isEqualTo(new Generated(c[0], c[1], c[2], c[3]).hashCode());
      assertThat(ref).isEqualTo(new ObjectRef(c[0], c[1], c[2], c[3]));
      for (int i = 0; i < 4; i++) {
        String[] other = c.clone();
        other[i] = "other";
        assertThat(ref).isNotEqualTo(new ObjectRef(other[0], other[1], other[2], other[3]));
      }
    }
    assertThat(new ObjectRef("v1", "Pod", "a", "b")).isNotEqualTo("v1/Pod/a/b");
  }
}
