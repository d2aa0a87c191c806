/** Builds an element: attributes (event handlers as functions) and children (text or elements). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | ((event: Event) => void) | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

/** A link that opens beside the dashboard. */
export const link = (href: string, text: string) => h('a', { href, target: '_blank', rel: 'noopener' }, text);

/** Shows a failure at the bottom of the page (and in the console, where the browser tests look). */
export function showError(err: unknown): void {
  const box = document.getElementById('error');
  const message = err instanceof Error ? err.message : String(err);
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
}

export const formatHour = (unixSeconds: number) =>
  new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
