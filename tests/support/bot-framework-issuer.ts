import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework's token issuer: it serves an OpenID metadata
 * document and a JWKS holding one RSA key, as login.botframework.com does, and signs
 * channel tokens (RS256, made here with node:crypto) the way the Bot Connector does when
 * it calls a bot. The bot is pointed at it through its ordinary settings (`settings()`),
 * so the SDK's real token checks run against tokens the test controls.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid = `stand-in-key-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** The claims of a channel token: the Bot Connector sends exactly these to a bot. */
export interface ChannelClaims {
  iss: string;
  aud: string;
  serviceurl?: string;
  nbf: number;
  exp: number;
  [claim: string]: unknown;
}

export interface TokenOptions {
  /** RS256 (default), `none` (unsigned) or HS256 keyed with the trusted public key (the algorithm-confusion attack). */
  alg?: 'RS256' | 'none' | 'HS256';
  /** Signs with this key instead of the trusted one. */
  key?: SigningKey;
  /** The kid in the header; by default the signing key's own. */
  kid?: string;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export class BotFrameworkIssuerStandIn {
  /** The key in the JWKS: tokens it signs are the genuine article. */
  readonly trustedKey = newSigningKey();
  /** Paths the bot fetched (metadata, keys). */
  readonly fetched: string[] = [];
  private server: Server | undefined;
  private baseUrl = '';

  /** @param endorsements Channels the key is endorsed for, as the real JWKS lists them. */
  constructor(private readonly endorsements: readonly string[] = ['msteams']) {}

  /** The issuer (iss) of its tokens: a name only, on the stand-in's own address. */
  get issuer(): string {
    return `${this.baseUrl}/issuer`;
  }

  get metadataUrl(): string {
    return `${this.baseUrl}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      this.fetched.push(path);
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
        return send(200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.baseUrl}/v1/.well-known/authorize`,
          jwks_uri: `${this.baseUrl}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (req.method === 'GET' && path === '/v1/.well-known/keys') {
        const jwk = this.trustedKey.publicKey.export({ format: 'jwk' });
        return send(200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.trustedKey.kid, n: jwk.n, e: jwk.e, endorsements: this.endorsements }] });
      }
      send(404, { error: `${req.method ?? 'GET'} ${path} is not part of the stand-in` });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** The bot's settings that make it trust this issuer (the emulator's metadata too, so nothing leaves the machine). */
  settings(appId: string): Record<string, string> {
    return {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'stand-in-secret',
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromChannelTokenIssuer: this.issuer,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
    };
  }

  /** The claims the Bot Connector would send to `appId` for an activity from `serviceUrl`, valid for an hour. */
  claims(appId: string, serviceUrl: string): ChannelClaims {
    const now = Math.floor(Date.now() / 1000);
    return { iss: this.issuer, aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600 };
  }

  token(claims: Record<string, unknown>, options: TokenOptions = {}): string {
    const alg = options.alg ?? 'RS256';
    const key = options.key ?? this.trustedKey;
    const header = { alg, typ: 'JWT', kid: options.kid ?? key.kid };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    if (alg === 'none') return `${signingInput}.`;
    if (alg === 'HS256') {
      const secret = this.trustedKey.publicKey.export({ format: 'pem', type: 'spki' });
      return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
    }
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url')}`;
  }
}

/** The same token with one byte of its signature changed (a byte, not a base64 character, which may only be padding). */
export function withTamperedSignature(token: string): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** The same signature over changed claims: what someone editing a captured token would send. */
export function withChangedClaims(token: string, changes: Record<string, unknown>): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${base64url(JSON.stringify({ ...claims, ...changes }))}.${signature}`;
}
