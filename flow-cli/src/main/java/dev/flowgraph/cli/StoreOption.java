package dev.flowgraph.cli;

import dev.flowgraph.core.store.Store;
import dev.flowgraph.store.JdbcStore;
import dev.flowgraph.store.StoreUrl;

/** The store a command uses: its {@code --store}, else {@code $FLOW_STORE}, else the embedded SQLite file. */
final class StoreOption {
    static final String ENV = "FLOW_STORE";

    private StoreOption() {
    }

    static String choose(String option) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? env : StoreUrl.DEFAULT;
    }

    /**
     * @throws IllegalArgumentException when the value is no store URL
     * @throws dev.flowgraph.core.store.StoreUnavailableException when it cannot be opened (named without password)
     */
    static Store open(String option) {
        return JdbcStore.open(choose(option));
    }
}
