import { AppError, REQUEST_ID_HEADER, sendProblem } from '@desk/platform';
import type { RequestHandler } from 'express';

/**
 * Refuses bodies over `limitBytes` with 413 without parsing them: at once when Content-Length
 * says so, and while streaming for chunked bodies, which declare no length; the connection is
 * then closed, which also aborts what was already forwarded.
 */
export function bodyLimit(limitBytes: number): RequestHandler {
  const tooLarge = () => AppError.payloadTooLarge(`The request body is larger than the ${Math.round(limitBytes / 1024)} KB limit.`);
  return (request, response, next) => {
    const declared = request.get('content-length');
    if (declared !== undefined && Number(declared) > limitBytes) return next(tooLarge());
    if (declared === undefined && request.get('transfer-encoding')) {
      let received = 0;
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received <= limitBytes || response.headersSent) return;
        response.set('Connection', 'close');
        response.once('finish', () => request.socket.destroy());
        sendProblem(response, tooLarge(), String(response.getHeader(REQUEST_ID_HEADER) ?? ''));
      });
    }
    next();
  };
}
