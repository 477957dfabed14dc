// Small DOM helpers: elements are built with properties, never with HTML strings, so user text is only
// ever text (textContent), whatever it contains.
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

type Props<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'dataset'>> & {
  dataset?: Record<string, string>;
  attrs?: Record<string, string>;
};

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props<K> = {}, ...children: (Node | string | null | undefined | false)[]) {
  const node = document.createElement(tag);
  const { dataset, attrs, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  node.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return node;
}

/** Shows an error next to what caused it (never a blocking alert); cleared by the next success. */
export function showError(target: HTMLElement, err: unknown): void {
  target.textContent = err ? (err instanceof Error ? err.message : String(err)) : '';
  target.hidden = !err;
}
