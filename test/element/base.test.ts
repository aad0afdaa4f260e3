import { expect, fixture, html } from '@open-wc/testing';
import type { PropertyValues, ReactiveController } from 'lit';
import { ReactiveBase, type Declarations } from '../../src/element/base.js';

let tags = 0;
/** A fresh tag for each definition: a class can be defined once per page. */
const tag = () => `test-reactive-${++tags}`;

/** A host that records what the base does to it. */
class Probe extends ReactiveBase {
  static override properties: Declarations = {
    label: {},
    open: { type: Boolean, reflect: true },
    size: { type: Number },
    camelCase: {},
    kind: { attribute: 'data-kind', reflect: true },
    words: { attribute: 'words', converter: (value) => value?.split(' ') ?? [] },
    config: { attribute: false },
    secret: { state: true },
  };

  label = 'plain';
  open = false;
  size = 1;
  camelCase?: string;
  kind = 'a';
  words: string[] = [];
  config?: object;
  secret = 0;
  renders: Array<Map<PropertyKey, unknown>> = [];
  /** Set by a test: run inside `willUpdate`. */
  onWillUpdate?: (host: Probe) => void;
  /** Set by a test: run inside `updated`. */
  onUpdated?: (host: Probe) => void;
  /** Set by a test: thrown from `render`, once. */
  failure?: Error;

  protected override willUpdate(changed: PropertyValues): void {
    this.onWillUpdate?.(this);
    this.renders.push(new Map(changed));
  }

  protected override render() {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    return html`<p>${this.label} ${this.size} ${this.secret}</p>`;
  }

  protected override updated(): void {
    this.onUpdated?.(this);
  }

  get text() {
    return this.renderRoot.querySelector('p')?.textContent;
  }
}

const define = (base: typeof Probe) => {
  const name = tag();
  customElements.define(name, class extends base {});
  return name;
};

const make = async (markup = '') => {
  const name = define(Probe);
  const el = await fixture<Probe>(`<${name} ${markup}></${name}>`);
  return { el, cleanup: () => el.remove() };
};

describe('element/base', () => {
  it('renders nothing until connected, then once for everything set before', async () => {
    const el = document.createElement(define(Probe)) as Probe;
    el.label = 'early';
    el.size = 3;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(el.renders, 'no update while detached').to.have.length(0);
    expect(el.shadowRoot).to.equal(null);
    document.body.append(el);
    await el.updateComplete;
    expect(el.renders).to.have.length(1);
    expect(el.text).to.equal('early 3 0');
    // The first update sees every initial value, as changed from undefined.
    expect([...el.renders[0].keys()]).to.include.members(['label', 'open', 'size', 'kind', 'words', 'secret']);
    expect(el.renders[0].get('label')).to.equal(undefined);
    el.remove();
  });

  it('batches changes into one update that knows each first old value', async () => {
    const { el, cleanup } = await make();
    el.label = 'one';
    el.label = 'two';
    el.size = 5;
    el.size = 5;
    expect(el.isUpdatePending).to.be.true;
    expect(await el.updateComplete).to.be.true;
    expect(el.renders).to.have.length(2);
    expect([...el.renders[1]]).to.deep.equal([
      ['label', 'plain'],
      ['size', 1],
    ]);
    expect(el.text).to.equal('two 5 0');
    el.size = 5;
    expect(el.isUpdatePending, 'an equal value changes nothing').to.be.false;
    el.size = NaN;
    await el.updateComplete;
    el.size = NaN;
    expect(el.isUpdatePending, 'NaN equals NaN').to.be.false;
    cleanup();
  });

  it('reads attributes through their declarations', async () => {
    const { el, cleanup } = await make('label="from html" open size="42" camelcase="low" data-kind="b" words="x y" config="no" secret="no"');
    expect(el.label).to.equal('from html');
    expect(el.open).to.be.true;
    expect(el.size).to.equal(42);
    expect(el.camelCase, 'the default attribute name is the lower-case property name').to.equal('low');
    expect(el.kind).to.equal('b');
    expect(el.words).to.deep.equal(['x', 'y']);
    expect(el.config, 'attribute: false').to.equal(undefined);
    expect(el.secret, 'state').to.equal(0);
    el.removeAttribute('open');
    el.removeAttribute('label');
    el.setAttribute('size', '7');
    el.removeAttribute('words');
    expect(el.open).to.be.false;
    expect(el.label).to.equal(null);
    expect(el.size).to.equal(7);
    expect(el.words).to.deep.equal([]);
    await el.updateComplete;
    expect(el.text).to.equal(' 7 0');
    cleanup();
  });

  it('writes reflected properties back to their attributes, and no others', async () => {
    const { el, cleanup } = await make();
    expect(el.getAttribute('data-kind'), 'initial values are reflected too').to.equal('a');
    expect(el.hasAttribute('open')).to.be.false;
    el.open = true;
    el.kind = 'c';
    el.label = 'not reflected';
    await el.updateComplete;
    expect(el.getAttribute('open')).to.equal('');
    expect(el.getAttribute('data-kind')).to.equal('c');
    expect(el.hasAttribute('label')).to.be.false;
    el.open = false;
    el.kind = undefined as unknown as string;
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.be.false;
    expect(el.hasAttribute('data-kind')).to.be.false;
    cleanup();
  });

  it('writes a Boolean property to its attribute by truth, without reading it back', async () => {
    const { el, cleanup } = await make();
    const renders = el.renders.length;
    // A host in plain JavaScript: `open={count && autoOpen}`.
    (el as unknown as { open: unknown }).open = 0;
    await el.updateComplete;
    expect(el.hasAttribute('open')).to.be.false;
    expect(el.open, 'not turned into true by its own attribute').to.equal(0);
    (el as unknown as { open: unknown }).open = 'yes';
    await el.updateComplete;
    expect(el.getAttribute('open')).to.equal('');
    expect(el.open).to.equal('yes');
    expect(el.renders.length - renders, 'one update per change').to.equal(2);
    cleanup();
  });

  it('leaves an attribute the host wrote as it was written', async () => {
    const { el, cleanup } = await make();
    const records: string[] = [];
    new MutationObserver((list) => records.push(...list.map((r) => `${r.attributeName}=${el.getAttribute(r.attributeName!)}`))).observe(el, { attributes: true });
    el.setAttribute('open', 'false');
    el.setAttribute('data-kind', 'x');
    await el.updateComplete;
    expect(el.open).to.be.true;
    expect(el.kind).to.equal('x');
    expect(el.getAttribute('open')).to.equal('false');
    expect(records, 'no write of its own').to.deep.equal(['open=false', 'data-kind=x']);
    cleanup();
  });

  it('lets a subclass add properties to those it inherits', async () => {
    const name = tag();
    class Extended extends Probe {
      static override properties: Declarations = { extra: {} };
      extra = 'x';
    }
    customElements.define(name, Extended);
    const el = await fixture<Extended>(`<${name} label="inherited" extra="own" open></${name}>`);
    expect([el.label, el.extra, el.open]).to.deep.equal(['inherited', 'own', true]);
    el.kind = 'reflected';
    await el.updateComplete;
    expect(el.getAttribute('data-kind')).to.equal('reflected');
    expect(el.text).to.equal('inherited 1 0');
  });

  it('has no value to read on the prototype itself (developer tools walk it)', () => {
    const proto = customElements.get(define(Probe))!.prototype as Probe;
    expect(proto.label).to.equal(undefined);
  });

  it('folds changes made in willUpdate into the same update, and reflects them', async () => {
    const { el, cleanup } = await make();
    el.onWillUpdate = (host) => {
      if (host.kind === 'bad') host.kind = 'a';
    };
    el.setAttribute('data-kind', 'bad');
    await el.updateComplete;
    expect(el.renders).to.have.length(2);
    expect(el.kind).to.equal('a');
    expect(el.getAttribute('data-kind'), 'the corrected value').to.equal('a');
    expect(el.isUpdatePending).to.be.false;
    cleanup();
  });

  it('settles updateComplete with false when updated() asked for another update', async () => {
    const { el, cleanup } = await make();
    el.onUpdated = (host) => {
      if (host.secret < 2) host.secret++;
    };
    el.label = 'go';
    expect(await el.updateComplete, 'another update is pending').to.be.false;
    expect(await el.updateComplete).to.be.false;
    expect(await el.updateComplete).to.be.true;
    expect(el.text).to.equal('go 1 2');
    expect(el.renders.slice(1).map((changed) => [...changed.keys()])).to.deep.equal([['label'], ['secret'], ['secret']]);
    cleanup();
  });

  it('renders an update requested in updated() before a caller awaiting through a helper resumes, as Lit does', async () => {
    const { el, cleanup } = await make();
    el.onUpdated = (host) => {
      if (host.label === 'go' && !host.secret) host.secret = 1;
    };
    // The shape of a test harness's `openPanel()`: one async function around the await.
    const settle = async () => {
      await el.updateComplete;
    };
    el.label = 'go';
    await settle();
    expect(el.text).to.equal('go 1 1');
    cleanup();
  });

  it('takes over properties a framework set before the element was defined', async () => {
    const name = tag();
    const el = document.createElement(name) as Probe;
    document.body.append(el);
    el.label = 'set too early';
    (el as unknown as { config: object }).config = { a: 1 };
    customElements.define(name, class extends Probe {});
    await el.updateComplete;
    expect(Object.hasOwn(el, 'label'), 'the own property gave way to the accessor').to.be.false;
    expect(el.label).to.equal('set too early');
    expect(el.config).to.deep.equal({ a: 1 });
    expect(el.text).to.equal('set too early 1 0');
    el.label = 'reactive again';
    await el.updateComplete;
    expect(el.text).to.equal('reactive again 1 0');
    el.remove();
  });

  it('drives controllers through the lifecycle', async () => {
    const calls: string[] = [];
    const controller = (id: string): ReactiveController => ({
      hostConnected: () => calls.push(`${id} connected`),
      hostDisconnected: () => calls.push(`${id} disconnected`),
      hostUpdate: () => calls.push(`${id} update`),
      hostUpdated: () => calls.push(`${id} updated`),
    });
    const el = document.createElement(define(Probe)) as Probe;
    el.addController(controller('a'));
    expect(calls, 'not connected yet').to.deep.equal([]);
    el.onWillUpdate = () => calls.push('willUpdate');
    el.onUpdated = () => calls.push('updated');
    document.body.append(el);
    await el.updateComplete;
    expect(calls).to.deep.equal(['a connected', 'willUpdate', 'a update', 'a updated', 'updated']);
    calls.length = 0;
    const b = controller('b');
    el.addController(b);
    expect(calls, 'added while connected: connected at once').to.deep.equal(['b connected']);
    el.removeController(b);
    el.remove();
    expect(calls).to.deep.equal(['b connected', 'a disconnected']);
  });

  it('adopts the class stylesheet into an open shadow root', async () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('p { color: rgb(1, 2, 3); }');
    const name = tag();
    customElements.define(
      name,
      class extends Probe {
        static override styles = sheet;
      },
    );
    const el = await fixture<Probe>(`<${name}></${name}>`);
    expect(el.shadowRoot!.adoptedStyleSheets).to.deep.equal([sheet]);
    expect(getComputedStyle(el.renderRoot.querySelector('p')!).color).to.equal('rgb(1, 2, 3)');
  });

  it('binds event listeners in templates to the element', async () => {
    const name = tag();
    let seen: unknown;
    customElements.define(
      name,
      class extends ReactiveBase {
        protected override render() {
          return html`<button @click=${this.#click}>x</button>`;
        }
        #click() {
          seen = this.localName;
        }
      },
    );
    const el = await fixture<ReactiveBase>(`<${name}></${name}>`);
    el.renderRoot.querySelector('button')!.click();
    expect(seen).to.equal(name);
  });

  it('keeps updating after a render that threw', async () => {
    const { el, cleanup } = await make();
    el.failure = new Error('render broke');
    el.label = 'lost';
    let caught: unknown;
    await el.updateComplete.catch((error) => (caught = error));
    expect((caught as Error).message).to.equal('render broke');
    expect(el.isUpdatePending).to.be.false;
    el.label = 'back';
    expect(await el.updateComplete).to.be.true;
    expect(el.text).to.equal('back 1 0');
    cleanup();
  });
});
