package dev.kapas.source.image.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The official CycloneDX 1.6 JSON schema (with its spdx and jsf parts), as cyclonedx-core-java ships it. */
public final class CycloneDxSchema {
  private CycloneDxSchema() {}

  public static Schema v16() throws IOException {
    Map<String, String> schemas = new HashMap<>();
    for (String name : List.of("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json")) {
      try (InputStream in = org.cyclonedx.Version.class.getResourceAsStream("/" + name)) {
        assertThat(in).as(name + " in cyclonedx-core-java").isNotNull();
        schemas.put("http://cyclonedx.org/schema/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemas(schemas)
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    return registry.getSchema(SchemaLocation.of("http://cyclonedx.org/schema/bom-1.6.schema.json"));
  }
}
