package dev.flowgraph.nodes.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Picks the thread count that decodes fastest for this model on this machine. More threads are not always
 * faster: for a small model on two cores the threads spend their time synchronising (1 thread decodes the
 * test model about 16 times faster than 2), so each candidate is loaded and timed.
 */
final class ThreadTuner {
    private static final int TRIAL_TOKENS = 32;
    private static final int TRIAL_ROUNDS = 3;

    record Trial(int threads, double tokensPerSecond) {
    }

    /** The loaded model at the winning thread count, and what each candidate measured. */
    record Result<M>(M model, int threads, List<Trial> trials) {
    }

    private ThreadTuner() {
    }

    /** 1, half the cores and all of them. */
    static List<Integer> candidates(int cores) {
        TreeSet<Integer> set = new TreeSet<>(List.of(1, Math.max(1, cores / 2), Math.max(1, cores)));
        return List.copyOf(set);
    }

    /** Loads the model with each candidate thread count, times its decoding and keeps the fastest loaded. */
    static Result<LlamaModel> tune(IntFunction<LlamaModel> loadWithThreads, int cores) {
        return tune(loadWithThreads, ThreadTuner::measure, cores);
    }

    /**
     * Loads a model with each candidate thread count, measures it (tokens per second), keeps the fastest one loaded
     * and closes the others; a failed measurement closes its model and is thrown.
     */
    static <M extends AutoCloseable> Result<M> tune(IntFunction<M> loadWithThreads, ToDoubleFunction<M> measure,
                                                    int cores) {
        List<Trial> trials = new ArrayList<>();
        M best = null;
        int bestThreads = 0;
        double bestSpeed = -1;
        for (int threads : candidates(cores)) {
            M model = loadWithThreads.apply(threads);
            double speed;
            try {
                speed = measure.applyAsDouble(model);
            } catch (RuntimeException e) {
                close(model);
                throw e;
            }
            trials.add(new Trial(threads, speed));
            if (speed > bestSpeed) {
                if (best != null) {
                    close(best);
                }
                best = model;
                bestThreads = threads;
                bestSpeed = speed;
            } else {
                close(model);
            }
        }
        return new Result<>(best, bestThreads, trials);
    }

    private static void close(AutoCloseable model) {
        try {
            model.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not unload a model tried by the thread tuner: " + e.getMessage(), e);
        }
    }

    /** Median decode speed over a few short greedy generations, after one warm-up. */
    static double measure(LlamaModel model) {
        generate(model, 4);
        double[] speeds = new double[TRIAL_ROUNDS];
        for (int i = 0; i < TRIAL_ROUNDS; i++) {
            long start = System.nanoTime();
            int tokens = generate(model, TRIAL_TOKENS);
            speeds[i] = tokens / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(speeds);
        return speeds[TRIAL_ROUNDS / 2];
    }

    private static int generate(LlamaModel model, int tokens) {
        InferenceParameters p = new InferenceParameters("Once upon a time")
                .setNPredict(tokens).setTemperature(0).setIgnoreEos(true).setCachePrompt(false);
        int n = 0;
        for (LlamaOutput ignored : model.generate(p)) {
            n++;
        }
        return n;
    }
}
