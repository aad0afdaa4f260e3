import { render } from 'lit';

/** Renders Lit content into a fresh container attached to the document and returns it. */
export function mount(content: unknown): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  render(content, container);
  return container;
}

/** The container's markup without Lit's comment markers: what a reader's DOM holds. */
export function markup(container: Element): string {
  // Reading innerHTML is fine in tests: it only serialises what the renderer built.
  return container.innerHTML.replace(/<!--[^]*?-->/g, '');
}

/** Renders `content` and returns its markup, removing the container afterwards. */
export function renderToMarkup(content: unknown): string {
  const container = mount(content);
  const result = markup(container);
  container.remove();
  return result;
}
