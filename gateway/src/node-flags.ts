/**
 * V8 flags the gateway's Node process starts with (the image's CMD, `npm start`, the benchmark).
 *
 * With V8's default initial heap, the old generation's limit after a burst sits about 22 MB
 * above the gateway's live heap (23 MB), less than the young generation the burst grew; V8 then
 * starts a full mark-compact whenever the slack is below what a scavenge could promote, and at a
 * steady 200 requests/s it ran one every 0.7 s (pauses of 3–9 ms plus marking steps of up to
 * 5 ms), though almost nothing was promoted. A 128 MB initial heap leaves room: no mark-compact
 * in 20 s at that rate, and the gateway's p95 at 200 req/s 7.8–8.8 → 4.8–5.1 ms (bench/RESULTS.md).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--initial-heap-size=128'];
