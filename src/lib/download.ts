// Saves bytes as a file through a short-lived object URL that is revoked right after the click (S9).

export function saveBytes(bytes: Uint8Array | string, fileName: string, type: string): void {
  saveBlob(new Blob([bytes as BlobPart], { type }), fileName);
}

export function saveBlob(blob: Blob, fileName: string): void {
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

/** A file name safe on every OS, built from data (module names, original file names). */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 120);
  return cleaned || 'download';
}
