/**
 * React 19 ships CommonJS only, which browsers cannot import and the test runner does not
 * convert. This loads the installed React the way a bundler's CommonJS interop does: each file
 * fetched from node_modules and run once with `module`, `exports` and `require`. Test-only; the
 * code that runs is React's own development build.
 */
import type * as ReactApi from 'react';
import type * as ReactDomClient from 'react-dom/client';

/** Where each package the React DOM client needs lives (development builds, for their warnings). */
const files: Record<string, string> = {
  react: '/node_modules/react/cjs/react.development.js',
  'react-dom': '/node_modules/react-dom/cjs/react-dom.development.js',
  'react-dom/client': '/node_modules/react-dom/cjs/react-dom-client.development.js',
  scheduler: '/node_modules/scheduler/cjs/scheduler.development.js',
};

let loading: Promise<{ React: typeof ReactApi; ReactDOM: typeof ReactDomClient }> | undefined;

/** Loads React and react-dom/client once per test page. */
export function loadReact(): Promise<{ React: typeof ReactApi; ReactDOM: typeof ReactDomClient }> {
  loading ??= (async () => {
    const sources = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([name, url]) => [name, await (await fetch(url)).text()])));
    const cache = new Map<string, unknown>();
    const require = (name: string): unknown => {
      if (cache.has(name)) return cache.get(name);
      if (!(name in sources)) throw new Error(`commonjs: ${name} is not mapped`);
      const module = { exports: {} as unknown };
      cache.set(name, module.exports);
      // The interop a bundler does at build time.
      new Function('module', 'exports', 'require', 'process', `${sources[name]}\n//# sourceURL=${files[name]}`)(module, module.exports, require, {
        env: { NODE_ENV: 'development' },
      });
      cache.set(name, module.exports);
      return module.exports;
    };
    return { React: require('react') as typeof ReactApi, ReactDOM: require('react-dom/client') as typeof ReactDomClient };
  })();
  return loading;
}
