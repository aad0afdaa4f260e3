import { expect } from '@open-wc/testing';
import { a11ySnapshot, setViewport } from '@web/test-runner-commands';
import { ChatHarness, expectAccessible } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';
import { sizedStates } from './states.js';

/** A node of the browser's accessibility tree, as a screen reader gets it. */
interface AxNode {
  role: string;
  name: string;
  modal?: boolean;
  children?: AxNode[];
}

/**
 * Whether a screen reader gets a modal dialog, and that it is the panel (VoiceOver and others
 * then keep the reading cursor inside it; Chromium's own tree still lists the page behind it).
 */
async function modal(): Promise<boolean> {
  const found: string[] = [];
  const walk = (node: AxNode) => {
    if (node.modal) found.push(`${node.role} "${node.name}"`);
    node.children?.forEach(walk);
  };
  walk((await a11ySnapshot({})) as unknown as AxNode);
  expect(found.filter((n) => n !== 'dialog "Chat support"'), 'modal, but not the panel').to.deep.equal([]);
  return found.length > 0;
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe('the panel is modal exactly where it covers the page', () => {
  const enterAt = sizedStates();
  const open = async (viewport: { width: number; height: number }) => (await enterAt(viewport, 'open')).chat;

  it('on a phone (390×844): a modal dialog', async () => {
    await open(PHONE);
    expect(await modal()).to.be.true;
  });

  it('on a desktop (1280×800): not modal, the page beside it stays usable', async () => {
    await open(DESKTOP);
    expect(await modal()).to.be.false;
  });

  it('follows the viewport while open: a window narrowed to a phone, then widened again', async () => {
    await open(DESKTOP);
    expect(await modal()).to.be.false;
    await setViewport(PHONE);
    await until(modal, 'not modal after narrowing');
    await setViewport(DESKTOP);
    await until(async () => !(await modal()), 'still modal after widening');
    // A phone turned on its side is still covered (max-height: 500px).
    await setViewport({ width: PHONE.height, height: PHONE.width });
    await until(modal, 'not modal in landscape');
  });

  it('an inline widget is never modal: it is part of the page', async () => {
    await setViewport(PHONE);
    const chat = await ChatHarness.create({ open: true });
    chat.el.position = 'inline';
    await chat.el.updateComplete;
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
    expect(await modal()).to.be.false;
    // Not even `aria-modal="false"`: a region may not carry the attribute at all (axe's aria-allowed-attr).
    expect(chat.panel.hasAttribute('aria-modal'), 'aria-modal on a region').to.be.false;
    await expectAccessible(chat.el);
  });
});
