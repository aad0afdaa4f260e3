import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { deleteWidgetDatabases, expectAccessible } from '../helpers/harness.js';
import { enter, STATES } from './states.js';

describe('axe-core, WCAG 2.0/2.1/2.2 A and AA with target-size, in every state', () => {
  let restore = () => {};
  afterEach(async () => {
    restore();
    await emulateMedia({ colorScheme: 'light' });
    await deleteWidgetDatabases();
  });

  it('has target-size switched on (a 16 px button fails)', async () => {
    const tiny = document.createElement('div');
    for (const name of ['x', 'y']) {
      const button = Object.assign(document.createElement('button'), { ariaLabel: name });
      button.style.cssText = 'width:16px;height:16px;padding:0';
      tiny.append(button);
    }
    document.body.append(tiny);
    let failure = '';
    await expectAccessible(tiny)
      .catch((error: Error) => (failure = error.message))
      .finally(() => tiny.remove());
    expect(failure).to.contain('target-size');
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const state of STATES) {
      it(`passes ${state}, ${theme} theme`, async () => {
        const entered = await enter(state, { theme });
        restore = entered.restore;
        await expectAccessible(entered.chat.el);
      });
    }
  }

  it('passes with theme="auto" following a dark color-scheme preference (Japanese)', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const { chat, restore: undo } = await enter('operator chatting', { locale: 'ja' });
    restore = undo;
    expect(getComputedStyle(chat.panel).backgroundColor).to.equal('rgb(28, 28, 30)');
    await expectAccessible(chat.el);
  });
});
