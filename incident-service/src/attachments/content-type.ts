import { ATTACHMENT_TYPES, type AttachmentType } from '@desk/contracts';
import { fileTypeFromBuffer } from 'file-type';

/** How many bytes of a file its type is recognised from (file-type reads no further). */
export const SNIFF_BYTES = 4100;

export type Recognised = { ok: true; contentType: AttachmentType } | { ok: false; detail: string };

const ACCEPTED = Object.keys(ATTACHMENT_TYPES).join(', ');

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/**
 * Whether bytes read as text: valid UTF-8 (a multi-byte character cut at the end of `head` is
 * fine, the rest follows) with no control characters but tab, line feed, form feed and carriage
 * return. Text has no magic bytes; this is how it is recognised.
 */
export class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  ok = true;

  push(chunk: Buffer): boolean {
    if (!this.ok) return false;
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) this.ok = false;
    } catch {
      this.ok = false;
    }
    return this.ok;
  }

  end(): boolean {
    if (!this.ok) return false;
    try {
      this.decoder.decode();
    } catch {
      this.ok = false;
    }
    return this.ok;
  }
}

/**
 * The type of a file from its first bytes (`head`, up to SNIFF_BYTES) and its name: accepted
 * only when the content is of an allowed type and the name's extension is one of that type's.
 * What the name claims alone decides nothing. For text, the caller goes on checking the rest of
 * the file with a TextCheck fed `head` first.
 */
export async function recognise(head: Buffer, fileName: string): Promise<Recognised> {
  const extension = extensionOf(fileName);
  const detected = await fileTypeFromBuffer(head);
  let contentType: string;
  if (detected) {
    contentType = detected.mime;
  } else {
    const text = new TextCheck();
    contentType = text.push(head) ? 'text/plain' : 'application/octet-stream';
  }
  if (!(contentType in ATTACHMENT_TYPES)) {
    return { ok: false, detail: `The file's content is ${contentType === 'application/octet-stream' ? 'of no recognised type (binary data)' : contentType}, which is not accepted. Accepted: ${ACCEPTED}.` };
  }
  const extensions: readonly string[] = ATTACHMENT_TYPES[contentType as AttachmentType];
  if (!extensions.includes(extension)) {
    return {
      ok: false,
      detail: `The file's content is ${contentType}, but its name ${extension ? `ends in .${extension}` : 'has no extension'}; name it with ${extensions.map((each) => `.${each}`).join(', ')}.`,
    };
  }
  return { ok: true, contentType: contentType as AttachmentType };
}
