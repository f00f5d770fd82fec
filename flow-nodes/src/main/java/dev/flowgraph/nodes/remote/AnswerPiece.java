package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.run.Usage;

/** One piece of a service's answer: new text (maybe empty), and the finish reason and usage when it has them. */
record AnswerPiece(String text, String finishReason, Usage usage) {
}
