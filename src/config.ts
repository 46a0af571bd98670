// The only place that reads the environment. Parsed once with zod; bad config stops start-up
// with one readable list of what is wrong.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const domainSchema = z
  .string()
  .trim()
  .default('feishu')
  .transform((s) => (s === 'feishu' ? 'https://open.feishu.cn' : s === 'lark' ? 'https://open.larksuite.com' : s))
  .pipe(z.url({ message: 'LARK_DOMAIN 必须是 feishu、lark 或一个 http(s) 地址' }));

const envSchema = z
  .object({
    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_DOMAIN: domainSchema,
    LARK_TRANSPORT: z.enum(['ws', 'http']).default('ws'),
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: optionalString.pipe(z.url({ message: 'PUBLIC_URL 必须是一个 http(s) 地址，例如 https://reform.example.gov.cn' }).optional()),
    DATABASE_URL: optionalString.pipe(z.url().startsWith('postgres').optional()),
    DATA_DIR: z.string().default('./data'),
    ADMIN_OPEN_IDS: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    TZ: z.string().default('Asia/Shanghai'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.LARK_APP_ID) !== Boolean(env.LARK_APP_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_SECRET'], message: 'LARK_APP_ID and LARK_APP_SECRET must be set together' });
    }
    if (env.LARK_TRANSPORT === 'http' && env.LARK_APP_ID && !env.LARK_ENCRYPT_KEY && !env.LARK_VERIFICATION_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_ENCRYPT_KEY'],
        message: 'webhooks need LARK_ENCRYPT_KEY (signature) or at least LARK_VERIFICATION_TOKEN',
      });
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: env.TZ });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['TZ'], message: `unknown time zone "${env.TZ}"` });
    }
  });

export type Env = z.input<typeof envSchema>;

export interface LarkConfig {
  appId: string;
  appSecret: string;
  domain: string;
  transport: 'ws' | 'http';
  encryptKey: string | undefined;
  verificationToken: string | undefined;
}

export interface Config {
  /** Without app credentials the bot runs the local emulator. */
  mode: 'lark' | 'emulator';
  lark: LarkConfig | undefined;
  port: number;
  /** Where users' browsers reach this app (download links); default http://127.0.0.1:<port>. */
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  adminOpenIds: string[];
  timeZone: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const lark: LarkConfig | undefined =
    e.LARK_APP_ID && e.LARK_APP_SECRET
      ? {
          appId: e.LARK_APP_ID,
          appSecret: e.LARK_APP_SECRET,
          domain: e.LARK_DOMAIN,
          transport: e.LARK_TRANSPORT,
          encryptKey: e.LARK_ENCRYPT_KEY,
          verificationToken: e.LARK_VERIFICATION_TOKEN,
        }
      : undefined;
  return {
    mode: lark ? 'lark' : 'emulator',
    lark,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    adminOpenIds: e.ADMIN_OPEN_IDS,
    timeZone: e.TZ,
    logLevel: e.LOG_LEVEL,
  };
}

/** Reads process.env; the one call site is src/main.ts. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
