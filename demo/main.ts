import { setupWorker } from 'msw/browser';
import { createBackend } from '../src/testing/backend/index.js';
import { mswHandlers } from '../src/testing/msw.js';

const copy = {
  ja: {
    language: '言語',
    title: '商品が届かない場合',
    p1: '発送通知から数日たっても商品が届かない場合は、まず取引画面で配送状況をご確認ください。追跡番号がある配送方法では、配送業者のサイトで現在の状況を確認できます。',
    p2: '解決しない場合は、右下の「チャットサポート」からお問い合わせください。ボットが24時間お答えし、営業時間内（10:00〜18:30）はオペレーターにおつなぎします。',
    cta: 'チャットで問い合わせる',
  },
  en: {
    language: 'Language',
    title: 'If your item has not arrived',
    p1: 'If your item has not arrived a few days after the seller shipped it, first check the shipping status on the transaction screen. For shipping methods with a tracking number, the carrier’s site shows where it is.',
    p2: 'Still stuck? Ask us through “Chat support” at the bottom right. The bot answers 24 hours a day, and during business hours (10:00–18:30 JST) an operator can take over.',
    cta: 'Ask in chat',
  },
} as const;

type Lang = keyof typeof copy;

// The backend runs in the page through msw: no server process for designers to start.
const backend = createBackend({ now: () => Date.now() });
const worker = setupWorker(...mswHandlers(backend, { wsUrl: 'wss://chat.demo.invalid/v1', httpUrl: 'https://chat.demo.invalid/v1' }));
await worker.start({ onUnhandledRequest: 'bypass', quiet: true });
await import('../src/index.js');

const chat = document.querySelector('mercari-chat-support')!;
const select = document.querySelector<HTMLSelectElement>('#locale')!;

function applyLocale(lang: Lang) {
  document.documentElement.lang = lang;
  select.value = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = copy[lang][node.dataset.i18n as keyof (typeof copy)[Lang]];
  }
  chat.locale = lang;
}

const initial: Lang = new URL(location.href).searchParams.get('lang') === 'en' ? 'en' : 'ja';
applyLocale(initial);
select.addEventListener('change', () => {
  const lang = select.value as Lang;
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  // A new conversation in the new language: the bot answers in the language the chat started in.
  location.assign(url);
});
document.querySelector('#ask')!.addEventListener('click', () => chat.show());
chat.context = { page: 'help/item-not-arrived' };
