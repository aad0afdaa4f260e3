import { expect, fixture, html } from '@open-wc/testing';
import { catalogs, translator } from '../../src/i18n/index.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import { ChatHarness, deleteWidgetDatabases, uniqueUser } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { enter, STATES } from './states.js';

/**
 * Content that comes from the server or the user (messages, quick-reply and card labels, names),
 * not from the catalog; the live region repeats messages and on-screen text.
 */
const CONTENT = '.bubble, .chip, .card, .files, [part="messages"] .meta[aria-hidden], [aria-live="polite"]';

/** Every piece of UI text the widget renders, hidden parts included: text nodes and the attributes assistive technology reads. */
function uiText(chat: ChatHarness): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof Element) {
      if (node.matches(CONTENT)) return;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = node.getAttribute(name);
        if (value) out.push(value);
      }
    } else if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) out.push(node.textContent!.trim());
    node.childNodes.forEach(walk);
  };
  walk(chat.root);
  return out;
}

/** Words of the English catalog that the Japanese one does not also use (JPEG, PNG…). */
const words = (text: string) => text.replace(/\{\w+\}/g, ' ').match(/[A-Za-z]{3,}/g) ?? [];
const japaneseWords = new Set(Object.values(catalogs.ja).flatMap(words).map((w) => w.toLowerCase()));
const englishWords = new Set(
  Object.values(catalogs.en)
    .flatMap(words)
    .map((w) => w.toLowerCase())
    .filter((w) => !japaneseWords.has(w)),
);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]/;

describe('languages', () => {
  let restore = () => {};
  afterEach(async () => {
    restore();
    restore = () => {};
    await deleteWidgetDatabases();
  });

  describe('catalogs', () => {
    it('have the same keys, none empty, with the same {parameters}, in every language', () => {
      const keys = Object.keys(catalogs.en).sort();
      const params = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      for (const [lang, catalog] of Object.entries(catalogs)) {
        expect(Object.keys(catalog).sort(), lang).to.deep.equal(keys);
        for (const key of keys as Array<keyof typeof catalog>) {
          expect(catalog[key].trim(), `${lang} ${key}`).to.not.equal('');
          expect(params(catalog[key]), `${lang} ${key}`).to.deep.equal(params(catalogs.en[key]));
        }
      }
    });

    it('writes numbers the language’s way (Intl)', () => {
      expect(translator('en')('launcher.unread', { count: 1234 })).to.equal('Chat support, 1,234 unread');
      expect(translator('ja')('flow.queued', { position: 12 })).to.equal('現在 12 番目にお待ちいただいています。');
    });
  });

  describe('choosing the language', () => {
    const mount = async (markup: (id: string) => ReturnType<typeof html>) => {
      const el = (await fixture(markup(uniqueUser()))) as MercariChatSupport;
      return new ChatHarness(el.localName === 'mercari-chat-support' ? el : el.querySelector('mercari-chat-support')!);
    };

    it('uses the locale attribute first, and marks the widget’s language for screen readers', async () => {
      const before = document.documentElement.lang;
      document.documentElement.lang = 'en';
      const chat = await mount((id) => html`<mercari-chat-support locale="ja" user-id=${id} open .transport=${new FakeTransport()}></mercari-chat-support>`);
      document.documentElement.lang = before;
      expect(chat.$('h2')!.textContent).to.equal('チャットサポート');
      expect(chat.panel.lang).to.equal('ja');
      expect(chat.launcher.lang).to.equal('ja');
    });

    it('else the page’s lang', async () => {
      const section = document.createElement('section');
      section.lang = 'ja-JP';
      document.body.append(section);
      const el = document.createElement('mercari-chat-support');
      section.append(el);
      await el.updateComplete;
      try {
        expect(el.shadowRoot!.querySelector('.launcher')!.getAttribute('aria-label')).to.equal('チャットサポート');
      } finally {
        section.remove();
      }
    });

    it('else the browser’s languages, English when none has a catalog', async () => {
      const html_ = document.documentElement;
      const lang = html_.lang;
      html_.removeAttribute('lang');
      const languages = (value: string[]) => Object.defineProperty(navigator, 'languages', { configurable: true, get: () => value });
      try {
        languages(['fr-FR', 'ja-JP']);
        const ja = document.createElement('mercari-chat-support');
        document.body.append(ja);
        await ja.updateComplete;
        expect(ja.shadowRoot!.querySelector('.launcher')!.getAttribute('aria-label')).to.equal('チャットサポート');
        ja.remove();
        languages(['fr-FR', 'de']);
        const en = document.createElement('mercari-chat-support');
        document.body.append(en);
        await en.updateComplete;
        expect(en.shadowRoot!.querySelector('.launcher')!.getAttribute('aria-label')).to.equal('Chat support');
        en.remove();
      } finally {
        delete (navigator as unknown as { languages?: string[] }).languages;
        html_.lang = lang;
      }
    });

    it('lets a host add a language: a complete catalog in strings, and its locale', async () => {
      const fr = Object.fromEntries(Object.entries(catalogs.en).map(([key, value]) => [key, `fr:${value}`])) as typeof catalogs.en;
      fr['panel.title'] = 'Assistance';
      const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true, locale: 'fr' });
      expect(chat.$('h2')!.textContent, 'without strings: no French catalog, English').to.equal('Chat support');
      chat.el.strings = fr;
      await chat.el.updateComplete;
      expect(chat.$('h2')!.textContent).to.equal('Assistance');
      expect(chat.panel.lang).to.equal('fr');
      expect(chat.input.getAttribute('aria-label')).to.equal('fr:Message');
    });

    it('lets the host override single strings through the strings property', async () => {
      const chat = await ChatHarness.create({ transport: new FakeTransport(), open: true, locale: 'ja-JP' });
      chat.el.strings = { 'panel.title': 'メルカリ ヘルプ', 'composer.placeholder': 'ここに入力' };
      await chat.el.updateComplete;
      expect(chat.$('h2')!.textContent).to.equal('メルカリ ヘルプ');
      expect(chat.input.placeholder).to.equal('ここに入力');
      expect(chat.$('.send')!.getAttribute('aria-label')).to.equal('送信');
    });
  });

  describe('every word on screen comes from the catalog', () => {
    const englishIn = (chat: ChatHarness) => uiText(chat).filter((t) => words(t).some((w) => englishWords.has(w.toLowerCase())));

    it('finds an English word left in a Japanese widget (the check itself)', async () => {
      const { chat } = await enter('open', { locale: 'ja' });
      expect(englishIn(chat)).to.deep.equal([]);
      chat.el.strings = { 'composer.send': catalogs.en['composer.send'] };
      await chat.el.updateComplete;
      expect(englishIn(chat)).to.deep.equal(['Send']);
    });

    for (const state of STATES) {
      it(`in Japanese, no English UI word: ${state}`, async () => {
        const entered = await enter(state, { locale: 'ja' });
        restore = entered.restore;
        const text = uiText(entered.chat);
        // Closed, only the launcher is rendered: its label is the one text.
        expect(text.length).to.be.greaterThan(state === 'closed' ? 0 : 8);
        expect(englishIn(entered.chat)).to.deep.equal([]);
      });

      it(`in English, no Japanese: ${state}`, async () => {
        const entered = await enter(state, { locale: 'en' });
        restore = entered.restore;
        expect(uiText(entered.chat).filter((t) => JAPANESE.test(t))).to.deep.equal([]);
      });
    }
  });
});
