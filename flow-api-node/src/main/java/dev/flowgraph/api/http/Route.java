package dev.flowgraph.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One route of the API element, declared once in {@link ApiServer#routes}.
 *
 * @param path    as people write it: {@code /runs/{id}} (a path ending in a {@code {name}} segment matches any
 *                value there)
 * @param dialect whose contract it follows: {@code prompt} (the API element's own), {@code openai}, {@code locallab},
 *                {@code gridrepublic}, {@code mcp}, {@code ours}; it decides the shape of the route's error answers
 * @param handler what answers it, after the method is checked
 */
public record Route(String path, List<HttpString> methods, String dialect, HttpHandler handler) {

    public Route {
        methods = List.copyOf(methods);
    }

    /** LocalLab's clients read {@code {"detail"}}, GridRepublic's {@code {"success":false}}; the others' {@code {"error"}}. */
    ApiErrors.Shape errorShape() {
        return switch (dialect) {
            case "locallab" -> ApiErrors.Shape.DETAIL;
            case "gridrepublic" -> ApiErrors.Shape.SUCCESS_FALSE;
            default -> ApiErrors.Shape.ERROR_OBJECT;
        };
    }

    boolean isPrefix() {
        return path.endsWith("}");
    }

    /** What Undertow's path handler is given: the path, or for {@code /runs/{id}} the prefix {@code /runs/}. */
    String matchPath() {
        return isPrefix() ? path.substring(0, path.lastIndexOf('{')) : path;
    }

    /** {@code GET /runs/{id}}, {@code GET|DELETE /sessions/{id}}. */
    @Override
    public String toString() {
        return methods.stream().map(HttpString::toString).collect(Collectors.joining("|")) + " " + path;
    }

    /** Every route, as the 404 answer lists them. */
    static String summary(List<Route> routes) {
        List<String> all = routes.stream().map(Route::toString).toList();
        return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }
}
