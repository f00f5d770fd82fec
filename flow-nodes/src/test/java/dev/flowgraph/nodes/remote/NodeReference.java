package dev.flowgraph.nodes.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.testing.TestModels;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node reference a user reads ({@code docs/nodes.md}): the defaults it documents for a node type's settings, so
 * a contract test can check that the request on the wire carries what the documentation promises.
 */
final class NodeReference {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| [^|]*?default ([^,|]+?)[,|]");

    private NodeReference() {
    }

    /** Setting name → documented default (as written), for the node type {@code type}. */
    static Map<String, String> defaults(String type) throws IOException {
        List<String> lines = Files.readAllLines(TestModels.projectRoot().resolve("docs/nodes.md"));
        Map<String, String> defaults = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.endsWith("(`" + type + "`)");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (inSection && m.find()) {
                defaults.put(m.group(1), m.group(2).trim());
            }
        }
        assertThat(defaults).as("documented defaults of %s in docs/nodes.md", type).isNotEmpty();
        return defaults;
    }

    /** Asserts that the request body's {@code field} carries {@code setting}'s documented default. */
    static void assertDocumentedDefault(Map<String, String> documented, String setting, JsonNode body, String field) {
        String expected = documented.get(setting);
        assertThat(expected).as("docs/nodes.md documents a default for %s", setting).isNotNull();
        JsonNode sent = body.path(field);
        assertThat(sent.isMissingNode()).as("%s is sent", field).isFalse();
        if (sent.isBoolean()) {
            assertThat(sent.asText()).as(field).isEqualTo(expected);
        } else {
            assertThat(sent.decimalValue()).as(field).isEqualByComparingTo(new BigDecimal(expected));
        }
    }
}
