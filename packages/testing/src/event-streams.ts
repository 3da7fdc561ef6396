/** A server-sent event stream held open by a test: its text so far, whether it ended, and how to close it. */
export interface HeldEventStream {
  response: Response;
  state: { text: string; ended: boolean };
  close(): void;
}

/**
 * GETs an event stream with a bearer token and, when it is answered 200, keeps collecting its text
 * in `state` until the server ends it or `close()` aborts it. Any other answer is returned with
 * its body unread, for the test to look at.
 */
export async function holdEventStream(url: string, token: string, headers: Record<string, string> = {}): Promise<HeldEventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const state = { text: '', ended: response.status !== 200 };
  if (response.status === 200) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) state.text += decoder.decode(chunk as Uint8Array, { stream: true });
      } catch {
        // aborted
      }
      state.ended = true;
    })();
  }
  return { response, state, close: () => controller.abort() };
}

/** The `event: closed` a stream was ended with (the platform's reason and detail), if any. */
export function closedEvent(text: string): { reason: string; detail: string } | undefined {
  const match = /event: closed\ndata: (.+)\n\n/.exec(text);
  return match ? (JSON.parse(match[1]!) as { reason: string; detail: string }) : undefined;
}

/** The events of one name in a stream's text so far, in order: their ids and parsed data. */
export function eventsNamed<T = Record<string, unknown>>(text: string, name: string): { id: string | undefined; data: T }[] {
  const events: { id: string | undefined; data: T }[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    if (!lines.includes(`event: ${name}`)) continue;
    const data = lines.find((line) => line.startsWith('data: '));
    if (!data) continue;
    const id = lines.find((line) => line.startsWith('id: '))?.slice(4);
    events.push({ id, data: JSON.parse(data.slice(6)) as T });
  }
  return events;
}
