/** The mock Mercari-like help page the widget sits on, in Japanese and English. */
import { html, type TemplateResult } from 'lit';

const COPY = {
  ja: {
    brand: 'ヘルプセンター',
    search: 'キーワードで検索',
    home: 'ヘルプ',
    section: '取引について',
    title: '商品が届かない場合',
    p1: '発送通知から数日たっても商品が届かない場合は、まず取引画面で配送状況をご確認ください。追跡番号がある配送方法では、配送業者のサイトで現在の状況を確認できます。',
    p2: '解決しない場合は、「チャットサポート」からお問い合わせください。ボットが24時間お答えし、営業時間内（10:00〜18:30）はオペレーターにおつなぎします。',
    cta: 'チャットで問い合わせる',
    related: '関連する記事',
    links: ['発送までの日数について', '受取評価をする前に', '取引をキャンセルしたい'],
    footer: 'これはデモページです。',
  },
  en: {
    brand: 'Help Center',
    search: 'Search help',
    home: 'Help',
    section: 'Transactions',
    title: 'If your item has not arrived',
    p1: 'If your item has not arrived a few days after the seller shipped it, first check the shipping status on the transaction screen. For shipping methods with a tracking number, the carrier’s site shows where it is.',
    p2: 'Still stuck? Ask us through “Chat support”. The bot answers 24 hours a day, and during business hours (10:00–18:30 Japan time) an operator can take over.',
    cta: 'Ask in chat',
    related: 'Related articles',
    links: ['Days to ship', 'Before you rate a transaction', 'Cancelling a transaction'],
    footer: 'This is a demo page.',
  },
} as const;

/**
 * The help page, with `widget` (the real element) placed after the article, where an inline
 * widget belongs; a floating one positions itself.
 */
export function helpPage(lang: 'ja' | 'en', widget: HTMLElement, ask: () => void): TemplateResult {
  const c = COPY[lang];
  return html`
    <header class="site">
      <a class="brand" href="#top"><span class="logo" aria-hidden="true">m</span> mercari <span>${c.brand}</span></a>
      <input class="search" type="search" name="q" aria-label=${c.search} placeholder=${c.search} />
    </header>
    <main id="top">
      <nav aria-label="breadcrumb" class="crumbs"><a href="#top">${c.home}</a> › <a href="#top">${c.section}</a></nav>
      <article>
        <h1>${c.title}</h1>
        <p>${c.p1}</p>
        <p>${c.p2}</p>
        <button type="button" class="cta" @click=${ask}>${c.cta}</button>
      </article>
      <div class="chat-slot">${widget}</div>
      <aside aria-labelledby="related">
        <h2 id="related">${c.related}</h2>
        <ul>
          ${c.links.map((l) => html`<li><a href="#top">${l}</a></li>`)}
        </ul>
      </aside>
    </main>
    <footer class="site-footer">${c.footer}</footer>
  `;
}
