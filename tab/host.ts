import { app, authentication } from '@microsoft/teams-js';

/**
 * What the page needs from Teams: the theme (and its changes) and a sign-in token. Inside
 * Teams it comes from @microsoft/teams-js. Outside Teams the page has no token; in local
 * mode (the server says so on the page) a test may stand in for Teams with
 * window.__qaLoopHost, which is ignored everywhere else.
 */
export type Theme = 'default' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  /** A stand-in for Teams (tests, local mode only). */
  standIn: boolean;
  theme: Theme;
  onThemeChange(handler: (theme: Theme) => void): void;
  token(): Promise<string | undefined>;
}

export interface TestHost {
  theme?: string;
  token?: string;
  onThemeChange?: (handler: (theme: string) => void) => void;
}

declare global {
  interface Window {
    __qaLoopHost?: TestHost;
    nativeInterface?: unknown;
  }
}

export const toTheme = (value: string | undefined): Theme => (value === 'dark' || value === 'contrast' ? value : 'default');

export const isLocalMode = (): boolean => document.documentElement.dataset.local === 'true';

const INIT_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Teams did not answer')), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export async function connectHost(): Promise<Host> {
  const standIn = isLocalMode() ? window.__qaLoopHost : undefined;
  if (standIn !== undefined) {
    return {
      inTeams: true,
      standIn: true,
      theme: toTheme(standIn.theme),
      onThemeChange: (handler) => standIn.onThemeChange?.((theme) => handler(toTheme(theme))),
      token: () => Promise.resolve(standIn.token),
    };
  }
  // Teams shows a tab in a frame (web, desktop) or a webview with a native bridge (mobile).
  const framed = window.parent !== window || window.nativeInterface !== undefined;
  if (framed) {
    try {
      await withTimeout(app.initialize(), INIT_TIMEOUT_MS);
      const context = await app.getContext();
      return {
        inTeams: true,
        standIn: false,
        theme: toTheme(context.app.theme),
        onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(toTheme(theme))),
        token: () => authentication.getAuthToken(),
      };
    } catch {
      // Framed by something that is not Teams: carry on as outside Teams.
    }
  }
  return { inTeams: false, standIn: false, theme: 'default', onThemeChange: () => undefined, token: () => Promise.resolve(undefined) };
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
