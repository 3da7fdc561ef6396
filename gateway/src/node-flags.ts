/**
 * V8 flags the gateway's Node process starts with (the image's CMD, `npm start`, the benchmark).
 *
 * `--initial-heap-size=128`: with V8's default initial heap, the old generation's limit after a
 * burst sits about 22 MB above the gateway's live heap (23 MB), less than the young generation
 * the burst grew; V8 then starts a full mark-compact whenever the slack is below what a scavenge
 * could promote, and at a steady 200 requests/s it ran one every 0.7 s (pauses of 3–9 ms plus
 * marking steps of up to 5 ms), though almost nothing was promoted. A 128 MB initial heap leaves
 * room: no mark-compact in 20 s at that rate.
 *
 * `--single-threaded-gc`: the gateway's heap is small and its scavenges take 2–5 ms on one
 * thread; V8 sizes its GC helper threads by the host's cores, not the container's CPU limit, and
 * on a shared host they take cores from the services the gateway waits for.
 *
 * Measured in bench/RESULTS.md (gateway overhead at a steady 200 req/s).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--initial-heap-size=128', '--single-threaded-gc'];
