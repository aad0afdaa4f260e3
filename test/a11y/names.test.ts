import { expect } from '@open-wc/testing';
import { a11ySnapshot } from '@web/test-runner-commands';
import { deleteWidgetDatabases } from '../helpers/harness.js';
import { enter, waitUntil } from './states.js';

/** A node of the browser's accessibility tree, as a screen reader gets it. */
interface AxNode {
  role: string;
  name: string;
  description?: string;
  children?: AxNode[];
}

/** Every node of the page's accessibility tree with `role`. */
async function axNodes(role: string): Promise<AxNode[]> {
  const found: AxNode[] = [];
  const walk = (node: AxNode) => {
    if (node.role === role) found.push(node);
    node.children?.forEach(walk);
  };
  walk((await a11ySnapshot({})) as unknown as AxNode);
  return found;
}

describe('controls say what they act on', () => {
  let restore = () => {};
  afterEach(async () => {
    restore();
    await deleteWidgetDatabases();
  });

  for (const [locale, low, high] of [
    ['en', 'Poor', 'Excellent'],
    ['ja', '不満', '満足'],
  ]) {
    it(`the survey scale names its two ends, to the eye and to screen readers (${locale})`, async () => {
      const entered = await enter('survey', { locale });
      restore = entered.restore;
      const { chat } = entered;
      const radios = (await axNodes('radio')).map(({ name, description }) => [name, description ?? '']);
      expect(radios).to.have.length(5);
      expect(radios.map(([, description]) => description)).to.deep.equal([low, '', '', '', high]);
      // Shown on either side of the scale, on its line.
      const row = chat.$('.scores')!;
      const [first, last] = [row.firstElementChild!, row.lastElementChild!].map((el) => el.getBoundingClientRect());
      const [one, five] = [...chat.$$('.score')].filter((_, i, all) => i === 0 || i === all.length - 1).map((el) => el.getBoundingClientRect());
      expect(row.firstElementChild!.textContent).to.equal(low);
      expect(row.lastElementChild!.textContent).to.equal(high);
      expect(first.right, `${low} before 1`).to.be.at.most(one.left);
      expect(last.left, `${high} after 5`).to.be.at.least(five.right);
    });
  }

  it('Retry and Delete of a message that was not sent name that message', async () => {
    const entered = await enter('failed send');
    restore = entered.restore;
    const buttons = (await axNodes('button')).filter(({ name }) => name === 'Retry' || name === 'Delete');
    expect(buttons.map(({ name, description }) => [name, description])).to.deep.equal([
      ['Retry', 'rejected'],
      ['Delete', 'rejected'],
    ]);
  });

  it('the photo button looks unavailable while a message for operators is written (it takes text only)', async () => {
    const entered = await enter('after hours');
    restore = entered.restore;
    const { chat } = entered;
    const attach = chat.$<HTMLElement>('.attach')!;
    expect(getComputedStyle(attach).opacity).to.equal('1');
    const leave = () => chat.$$<HTMLButtonElement>('[part~="phase"] button').find((b) => /Leave a message/.test(b.textContent!));
    await waitUntil(leave, 'no way to leave a message');
    leave()!.click();
    await chat.el.updateComplete;
    expect(chat.$<HTMLInputElement>('.attach input')!.disabled).to.be.true;
    expect(Number(getComputedStyle(attach).opacity)).to.be.below(1);
    expect(getComputedStyle(attach).cursor).to.not.equal('pointer');
  });
});
