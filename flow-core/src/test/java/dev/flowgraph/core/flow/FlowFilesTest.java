package dev.flowgraph.core.flow;

import dev.flowgraph.core.testing.TestFlows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowFilesTest {

    @Test
    void savedFlowLoadsBackEqual(@TempDir Path dir) throws Exception {
        FlowDocument flow = TestFlows.loop(5).withSetting("faulty", "ratio", 0.25);
        Path file = dir.resolve("loop.flow.json");
        FlowFiles.save(flow, file);
        assertThat(FlowFiles.load(file)).isEqualTo(flow);
        assertThat(Files.readString(file)).contains("\"format\" : 1").contains("\"from\" : \"alive.signal\"");
    }

    @Test
    void savingReplacesTheFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.flow.json");
        Files.writeString(file, "old content that is longer than nothing");
        FlowFiles.save(TestFlows.loop(0), file);
        assertThat(FlowFiles.load(file).nodes()).hasSize(4);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("loop.flow.json");
        }
    }

    @Test
    void aSaveOfTheSameFileThatFailsPartWayLeavesTheOldFileIntactAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.flow.json");
        FlowFiles.save(TestFlows.loop(0), file);
        String before = Files.readString(file);
        byte[] next = FlowFiles.toJson(TestFlows.loop(1).withSetting("faulty", "ratio", 0.5))
                .getBytes(StandardCharsets.UTF_8);
        // The disk fills up after the first 40 bytes of the new content have gone out.
        assertThatThrownBy(() -> FlowFiles.writeAtomically(file, out -> {
            out.write(next, 0, 40);
            out.flush();
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class).hasMessage("No space left on device");

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(FlowFiles.load(file)).isEqualTo(TestFlows.loop(0));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("loop.flow.json");
        }
    }

    @Test
    void aSaveThatCannotReplaceTheTargetLeavesItIntactAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        // The rename itself fails: the target is a non-empty folder, which no file may replace.
        Path target = dir.resolve("taken.flow.json");
        Files.createDirectories(target);
        Files.writeString(target.resolve("inside.txt"), "kept");
        assertThatThrownBy(() -> FlowFiles.save(TestFlows.loop(1), target)).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("inside.txt"))).isEqualTo("kept");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("taken.flow.json");
        }
    }

    @Test
    void badJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> FlowFiles.parse("{\n  \"format\": 1,\n  \"nodes\": [ }\n"))
                .isInstanceOf(FlowFileException.class)
                .hasMessageStartingWith("line 3, column")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void problemsNameTheirJsonPath() {
        record Case(String json, String where, String says) {
        }
        for (Case c : List.of(
                new Case("{\"nodes\":[]}", "$.format", "missing"),
                new Case("{\"format\":9,\"nodes\":[]}", "$.format", "newer Flowgraph"),
                new Case("{\"format\":1}", "$.nodes", "missing"),
                new Case("{\"format\":1,\"nodes\":[{\"id\":\"a\",\"type\":\"t\"},{\"id\":\"b\"}]}", "$.nodes[1].type", "missing"),
                new Case("{\"format\":1,\"nodes\":[{\"id\":\"a.b\",\"type\":\"t\"}]}", "$.nodes[0].id", "not a valid node id"),
                new Case("{\"format\":1,\"nodes\":[{\"id\":\"a\",\"type\":\"t\",\"settings\":{\"x\":{}}}]}", "$.nodes[0].settings.x", "must be text"),
                new Case("{\"format\":1,\"nodes\":[],\"wires\":[{\"from\":\"a\",\"to\":\"b.c\"}]}", "$.wires[0].from", "node.port"),
                new Case("{\"format\":1,\"nodes\":[],\"colour\":2}", "$.colour", "unknown field"))) {
            assertThatThrownBy(() -> FlowFiles.parse(c.json()))
                    .as(c.json())
                    .isInstanceOfSatisfying(FlowFileException.class, e -> {
                        assertThat(e.where()).isEqualTo(c.where());
                        assertThat(e.getMessage()).contains(c.says());
                    });
        }
    }

    @Test
    void notesAndGroupsRoundTripAndAFlowWithoutThemIsWrittenAsBefore() throws Exception {
        FlowDocument plain = TestFlows.loop(1);
        assertThat(FlowFiles.toJson(plain)).doesNotContain("notes").doesNotContain("groups");
        FlowDocument annotated = plain.withNotes(java.util.List.of(new Note("note1", new Position(5, 6), 300, 0, "# Hi\n**there**")))
                .withGroups(java.util.List.of(new Group("group1", "Words", "#ff8800", java.util.List.of("faulty", "words"), true)));
        FlowDocument read = FlowFiles.parse(FlowFiles.toJson(annotated));
        assertThat(read).isEqualTo(annotated);
        assertThat(read.notes().get(0).height()).isEqualTo(Note.DEFAULT_HEIGHT);
        // Removing a grouped node keeps the rest of its group; removing all of them removes the group.
        assertThat(annotated.withContent(plain.nodes().subList(0, 3), plain.wires()).groups())
                .singleElement().satisfies(g -> assertThat(g.nodes()).containsExactly("faulty"));
        assertThat(annotated.withContent(plain.nodes().subList(0, 2), plain.wires()).groups()).isEmpty();
    }

    @Test
    void aGroupNamingNoNodeOfTheFlowIsRefusedWithItsPath() {
        String json = FlowFiles.toJson(TestFlows.loop(1)).replaceFirst("\"wires\"",
                "\"groups\": [{\"id\": \"g\", \"nodes\": [\"ghost\"]}],\n  \"wires\"");
        assertThatThrownBy(() -> FlowFiles.parse(json)).isInstanceOf(FlowFileException.class)
                .hasMessageContaining("$.groups[0].nodes[0]").hasMessageContaining("must name a node of this flow");
    }
}
