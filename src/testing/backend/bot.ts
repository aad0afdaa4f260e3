/**
 * The reference backend's FAQ bot and every sentence the backend says, in Japanese and English.
 *
 * Demo and test data only (never in the widget bundle). The wording is modelled on a
 * marketplace help centre; it is not official Mercari policy, and the article URLs are
 * placeholders on `help.example.com`.
 */
import type { ArticleCard, QuickReply } from '../../transport/types.js';

/** A language the bot speaks. */
export type BotLanguage = 'ja' | 'en';

/** Maps a UI locale (`ja`, `ja-JP`, `en-US`, `fr`…) to the bot's language; English is the fallback. */
export const botLanguage = (locale: string): BotLanguage => (/^ja\b/i.test(locale) ? 'ja' : 'en');

/** What the bot says: text in the renderer's markdown subset, quick replies, article cards. */
export interface BotReply {
  text: string;
  quickReplies: QuickReply[];
  articles?: ArticleCard[];
}

interface Localized {
  /** Quick-reply label; sent as the user's text, so it must match the topic's own pattern. */
  label: string;
  text: string;
  title: string;
  summary: string;
}

/** One FAQ topic. */
export interface Topic {
  /** Stable id; also the article slug. */
  id: string;
  /** Keywords in both languages, matched against NFKC-normalised, lower-cased text. */
  match: RegExp;
  /** Ids of topics offered as follow-up quick replies. */
  related: [string, string];
  ja: Localized;
  en: Localized;
}

/** The eight main topics offered in the greeting, in display order. */
export const MAIN_TOPICS = ['shipping', 'payment', 'cancel', 'returns', 'account', 'not-as-described', 'counterfeit', 'fees'];

/**
 * FAQ topics in matching order: the specific ones come first, so "返品の送料" is about returns
 * and "偽物が届いた" about counterfeits, not shipping.
 */
export const TOPICS: Topic[] = [
  {
    id: 'counterfeit',
    match: /偽物|偽ブランド|ニセモノ|にせもの|コピー品|模造品|\bcounterfeit|\bfake|\breplica|\bknock-?off/,
    related: ['not-as-described', 'returns'],
    ja: {
      label: '偽物の報告',
      text: '**偽ブランド品**と思われる商品を見つけた場合は、商品ページの「不適切な商品の報告」からお知らせください。\n\nすでに購入した商品が偽物と思われる場合は、**受取評価をせずに**お取引画面からお問い合わせください。',
      title: '偽ブランド品・不適切な商品を報告する',
      summary: '偽物と思われる商品の報告方法と、購入後に気づいた場合の対応です。',
    },
    en: {
      label: 'Report a counterfeit',
      text: 'If you see a listing you think is **counterfeit**, tap **Report this item** on the listing page.\n\nIf an item you already bought seems fake, **do not rate the transaction**: contact us from the transaction screen.',
      title: 'Reporting counterfeit or prohibited items',
      summary: 'How to report a suspicious listing, and what to do if you already bought one.',
    },
  },
  {
    id: 'not-as-described',
    match: /説明と(違|異な)|記載と(違|異な)|写真と(違|異な)|破損|壊れ|不良品|not as described|\bdamaged|\bbroken|\bwrong item|\bdefective/,
    related: ['returns', 'counterfeit'],
    ja: {
      label: '商品が説明と違う',
      text: '**商品が説明と違う**場合は、**受取評価をせずに**、まず取引メッセージで出品者にご連絡ください。\n\n- 違いがわかる写真を保存しておいてください。\n- 出品者と解決できない場合は、お取引画面からお問い合わせください。',
      title: '商品が説明と違う・破損していた',
      summary: '受取評価の前に確認していただきたいことと、出品者との相談の進め方です。',
    },
    en: {
      label: 'Item not as described',
      text: 'If an **item is not as described**, **do not rate the transaction yet**: message the seller first.\n\n- Keep photos that show the difference.\n- If you cannot settle it with the seller, contact us from the transaction screen.',
      title: 'The item is not as described or arrived damaged',
      summary: 'What to check before rating, and how to work it out with the seller.',
    },
  },
  {
    id: 'returns',
    match: /返品|返金|\breturn|\brefund/,
    related: ['not-as-described', 'cancel'],
    ja: {
      label: '返品・返金',
      text: '**返品**をご希望の場合は、**受取評価をする前に**取引メッセージで出品者にご相談ください。\n\n返品の送料は、原則として返品の原因がある側が負担します。受取評価をすると取引が完了し、返品のご相談が難しくなります。',
      title: '返品・返金について',
      summary: '返品を相談するタイミング、送料の負担、返金までの流れです。',
    },
    en: {
      label: 'Returns and refunds',
      text: 'To **return an item**, message the seller **before you rate the transaction**.\n\nReturn shipping is usually paid by whoever caused the return. Once you rate, the transaction is complete and a return is much harder to arrange.',
      title: 'Returns and refunds',
      summary: 'When to ask for a return, who pays return shipping, and how refunds work.',
    },
  },
  {
    id: 'cancel',
    match: /キャンセル|取り消|取消|\bcancel/,
    related: ['returns', 'payment'],
    ja: {
      label: '取引のキャンセル',
      text: '**取引のキャンセル**には、購入者と出品者の双方の合意が必要です。\n\nまず取引メッセージで相手にご相談ください。合意できたら、お取引画面からキャンセルを申請できます。',
      title: '取引をキャンセルしたい',
      summary: 'キャンセルの条件と、お取引画面からの申請方法です。',
    },
    en: {
      label: 'Cancel an order',
      text: '**Cancelling** a transaction needs the agreement of both the buyer and the seller.\n\nAsk the other party in the transaction messages first. Once you agree, request the cancellation from the transaction screen.',
      title: 'Cancelling a transaction',
      summary: 'When a transaction can be cancelled and how to request it.',
    },
  },
  {
    id: 'login',
    match: /ログイン|サインイン|パスワード|\blog ?in|\bsign ?in|\bpassword|\blocked out/,
    related: ['account', 'payment'],
    ja: {
      label: 'ログインできない',
      text: '**ログインできない**場合は、次をお試しください。\n\n- ログイン画面の「パスワードを忘れた方」からパスワードを再設定する\n- アプリを最新版に更新する\n\n登録した電話番号が使えなくなった場合は、お問い合わせフォームからご連絡ください。',
      title: 'ログインできない',
      summary: 'パスワードの再設定と、電話番号が変わった場合の手続きです。',
    },
    en: {
      label: 'Cannot log in',
      text: 'If you **cannot log in**, try:\n\n- **Forgot password?** on the login screen to reset your password\n- updating the app to the latest version\n\nIf you no longer have the phone number you registered, contact us through the help centre form.',
      title: 'I cannot log in',
      summary: 'Resetting your password, and what to do if your phone number changed.',
    },
  },
  {
    id: 'account',
    match: /アカウント|登録情報|個人情報|住所|メールアドレス|電話番号|退会|\baccount|\bprofile|\bemail|\baddress/,
    related: ['login', 'points'],
    ja: {
      label: 'アカウント設定',
      text: '**アカウント情報**（お名前、住所、メールアドレス、電話番号）は、マイページの「個人情報設定」から変更できます。\n\n本人確認の状況も同じ画面で確認できます。',
      title: '登録情報を変更する',
      summary: '住所・メールアドレス・電話番号の変更方法と本人確認の状況です。',
    },
    en: {
      label: 'Account settings',
      text: 'You can change your **account details** (name, address, email, phone number) in **My page → Personal information**.\n\nYour identity-verification status is shown on the same screen.',
      title: 'Changing your account details',
      summary: 'How to update your address, email and phone number.',
    },
  },
  {
    id: 'fees',
    match: /手数料|\bfees?\b|\bcommission/,
    related: ['payment', 'points'],
    ja: {
      label: '手数料',
      text: '商品が売れたときに、販売価格の**10%**が**販売手数料**としてかかります。出品は無料です。\n\n売上金を銀行口座に振り込むときは振込手数料がかかります。金額は振込申請の画面でご確認ください。',
      title: '販売手数料・振込手数料について',
      summary: '商品が売れたときの手数料と、売上金の振込にかかる手数料です。',
    },
    en: {
      label: 'Fees',
      text: 'When an item sells, a **selling fee of 10%** of the price is charged. Listing is free.\n\nTransferring your sales to a bank account has a transfer fee: the amount is shown when you request the transfer.',
      title: 'Selling fees and transfer fees',
      summary: 'What you pay when an item sells and when you withdraw your sales.',
    },
  },
  {
    id: 'points',
    match: /ポイント|\bpoints?\b/,
    related: ['payment', 'fees'],
    ja: {
      label: 'ポイント',
      text: '**ポイント**は、商品の購入時に**1ポイント＝1円**として使えます。\n\nポイントの残高と有効期限は、マイページの「ポイント」で確認できます。',
      title: 'ポイントの使い方と有効期限',
      summary: 'ポイントで支払う方法と、残高・有効期限の確認方法です。',
    },
    en: {
      label: 'Points',
      text: '**Points** can be used when you buy an item: **1 point = ¥1**.\n\nYou can check your balance and expiry dates under **My page → Points**.',
      title: 'Using points and their expiry',
      summary: 'How to pay with points and where to see your balance.',
    },
  },
  {
    id: 'payment',
    match: /支払|払い|決済|クレジット|カード|コンビニ|\batm\b|メルペイ|\bpay|\bcredit card|\bcard\b/,
    related: ['fees', 'cancel'],
    ja: {
      label: '支払い方法',
      text: '**お支払い方法**は次のとおりです。\n\n- クレジットカード\n- コンビニ・ATM払い\n- キャリア決済\n- メルペイ残高・ポイント\n\nコンビニ・ATM払いは、支払期限までにお支払いがないと購入が取り消されます。',
      title: '支払い方法について',
      summary: '使える支払い方法と、コンビニ・ATM払いの支払期限です。',
    },
    en: {
      label: 'Payment methods',
      text: 'You can **pay** with:\n\n- credit card\n- convenience store or ATM\n- carrier billing\n- Merpay balance and points\n\nConvenience store and ATM payments must be made by the deadline shown, or the purchase is cancelled.',
      title: 'Payment methods',
      summary: 'Which payment methods you can use, and the deadline for store and ATM payments.',
    },
  },
  {
    id: 'shipping',
    match: /発送|配送|送料|配達|届か|届い|届く|追跡|らくらく|ゆうゆう|\bship|\bdeliver|\bpostage|\btracking|\bparcel/,
    related: ['returns', 'not-as-described'],
    ja: {
      label: '発送・配送',
      text: '**発送・配送**についてご案内します。\n\n- 出品者は、商品ページに記載の「発送までの日数」以内に発送します。\n- 発送状況はお取引画面で確認できます。らくらくメルカリ便・ゆうゆうメルカリ便なら追跡番号も表示されます。\n\n発送予定日を過ぎても連絡がない場合は、取引メッセージで出品者にお問い合わせください。',
      title: '商品の発送・配送について',
      summary: '発送までの日数、配送方法、追跡番号の確認方法です。',
    },
    en: {
      label: 'Shipping',
      text: 'Here is how **shipping** works:\n\n- Sellers ship within the **days to ship** shown on the listing.\n- You can follow the parcel on the transaction screen; Mercari shipping services show a tracking number.\n\nIf the shipping date has passed, message the seller from the transaction screen first.',
      title: 'Shipping and delivery',
      summary: 'Days to ship, shipping methods and how to track a parcel.',
    },
  },
];

/** A typed request for a human (checked before every topic). */
const HUMAN = /オペレーター|オペレータ|人と話|人間|担当者|有人|\bhuman|\bagent|\boperator|\breal person|\bstaff/;
/** "It did not help" (checked before THANKS, which would match "not solved"). */
const UNRESOLVED = /解決しな|解決しませ|解決できな|役に立たな|\bnot (solved|resolved|helpful)|\bdid ?n[o']t help|\bdoes ?n[o']t help/;
const THANKS = /ありがと|解決しました|解決した|助かり|\bthanks?\b|\bthank you|\bsolved|\bresolved|\bthat helped/;

const L = {
  ja: {
    operator: 'オペレーターと話す',
    resolved: '解決した',
    unresolved: '解決しない',
    greeting: 'こんにちは。メルカリのサポートボットです。**24時間**いつでもお答えします。\n\nご質問を入力するか、下のトピックからお選びください。',
    unknown: '申し訳ありません。ご質問の内容がわかりませんでした。\n\n言い換えていただくか、下のトピックからお選びください。オペレーターにおつなぎすることもできます。',
    offerOpen: 'オペレーターにおつなぎします。下の「**オペレーターと話す**」を押してください。\n\n順番にご案内しますので、お待ちいただく間もこの画面で操作できます。',
    offerClosed: 'ただいま**オペレーターの受付時間外**です。\n\nオペレーターへのメッセージを残していただくと、受付開始後にこの会話でお返事します。その間もボットがお答えします。',
    sorry: 'お役に立てず申し訳ありません。',
    thanks: 'お役に立ててよかったです。ほかにもご質問があれば、いつでもどうぞ。',
    operatorGreeting: (name: string) => `担当の${name}です。お問い合わせありがとうございます。これまでのやり取りは確認しておりますので、このままご用件をお書きください。`,
    about: (id: string) => `（取引 ${id} についてのお問い合わせとして承っています。）`,
    operatorReplies: [
      'ありがとうございます。確認いたしますので、少々お待ちください。',
      '確認いたしました。お取引画面の取引メッセージから出品者にもご連絡をお願いいたします。こちらでも状況を確認いたします。',
      'ほかにご不明な点はございますか？',
    ],
    queueLeft: 'オペレーターの順番待ちをキャンセルしました。引き続きボットがお答えします。',
    queueClosed: 'オペレーターの受付時間が終了したため、順番待ちを終了しました。メッセージを残していただければ、受付開始後にオペレーターがこの会話でお返事します。',
    closedReason: 'オペレーターの受付時間が終了しました',
    ticket: (id: string) => `受付番号は ${id} です。`,
    operatorLeft: (name: string) => `${name}が退出しました。引き続きボットがお答えします。`,
  },
  en: {
    operator: 'Talk to an operator',
    resolved: 'Solved',
    unresolved: 'Not solved',
    greeting: "Hi! I'm the Mercari support bot, here **24 hours a day**.\n\nType your question or pick a topic below.",
    unknown: "Sorry, I didn't understand that.\n\nTry rephrasing it or pick a topic below. I can also connect you to an operator.",
    offerOpen: 'I can connect you to an operator: tap **Talk to an operator** below.\n\nYou will wait in line for the next free operator and can keep using this screen meanwhile.',
    offerClosed: 'Our **operators are away** right now.\n\nYou can leave them a message: they will answer in this conversation after opening. I can keep helping meanwhile.',
    sorry: "I'm sorry that didn't help.",
    thanks: 'Glad I could help! Ask me anything else, any time.',
    operatorGreeting: (name: string) => `Hi, this is ${name} from Mercari support. I've read your conversation so far, so please go on from there.`,
    about: (id: string) => `(I can see this is about transaction ${id}.)`,
    operatorReplies: [
      'Thank you. Let me check that for you, one moment please.',
      "I've checked it. Please also message the seller from the transaction screen; we are looking into it on our side too.",
      'Is there anything else I can help you with?',
    ],
    queueLeft: 'You left the queue. The bot will keep helping you.',
    queueClosed: 'Operator hours ended before an operator could join, so the queue was closed. Leave a message and an operator will answer in this conversation after opening.',
    closedReason: 'Operator hours have ended',
    ticket: (id: string) => `Your ticket number is ${id}.`,
    operatorLeft: (name: string) => `${name} has left the conversation. The bot will keep helping you.`,
  },
};

/** Every sentence the backend says outside topic answers, per language. */
export const lines = (locale: string) => L[botLanguage(locale)];

const topicById = (id: string) => TOPICS.find((t) => t.id === id)!;

const topicReply = (id: string, lang: BotLanguage): QuickReply => ({ id: `t-${id}`, label: topicById(id)[lang].label });

const operatorReply = (lang: BotLanguage): QuickReply => ({ id: 'operator', label: L[lang].operator, action: 'operator' });

const article = (topic: Topic, lang: BotLanguage): ArticleCard => ({
  title: topic[lang].title,
  summary: topic[lang].summary,
  url: `https://help.example.com/${lang}/articles/${topic.id}`,
});

/** The topic a question is about, or undefined (no keyword matched). */
export function findTopic(text: string): Topic | undefined {
  const q = text.normalize('NFKC').toLowerCase();
  return TOPICS.find((t) => t.match.test(q));
}

/** The bot's first message in a new conversation, with the main topics as quick replies. */
export function greeting(locale: string): BotReply {
  const lang = botLanguage(locale);
  return { text: L[lang].greeting, quickReplies: MAIN_TOPICS.map((id) => topicReply(id, lang)) };
}

/**
 * The bot's answer to one user message.
 * @param operatorsOpen whether operators work now: decides how a request for a human is answered.
 */
export function botAnswer(text: string, locale: string, operatorsOpen: boolean): BotReply {
  const lang = botLanguage(locale);
  const l = L[lang];
  const q = text.normalize('NFKC').toLowerCase();
  const offer = operatorsOpen ? l.offerOpen : l.offerClosed;
  const topics = (ids: string[]) => ids.map((id) => topicReply(id, lang));
  if (HUMAN.test(q)) return { text: offer, quickReplies: [operatorReply(lang), ...topics(MAIN_TOPICS.slice(0, 2))] };
  if (UNRESOLVED.test(q)) return { text: `${l.sorry}\n\n${offer}`, quickReplies: [operatorReply(lang)] };
  if (THANKS.test(q)) return { text: l.thanks, quickReplies: topics(MAIN_TOPICS.slice(0, 4)) };
  const topic = findTopic(q);
  if (!topic) return { text: l.unknown, quickReplies: [...topics(MAIN_TOPICS), operatorReply(lang)] };
  return {
    text: topic[lang].text,
    articles: [article(topic, lang)],
    quickReplies: [
      ...topics(topic.related),
      operatorReply(lang),
      { id: 'resolved', label: l.resolved, action: 'resolved' },
      { id: 'unresolved', label: l.unresolved, action: 'unresolved' },
    ],
  };
}
