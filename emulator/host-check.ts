// Loopback-only Host header check (security S10): the emulator answers only to 127.0.0.1, localhost and [::1].
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
  if (h.startsWith('[') && !/^\[[^\]]+\](:\d+)?$/.test(h)) return false;
  if (!h.startsWith('[') && !/^[a-z0-9.-]+(:\d+)?$/.test(h)) return false;
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}
