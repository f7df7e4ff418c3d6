// Saves bytes as a file through a short-lived object URL that is revoked right after the click (S9).

export function saveBytes(bytes: Uint8Array | string, fileName: string, type: string): void {
  saveBlob(new Blob([bytes as BlobPart], { type }), fileName);
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Revoke on the next task: the click has started the download by then.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/**
 * Saves text given in pieces (a large CSV) as UTF-8: each piece is encoded as it comes, so the bytes wait outside the
 * JS heap and no single string of the whole file is ever built (a million-row export is ~350 MB of text).
 */
export function saveTextChunks(chunks: Iterable<string>, fileName: string, type: string): void {
  const encoder = new TextEncoder();
  const parts: BlobPart[] = [];
  for (const c of chunks) parts.push(encoder.encode(c));
  saveBlob(new Blob(parts, { type }), fileName);
}

/** A file name safe on every OS, built from data (module names, original file names). */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 120);
  return cleaned || 'download';
}
