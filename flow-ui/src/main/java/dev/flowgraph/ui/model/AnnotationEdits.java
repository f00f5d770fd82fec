package dev.flowgraph.ui.model;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Group;
import dev.flowgraph.core.flow.Note;
import dev.flowgraph.core.flow.Position;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Edits of a flow's notes and groups, as pure functions from one document to the next (each one undo step). */
public final class AnnotationEdits {
    private AnnotationEdits() {
    }

    /** The new note and the flow holding it. */
    public record AddedNote(FlowDocument flow, String noteId) {
    }

    public static AddedNote addNote(FlowDocument flow, Position at, String text) {
        String id = freeId("note", flow.notes().stream().map(Note::id).toList());
        List<Note> notes = new ArrayList<>(flow.notes());
        notes.add(new Note(id, at, 0, 0, text));
        return new AddedNote(flow.withNotes(notes), id);
    }

    public static FlowDocument editNote(FlowDocument flow, String noteId, String text) {
        return flow.withNotes(flow.notes().stream().map(n -> n.id().equals(noteId) ? n.withText(text) : n).toList());
    }

    public static FlowDocument moveNote(FlowDocument flow, String noteId, Position to) {
        return flow.withNotes(flow.notes().stream().map(n -> n.id().equals(noteId) ? n.at(to) : n).toList());
    }

    public static FlowDocument removeNote(FlowDocument flow, String noteId) {
        return flow.withNotes(flow.notes().stream().filter(n -> !n.id().equals(noteId)).toList());
    }

    /** The new group and the flow holding it; its nodes leave any group they were in. */
    public record AddedGroup(FlowDocument flow, String groupId) {
    }

    public static AddedGroup group(FlowDocument flow, Collection<String> nodeIds, String title) {
        Set<String> members = new HashSet<>(nodeIds);
        List<Group> groups = new ArrayList<>();
        for (Group g : flow.groups()) {
            List<String> rest = g.nodes().stream().filter(id -> !members.contains(id)).toList();
            if (!rest.isEmpty()) {
                groups.add(g.withNodes(rest));
            }
        }
        String id = freeId("group", flow.groups().stream().map(Group::id).toList());
        List<String> ordered = flow.nodes().stream().map(n -> n.id()).filter(members::contains).toList();
        groups.add(new Group(id, title, Group.DEFAULT_COLOR, ordered, false));
        return new AddedGroup(flow.withGroups(groups), id);
    }

    /** Removes the groups any of these nodes are in (their nodes stay). */
    public static FlowDocument ungroup(FlowDocument flow, Collection<String> nodeIds) {
        Set<String> chosen = Set.copyOf(nodeIds);
        return flow.withGroups(flow.groups().stream().filter(g -> g.nodes().stream().noneMatch(chosen::contains)).toList());
    }

    public static FlowDocument setCollapsed(FlowDocument flow, String groupId, boolean collapsed) {
        return flow.withGroups(flow.groups().stream()
                .map(g -> g.id().equals(groupId) ? g.withCollapsed(collapsed) : g).toList());
    }

    public static FlowDocument retitle(FlowDocument flow, String groupId, String title) {
        return flow.withGroups(flow.groups().stream().map(g -> g.id().equals(groupId) ? g.withTitle(title) : g).toList());
    }

    private static String freeId(String stem, Collection<String> used) {
        for (int i = 1; ; i++) {
            if (!used.contains(stem + i)) {
                return stem + i;
            }
        }
    }
}
