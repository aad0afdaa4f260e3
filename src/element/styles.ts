/**
 * The rules are plain text (the build minifies `css` literals, whatever the tag) made into
 * constructed stylesheets: no `<style>` element, so a strict CSP needs no exception for them.
 */
const css = String.raw;

const sheet = (text: string) => {
  const made = new CSSStyleSheet();
  made.replaceSync(text);
  return made;
};

/** The dark palette, applied by `theme="dark"` and, with `theme="auto"`, by the user's preference. */
const dark = css`
    color-scheme: dark;
    --_accent: var(--mcs-accent, #ff6b74);
    --_on-accent: var(--mcs-on-accent, #1a1a1a);
    --_bg: var(--mcs-bg, #1c1c1e);
    --_fg: var(--mcs-fg, #f2f2f2);
    --_muted: var(--mcs-muted, #b3b3b3);
    --_surface: var(--mcs-surface, #2c2c2e);
    --_border: var(--mcs-border, #8e8e93);
    --_operator-bg: var(--mcs-operator-bg, #1f3a5a);
    --_error: var(--mcs-error, #ff8a80);
    --_focus: var(--mcs-focus, #8ab4f8);
`;

/**
 * Every color, size and font comes from a `--mcs-*` token so hosts can theme without piercing the
 * shadow root. Each color token falls back to a light default, or to the dark palette above.
 * All default pairs meet WCAG AA contrast (text ≥ 4.5:1, borders and focus rings ≥ 3:1); the a11y
 * tests measure them.
 *
 * The widget's rules come in two sheets. This one holds the tokens and the launcher, adopted at
 * start-up; parsing the whole stylesheet there was a third of the launcher's time at 4× CPU
 * throttling.
 */
export const launcherCss = css`
  :host {
    --_accent: var(--mcs-accent, #c8102e);
    --_on-accent: var(--mcs-on-accent, #fff);
    --_bg: var(--mcs-bg, #fff);
    --_fg: var(--mcs-fg, #1a1a1a);
    --_muted: var(--mcs-muted, #595959);
    --_surface: var(--mcs-surface, #f2f2f2);
    --_border: var(--mcs-border, #8a8a8a);
    --_user-bg: var(--mcs-user-bg, var(--_accent));
    --_user-fg: var(--mcs-user-fg, var(--_on-accent));
    --_operator-bg: var(--mcs-operator-bg, #e6f0fb);
    --_error: var(--mcs-error, #b00020);
    --_focus: var(--mcs-focus, #005fcc);
    --_radius: var(--mcs-radius, 16px);
    --_launcher: var(--mcs-launcher-size, 56px);
    --_gap: var(--mcs-spacing, 12px);
    --_inset: var(--mcs-offset, 20px);
    all: initial;
    display: contents;
    font: 15px/1.5 var(--mcs-font, system-ui, 'Hiragino Sans', 'Noto Sans JP', 'Segoe UI', sans-serif);
    color: var(--_fg);
  }
  :host([theme=dark]) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme=light])) {
      ${dark}
    }
  }
  * {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button,
  textarea {
    font: inherit;
    color: inherit;
  }
  button,
  label {
    cursor: pointer;
  }
  :focus-visible,
  .attach:focus-within {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  svg {
    width: 22px;
    height: 22px;
    fill: currentColor;
  }
  .launcher,
  .panel {
    position: fixed;
    inset-inline-end: var(--_inset);
    z-index: var(--mcs-z-index, 2147483000);
  }
  :host([position=bottom-left]) :is(.launcher, .panel) {
    inset-inline: var(--_inset) auto;
  }
  .icon,
  .send,
  .bubble {
    border: 1px solid transparent;
  }
  .launcher,
  .icon,
  .send {
    border-radius: 50%;
    display: grid;
    place-items: center;
  }
  .launcher {
    inset-block-end: var(--_inset);
    width: var(--_launcher);
    height: var(--_launcher);
    box-shadow: 0 4px 16px #0004;
    background: var(--_accent);
    color: var(--_on-accent);
    border: 1px solid var(--_accent);
  }
  .launcher svg {
    scale: 1.25;
  }
  .badge {
    position: absolute;
    inset-block-start: -2px;
    inset-inline-end: -2px;
    min-inline-size: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--_bg);
    color: var(--_fg);
    border: 2px solid var(--_accent);
    font-size: 12px;
    line-height: 18px;
  }
  @media (forced-colors: active) {
    :focus-visible,
    .attach:focus-within {
      outline-color: Highlight;
    }
  }
`;

/** Everything inside the panel: adopted when the panel is first wanted, so a closed widget parses only the launcher's rules. */
export const panelCss = css`
  /* The lists' own spacing is set with the bubble's markdown below. */
  h2,
  p,
  ul,
  ol,
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
  }
  header :focus-visible {
    outline-color: currentColor;
  }
  ::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon {
    width: 40px;
    height: 40px;
    background: none;
  }
  .send svg:dir(rtl) {
    scale: -1 1;
  }
  .panel {
    inset-block-end: calc(var(--_inset) * 2 + var(--_launcher));
    inline-size: min(var(--mcs-panel-width, 380px), 100vw - 2 * var(--_inset));
    block-size: min(var(--mcs-panel-height, 600px), 100dvh - 3 * var(--_inset) - var(--_launcher));
    display: flex;
    flex-direction: column;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 32px #0004;
    /* The transcript gives up its height first; at 400% zoom the rest scrolls too, never cut off. */
    overflow: auto;
  }
  :host([position=inline]) .panel {
    position: relative;
    inset: auto;
    inline-size: 100%;
    block-size: var(--mcs-panel-height, 600px);
    box-shadow: none;
  }
  @media (max-width: 480px), (max-height: 500px) {
    :host(:not([position=inline])) .panel {
      inset: 0;
      width: auto;
      height: auto;
      border-radius: 0;
      border: 0;
    }
    :host([open]) .launcher {
      display: none;
    }
  }
  header,
  .notice,
  .phase {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 16px;
  }
  header {
    border-block-end: 1px solid transparent;
    padding-block: var(--_gap);
  }
  header div,
  .notice span,
  .phase p {
    flex: auto;
    min-inline-size: 0;
  }
  h2 {
    font-size: 1.05em;
  }
  header p {
    font-size: .85em;
  }
  .notice,
  .phase {
    flex-wrap: wrap;
    background: var(--_surface);
    font-size: .9em;
  }
  .notice {
    border-block-end: 1px solid var(--_border);
  }
  /* The banner's class is the connection's state. A connect that settles within a second would
     only flash past and shift the transcript. */
  .connecting {
    animation: wait 1s;
  }
  @keyframes wait {
    0%,
    to {
      display: none;
    }
  }
  .phase,
  form {
    border-block-start: 1px solid var(--_border);
  }
  .count {
    align-self: flex-end;
  }
  .failed .meta {
    color: var(--_error);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  .log {
    flex: 1;
    overflow: auto;
    overscroll-behavior: contain;
    padding: var(--_gap);
    scroll-padding-block-end: 40px;
    /* Long URLs and ids wrap wherever they are: bubbles, article cards, quick replies. */
    overflow-wrap: anywhere;
  }
  .log > ol,
  .files {
    list-style: none;
  }
  .log > ol,
  .msg,
  form {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .msg {
    max-inline-size: 85%;
    gap: 4px;
  }
  .user {
    align-self: flex-end;
    align-items: flex-end;
  }
  .bubble {
    padding: 8px 12px;
    border-radius: var(--_radius);
    background: var(--_surface);
    white-space: pre-wrap;
  }
  .user .bubble {
    background: var(--_user-bg);
    color: var(--_user-fg);
  }
  .operator .bubble {
    background: var(--_operator-bg);
  }
  .system {
    max-inline-size: 100%;
    text-align: center;
  }
  .system,
  .earlier,
  .jump {
    align-self: center;
  }
  .system .bubble {
    background: none;
    padding: 0;
  }
  .meta,
  .typing,
  .system {
    font-size: .8em;
    color: var(--_muted);
  }
  .chips,
  .scores,
  .files,
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .chip,
  .text-button {
    min-width: 32px;
    min-height: 32px;
    padding: 4px 12px;
    border: 1px solid var(--_accent);
    border-radius: 16px;
    background: var(--_bg);
  }
  .text-button {
    border-color: var(--_border);
  }
  header,
  .send,
  .primary {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .typing {
    padding-inline: 16px;
  }
  /* A form, so already a column by the form rule above. */
  .survey {
    align-items: stretch;
  }
  .scores {
    align-items: center;
  }
  .score {
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 4px;
  }
  .score input {
    width: 24px;
    height: 24px;
    margin: 0;
    accent-color: var(--_accent);
  }
  .comment {
    display: grid;
    gap: 4px;
  }
  .card {
    display: grid;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    font-size: .9em;
  }
  a {
    color: inherit;
    padding-block: 4px;
  }
  .bubble p:not(:last-child) {
    margin-block-end: .5em;
  }
  .bubble :is(ul, ol) {
    margin: .25em 0;
    padding-inline-start: 1.25em;
  }
  form {
    gap: 6px;
    padding: var(--_gap);
  }
  .row {
    flex-wrap: nowrap;
    align-items: flex-end;
  }
  .attach {
    color: var(--_muted);
    position: relative;
  }
  /* Leaving a message for operators takes text only. */
  .attach:has(:disabled) {
    opacity: .5;
    cursor: auto;
  }
  .files li {
    display: flex;
  }
  .files img {
    width: 48px;
    height: 48px;
    object-fit: cover;
    border-radius: 8px;
  }
  /* The box is there before the photo loads: a photo growing in after its render would push the
     newest message out of a transcript kept at its end. The whole photo shows, letterboxed. */
  .photo {
    inline-size: min(200px, 100%);
    aspect-ratio: 1;
    object-fit: contain;
    background: var(--_surface);
    border-radius: 12px;
  }
  .jump {
    margin-block-start: -36px;
    position: relative;
  }
  .ask {
    align-self: flex-start;
  }
  textarea {
    flex: 1;
    min-inline-size: 0;
    min-block-size: 44px;
    max-block-size: 8em;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_bg);
    resize: none;
    field-sizing: content;
  }
  .send {
    width: 44px;
    height: 44px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .panel {
      animation: rise 160ms ease-out;
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
  }
`;

/** The launcher's sheet, made when the module loads (not in a server-side render, which has no CSSOM). */
export const launcherStyles = globalThis.CSSStyleSheet && sheet(launcherCss);

let panel: CSSStyleSheet | undefined;
/** The panel's sheet, made on first use: parsing it is work a closed widget never needs. */
export const panelStyles = () => (panel ??= sheet(panelCss));
