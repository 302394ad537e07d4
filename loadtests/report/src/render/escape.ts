const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML and SVG (element content and attribute values). */
export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => MAP[c] as string);
