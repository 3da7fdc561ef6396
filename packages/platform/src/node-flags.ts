/**
 * V8 flags every backend service's Node process starts with: each image's CMD, each workspace's
 * `npm start` (and the standalone platform's), and the benchmarks. A deploy check keeps them equal.
 *
 * With V8's default initial heap the old generation's limit sits about 40 MB above a service's
 * live heap (24 MB), less than the young generation a burst of traffic grows; V8 then starts a
 * full mark-compact whenever that slack is below what one scavenge could promote, though little
 * is. Measured at a steady 200 requests/s (bench/RESULTS.md): the gateway ran one every 0.7 s and
 * incident-service one every 1.7 s, each a 4–9 ms pause plus marking steps that together stalled
 * the requests in flight for 20–30 ms. A 128 MB initial heap leaves room: no mark-compact in 20 s
 * at that rate. The heap is committed as it is used, not up front.
 *
 * A 32 MB semi-space (V8's default at most 16 MB): a request's garbage (rows, texts, the answer)
 * dies young, and a larger young generation scavenges half as often and promotes less of what
 * is still in flight. Measured on incident-service's admin list at 50 connections
 * (bench/RESULTS.md, 2026-12-05 21:40): 0.62–0.70 ms of CPU per request instead of 0.76–0.91,
 * 1,161–1,347 requests/s instead of 986–1,141. It costs up to some 48 MB more under load.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--initial-heap-size=128', '--max-semi-space-size=32'];
