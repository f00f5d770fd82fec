package dev.flowgraph.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics in Prometheus' text format: off by default, then what clients did (never the warm-up's own calls). */
class MetricsTest {

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return Http.send(b.build());
    }

    @Test
    void offByDefault() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.warmupSeconds", 0))) {
            assertThat(get(server.url + "/metrics", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void countsRequestsRefusalsTokensAndTimeToFirstToken() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.metrics", true, "api.warmupSeconds", 1.0,
                "llm.maxTokens", 8, "llm.ignoreEos", true))) {
            for (int i = 0; i < 2; i++) {
                assertThat(Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hi")).build()).statusCode())
                        .isEqualTo(200);
            }
            assertThat(Http.send(Http.post(server.prompt(), "wrong", Http.body("Hi")).build()).statusCode()).isEqualTo(401);
            assertThat(Http.send(Http.post(server.prompt(), StoryServer.KEY, "{\"message\": 3}").build()).statusCode())
                    .isEqualTo(400);
            HttpResponse<String> scrape = get(server.url + "/metrics", null);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            String text = scrape.body();
            assertThat(text).as("the warm-up's own requests are not counted").contains(
                    "flowgraph_requests_total{route=\"/prompt\",status=\"200\"} 2",
                    "flowgraph_requests_total{route=\"/prompt\",status=\"401\"} 1",
                    "flowgraph_rejected_total{reason=\"authentication_error\"} 1",
                    "flowgraph_rejected_total{reason=\"invalid_request_error\"} 1",
                    "flowgraph_generated_tokens_total 16",
                    "flowgraph_time_to_first_token_seconds_count 2",
                    "flowgraph_time_to_first_token_seconds_bucket{le=\"0.1\"} 2",
                    "flowgraph_streams_in_flight 0",
                    "jvm_memory_used_bytes{", "process_uptime_seconds");
        }
    }

    @Test
    void aMetricsKeyIsNeededWhenOneIsSet() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.metrics", true, "api.metricsKey", "scrape-key-1",
                "api.warmupSeconds", 0))) {
            assertThat(get(server.url + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(server.url + "/metrics", "wrong-key").statusCode()).isEqualTo(401);
            assertThat(get(server.url + "/metrics", "scrape-key-1").statusCode()).isEqualTo(200);
        }
    }
}
