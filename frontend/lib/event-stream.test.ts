import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiClient, type TokenSource } from './api-client';
import { followEventStream, type StreamState } from './event-stream';

const signedIn: TokenSource = { current: () => 'token', refresh: () => Promise.resolve('token'), expired: () => undefined };

function stream(text: string): Response {
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** A gateway stand-in answering each stream request with the next answer, recording when and with which Last-Event-ID it was asked. */
function gateway(answers: Array<() => Response>, whenDone: () => void) {
  const asked: { at: number; lastEventId: string | null }[] = [];
  const fetchImpl = (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    asked.push({ at: Date.now(), lastEventId: new Headers(init?.headers).get('last-event-id') });
    const answer = answers.shift();
    if (!answer) {
      whenDone();
      return Promise.reject(new Error('no more answers'));
    }
    return Promise.resolve(answer());
  };
  return { asked, client: new ApiClient('http://gateway.test', signedIn, fetchImpl) };
}

describe('following an event stream', () => {
  test('when a stream ends, then the follower reconnects and resumes after the last event it saw', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const opened: boolean[] = [];
    const { asked, client } = gateway(
      [() => stream('id: 7\nevent: incident\ndata: {"n":1}\n\nevent: closed\ndata: {"reason":"token-expired"}\n\n'), () => stream('id: 8\nevent: incident\ndata: {"n":2}\n\n')],
      () => controller.abort(),
    );
    await followEventStream(client, '/incidents/stream', { signal: controller.signal, onEvent: (event) => events.push(event.data), onOpen: (resumed) => opened.push(resumed) });
    assert.deepEqual(events, ['{"n":1}', '{"n":2}']);
    assert.deepEqual(asked.map((request) => request.lastEventId), [null, '7', '8']);
    assert.deepEqual(opened, [false, true], 'the first connection is not a resumption; the next ones are');
  });

  test('when the gateway answers 429 with Retry-After, then the follower waits at least that long', async () => {
    const controller = new AbortController();
    const { asked, client } = gateway(
      [() => new Response(JSON.stringify({ title: 'Too many requests', status: 429, code: 'GATEWAY.RATE_LIMITED' }), { status: 429, headers: { 'Retry-After': '3', 'Content-Type': 'application/problem+json' } })],
      () => controller.abort(),
    );
    await followEventStream(client, '/incidents/stream', { signal: controller.signal, onEvent: () => undefined });
    assert.equal(asked.length, 2);
    assert.ok(asked[1]!.at - asked[0]!.at >= 2_900, `asked again after ${asked[1]!.at - asked[0]!.at} ms, not after the 3 s asked for`);
  });

  test('when the server closes the stream as one too many, then the follower stops for good', async () => {
    const states: StreamState[] = [];
    const controller = new AbortController();
    const { asked, client } = gateway([() => stream('retry: 3600000\nevent: closed\ndata: {"reason":"too-many-streams"}\n\n')], () => controller.abort());
    await followEventStream(client, '/incidents/stream', { signal: controller.signal, onEvent: () => undefined, onState: (state) => states.push(state) });
    assert.equal(asked.length, 1);
    assert.equal(states.at(-1), 'stopped');
  });
});
