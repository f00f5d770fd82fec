package dev.flowgraph.core.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code *.flow.json}. Reading is strict and says where a problem is; writing goes to a
 * temporary file that is then renamed over the target, so a flow file is never half-written.
 */
public final class FlowFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private FlowFiles() {
    }

    public static FlowDocument load(Path file) throws IOException, FlowFileException {
        return parse(Files.readString(file));
    }

    public static FlowDocument parse(String json) throws FlowFileException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "$" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new FlowFileException(where, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        return new Reader().document(root);
    }

    public static void save(FlowDocument flow, Path file) throws IOException {
        byte[] json = toJson(flow).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeAtomically(file, out -> out.write(json));
    }

    /** Writes a file's content to a stream; may fail part-way. */
    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} whole or not at all: the content goes to a temporary file beside it, is forced to disk and
     * renamed over the old file. If writing fails part-way the old file is untouched and the temporary file removed.
     */
    static void writeAtomically(Path file, ContentWriter content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A node's settings as its file holds them (references such as {@code ${env:NAME}} unresolved), indented. */
    public static String settingsJson(Map<String, Object> settings) {
        try {
            return JSON.writeValueAsString(settings);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("settings are plain values", e);
        }
    }

    public static String toJson(FlowDocument flow) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FlowDocument.FORMAT);
        root.put("name", flow.name());
        if (!flow.description().isEmpty()) {
            root.put("description", flow.description());
        }
        ArrayNode nodes = root.putArray("nodes");
        for (NodeInstance n : flow.nodes()) {
            ObjectNode node = nodes.addObject();
            node.put("id", n.id());
            node.put("type", n.type());
            ObjectNode pos = node.putObject("position");
            pos.put("x", n.position().x());
            pos.put("y", n.position().y());
            node.set("settings", JSON.valueToTree(n.settings()));
        }
        ArrayNode wires = root.putArray("wires");
        for (Wire w : flow.wires()) {
            ObjectNode wire = wires.addObject();
            wire.put("from", w.from().toString());
            wire.put("to", w.to().toString());
        }
        // Written only when present: a flow without them reads exactly as before.
        if (!flow.notes().isEmpty()) {
            ArrayNode notes = root.putArray("notes");
            for (Note n : flow.notes()) {
                ObjectNode note = notes.addObject();
                note.put("id", n.id());
                ObjectNode pos = note.putObject("position");
                pos.put("x", n.position().x());
                pos.put("y", n.position().y());
                note.put("width", n.width());
                note.put("height", n.height());
                note.put("text", n.text());
            }
        }
        if (!flow.groups().isEmpty()) {
            ArrayNode groups = root.putArray("groups");
            for (Group g : flow.groups()) {
                ObjectNode group = groups.addObject();
                group.put("id", g.id());
                group.put("title", g.title());
                group.put("color", g.color());
                ArrayNode members = group.putArray("nodes");
                g.nodes().forEach(members::add);
                if (g.collapsed()) {
                    group.put("collapsed", true);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Maps the JSON tree to the model, tracking the JSON path for messages. */
    private static final class Reader {

        FlowDocument document(JsonNode root) throws FlowFileException {
            object(root, "$");
            onlyFields(root, "$", Set.of("format", "name", "description", "nodes", "wires", "notes", "groups"));
            JsonNode format = root.get("format");
            if (format == null) {
                throw new FlowFileException("$.format", "missing; a flow file starts with \"format\": "
                        + FlowDocument.FORMAT);
            }
            if (!format.isInt()) {
                throw new FlowFileException("$.format", "must be a whole number");
            }
            if (format.intValue() > FlowDocument.FORMAT) {
                throw new FlowFileException("$.format", "version " + format.intValue()
                        + " was written by a newer Flowgraph; this one reads version " + FlowDocument.FORMAT);
            }
            if (format.intValue() < 1) {
                throw new FlowFileException("$.format", "unknown version " + format.intValue());
            }
            String name = optionalText(root, "name", "$");
            String description = optionalText(root, "description", "$");
            List<NodeInstance> nodes = new ArrayList<>();
            JsonNode nodesJson = array(root.get("nodes"), "$.nodes");
            for (int i = 0; i < nodesJson.size(); i++) {
                nodes.add(node(nodesJson.get(i), "$.nodes[" + i + "]"));
            }
            List<Wire> wires = new ArrayList<>();
            JsonNode wiresJson = root.has("wires") ? array(root.get("wires"), "$.wires") : JSON.createArrayNode();
            for (int i = 0; i < wiresJson.size(); i++) {
                wires.add(wire(wiresJson.get(i), "$.wires[" + i + "]"));
            }
            List<Note> notes = new ArrayList<>();
            JsonNode notesJson = root.has("notes") ? array(root.get("notes"), "$.notes") : JSON.createArrayNode();
            for (int i = 0; i < notesJson.size(); i++) {
                notes.add(note(notesJson.get(i), "$.notes[" + i + "]"));
            }
            java.util.Set<String> nodeIds = new java.util.HashSet<>();
            nodes.forEach(n -> nodeIds.add(n.id()));
            List<Group> groups = new ArrayList<>();
            JsonNode groupsJson = root.has("groups") ? array(root.get("groups"), "$.groups") : JSON.createArrayNode();
            for (int i = 0; i < groupsJson.size(); i++) {
                groups.add(group(groupsJson.get(i), "$.groups[" + i + "]", nodeIds));
            }
            return new FlowDocument(format.intValue(), name, description, nodes, wires, notes, groups);
        }

        Note note(JsonNode json, String path) throws FlowFileException {
            object(json, path);
            onlyFields(json, path, Set.of("id", "position", "width", "height", "text"));
            String id = requiredText(json, "id", path);
            JsonNode p = object(json.get("position"), path + ".position");
            Position position = new Position(number(p, "x", path + ".position"), number(p, "y", path + ".position"));
            double width = json.has("width") ? number(json, "width", path) : 0;
            double height = json.has("height") ? number(json, "height", path) : 0;
            return new Note(id, position, width, height, optionalText(json, "text", path));
        }

        Group group(JsonNode json, String path, java.util.Set<String> nodeIds) throws FlowFileException {
            object(json, path);
            onlyFields(json, path, Set.of("id", "title", "color", "nodes", "collapsed"));
            String id = requiredText(json, "id", path);
            JsonNode membersJson = array(json.get("nodes"), path + ".nodes");
            List<String> members = new ArrayList<>();
            for (int i = 0; i < membersJson.size(); i++) {
                JsonNode member = membersJson.get(i);
                if (!member.isTextual() || !nodeIds.contains(member.asText())) {
                    throw new FlowFileException(path + ".nodes[" + i + "]", "must name a node of this flow");
                }
                members.add(member.asText());
            }
            JsonNode collapsed = json.get("collapsed");
            if (collapsed != null && !collapsed.isBoolean()) {
                throw new FlowFileException(path + ".collapsed", "must be true or false");
            }
            return new Group(id, optionalText(json, "title", path), optionalText(json, "color", path), members,
                    collapsed != null && collapsed.booleanValue());
        }

        NodeInstance node(JsonNode json, String path) throws FlowFileException {
            object(json, path);
            onlyFields(json, path, Set.of("id", "type", "position", "settings"));
            String id = requiredText(json, "id", path);
            if (!NODE_ID.matcher(id).matches()) {
                throw new FlowFileException(path + ".id", "\"" + id
                        + "\" is not a valid node id (letters, digits, '-' and '_' only)");
            }
            String type = requiredText(json, "type", path);
            Position position = Position.ORIGIN;
            if (json.has("position")) {
                JsonNode p = object(json.get("position"), path + ".position");
                position = new Position(number(p, "x", path + ".position"), number(p, "y", path + ".position"));
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            if (json.has("settings")) {
                JsonNode s = object(json.get("settings"), path + ".settings");
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    var field = it.next();
                    settings.put(field.getKey(), value(field.getValue(), path + ".settings." + field.getKey()));
                }
            }
            return new NodeInstance(id, type, position, settings);
        }

        Wire wire(JsonNode json, String path) throws FlowFileException {
            object(json, path);
            onlyFields(json, path, Set.of("from", "to"));
            return new Wire(portRef(json, "from", path), portRef(json, "to", path));
        }

        PortRef portRef(JsonNode json, String field, String path) throws FlowFileException {
            String text = requiredText(json, field, path);
            try {
                return PortRef.parse(text);
            } catch (IllegalArgumentException e) {
                throw new FlowFileException(path + "." + field, e.getMessage());
            }
        }

        Object value(JsonNode v, String path) throws FlowFileException {
            if (v.isTextual()) {
                return v.textValue();
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isIntegralNumber()) {
                return v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
            }
            if (v.isNumber()) {
                return v.doubleValue();
            }
            if (v.isArray()) {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    list.add(value(v.get(i), path + "[" + i + "]"));
                }
                return List.copyOf(list);
            }
            throw new FlowFileException(path, "a setting must be text, a number, true/false or a list, not "
                    + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }

        JsonNode object(JsonNode json, String path) throws FlowFileException {
            if (json == null || !json.isObject()) {
                throw new FlowFileException(path, json == null ? "missing" : "must be a JSON object");
            }
            return json;
        }

        JsonNode array(JsonNode json, String path) throws FlowFileException {
            if (json == null || !json.isArray()) {
                throw new FlowFileException(path, json == null ? "missing" : "must be a JSON array");
            }
            return json;
        }

        String requiredText(JsonNode json, String field, String path) throws FlowFileException {
            JsonNode v = json.get(field);
            if (v == null || !v.isTextual() || v.textValue().isBlank()) {
                throw new FlowFileException(path + "." + field, v == null ? "missing" : "must be non-empty text");
            }
            return v.textValue();
        }

        String optionalText(JsonNode json, String field, String path) throws FlowFileException {
            JsonNode v = json.get(field);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                throw new FlowFileException(path + "." + field, "must be text");
            }
            return v.textValue();
        }

        double number(JsonNode json, String field, String path) throws FlowFileException {
            JsonNode v = json.get(field);
            if (v == null || !v.isNumber()) {
                throw new FlowFileException(path + "." + field, v == null ? "missing" : "must be a number");
            }
            return v.doubleValue();
        }

        void onlyFields(JsonNode json, String path, Set<String> known) throws FlowFileException {
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!known.contains(f)) {
                    throw new FlowFileException(path + "." + f, "unknown field (expected one of "
                            + known.stream().sorted().toList() + ")");
                }
            }
        }
    }
}
