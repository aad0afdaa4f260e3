/**
 * The bot, end to end: the real element in Chromium, with its built-in transports, against the
 * reference backend — served in the page by msw, and by the real local server — over WebSocket
 * and over HTTP + Server-Sent Events. One conversation script, run in every combination.
 */
import { expect } from '@open-wc/testing';
import type { ChatHarness } from '../helpers/harness.js';
import { remoteServer } from '../server/remote.js';
import { click, deleteOwnDatabases, eventually, mockBackend, mount, rows, spyWire, newUser, unmountAll } from './helpers.js';

/** What the user types and what the bot must answer, per language. */
const SCRIPT = {
  ja: {
    greeting: 'メルカリのサポートボットです',
    topics: ['発送・配送', '支払い方法', '取引のキャンセル', '返品・返金', 'アカウント設定', '商品が説明と違う', '偽物の報告', '手数料'],
    question: '商品がまだ届きません。発送はいつになりますか？',
    answer: '発送・配送についてご案内します。',
    article: { title: '商品の発送・配送について', href: 'https://help.example.com/ja/articles/shipping' },
    replies: ['返品・返金', '商品が説明と違う', 'オペレーターと話す', '解決した', '解決しない'],
    next: {
      reply: '返品・返金',
      answer: '返品をご希望の場合は',
      article: 'https://help.example.com/ja/articles/returns',
      replies: ['商品が説明と違う', '取引のキャンセル', 'オペレーターと話す', '解決した', '解決しない'],
    },
  },
  en: {
    greeting: "I'm the Mercari support bot",
    topics: ['Shipping', 'Payment methods', 'Cancel an order', 'Returns and refunds', 'Account settings', 'Item not as described', 'Report a counterfeit', 'Fees'],
    question: 'When will my parcel be shipped? It has not arrived yet.',
    answer: 'Here is how shipping works:',
    article: { title: 'Shipping and delivery', href: 'https://help.example.com/en/articles/shipping' },
    replies: ['Returns and refunds', 'Item not as described', 'Talk to an operator', 'Solved', 'Not solved'],
    next: {
      reply: 'Returns and refunds',
      answer: 'To return an item, message the seller',
      article: 'https://help.example.com/en/articles/returns',
      replies: ['Item not as described', 'Cancel an order', 'Talk to an operator', 'Solved', 'Not solved'],
    },
  },
} as const;

const chips = (chat: ChatHarness) => chat.$$('.chip').map((b) => b.textContent?.trim());
const seen = (chat: ChatHarness) => () => JSON.stringify(rows(chat).map((r) => `${r.role}: ${r.text.slice(0, 40)}`));

/**
 * The user asks a shipping question, reads the answer with its article card and quick replies,
 * then taps a quick reply and gets the next answer. Returns what the user sent, in order.
 */
async function askAboutShipping(chat: ChatHarness, lang: keyof typeof SCRIPT): Promise<string[]> {
  const s = SCRIPT[lang];
  await chat.type(s.question);
  expect(chat.input.value, 'the composer is cleared').to.equal('');
  await eventually(() => rows(chat).some((r) => r.role === 'bot' && r.text.includes(s.answer)), seen(chat));
  const transcript = rows(chat);
  const asked = transcript.findIndex((r) => r.role === 'user' && r.text === s.question);
  const answered = transcript.findIndex((r) => r.role === 'bot' && r.text.includes(s.answer));
  expect(asked, 'the question shows in the transcript').to.be.at.least(0);
  expect(answered, 'the answer comes after the question').to.be.greaterThan(asked);
  await eventually(() => rows(chat)[asked].status === 'sent', seen(chat));
  expect(rows(chat)[asked].label, 'a sent message has no status label').to.equal('');

  // The article card: a safe link that opens in a new tab.
  const answer = rows(chat)[answered].li;
  const links = [...answer.querySelectorAll<HTMLAnchorElement>('.card a')];
  expect(links).to.have.length(1);
  expect(links[0].textContent?.trim()).to.equal(s.article.title);
  expect(links[0].href).to.equal(s.article.href);
  expect(links[0].target).to.equal('_blank');
  expect(links[0].rel.split(' ').sort()).to.deep.equal(['noopener', 'noreferrer']);

  // Only the newest answer's quick replies are live; the greeting's are gone.
  expect(chips(chat)).to.deep.equal(s.replies);
  expect(answer.querySelectorAll('.chip')).to.have.length(s.replies.length);

  await click(chat, s.next.reply);
  await eventually(() => rows(chat).some((r) => r.role === 'bot' && r.text.includes(s.next.answer)), seen(chat));
  const after = rows(chat);
  const tapped = after.findIndex((r) => r.role === 'user' && r.text === s.next.reply);
  const next = after.findIndex((r) => r.role === 'bot' && r.text.includes(s.next.answer));
  expect(tapped, 'the quick reply is sent as the user').to.be.greaterThan(answered);
  expect(next).to.be.greaterThan(tapped);
  expect(after[next].li.querySelector<HTMLAnchorElement>('.card a')?.href).to.equal(s.next.article);
  expect(chips(chat)).to.deep.equal(s.next.replies);
  expect(after[next].li.querySelectorAll('.chip')).to.have.length(s.next.replies.length);
  return [s.question, s.next.reply];
}

/** One backend, as a test sees it: where it listens and what it received. */
interface Served {
  wsUrl: string;
  httpUrl: string;
  received(conversationId: string): Promise<string[]>;
  stop(): Promise<void> | void;
}

const backends: Array<[string, () => Promise<Served>]> = [
  [
    'the msw mock backend',
    async () => {
      const mock = await mockBackend({ botDelayMs: 0, simulateOperator: false, isOperatorOpen: () => true });
      return { ...mock, received: async (c) => mock.backend.control.received(c).map((m) => m.text) };
    },
  ],
  [
    'the real local server',
    async () => {
      const server = await remoteServer();
      return { ...server, received: async (c) => (await server.received(c)).map((m) => m.text) };
    },
  ],
];

for (const [where, serve] of backends) {
  for (const scheme of ['WebSocket', 'HTTP+SSE'] as const) {
    describe(`bot through ${where} over ${scheme}`, () => {
      let served: Served;
      let wire: ReturnType<typeof spyWire>;

      beforeEach(async () => {
        served = await serve();
        wire = spyWire();
      });

      afterEach(async () => {
        unmountAll();
        wire.stop();
        await served.stop();
        await deleteOwnDatabases();
      });

      it('greets a new conversation with the main topics as quick replies, in the page language', async () => {
        const chat = await mount({ endpoint: scheme === 'WebSocket' ? served.wsUrl : served.httpUrl, userId: newUser(), locale: 'ja' });
        await eventually(() => rows(chat).some((r) => r.role === 'bot' && r.text.includes(SCRIPT.ja.greeting)), seen(chat));
        expect(rows(chat)).to.have.length(1);
        expect(chips(chat)).to.deep.equal(SCRIPT.ja.topics);
      });

      for (const lang of ['ja', 'en'] as const) {
        it(`answers a shipping question in ${lang === 'ja' ? 'Japanese' : 'English'} with an article card and quick replies, and answers a tapped quick reply`, async () => {
          const userId = newUser();
          const chat = await mount({ endpoint: scheme === 'WebSocket' ? served.wsUrl : served.httpUrl, userId, locale: lang });
          const sent = await askAboutShipping(chat, lang);
          expect(wire.ids, 'one conversation').to.have.length(1);
          expect(await served.received(wire.last)).to.deep.equal(sent);
        });
      }
    });
  }
}
