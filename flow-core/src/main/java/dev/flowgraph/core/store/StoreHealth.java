package dev.flowgraph.core.store;

/**
 * @param available whether the database answered the last time it was used
 * @param failures  how many reads and writes failed since the process started
 * @param dropped   how many records were given up because the database stayed away too long
 */
public record StoreHealth(boolean available, long failures, long dropped) {
}
