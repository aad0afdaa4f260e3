import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { ChatHarness } from '../helpers/harness.js';
import { enter, sizedStates, type State, waitUntil } from './states.js';

/** A 1×1 PNG, enough for the attachment preview. */
const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

const VIEWPORTS = [
  { width: 320, height: 640 },
  { width: 1280, height: 720 },
  // 1280×720 zoomed to 200%.
  { width: 640, height: 360 },
  // 1280×1024 zoomed to 400%.
  { width: 320, height: 256 },
];

/** What a pointer user hits: a visually hidden input is operated through its label. */
function targets(chat: ChatHarness): HTMLElement[] {
  return chat
    .$$<HTMLElement>('button, a[href], input, textarea, select')
    .map((el) => (el.classList.contains('sr') || (el as HTMLInputElement).type === 'radio' ? el.closest('label')! : el))
    .filter((el) => el.getClientRects().length > 0);
}

const intersects = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Adds what the geometry has to cope with: a long unbroken line, a photo, a file waiting to be sent. */
async function crowd(chat: ChatHarness) {
  const input = chat.$<HTMLInputElement>('input[type="file"]');
  if (!input || chat.$('[part="composer"]')?.hidden) return;
  const data = new DataTransfer();
  data.items.add(new File([png], 'a-very-long-photo-name-that-goes-on-and-on.png', { type: 'image/png' }));
  input.files = data.files;
  input.dispatchEvent(new Event('change'));
  await waitUntil(() => chat.$('.files button'), 'no attachment preview');
}

describe('geometry: reflow, target size, focus not obscured', () => {
  const enterAt = sizedStates();

  for (const viewport of VIEWPORTS) {
    for (const state of ['bot with quick replies', 'operator chatting', 'asked whether to end', 'after hours', 'failed send', 'survey', 'error'] as State[]) {
      it(`${viewport.width}×${viewport.height}, ${state}: no horizontal scroll, nothing cut off, every target ≥ 24×24, nothing focused under the launcher`, async () => {
        const { chat, transport } = await enterAt(viewport, state, { locale: 'ja' });
        const unbroken = `https://help.example.test/${'m'.repeat(120)}`;
        transport.say({ text: `${'x'.repeat(300)} ${unbroken}`, articles: [{ title: unbroken, url: 'https://help.example.test/a', summary: unbroken }] });
        await waitUntil(() => chat.bubbles.some((b) => b.startsWith('xxx')));
        await crowd(chat);
        await chat.el.updateComplete;

        const panel = chat.panel.getBoundingClientRect();
        expect(panel.left, 'panel starts inside the viewport').to.be.at.least(0);
        expect(panel.right, 'panel ends inside the viewport').to.be.at.most(innerWidth);
        if (viewport.width <= 480 || viewport.height <= 500) expect([panel.width, panel.height], 'full screen').to.deep.equal([innerWidth, innerHeight]);
        // Every scrolling box but the visually hidden ones (clipped on purpose).
        for (const box of [chat.panel, ...chat.$$<HTMLElement>('.panel :not(.sr)')]) {
          if (getComputedStyle(box).overflowX !== 'visible' && box.clientWidth) {
            expect(box.scrollWidth, `${box.className || box.tagName} scrolls sideways`).to.be.at.most(box.clientWidth);
          }
          // What does not fit must be reachable by scrolling, with a wheel or a finger too.
          const { overflowY } = getComputedStyle(box);
          if (box.scrollHeight > box.clientHeight + 1) expect(overflowY, `${box.className || box.tagName} cuts its content off`).not.to.be.oneOf(['hidden', 'clip']);
        }
        expect(document.documentElement.scrollWidth, 'page scrolls sideways').to.be.at.most(innerWidth);

        const small = targets(chat)
          .map((el) => [el, el.getBoundingClientRect()] as const)
          .filter(([, r]) => r.width < 24 || r.height < 24)
          .map(([el, r]) => `${el.outerHTML.slice(0, 80)} ${r.width}×${r.height}`);
        expect(small, 'targets under 24×24').to.deep.equal([]);

        const launcher = chat.launcher.getClientRects().length ? chat.launcher.getBoundingClientRect() : null;
        for (const el of targets(chat)) {
          const control = el.matches('label') ? el.querySelector<HTMLElement>('input')! : el;
          control.focus();
          const r = el.getBoundingClientRect();
          if (launcher && control !== chat.launcher) expect(intersects(r, launcher), `${el.outerHTML.slice(0, 60)} under the launcher`).to.be.false;
          // Whatever is focused is on top at its own center (not under the "new messages" button or anything else).
          const log = chat.$<HTMLElement>('.log')!.getBoundingClientRect();
          const y = Math.min(Math.max(r.top + r.height / 2, log.top + 1), Math.max(log.top + 1, r.bottom - 1));
          const hit = chat.root.elementFromPoint(r.left + Math.min(r.width / 2, 12), el.closest('.log') ? y : r.top + r.height / 2);
          expect(hit === el || el.contains(hit) || hit?.closest('label') === el, `${el.outerHTML.slice(0, 60)} covered by ${hit?.outerHTML.slice(0, 60)}`).to.be.true;
        }
      });
    }
  }

  for (const locale of ['en', 'ja']) {
    for (const viewport of [VIEWPORTS[0], VIEWPORTS[1]]) {
      it(`${viewport.width}×${viewport.height}, ${locale}: Retry and Delete under a failed message stand apart as the chips do, each ≥ 24×24`, async () => {
        const { chat } = await enterAt(viewport, 'failed send', { locale });
        const [retry, remove] = chat.$$<HTMLElement>('.failed .meta button').map((b) => b.getBoundingClientRect());
        for (const r of [retry, remove]) expect([r.width, r.height].every((side) => side >= 24), `${r.width}×${r.height}`).to.be.true;
        // Side by side, or the second wrapped under the first: either way a gap, the chips' own.
        const gap = remove.top >= retry.bottom ? remove.top - retry.bottom : remove.left - retry.right;
        expect(gap).to.equal(parseFloat(getComputedStyle(chat.$('.chips, .row')!).columnGap));
      });
    }
  }

  it('hides the launcher while the panel covers a small screen, so focus cannot go under the panel', async () => {
    const { chat } = await enterAt({ width: 320, height: 640 }, 'open');
    expect(chat.launcher.getClientRects().length).to.equal(0);
    chat.el.hide();
    await chat.el.updateComplete;
    expect(chat.launcher.getClientRects().length).to.equal(1);
  });

  it('keeps host-page links clear of the launcher with the documented scroll padding', async () => {
    await setViewport({ width: 1280, height: 720 });
    const style = document.createElement('style');
    // The README's host guidance (Accessibility → "Host pages").
    style.textContent = 'html { scroll-padding-block-end: 96px } body { padding-block-end: 96px }';
    document.head.append(style);
    const page = document.createElement('div');
    for (let i = 0; i < 25; i++) {
      const link = Object.assign(document.createElement('a'), { href: `#l${i}`, textContent: `Host link ${i}` });
      link.style.cssText = 'display:inline-block;padding:4px';
      const line = document.createElement('p');
      line.style.cssText = 'margin:0;text-align:end';
      line.append(link);
      page.append(line);
    }
    document.body.prepend(page);
    const chat = new ChatHarness(await fixture(html`<mercari-chat-support locale="en"></mercari-chat-support>`));
    try {
      const launcher = chat.launcher.getBoundingClientRect();
      page.querySelector('a')!.focus();
      for (let i = 1; i < 25; i++) {
        await sendKeys({ press: 'Tab' });
        const focused = document.activeElement as HTMLElement;
        expect(focused.textContent).to.equal(`Host link ${i}`);
        expect(intersects(focused.getBoundingClientRect(), launcher), `${focused.textContent} under the launcher`).to.be.false;
      }
    } finally {
      style.remove();
      page.remove();
      scrollTo(0, 0);
    }
  });

  it('turns the opening animation off for reduced motion', async () => {
    const animations = async () => {
      const { chat } = await enter('closed');
      chat.el.show();
      await chat.el.updateComplete;
      return chat.root.getAnimations().length;
    };
    expect(await animations(), 'animated by default').to.equal(1);
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(await animations(), 'reduced motion').to.equal(0);
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});
